"""Exports of the store: one row per record, masked for the viewer; the
formula-safe writing itself is tested in tests/test_sheets.py."""

import openpyxl
import pytest

from core.actors import SYSTEM, Actor
from core.errors import ConflictError
from core.ingest.importer import import_file
from core.ops.export import export_customers, export_quarantine, export_records
from tests.conftest import TODAY, write_csv


def test_records_export_has_raw_and_standardized_values(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["编号", "姓名", "手机"],
            ["A1", "=HYPERLINK(1)", "138 1234 5678"],
            ["A2", "張偉", "138123456789"],
            ["A3", "", ""],
        ],
    )
    import_file(
        store, path, source="官网表单", actor=Actor("t", "system"), id_column="编号", today=TODAY
    )
    out = tmp_path / "records.xlsx"
    assert export_records(store, out, viewer=SYSTEM) == 2
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    got = [dict(zip(header, r, strict=False)) for r in rows[1:]]
    assert [(g["source_record_id"], g["raw_name"], g["name"]) for g in got] == [
        ("A1", "=HYPERLINK(1)", got[0]["name"]),
        ("A2", "張偉", "张伟"),
    ]
    assert (got[0]["mobile"], got[0]["mobile_status"]) == ("+8613812345678", "valid")
    assert got[1]["mobile_status"] == "invalid" and got[1]["mobile_reason"].startswith("phone.")
    assert export_quarantine(store, tmp_path / "q.csv", viewer=SYSTEM) == 1


def exports(store):
    """The ``export`` entries of the trail: (actor, role, payload)."""
    from core import trail

    return [(e.actor, e.role, trail.payload(store.conn, e.seq))
            for e in trail.entries_for(store.conn, "export", "records")
            + trail.entries_for(store.conn, "export", "quarantine")
            + trail.entries_for(store.conn, "export", "customers")]  # fmt: skip


def test_every_bulk_export_is_audited_with_who_what_which_file_and_how_many_rows(known, tmp_path):
    batch = known.conn.execute("select min(id) from import_batches").fetchone()[0]
    before = known.count("audit_log")
    manager, auditor = Actor("li.na", "manager"), Actor("li.audit", "auditor")
    out = tmp_path / "out"
    out.mkdir()
    assert export_records(known, out / "r.xlsx", viewer=manager) == 12
    assert export_quarantine(known, out / "q.csv", viewer=SYSTEM, batch_id=batch) == 0
    assert export_customers(known, out / "c.csv", viewer=auditor) == 12
    assert known.count("audit_log") == before + 3
    got = sorted(exports(known), key=lambda e: e[2]["what"])
    assert [(a, r, p["what"], p["rows"], p["masked"], p["format"]) for a, r, p in got] == [
        ("li.audit", "auditor", "customers", 12, True, "csv"),
        ("system", "system", "quarantine", 0, False, "csv"),
        ("li.na", "manager", "records", 12, True, "xlsx"),
    ]  # fmt: skip
    assert got[1][2]["batch"] == batch and got[2][2]["out"] == str(out / "r.xlsx")
    entry = known.conn.execute("select at, object_ids from audit_log order by seq desc").fetchone()
    assert entry[0] and '"export":["customers"]' in entry[1]  # when: the entry's own time
    assert sorted(p.name for p in out.iterdir()) == ["c.csv", "q.csv", "r.xlsx"]  # nothing hidden


def test_an_export_whose_entry_cannot_be_written_leaves_no_file(known, tmp_path):
    import sqlite3

    from core.store import open_store

    out = tmp_path / "out"
    out.mkdir()
    blocker = sqlite3.connect(known.path, isolation_level=None)
    blocker.execute("begin immediate")  # another writer holds the lock past the timeout
    try:
        with (
            open_store(known.path, busy_timeout_ms=50) as s,
            pytest.raises(ConflictError, match="the store is busy"),
        ):
            export_records(s, out / "r.csv", viewer=SYSTEM)
    finally:
        blocker.execute("rollback")
        blocker.close()
    assert list(out.iterdir()) == [] and exports(known) == []  # no file, no hidden folder


@pytest.mark.slow
def test_the_export_commands_record_the_user_or_the_operator(known, tmp_path):
    from core.users import add_user
    from tests.conftest import run_cli

    add_user(known, "li.audit", "auditor", "s3cret-pass")
    db = ("--db", str(known.path))
    done = run_cli("export", *db, "--what", "records", "--actor", "li.audit", "--out",
                   str(tmp_path / "r.csv"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    run_cli("export", *db, "--what", "customers", "--out", str(tmp_path / "c.csv"))
    clusters = run_cli("clusters", *db, "--out", str(tmp_path / "k.csv"))
    assert clusters.returncode == 0, clusters.stderr
    entries = known.conn.execute(
        "select actor, role, object_ids from audit_log where action = 'export' order by seq"
    ).fetchall()
    assert [(a, r) for a, r, _ in entries][0] == ("li.audit", "auditor")
    assert [r for _, r, _ in entries[1:]] == ["system", "system"]  # the OS user, as the system
    assert [o for _, _, o in entries] == [
        '{"export":["records"]}', '{"export":["customers"]}', '{"export":["clusters"]}']  # fmt: skip
