"""The embedded demo database, built from the synthetic files in data/demo.

``data/demo/manifest.json`` lists each demo file with its channel and id
column. The database is built in a temporary file beside the target and
moved into place only when complete, so an interrupted build never leaves
a half-made demo database behind.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.ingest import import_file
from core.matching import run_match
from core.merge import auto_merge
from core.store import Store, open_store
from core.users import add_user

DEMO_DATA = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_ACTOR = "demo-loader"
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
                    imported_by=DEMO_ACTOR, id_column=entry.get("id_column"), today=DEMO_TODAY,
                )  # fmt: skip
            records = store.count("source_records")
            _demo_workflow(store)
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


def _demo_workflow(store: Store) -> None:
    """Users, a channel priority, a match run and the auto-merge band, so
    the demo opens with a review queue and customers to look at."""
    for name in DEMO_USERS:
        add_user(store, name, name, DEMO_PASSWORD)  # type: ignore[arg-type]
    store.set_setting("survivorship_source_priority", DEMO_SOURCE_PRIORITY, actor=DEMO_ACTOR)
    run_match(store)
    auto_merge(store)


def ensure_demo(db_path: str | Path) -> None:
    """Create the demo database at ``db_path`` if it does not exist."""
    build_demo(db_path)
