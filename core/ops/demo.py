"""The embedded demo database, built from the synthetic files in data/demo.

``data/demo/manifest.json`` lists each demo file with its channel and id
column. The database is built in a temporary file beside the target and
moved into place only when complete, so an interrupted build never leaves
a half-made demo database behind.
"""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path
from typing import Any

from core.actors import Actor
from core.errors import InputError
from core.ingest.importer import import_file
from core.matching.runs import run_match
from core.ops.config import set_setting
from core.quality import snapshots
from core.stewardship.customers import candidates, members_of, proposal_records, stored_values
from core.stewardship.merge import approve, auto_merge, reject
from core.stewardship.picks import pick
from core.stewardship.unmerge import unmerge
from core.store import Store, open_store
from core.users import add_user

DEMO_DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_LOADER = Actor("demo-loader", "system")
"""Who builds the demo database: the system, under a name of its own."""
DEMO_TODAY = "2026-06-30"
"""The reference date the synthetic data was generated for."""


def build_demo(db_path: str | Path, data_dir: str | Path = DEMO_DATA) -> dict[str, Any]:
    """Create the demo database at ``db_path`` unless it already exists.

    Returns:
        ``{"db", "created", "records", "seconds"}``; ``created`` is False
        when the file was already there (nothing is changed then).

    Raises:
        InputError: the demo files or their manifest are missing.
    """
    db_path, data_dir = Path(db_path), Path(data_dir)
    started = time.perf_counter()
    if db_path.exists():
        with open_store(db_path, create=False) as store:
            records = store.count("source_records")
        return {"db": str(db_path), "created": False, "records": records, "seconds": 0.0}
    manifest_path = data_dir / "manifest.json"
    if not manifest_path.exists():
        raise InputError(f"{manifest_path}: the demo manifest is missing; restore data/demo")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    partial = db_path.with_name(f".{db_path.name}.{os.getpid()}.partial")
    try:
        with open_store(partial) as store:
            for entry in manifest["files"]:
                import_file(
                    store, data_dir / entry["file"], source=entry["channel"],
                    actor=DEMO_LOADER, id_column=entry.get("id_column"), today=DEMO_TODAY,
                )  # fmt: skip
            records = store.count("source_records")
            _demo_workflow(store, data_dir)
        os.replace(partial, db_path)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    seconds = round(time.perf_counter() - started, 2)
    return {"db": str(db_path), "created": True, "records": records, "seconds": seconds}


DEMO_USERS = ("steward", "manager", "auditor", "admin")
DEMO_PASSWORD = "demo"
"""Demo only: each demo user's password is ``demo``."""

DEMO_SOURCE_PRIORITY = ["展会名片", "门店登记", "官网表单", "微信活动", "线索供应商", "客服热线"]


def _demo_workflow(store: Store, data_dir: Path) -> None:
    """Users, a channel priority, a match run and the auto-merge band, a
    steward's first decisions, today's KPI snapshot and a year of synthetic
    KPI history, so the demo opens with a review queue, customers, a
    dashboard with a past and decisions to audit."""
    for name in DEMO_USERS:
        add_user(store, name, name, DEMO_PASSWORD)  # type: ignore[arg-type]
    set_setting(store, "survivorship_source_priority", DEMO_SOURCE_PRIORITY, actor=DEMO_LOADER)
    run_match(store)
    auto_merge(store)
    _first_decisions(store, _truth(store, data_dir / "truth.csv"))
    snapshots.take(store)
    snapshots.synthesize_history(store, DEMO_LOADER)


DEMO_DECISIONS = {"merge": 12, "reject": 6, "mistake": 1, "pick": 3, "unmerge": 1}
"""How many of each decision the demo steward makes (fewer if the data has
fewer candidates); the ``mistake`` is a merge of two different people, for
the auditors to find."""


def _truth(store: Store, path: Path) -> dict[int, str]:
    """Record id -> the synthetic person it was generated from."""
    with path.open(encoding="utf-8", newline="") as handle:
        person = {
            (r["channel"], r["source_record_id"]): r["person_id"] for r in csv.DictReader(handle)
        }
    return {
        int(i): person[(c, s)]
        for i, c, s in store.conn.execute(
            "select id, channel, source_record_id from source_records"
        )
        if (c, s) in person
    }


def _first_decisions(store: Store, truth: dict[int, str]) -> None:
    """The demo steward decides the first review proposals as the synthetic
    truth says (merge when all records are one person, else reject), except
    for one wrong merge; picks a few surviving names; and unmerges an
    auto-merge the truth says is wrong, if there is one."""
    steward = Actor("steward", "steward")
    conn = store.conn
    done = dict.fromkeys(DEMO_DECISIONS, 0)
    merged: list[int] = []
    for pid, version in conn.execute(
        "select id, version from proposals where status = 'open' and band = 'review' order by id"
    ).fetchall():
        same = len({truth.get(r) for r in proposal_records(conn, int(pid))}) == 1
        kind = "merge" if same else "mistake" if not done["mistake"] else "reject"
        if done[kind] >= DEMO_DECISIONS[kind]:
            continue
        if kind == "reject":
            reject(store, int(pid), steward, expected_version=int(version), note="不同客户（演示）")
        else:
            made = approve(store, int(pid), steward, expected_version=int(version),
                           note="同一客户（演示）")  # fmt: skip
            merged.append(int(made.customer_id or 0))
        done[kind] += 1
        if all(done[k] >= DEMO_DECISIONS[k] for k in ("merge", "reject", "mistake")):
            break
    for customer_id in merged:
        names = {v.value for v in stored_values(conn, customer_id) if v.field == "name"}
        other = [c.value for c in candidates(conn, members_of(conn, customer_id))
                 if c.field == "name" and c.value not in names]  # fmt: skip
        if other and done["pick"] < DEMO_DECISIONS["pick"]:
            pick(store, customer_id, "name", other[0], steward, note="以身份证为准（演示）")
            done["pick"] += 1
    for (customer_id,) in conn.execute(
        "select customer_id from decisions where kind = 'merge' and role = 'system' order by id"
    ).fetchall():
        if done["unmerge"] >= DEMO_DECISIONS["unmerge"]:
            break
        if len({truth.get(r) for r in members_of(conn, int(customer_id))}) > 1:
            unmerge(store, int(customer_id), steward, note="两位不同的客户（演示）")
            done["unmerge"] += 1


def ensure_demo(db_path: str | Path) -> None:
    """Create the demo database at ``db_path`` if it does not exist."""
    build_demo(db_path)
