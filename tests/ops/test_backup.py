"""Backups and restores: taken while real writer processes commit, checked,
published atomically, rotated, refused when they must be.

The writers come from ``tests/workloads/writers.py`` (the benchmark runs the same
workload, larger): forkserver processes approving and rejecting proposals,
one transaction and one audit entry per write.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import ConflictError, InputError, IntegrityError, PermissionDenied
from core.ingest.importer import import_file
from core.ops.backup import BACKUP_NAME, backup, check_file, restore, rotate
from core.ops.config import set_setting
from core.store import Store, open_store
from core.users import add_user
from tests.conftest import run_cli, write_csv
from tests.workloads.writers import start_writers, writes_in

WRITERS = 3
ADMIN = Actor("zhao.admin", "admin")


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "order by name"
    )]  # fmt: skip


def checksums(path: Path) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256 of every row in a fixed order) per table: an oracle
    independent of the code under test."""
    conn = read_only(path)
    out = {}
    for table in tables(conn):
        width = len(conn.execute(f'select * from "{table}" limit 0').description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        digest, rows = hashlib.sha256(), 0
        for row in conn.execute(f'select * from "{table}" order by {order}'):
            digest.update(repr(row).encode("utf-8"))
            rows += 1
        out[table] = (rows, digest.hexdigest())
    conn.close()
    return out


TRAIL = ("audit_log", "audit_payloads", "audit_index")


def restored_from(restored: Path, backup_file: Path) -> None:
    """The restored store is the backup, table by table and row by row, and
    its trail is the backup's followed by one ``restore`` entry (a restore
    is never silent)."""
    got, want = checksums(restored), checksums(backup_file)
    assert {t: v for t, v in got.items() if t not in TRAIL} == {
        t: v for t, v in want.items() if t not in TRAIL}  # fmt: skip
    mine, theirs = read_only(restored), read_only(backup_file)
    n = theirs.execute("select count(*) from audit_log").fetchone()[0]
    for table in ("audit_log", "audit_payloads"):
        assert mine.execute(f"select * from {table} where seq <= ? order by seq", (n,)).fetchall() \
            == theirs.execute(f"select * from {table} order by seq").fetchall()  # fmt: skip
    after = [a for (a,) in mine.execute("select action from audit_log where seq > ?", (n,))]
    assert after == ["restore"]
    mine.close()
    theirs.close()


def healthy(path: Path) -> trail.Verification:
    conn = read_only(path)
    try:
        assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
        checked = trail.verify(conn)
        assert checked.ok, (checked.bad_seq, checked.problem)
        return checked
    finally:
        conn.close()


def one(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def decided_consistently(conn: sqlite3.Connection) -> None:
    """Every decision is there with its proposal's state and its audit entry."""
    approved = one(conn, "select count(*) from proposals where status = 'approved'")
    rejected = one(conn, "select count(*) from proposals where status = 'rejected'")
    merges = one(conn, "select count(*) from decisions where kind = 'merge'")
    rejects = one(conn, "select count(*) from decisions where kind = 'reject'")
    merge_entries = one(conn, "select count(*) from audit_log where action = 'merge'")
    reject_entries = one(conn, "select count(*) from audit_log where action = 'reject'")
    assert approved == merges == merge_entries
    assert rejected == rejects == reject_entries


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def small(store: Store, tmp_path: Path) -> Store:
    """Three records and a quarantined row."""
    rows = [["id", "姓名", "手机"], ["a1", "张伟", "13812345678"], ["a2", "李娜", "13987654321"],
            ["a3", "王芳", "13600001111"], ["a4", "", ""]]  # fmt: skip
    import_file(store, write_csv(tmp_path / "a.csv", rows), source="官网表单",
                actor=Actor("t", "system"), id_column="id")  # fmt: skip
    return store


# -- under load --------------------------------------------------------------------------


def test_a_backup_taken_while_writers_commit_is_the_store_as_of_one_commit_and_restores_exactly(
    matched: Store, tmp_path: Path
):
    path = matched.path
    folder = tmp_path / "backups"
    load = start_writers(path, WRITERS, think=0.01)
    try:
        load.wait_until_each(3)
        before = load.committed()
        # small steps with a pause: the copy takes long enough for many commits to land
        done = backup(path, folder, SYSTEM, pages_per_step=8, pause=0.005)
        after = load.committed()
    finally:
        load.finish()
    assert after - before >= WRITERS, "writers kept committing while the backup ran"

    # the copy is whole and its trail verifies
    copy = healthy(done.path)
    assert BACKUP_NAME.fullmatch(done.path.name)
    assert files_in(folder) == [done.path.name], "no temporary file is left behind"
    assert (done.entries, done.audit_head) == (copy.entries, copy.head)
    assert done.integrity_ok and done.pages > 0 and done.bytes == done.path.stat().st_size
    assert done.row_counts == {t: n for t, (n, _) in checksums(done.path).items()}
    assert check_file(done.path).row_counts == done.row_counts

    # ... and it is the store as of one commit: the writes counted before it
    # began are in, and its trail is a prefix of the store's
    conn = read_only(done.path)
    in_copy = writes_in(conn)
    assert before <= in_copy <= after + WRITERS
    decided_consistently(conn)
    copy_decisions = conn.execute("select * from decisions order by id").fetchall()
    conn.close()
    source = matched.conn
    assert source.execute("select hash from audit_log where seq = ?",
                          (copy.entries,)).fetchone()[0] == copy.head  # fmt: skip
    last = copy_decisions[-1][0]
    assert source.execute("select * from decisions where id <= ? order by id",
                          (last,)).fetchall() == copy_decisions  # fmt: skip
    assert writes_in(source) > in_copy, "the store went on; the copy did not"
    decided_consistently(source)

    # the backup is recorded in the source, with no customer data
    entry = source.execute("select action, object_ids, actor from audit_log where seq = ?",
                           (done.audit_seq,)).fetchone()  # fmt: skip
    assert entry == ("backup", json.dumps({"backup": [done.path.name]}, separators=(",", ":")),
                     "system")  # fmt: skip
    assert set(trail.payload(source, done.audit_seq)) == {"path", "bytes", "pages", "entries",
                                                          "audit_head"}  # fmt: skip
    assert trail.verify(source).ok

    # restored, it is the backup, table by table and row by row
    back = restore(done.path, tmp_path / "restored.db", ADMIN)
    assert not back.replaced
    restored_from(tmp_path / "restored.db", done.path)
    assert back.row_counts == done.row_counts
    assert (back.entries, back.audit_head) == (done.entries, done.audit_head)
    healthy(tmp_path / "restored.db")
    with open_store(tmp_path / "restored.db", create=False) as restored:
        assert trail.verify(restored.conn).ok


# -- restore -----------------------------------------------------------------------------


def test_restore_refuses_to_overwrite_a_database_unless_forced(small: Store, tmp_path: Path):
    done = backup(small, tmp_path / "b", SYSTEM)
    set_setting(
        small, "claim_minutes", 45, actor=Actor("ops", "system")
    )  # a change after the backup
    before = checksums(small.path)
    with pytest.raises(InputError, match=rf"{re.escape(str(small.path))} already exists.*--force"):
        restore(done.path, small.path, ADMIN)
    assert checksums(small.path) == before
    small.close()

    back = restore(done.path, small.path, ADMIN, force=True)
    assert back.replaced
    restored_from(small.path, done.path)
    with open_store(small.path, create=False) as restored:
        assert restored.settings()["claim_minutes"] == 30, "the later change is gone"
    # no temporary file left; the restore log outside the store is new
    assert files_in(small.path.parent) == sorted(["a.csv", "b", "store.db",
                                                  "store.db.restores.jsonl"])  # fmt: skip


def test_restore_with_force_replaces_a_database_damaged_beyond_opening(
    small: Store, tmp_path: Path
):
    done = backup(small, tmp_path / "b", SYSTEM)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00" * 4096 + b"SQLite format 3\x00" * 64)
    back = restore(done.path, broken, ADMIN, force=True)
    assert back.replaced
    restored_from(broken, done.path)


def test_restore_removes_a_stale_write_ahead_log_so_it_cannot_be_replayed(
    small: Store, tmp_path: Path
):
    done = backup(small, tmp_path / "b", SYSTEM)
    target = tmp_path / "crm.db"
    # another database's live WAL and shared memory, left beside the target's name
    with open_store(tmp_path / "other.db") as other:
        set_setting(other, "claim_minutes", 99, actor=Actor("ops", "system"))
        for side in ("-wal", "-shm"):
            shutil.copy(f"{other.path}{side}", f"{target}{side}")
    assert Path(f"{target}-wal").stat().st_size > 0
    restore(done.path, target, ADMIN)
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()
    restored_from(target, done.path)
    with open_store(target, create=False) as restored:
        assert restored.settings()["claim_minutes"] == 30


def _garbage_page(path: Path) -> None:
    conn = sqlite3.connect(path)
    page = conn.execute("select rootpage from sqlite_master where name = 'source_records'")
    number, size = page.fetchone()[0], conn.execute("pragma page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((number - 1) * size)
        handle.write(b"\xa5" * size)


def _tampered_trail(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("drop trigger audit_log_no_update")
    conn.execute("update audit_log set reason = 'nothing to see' where seq = 1")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_garbage_page, "integrity_check"),
        (_tampered_trail, "audit entry 1: its fields do not match its hash"),
        (
            lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
            "integrity_check|malformed",
        ),
        (
            lambda p: p.write_bytes(b"PK\x03\x04 not a database at all" * 100),
            "not a readable SQLite",
        ),
    ],
    ids=["garbage-page", "tampered-audit-trail", "truncated", "not-sqlite"],
)
def test_a_damaged_backup_file_is_refused_and_nothing_is_restored(
    small: Store, tmp_path: Path, spoil, message
):
    done = backup(small, tmp_path / "b", SYSTEM)
    spoil(done.path)
    target = tmp_path / "restore" / "crm.db"
    with pytest.raises(IntegrityError, match=message) as refused:
        restore(done.path, target, ADMIN)
    assert done.path.name in str(refused.value)
    assert files_in(target.parent) == [], "no database and no temporary file"


@pytest.mark.slow
def test_restore_refuses_to_replace_a_database_another_process_is_writing(
    small: Store, tmp_path: Path
):
    done = backup(small, tmp_path / "b", SYSTEM)
    small.conn.execute("begin immediate")  # a writer in the middle of a transaction
    try:
        with pytest.raises(ConflictError, match=r"store\.db is in use.*Stop the app"):
            restore(done.path, small.path, ADMIN, force=True)
    finally:
        small.conn.execute("rollback")
    assert not [n for n in files_in(tmp_path) if n.endswith(".tmp")]


def test_restore_from_a_missing_file_names_it(tmp_path: Path):
    with pytest.raises(InputError, match=r"nope\.db: no such backup file"):
        restore(tmp_path / "nope.db", tmp_path / "crm.db", ADMIN)


# -- failed backups ----------------------------------------------------------------------


def test_a_backup_whose_check_fails_leaves_no_file_under_the_final_name(
    small: Store, tmp_path: Path
):
    small.conn.execute("drop trigger audit_log_no_update")
    small.conn.execute("update audit_log set reason = 'edited' where seq = 1")
    small.conn.commit()
    entries = small.count("audit_log")
    out = tmp_path / "b" / "nightly.db"
    with pytest.raises(
        IntegrityError, match=rf"nothing was written to {re.escape(str(out))}: .*audit entry 1"
    ):
        backup(small, out, SYSTEM)
    assert files_in(out.parent) == []
    assert small.count("audit_log") == entries, "a refused backup is not recorded as made"


def test_a_backup_interrupted_in_the_middle_of_the_copy_leaves_nothing_behind(
    small: Store, tmp_path: Path
):
    def pull_the_disk(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backup(small, tmp_path / "b", SYSTEM, pages_per_step=1, progress=pull_the_disk)
    assert files_in(tmp_path / "b") == []


def test_a_backup_never_overwrites_a_file_or_the_store_itself(small: Store, tmp_path: Path):
    taken = tmp_path / "taken.db"
    taken.write_text("keep me")
    with pytest.raises(InputError, match=r"taken\.db already exists; give a new file name"):
        backup(small, taken, SYSTEM)
    assert taken.read_text() == "keep me"
    with pytest.raises(InputError, match="is the store itself"):
        backup(small, small.path, SYSTEM)
    with pytest.raises(InputError, match=r"missing\.db: no such database"):
        backup(tmp_path / "missing.db", tmp_path / "b", SYSTEM)


def test_a_backup_folder_that_cannot_be_created_is_named(small: Store, tmp_path: Path):
    (tmp_path / "plain.txt").write_text("a file, not a folder")
    with pytest.raises(InputError, match=r"--out .*plain\.txt/nightly: cannot create the folder"):
        backup(small, tmp_path / "plain.txt" / "nightly", SYSTEM)


# -- rotation ----------------------------------------------------------------------------


def test_rotation_keeps_the_newest_n_backups_and_touches_nothing_else(tmp_path: Path):
    names = ["steward-20260101-021500.db", "steward-20260102-021500.db",
             "steward-20260102-021500-1.db", "steward-20260102-021500-2.db",
             "steward-20260103-021500.db"]  # fmt: skip
    others = ["notes.txt", "steward-latest.db", "crm.db", "steward-20260101-021500.db.bak"]
    for name in names + others:
        (tmp_path / name).write_text(name)
    deleted = rotate(tmp_path, keep=2)
    assert [p.name for p in deleted] == names[:3]
    assert files_in(tmp_path) == sorted(names[3:] + others)
    assert rotate(tmp_path, keep=2) == []
    with pytest.raises(InputError, match="--keep 0: keep at least one backup, e.g. --keep 14"):
        rotate(tmp_path, keep=0)


def test_backups_in_the_same_second_get_distinct_names_and_rotate_newest_last(
    small: Store, tmp_path: Path
):
    made = [backup(small, tmp_path / "b", SYSTEM).path for _ in range(3)]
    assert len(set(made)) == 3
    rotate(tmp_path / "b", keep=2)
    assert files_in(tmp_path / "b") == sorted(p.name for p in made[1:])


# -- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["steward", "manager", "auditor"])
def test_only_an_admin_or_the_system_may_back_up_or_restore(small: Store, tmp_path: Path, role):
    done = backup(small, tmp_path / "b", ADMIN)
    who = Actor("someone", role)
    with pytest.raises(PermissionDenied, match=rf"someone \({role}\) may not backup"):
        backup(small, tmp_path / "c", who)
    with pytest.raises(PermissionDenied, match=rf"someone \({role}\) may not backup"):
        restore(done.path, tmp_path / "r.db", who)
    assert not (tmp_path / "c").exists() and not (tmp_path / "r.db").exists()


# -- the command line, as real processes ---------------------------------------------------


def last_json(proc):
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_backup_with_rotation_and_restore_round_trip_through_the_command_line(
    small: Store, tmp_path: Path
):
    add_user(small, "li.na", "steward", "secret")
    db, folder = str(small.path), tmp_path / "backups"
    made = []
    for _ in range(3):
        proc = run_cli("backup", "--db", db, "--out", str(folder), "--keep", "2")
        assert proc.returncode == 0, proc.stderr
        made.append(last_json(proc))
    assert made[2]["rotated"] == [Path(made[0]["path"]).name]
    assert files_in(folder) == sorted(Path(m["path"]).name for m in made[1:])
    assert made[2]["integrity_ok"] and made[2]["row_counts"]["source_records"] == 3
    newest = made[2]["path"]

    refused = run_cli("restore", "--from", newest, "--db", db)
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: {db} already exists")
    assert "--force" in refused.stderr

    proc = run_cli("restore", "--from", newest, "--db", str(tmp_path / "new.db"))
    assert proc.returncode == 0, proc.stderr
    assert last_json(proc)["row_counts"] == made[2]["row_counts"]
    restored_from(tmp_path / "new.db", Path(newest))

    steward = run_cli("backup", "--db", db, "--out", str(folder), "--actor", "li.na")
    assert steward.returncode == 3 and "li.na (steward) may not backup" in steward.stderr
    steward = run_cli("restore", "--from", newest, "--db", str(tmp_path / "n2.db"),
                      "--actor", "li.na")  # fmt: skip
    assert steward.returncode == 3

    _tampered_trail(Path(newest))
    bad = run_cli("restore", "--from", newest, "--db", str(tmp_path / "n3.db"))
    assert bad.returncode == 1 and "audit entry 1" in bad.stderr
    assert not (tmp_path / "n3.db").exists()


# -- a restore rewrites history: recorded, logged, and erasures stay erased -----------------


def test_a_restore_is_recorded_in_the_restored_trail_and_in_a_log_outside_it(
    small: Store, tmp_path: Path
):
    done = backup(small, tmp_path / "b", SYSTEM)
    set_setting(small, "claim_minutes", 45, actor=Actor("ops", "system"))
    set_setting(small, "dormant_days", 400, actor=Actor("ops", "system"))
    later = write_csv(tmp_path / "later.csv", [["id", "姓名"], ["z1", "赵敏"]])
    import_file(small, later, source="门店登记", actor=Actor("t", "system"), id_column="id")
    head = trail.verify(small.conn)
    small.close()
    back = restore(done.path, small.path, ADMIN, force=True)
    undone = {"entries": head.entries - done.entries, "seqs": [done.entries + 1, head.entries],
              "actions": {"backup": 1, "import": 1, "setting": 2}, "erasures": []}  # fmt: skip
    assert dict(back.undone or {}) == undone
    with open_store(small.path, create=False) as restored:
        entry = trail.entries_for(restored.conn, "backup", done.path.name)[-1]
        assert (entry.seq, entry.action, entry.actor) == (back.audit_seq, "restore", "zhao.admin")
        said = trail.payload(restored.conn, entry.seq)
        assert said["backup_head"] == {"entries": done.entries, "audit_head": done.audit_head}
        assert said["replaced"]["undone"] == undone
        assert said["replaced"]["audit_head"] == head.head  # the head that was replaced
        assert trail.verify(restored.conn).ok
    log = back.log
    assert log == small.path.with_name("store.db.restores.jsonl")
    (line,) = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert (line["restore_seq"], line["actor"], line["from"]) == (
        back.audit_seq, "zhao.admin", str(done.path))  # fmt: skip
    assert line["replaced"]["undone"] == undone and line["erasures_reapplied"] == []


@pytest.fixture
def erased_after_backup(subject: int, store: Store, tmp_path: Path) -> tuple[Path, int, int]:
    """A backup of the subject's store, then the subject's erasure: (backup, customer, tombstone)."""
    from core.privacy.erasure import erase_subject

    done = backup(store, tmp_path / "b", SYSTEM)
    gone = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    store.close()
    return done.path, subject, gone.audit_seq


def person_bytes(path: Path) -> list[bytes]:
    from tests.privacy.test_erasure import NEEDLES

    data = path.read_bytes()
    return [n for n in NEEDLES if n in data]


def test_an_erasure_made_after_the_backup_is_applied_again_by_the_restore(
    erased_after_backup, store: Store
):
    made, customer, tombstone = erased_after_backup
    assert person_bytes(made) != []  # the backup still holds the person
    back = restore(made, store.path, ADMIN, force=True)
    assert back.erasures_reapplied == (tombstone,) and back.undone["erasures"] == [tombstone]
    assert person_bytes(store.path) == []  # ... the restored store does not
    with open_store(store.path, create=False) as restored:
        conn = restored.conn
        actions = [a for (a,) in conn.execute("select action from audit_log order by seq")]
        assert actions[-2:] == ["restore", "erase"]
        again = trail.entries_for(conn, "customer", customer)[-1]
        assert again.reason == "re-applied after a restore: PIPL request 2026-118"
        assert trail.payload(conn, again.seq)["reapplies"] == tombstone
        assert trail.payload(conn, back.audit_seq)["erasures_to_reapply"] == [tombstone]
        assert trail.verify(conn).ok
        assert conn.execute("select count(*) from erasures").fetchone()[0] == 1


def test_the_register_outside_the_store_survives_the_loss_of_the_store(
    erased_after_backup, store: Store
):
    made, _, tombstone = erased_after_backup
    for side in ("", "-wal", "-shm"):  # the disk holding the store is gone, the register is not
        Path(f"{store.path}{side}").unlink(missing_ok=True)
    back = restore(made, store.path, ADMIN)
    assert not back.replaced and back.erasures_reapplied == (tombstone,)
    assert person_bytes(store.path) == []


def test_an_erasure_only_the_replaced_store_knows_is_applied_again_and_registered(
    erased_after_backup, store: Store
):
    from core.privacy.erasure import register_path, registered

    made, _, tombstone = erased_after_backup
    register_path(store.path).unlink()  # lost, or made before the register existed
    back = restore(made, store.path, ADMIN, force=True)
    assert back.erasures_reapplied == (tombstone,) and person_bytes(store.path) == []
    assert [e.audit_seq for e in registered(register_path(store.path))] == [tombstone]


def test_a_damaged_erasure_register_refuses_the_restore_and_changes_nothing(
    erased_after_backup, store: Store
):
    from core.privacy.erasure import register_path

    made, _, _ = erased_after_backup
    with register_path(store.path).open("a", encoding="utf-8") as handle:
        handle.write("not an erasure\n")
    before = checksums(store.path)
    with pytest.raises(IntegrityError, match="line 2 is not an erasure record"):
        restore(made, store.path, ADMIN, force=True)
    assert checksums(store.path) == before
    assert not store.path.with_name("store.db.restores.jsonl").exists()


@pytest.mark.slow
def test_the_restore_command_reports_what_it_undid_and_takes_the_register_for_a_scratch_copy(
    erased_after_backup, store: Store, tmp_path: Path
):
    made, _, tombstone = erased_after_backup
    forced = run_cli("restore", "--from", str(made), "--db", str(store.path), "--force")
    assert forced.returncode == 0, forced.stderr
    result = last_json(forced)
    assert result["erasures_reapplied"] == [tombstone] and result["undone"]["erasures"] == [
        tombstone
    ]
    assert result["log"] == str(store.path.with_name("store.db.restores.jsonl"))
    scratch = tmp_path / "inspect" / "crm.db"
    proc = run_cli("restore", "--from", str(made), "--db", str(scratch), "--erasures",
                   str(store.path.with_name("store.db.erasures.jsonl")))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert last_json(proc)["erasures_reapplied"] == [tombstone] and person_bytes(scratch) == []
