"""Staging beside the store: an import's rows never land in /tmp, and what
a killed import leaves is swept away by the next one (issue 14, finding 7);
a full disk ends an import with one clear error and leaves nothing behind
(finding 6)."""

from __future__ import annotations

import fcntl
import os
import resource
import signal
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.actors import Actor
from core.errors import DiskFullError
from core.ingest import chunks
from core.ingest import importer as ingest
from core.ingest.importer import import_file
from core.ingest.staging import staging_root, sweep_staging
from core.ops.config import set_setting
from core.store import open_store
from tests.conftest import TODAY, write_csv

SYSTEM = Actor("tester", "system")
HEADER = ["编号", "姓名", "手机", "邮箱", "地址", "备注"]


def people(n: int) -> list[list[str]]:
    return [HEADER] + [
        [f"C{i}", f"客户{i}", f"138{i:08d}", f"user{i}@example.cn", f"北京市朝阳区建国路{i}号",
         "老客户，" * (i % 5)]
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def parallel(monkeypatch):
    """Let small files use two workers, in small pieces."""
    monkeypatch.setattr(chunks, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(chunks, "PARALLEL_MIN_ROWS_UNFORKED", 0)
    monkeypatch.setattr(chunks, "_PIECE", 50)


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A temporary folder of its own, to see that nothing lands there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def state(store) -> dict[str, object]:
    """Everything an import may change, and the audit head."""
    counts = {t: store.count(t) for t in ("import_batches", "source_records", "standardized",
                                          "quarantine", "customers", "audit_log")}  # fmt: skip
    return {**counts, "head": store.conn.execute("select max(seq) from audit_log").fetchone()}


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_import_with_workers_stages_beside_the_store_and_never_in_tmp(
    tmp_path, parallel, elsewhere
):
    db = tmp_path / "store.db"
    seen: list[list[str]] = []
    with open_store(db) as store:
        set_setting(store, "import_workers", 2, actor=SYSTEM)
        set_setting(store, "import_chunk_rows", 200, actor=SYSTEM)
        result = import_file(
            store, write_csv(tmp_path / "a.csv", people(600)), source="s", actor=SYSTEM,
            today=TODAY, progress=lambda *_: seen.append(leftovers(staging_root(db))),
        )  # fmt: skip
    assert result.rows_imported == 600
    staged = {name.split("/")[-1].split("-")[0] for names in seen for name in names}
    assert {"staging.db", "worker"} <= staged, seen  # the rows were staged beside the store
    assert leftovers(elsewhere) == []
    assert not staging_root(db).exists()  # and removed at the end


def test_the_staging_folder_is_private(tmp_path):
    db = tmp_path / "store.db"
    modes = []
    with open_store(db) as store:
        import_file(
            store, write_csv(tmp_path / "a.csv", people(3)), source="s", actor=SYSTEM,
            today=TODAY, progress=lambda *_: modes.extend(
                p.stat().st_mode & 0o777 for p in [staging_root(db), *staging_root(db).iterdir()]
            ),
        )  # fmt: skip
    assert modes and set(modes) == {0o700}


@pytest.mark.parametrize("stage", [True, False])
def test_a_killed_imports_leftovers_are_swept_by_the_next_import(tmp_path, stage):
    db = tmp_path / "store.db"
    with open_store(db) as store:
        killed = staging_root(db) / "import-k1ll3d"
        killed.mkdir(parents=True)
        (killed / "worker-4242.db").write_bytes(b"SQLite format 3\x00 names, mobiles, e-mails")
        import_file(store, write_csv(tmp_path / "a.csv", people(3)), source="s", actor=SYSTEM,
                    today=TODAY, stage=stage)  # fmt: skip
    assert not killed.exists()
    assert not staging_root(db).exists()


def test_imports_running_at_once_stage_apart_and_leave_nothing_behind(tmp_path):
    db = tmp_path / "store.db"
    open_store(db).close()
    files = [write_csv(tmp_path / f"f{n}.csv", people(300 + n)) for n in range(4)]
    folders: set[str] = set()
    errors: list[BaseException] = []

    def one(path: Path) -> None:
        try:
            with open_store(db) as store:
                import_file(store, path, source=path.stem, actor=SYSTEM, today=TODAY,
                            progress=lambda *_: folders.update(
                                p.name for p in staging_root(db).glob("import-*")))  # fmt: skip
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(folders) >= 2  # each import its own folder
    assert not staging_root(db).exists()
    with open_store(db) as store:
        assert store.count("import_batches") == 4


def test_a_running_imports_folder_is_not_swept(tmp_path):
    db = tmp_path / "store.db"
    running = staging_root(db) / "import-running"
    running.mkdir(parents=True)
    (running / "staging.db").write_bytes(b"")
    held = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the running import holds it
        assert sweep_staging(db) == 0
        assert (running / "staging.db").exists()
    finally:
        os.close(held)
    assert sweep_staging(db) == 1
    assert not staging_root(db).exists()


# -- a full disk (finding 6) -----------------------------------------------------------------


@contextmanager
def disk_fills_at(size: int):
    """Writes that would take any file of this process (and of the workers
    it forks) past ``size`` bytes fail as they do on a full disk: write()
    stores what fits, then fails. (RLIMIT_FSIZE, with SIGXFSZ ignored.)"""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_disk_full_at_commit_leaves_the_store_and_no_journal_behind(tmp_path, parallel):
    """With workers, the commit attaches several staging files; SQLite then
    committed through a super-journal (store.db-mj…) that a commit failing
    on a full disk left behind, after a traceback. As on the command line
    and in the app, the import is the first write of its connection."""
    db = tmp_path / "store.db"
    with open_store(db) as store:
        set_setting(store, "import_workers", 2, actor=SYSTEM)
        import_file(store, write_csv(tmp_path / "first.csv", people(5)), source="s", actor=SYSTEM,
                    today=TODAY)  # fmt: skip
        before = state(store)
    big = write_csv(tmp_path / "big.csv", people(3000))
    with open_store(db) as store:
        with (
            disk_fills_at(1_500_000),
            pytest.raises(DiskFullError, match=r"store\.db: the disk is full"),
        ):
            import_file(store, big, source="t", actor=SYSTEM, today=TODAY)
        assert sorted(p.name for p in tmp_path.iterdir() if "-mj" in p.name) == []
        assert state(store) == before
        assert store.conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert not staging_root(db).exists()


def test_a_store_that_cannot_grow_refuses_the_import_with_a_clear_error(tmp_path):
    db = tmp_path / "store.db"
    with open_store(db) as store:
        import_file(store, write_csv(tmp_path / "first.csv", people(5)), source="s", actor=SYSTEM,
                    today=TODAY)  # fmt: skip
        before = state(store)
        pages = store.conn.execute("pragma page_count").fetchone()[0]
        store.conn.execute(f"pragma max_page_count = {pages + 2}")  # "database or disk is full"
        with pytest.raises(DiskFullError, match=r"database or disk is full\); nothing was written"):
            import_file(store, write_csv(tmp_path / "big.csv", people(2000)), source="t",
                        actor=SYSTEM, today=TODAY)  # fmt: skip
        assert state(store) == before
    assert not staging_root(db).exists()


def test_a_full_disk_while_staging_is_the_same_clear_error(tmp_path, monkeypatch):
    open_scratch = chunks.open_scratch

    def small(path: str, *, create: bool = False) -> sqlite3.Connection:
        conn = open_scratch(path, create=create)
        conn.execute("pragma max_page_count = 20")
        return conn

    monkeypatch.setattr(ingest, "open_scratch", small)
    db = tmp_path / "store.db"
    with open_store(db) as store:
        with pytest.raises(DiskFullError, match="the disk is full"):
            import_file(store, write_csv(tmp_path / "big.csv", people(2000)), source="t",
                        actor=SYSTEM, today=TODAY)  # fmt: skip
        assert store.count("source_records") == 0
    assert not staging_root(db).exists()
