"""The store: WAL, busy timeout, migrations, immutability, atomic writes."""

import sqlite3

import pytest

from core.actors import Actor
from core.errors import InputError
from core.ops.config import set_setting
from core.schema import MIGRATIONS, STD_COLUMNS
from core.store import open_store


def test_store_runs_in_wal_mode_with_a_busy_timeout(store):
    assert store.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("pragma busy_timeout").fetchone()[0] == 5000
    assert store.conn.execute("pragma foreign_keys").fetchone()[0] == 1


def test_opening_twice_applies_each_migration_once(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    with open_store(path) as s:
        applied = [m.name for m in MIGRATIONS.applied(s.db)]
    assert applied == [
        "0001_ingest",
        "0002_workflow",
        "0003_matching",
        "0004_customers",
        "0005_quality_and_audit_sessions",
        "0006_erasure",
        "0007_touched_customers",
        "0008_organisations",
        "0009_session_version",
        "0010_login_throttle",
    ]


def test_open_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such database"):
        open_store(tmp_path / "missing.db", create=False)


def test_a_file_that_is_not_sqlite_is_refused_with_its_name(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not a database" * 100)
    with pytest.raises(InputError, match="notes.db: not a usable SQLite database"):
        open_store(bogus)


def _insert_record(db):
    db["import_batches"].insert(
        {
            "id": 1,
            "file_name": "a.csv",
            "file_sha256": "x",
            "file_size": 1,
            "channel": "c",
            "imported_by": "u",
            "imported_at": "t",
            "file_format": "csv",
            "encoding": "utf-8",
            "header_line": 1,
            "headers": "[]",
            "mapping": "[]",
            "rows_read": 1,
            "rows_imported": 1,
            "rows_quarantined": 0,
            "rows_blank": 0,
        }
    )
    db["source_records"].insert(
        {
            "id": 1,
            "batch_id": 1,
            "row_number": 1,
            "line_number": 2,
            "source_record_id": "1",
            "channel": "c",
            "raw_cells": '["张伟"]',
            "extra": "{}",
            "name": "张伟",
        }
    )


@pytest.mark.parametrize(
    "statement",
    [
        "update source_records set name = '李娜' where id = 1",
        "delete from source_records where id = 1",
    ],
    ids=["update", "delete"],
)
def test_source_records_are_immutable(store, statement):
    with store.write() as db:
        _insert_record(db)
    with pytest.raises(sqlite3.IntegrityError, match="source records are immutable"):
        store.conn.execute(statement)
    assert store.conn.execute("select name from source_records").fetchall() == [("张伟",)]


def test_a_failed_write_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError, match="boom"), store.write() as db:
        _insert_record(db)
        raise RuntimeError("boom")
    assert store.count("import_batches") == 0
    assert store.count("source_records") == 0


def test_writes_open_with_begin_immediate(store):
    """BEGIN IMMEDIATE takes the write lock at once: a second writer waits
    for it instead of failing mid-transaction."""
    other = sqlite3.connect(store.path, timeout=0.05, isolation_level=None)
    with store.write():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("begin immediate")
    other.execute("begin immediate")
    other.execute("rollback")
    other.close()


def test_setting_overrides_are_validated_and_persisted(store):
    set_setting(store, "default_region", "HK", actor=Actor("admin", "system"))
    set_setting(store, "max_cell_chars", "1000", actor=Actor("admin", "system"))
    assert store.settings()["default_region"] == "HK"
    assert store.settings()["max_cell_chars"] == 1000
    with pytest.raises(InputError, match="expected a value like 32767"):
        set_setting(store, "max_cell_chars", "lots", actor=Actor("admin", "system"))
    with pytest.raises(InputError, match="unknown setting 'max_cels'"):
        set_setting(store, "max_cels", "1", actor=Actor("admin", "system"))


def test_the_busy_timeout_setting_applies_to_every_later_open(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as store:
        set_setting(store, "busy_timeout_ms", 12000, actor=Actor("ops", "system"))
    with open_store(path) as again:
        assert again.conn.execute("pragma busy_timeout").fetchone()[0] == 12000
    with open_store(path, busy_timeout_ms=250) as told:  # an explicit value still wins
        assert told.conn.execute("pragma busy_timeout").fetchone()[0] == 250


def test_the_migrations_give_every_field_and_standardized_column_of_today(store):
    # the migrations write their columns out; this checks they still agree with the
    # registry, so that a new field comes with a migration of its own
    from core.fields import FIELDS

    raw = [r[1] for r in store.conn.execute("pragma table_info(source_records)")]
    std = [r[1] for r in store.conn.execute("pragma table_info(standardized)")]
    assert [f for f in raw if f in FIELDS] == list(FIELDS)
    assert [c for c in std if c in STD_COLUMNS] == list(STD_COLUMNS)
    assert set(std) - set(STD_COLUMNS) == {"record_id", "std_version"}


def test_a_write_lock_held_past_the_busy_timeout_is_a_conflict_not_a_traceback(tmp_path):
    from core.errors import ConflictError

    path = tmp_path / "s.db"
    holder = open_store(path)
    waiter = open_store(path, busy_timeout_ms=100)
    try:
        with holder.write():
            with pytest.raises(ConflictError, match="the store is busy"), waiter.write():
                pass
        with waiter.write() as db:  # once the lock is free, the waiter gets in
            db.execute("update settings set value = value")
    finally:
        holder.close()
        waiter.close()
