"""Shared fixtures: real SQLite files in a temporary folder, and real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from streamlit.testing.v1 import AppTest

from core.actors import Actor
from core.ops.demo import build_demo
from core.store import Store, open_store

# CI replays a fixed, reproducible set of examples, so that a submission
# cannot fail by chance; local runs keep exploring new examples (and a
# failure found there is added as a regression test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-06-30"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "store.db") as s:
        yield s


def write_csv(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8", sep: str = ","
) -> Path:
    """Write rows as a delimited file, quoting cells only when needed."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            if any(ch in cell for ch in (sep, '"', "\n", "\r")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(sep.join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m core ARGS`` as a real process (``env`` adds variables)."""
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def matched_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 1,500 generated records, imported and matched once per session."""
    from core.ingest.importer import import_file
    from core.matching.runs import run_match
    from core.synthetic import generate_flat_csv

    folder = tmp_path_factory.mktemp("matched")
    data = generate_flat_csv(folder / "crm.csv", records=1500, seed=5)
    with open_store(folder / "template.db") as s:
        import_file(s, data, source="官网表单", actor=Actor("loader", "system"), id_column="record_id",
                    stage=False, today=TODAY)  # fmt: skip
        run_match(s)
    return folder / "template.db"


@pytest.fixture
def matched(matched_template: Path, tmp_path: Path) -> Iterator[Store]:
    """A fresh copy of the matched template store (SQLite's backup API)."""
    import sqlite3

    target = tmp_path / "matched.db"
    source = sqlite3.connect(matched_template)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    with open_store(target) as s:
        yield s


# -- a small store whose KPIs are known by construction (tests of core.quality.kpis) ----------

HEADER = ["id", "姓名", "手机", "邮箱", "最近联系"]
# channel A: 8 records, channel B: 4. By construction:
#   mobile typed in 9 (6 valid: 2 already E.164; 3 invalid), email in 5 (4 valid, 1 invalid),
#   last contact (as of 2026-12-01): 4 within 90 days, 2 within 91..180, 2 within
#   181..365, 4 older.
A_ROWS = [
    ["a1", "张伟", "13812345678", "zhang.wei@163.com", "2026-11-20"],
    ["a2", "张伟", "+8613812345678", "", "2026-10-01"],
    ["a3", "李娜", "12345", "li.na@163.com", "2026-08-15"],
    ["a4", "王芳", "", "not-an-email", "2026-04-01"],
    ["a5", "刘洋", "13987654321", "", "2025-01-01"],
    ["a6", "陈静", "999", "", "2024-06-01"],
    ["a7", "杨磊", "", "", "2023-01-01"],
    ["a8", "赵敏", "+8613711112222", "", "2026-11-30"],
]
B_ROWS = [
    ["b1", "孙丽", "13600001111", "sun.li@163.com", "2026-11-25"],
    ["b2", "周杰", "1", "zhou@163.com", "2026-07-01"],
    ["b3", "吴刚", "", "", "2022-01-01"],
    ["b4", "郑爽", "13500002222", "", "2026-02-01"],
]


@pytest.fixture
def known(store: Store, tmp_path: Path) -> Store:
    """Twelve records in two channels, as described above."""
    from core.ingest.importer import import_file

    for name, channel, rows in (("a.csv", "官网表单", A_ROWS), ("b.csv", "门店登记", B_ROWS)):
        import_file(store, write_csv(tmp_path / name, [HEADER, *rows]), source=channel,
                    actor=Actor("t", "system"), id_column="id", today="2026-12-01")  # fmt: skip
    return store


@pytest.fixture
def decided(matched: Store) -> Store:
    """Decisions of every stratum: auto-merges, steward merges, rejects, an
    unmerge, picks and a detach (tests of the audit sessions)."""
    from core.actors import SYSTEM, Actor
    from core.stewardship.merge import approve, reject
    from core.stewardship.moves import detach
    from core.stewardship.picks import pick
    from core.stewardship.unmerge import unmerge

    WANG = Actor("wang.fang", "steward")
    conn = matched.conn
    auto = [
        p
        for (p,) in conn.execute(
            "select id from proposals where status = 'open' and band = 'auto' order by id limit 8"
        )
    ]
    for p in auto:
        approve(matched, p, SYSTEM)
    review = [
        p
        for (p,) in conn.execute(
            "select id from proposals where status = 'open' and band = 'review' order by id limit 12"
        )
    ]
    merged = [approve(matched, p, WANG).customer_id for p in review[:6]]
    for p in review[6:11]:
        reject(matched, p, WANG)
    unmerge(matched, merged[0], WANG)
    picked = 0
    for c in merged[1:]:
        current = conn.execute("select value from customer_values where customer_id = ? and "
                               "field = 'name' and is_primary = 1", (c,)).fetchone()  # fmt: skip
        names = {
            n
            for (n,) in conn.execute(
                "select s.name from customer_members m join standardized s on s.record_id = m.record_id "
                "where m.customer_id = ? and s.name != ''",
                (c,),
            )
        } - {current[0] if current else ""}
        if names and picked < 3:
            pick(matched, c, "name", sorted(names)[0], WANG)
            picked += 1
    assert picked == 3, "the fixture needs three customers with two spellings of the name"
    first = conn.execute(
        "select record_id from customer_members where customer_id = ? order by record_id limit 1",
        (merged[4],),
    ).fetchone()[0]
    detach(matched, first, WANG)
    return matched


# --- AppTest: the app on a copy of the demo database -------------------


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(db)
    return db


@pytest.fixture
def app_db(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo database, which the app reads via STEWARD_DB."""
    db = tmp_path / "app.db"
    shutil.copy(demo_template, db)
    monkeypatch.setenv("STEWARD_DB", str(db))
    return db


def signed_in(role: str) -> AppTest:
    """The app after the demo user named `role` has logged in, on the home page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.text_input(key="login_username").input(role)
    at.text_input(key="login_password").input("demo")
    at.button[0].click().run()
    return at.switch_page("pages/home.py").run()


# --- A data subject: one person, everywhere in a small store ----------

PERSON_HEADER = ["id", "姓名", "手机", "邮箱", "地址", "备注"]
PERSON = {
    "name": "欧阳娜娜",
    "mobile": "13912345678",
    "email": "nana.ouyang@163.com",
    "address": "北京市朝阳区建国路88号院3号楼",
}
OTHERS = [
    ["o1", "李娜", "13800001111", "li.na@163.com", "上海市徐汇区虹漕路461号", ""],
    ["o2", "王伟", "13700002222", "", "", ""],
    ["o3", "孙丽", "13600003333", "sun.li@163.com", "", ""],
]


@pytest.fixture
def subject(store: Store, tmp_path: Path) -> int:
    """A data subject (tests of access and erasure): the person in two
    channels, merged by a steward with an edit, a quarantined row with their
    phone, and four other people. Returns the person's customer id."""
    from core.actors import Actor
    from core.ingest.importer import import_file
    from core.matching.runs import run_match
    from core.stewardship.customers import customer_of
    from core.stewardship.moves import attach
    from core.stewardship.picks import edit

    WANG = Actor("wang.fang", "steward")
    web = [PERSON_HEADER, ["w1", PERSON["name"], PERSON["mobile"], PERSON["email"], PERSON["address"],
                    "官网留资"], *OTHERS]  # fmt: skip
    hotline = [PERSON_HEADER, ["h1", "Ouyang Nana", "139 1234 5678", PERSON["email"].upper(), "", ""],
               ["h2", "赵敏", "13711112222", "", "", ""],
               ["h3", "来电 139-1234-5678", "", "", "", "", "多出来的一列"]]  # fmt: skip
    for name, channel, rows in (("web.csv", "官网表单", web), ("hot.csv", "客服热线", hotline)):
        import_file(store, write_csv(tmp_path / name, rows), source=channel, actor=Actor("t", "system"),
                    id_column="id")  # fmt: skip
    run_match(store)
    w1, h1 = (record(store, s) for s in ("w1", "h1"))
    if customer_of(store.conn, h1) != customer_of(store.conn, w1):
        attach(store, h1, customer_of(store.conn, w1), WANG, note="同一位客户")
    customer = customer_of(store.conn, w1)
    edit(store, customer, "email", "ouyang.nn@126.com", WANG, reason="客户来电更正")
    return customer


def record(store: Store, source_id: str) -> int:
    """The store id of the record imported with ``source_id``."""
    return store.conn.execute(
        "select id from source_records where source_record_id = ?", (source_id,)
    ).fetchone()[0]
