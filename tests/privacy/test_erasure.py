"""Erasure: the person's data is gone from every table and from the file's
bytes (WAL included), the trail still verifies, everyone else is intact."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from core import trail
from core.actors import Actor
from core.errors import ConflictError, DiskFullError, InputError, PermissionDenied
from core.ingest.importer import import_file
from core.matching.runs import run_match
from core.privacy.erasure import ERASED, erase_subject
from core.quality.kpis import compute
from core.stewardship.customers import customer_of, get
from core.stewardship.merge import claim
from core.stewardship.picks import edit
from core.store import open_store
from tests.conftest import PERSON, PERSON_HEADER, ROOT, record, run_cli, write_csv

ADMIN = Actor("admin", "admin")
WANG = Actor("wang.fang", "steward")
NEEDLES = [
    PERSON["name"].encode(),
    json.dumps(PERSON["name"]).strip('"').encode(),  # \\u-escaped, as some JSON holds it
    b"13912345678",
    b"139 1234 5678",
    PERSON["email"].encode(),
    PERSON["address"].encode(),
]


def file_bytes(store) -> bytes:
    wal = store.path.with_name(store.path.name + "-wal")
    return store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_after_an_erasure_no_byte_of_the_file_or_its_wal_holds_the_person(subject, store):
    assert [n for n in NEEDLES if n in file_bytes(store)] != []  # the scan can find them
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    assert done.vacuumed and done.wal_truncated and done.records == 2
    left = [n for n in [*NEEDLES, b"ouyang.nn@126.com"] if n in file_bytes(store)]
    assert left == []


def test_the_trail_still_verifies_and_a_tombstone_records_the_erasure(subject, store):
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    check = trail.verify(store.conn)
    assert check.ok, check.problem
    tomb = trail.entries_for(store.conn, "customer", subject)[-1]
    assert (tomb.action, tomb.seq, tomb.reason) == (
        "erase",
        done.audit_seq,
        "PIPL request 2026-118",
    )
    removed = trail.payload(store.conn, tomb.seq)["payloads_removed"]
    assert len(removed) == done.payloads_removed > 0
    assert all(trail.payload(store.conn, s) is None for s in removed)
    register = store.conn.execute("select customer_id, actor, audit_seq from erasures").fetchall()
    assert register == [(subject, "admin", done.audit_seq)]


def test_a_payload_deleted_without_an_erasure_is_still_caught(subject, store):
    erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    seq = store.conn.execute(
        "select max(l.seq) from audit_log l join audit_payloads p on p.seq = l.seq "
        "where l.action = 'import'"
    ).fetchone()[0]
    store.conn.execute("delete from audit_payloads where seq = ?", (seq,))
    store.conn.commit()
    check = trail.verify(store.conn)
    assert not check.ok and check.bad_seq == seq


def test_everything_about_the_person_is_blank_and_everyone_else_is_intact(subject, store):
    conn = store.conn
    others_before = conn.execute(
        "select id, name, mobile, raw_cells from source_records where source_record_id like 'o%' "
        "order by id"
    ).fetchall()
    records = get(conn, subject).members
    counted = compute(store).all
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    marks = ",".join("?" * len(records))
    rows = conn.execute(f"select name, mobile, email, erased, raw_cells from source_records "
                        f"where id in ({marks})", records).fetchall()  # fmt: skip
    assert all(r[:4] == (None, None, None, 1) for r in rows)
    assert all(set(json.loads(r[4])) == {""} for r in rows)
    std = conn.execute(f"select name, name_key, mobile, email from standardized "
                       f"where record_id in ({marks})", records).fetchall()  # fmt: skip
    assert set(std) == {("", "", "", "")}
    assert get(conn, subject).values == () or all(v.value == "" for v in get(conn, subject).values)
    pairs = conn.execute(f"select count(*) from match_pairs where record_id_l in ({marks}) "
                         f"or record_id_r in ({marks})", [*records, *records]).fetchone()[0]  # fmt: skip
    assert pairs == 0
    quarantined = [t for (t,) in conn.execute("select raw_text from quarantine")]
    assert any(ERASED in t for t in quarantined) and done.quarantine_rows_redacted == 1
    assert not any("1234-5678" in t for t in quarantined)
    assert (
        conn.execute(
            "select id, name, mobile, raw_cells from source_records where source_record_id like 'o%' "
            "order by id"
        ).fetchall()
        == others_before
    )
    after = compute(store).all
    assert after.records == counted.records  # the rows stay, their values are gone
    assert after.fields["email"].record_completeness < counted.fields["email"].record_completeness
    run_match(store)  # blank records do not break matching


def test_a_steward_note_mentioning_the_person_is_redacted_and_reasons_are_counted(subject, store):
    zhao = customer_of(store.conn, record(store, "h2"))
    edit(store, zhao, "title", "经理", WANG, reason="回访 13912345678 时得知")
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    notes = [n for (n,) in store.conn.execute("select note from decisions")]
    assert not any("13912345678" in n for n in notes)
    # a reason is part of the hash chain: it stays, and the erasure says so
    assert done.reasons_mentioning == 1


def test_erasure_needs_an_admin_and_a_reason_without_the_persons_data(subject, store):
    with pytest.raises(PermissionDenied, match="may not"):
        erase_subject(store, WANG, subject, "PIPL request 2026-118")
    with pytest.raises(InputError, match="needs a reason"):
        erase_subject(store, ADMIN, subject, "  ")
    with pytest.raises(InputError, match="contains the person's own data"):
        erase_subject(store, ADMIN, subject, "erase 13912345678 please")
    assert store.conn.execute("select count(*) from erasures").fetchone()[0] == 0


def test_erasure_is_refused_while_a_proposal_with_the_person_is_claimed(subject, store, tmp_path):
    import_file(store, write_csv(tmp_path / "again.csv", [PERSON_HEADER, ["x1", PERSON["name"],
                PERSON["mobile"], "", "", ""]]), source="门店登记", actor=Actor("t", "system"),
                id_column="id")  # fmt: skip
    run_match(store)
    pid = store.conn.execute(
        "select p.id from proposals p join proposal_members m on m.proposal_id = p.id "
        "where p.status = 'open' and m.record_id = ?",
        (record(store, "x1"),),
    ).fetchone()[0]
    claim(store, pid, WANG)
    before = file_bytes(store)
    with pytest.raises(ConflictError, match=f"proposal {pid} is claimed by wang.fang"):
        erase_subject(store, ADMIN, customer_of(store.conn, record(store, "x1")), "PIPL 7")
    assert PERSON["email"].encode() in before
    assert store.conn.execute("select count(*) from erasure_in_progress").fetchone()[0] == 0


def test_source_records_stay_immutable_outside_an_erasure(subject, store):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        store.conn.execute("update source_records set name = 'x' where id = 1")


def test_the_erase_command_runs_as_a_real_process(subject, store):
    from core.users import add_user

    add_user(store, "root.admin", "admin", "s3cret-pass")
    path = store.path
    store.close()
    done = run_cli("subject", "erase", "--db", str(path), "--actor", "root.admin", "--customer",
                   str(subject), "--reason", "PIPL request 2026-118")  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["records"] == 2 and result["wal_truncated"] is True
    with open_store(path) as s:
        assert trail.verify(s.conn).ok
        assert not any(n in file_bytes(s) for n in NEEDLES)
    missing = run_cli("subject", "erase", "--db", str(path), "--actor", "root.admin",
                      "--customer", "99999", "--reason", "x")  # fmt: skip
    assert missing.returncode == 2 and "customer 99999 does not exist" in missing.stderr


# -- the person's other customers, and other customers' history --------------------------


def again_elsewhere(store, tmp_path) -> int:
    """The person imported once more, from another channel, with no match run
    since: a customer of their own. Returns it."""
    rows = [PERSON_HEADER, ["x1", PERSON["name"], PERSON["mobile"], PERSON["email"],
                            PERSON["address"], ""]]  # fmt: skip
    import_file(store, write_csv(tmp_path / "again.csv", rows), source="门店登记",
                actor=Actor("t", "system"), id_column="id")  # fmt: skip
    return customer_of(store.conn, record(store, "x1"))


def test_an_erasure_is_refused_until_every_customer_sharing_an_identifier_is_decided(
    subject, store, tmp_path
):
    other = again_elsewhere(store, tmp_path)
    with pytest.raises(
        InputError, match=rf"nobody has decided on: {other} \(email, mobile\)"
    ) as no:
        erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    assert "--include" in str(no.value)
    assert not any(v in str(no.value) for v in (PERSON["mobile"], PERSON["email"], PERSON["name"]))
    assert store.conn.execute("select count(*) from erasures").fetchone()[0] == 0
    with pytest.raises(InputError, match="both to be erased and to be kept"):
        erase_subject(store, ADMIN, subject, "PIPL 1", include=[other], exclude=[other])


def test_the_persons_other_customer_included_is_erased_with_them_down_to_the_bytes(
    subject, store, tmp_path
):
    other = again_elsewhere(store, tmp_path)
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118", include=[other])
    assert (done.records, done.included, done.excluded) == (3, (other,), ())
    assert [n for n in NEEDLES if n in file_bytes(store)] == []
    assert trail.verify(store.conn).ok
    tomb = trail.payload(store.conn, done.audit_seq)
    assert tomb["included"] == [other]
    assert other in trail.entries_for(store.conn, "customer", other)[-1].objects()["customer"]


def test_a_customer_the_admin_excludes_keeps_its_record(subject, store, tmp_path):
    other = again_elsewhere(store, tmp_path)
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118", exclude=[other])
    assert (done.records, done.excluded) == (2, (other,))
    kept = store.conn.execute("select name, mobile, erased from source_records where id = ?",
                              (record(store, "x1"),)).fetchone()  # fmt: skip
    assert kept == (PERSON["name"], PERSON["mobile"], 0)


def test_erasing_a_throwaway_record_redacts_another_customers_history_and_keeps_its_undo(
    store, tmp_path
):
    from core.stewardship.merge import approve
    from core.stewardship.unmerge import unmerge

    rows = [["id", "姓名", "手机", "邮箱"], ["y1", "李娜", "13800001111", "li.na@163.com"],
            ["y2", "李娜", "138 0000 1111", "li.na@163.com"], ["t1", "测试", "13955556666", ""]]  # fmt: skip
    import_file(store, write_csv(tmp_path / "a.csv", rows), source="官网表单",
                actor=Actor("t", "system"), id_column="id")  # fmt: skip
    y1, y2, t1 = (record(store, s) for s in ("y1", "y2", "t1"))
    first = customer_of(store.conn, y1)
    edit(store, first, "mobile", "13955556666", WANG, reason="客户来电告知")
    run_match(store)
    (pid,) = store.conn.execute(
        "select proposal_id from proposal_members m join proposals p on p.id = m.proposal_id "
        "where p.status = 'open' and m.record_id = ?", (y1,)).fetchone()  # fmt: skip
    merged = approve(store, pid, WANG).customer_id
    history = trail.entries_for(store.conn, "customer", first) + trail.entries_for(
        store.conn, "customer", merged)  # fmt: skip
    seqs = sorted({e.seq for e in history if e.action in ("edit", "merge")})
    assert len(seqs) == 2 and all("13955556666" in json.dumps(trail.payload(store.conn, s))
                                  for s in seqs)  # fmt: skip
    details = dict(store.conn.execute("select id, detail from decisions"))

    done = erase_subject(store, ADMIN, customer_of(store.conn, t1), "PIPL 9", exclude=[merged])
    assert done.payloads_redacted == 2 and done.records == 1
    for seq in seqs:  # the other customer's history is still there, without the number
        kept = trail.payload(store.conn, seq)
        assert kept is not None and "13955556666" not in json.dumps(kept)
        assert ERASED in json.dumps(kept, ensure_ascii=False)
    assert trail.payload(store.conn, seqs[0])["field"] == "mobile"
    after = dict(store.conn.execute("select id, detail from decisions"))
    assert set(after) == set(details)  # no decision lost its undo record ...
    for d, text in after.items():  # ... each is whole JSON, only the number redacted
        now, was = json.loads(text), json.loads(details[d])
        assert now.keys() == was.keys() and "13955556666" not in text
        assert now.get("members") == was.get("members")
    assert trail.verify(store.conn).ok
    redacted = trail.payload(store.conn, done.audit_seq)["payloads_redacted"]
    assert sorted(int(s) for s in redacted) == seqs
    assert unmerge(store, merged, WANG).kind == "unmerge"  # the undo still works
    assert customer_of(store.conn, y1) != customer_of(store.conn, y2)


def test_a_redacted_payload_changed_afterwards_is_still_caught(store, tmp_path):
    rows = [["id", "姓名", "手机"], ["y1", "李娜", "13800001111"], ["t1", "测试", "13955556666"]]
    import_file(store, write_csv(tmp_path / "a.csv", rows), source="官网表单",
                actor=Actor("t", "system"), id_column="id")  # fmt: skip
    mine = customer_of(store.conn, record(store, "y1"))
    edit(store, mine, "mobile", "13955556666", WANG, reason="来电")
    seq = trail.entries_for(store.conn, "customer", mine)[-1].seq
    erase_subject(store, ADMIN, customer_of(store.conn, record(store, "t1")), "PIPL 9",
                  exclude=[mine])  # fmt: skip
    assert trail.verify(store.conn).ok
    store.conn.execute("delete from audit_payloads where seq = ?", (seq,))
    store.conn.execute("insert into audit_payloads values (?, '{}')", (seq,))
    store.conn.commit()
    check = trail.verify(store.conn)
    assert not check.ok and check.bad_seq == seq and "payload was changed" in check.problem


def test_the_erase_command_lists_the_undecided_customers_and_takes_include_and_exclude(
    subject, store, tmp_path
):
    from core.users import add_user

    other = again_elsewhere(store, tmp_path)
    add_user(store, "root.admin", "admin", "s3cret-pass")
    path = store.path
    store.close()
    args = ("subject", "erase", "--db", str(path), "--actor", "root.admin", "--customer",
            str(subject), "--reason", "PIPL request 2026-118")  # fmt: skip
    refused = run_cli(*args)
    assert refused.returncode == 2
    assert f"nobody has decided on: {other} (email, mobile)" in refused.stderr
    assert PERSON["mobile"] not in refused.stderr and PERSON["name"] not in refused.stderr
    done = run_cli(*args, "--include", str(other))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["records"] == 3 and result["included"] == [other]


# -- a full disk --------------------------------------------------------------------------


def _no_bigger_than(limit: int) -> None:
    """Writes past ``limit`` bytes of any file fail (EFBIG instead of a
    SIGXFSZ kill): a disk with that little room left, for this process."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


@contextmanager
def disk_full_beyond(limit: int) -> Iterator[None]:
    import resource
    import signal

    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.getsignal(signal.SIGXFSZ)
    _no_bigger_than(limit)
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
        signal.signal(signal.SIGXFSZ, handler)


def roomy_enough_to_commit(store) -> int:
    """A limit that lets the erasure's transaction reach the (emptied) WAL
    but not the vacuum and checkpoint that rewrite the file after it."""
    store.conn.execute("pragma wal_checkpoint(truncate)")
    return store.path.stat().st_size // 2


def test_a_full_disk_after_the_commit_is_reported_with_what_was_committed(subject, store):
    from core.privacy.erasure import compact

    with disk_full_beyond(roomy_enough_to_commit(store)):
        done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    assert not done.vacuumed and not done.wal_truncated and done.compact_problem
    assert done.records == 2 and done.payloads_removed > 0  # what was committed
    assert store.conn.execute("select customer_id from erasures").fetchall() == [(subject,)]
    assert trail.verify(store.conn).ok
    again = compact(store)  # once there is room
    assert again.vacuumed and again.wal_truncated and again.problem == ""
    assert [n for n in NEEDLES if n in file_bytes(store)] == []


def test_a_disk_too_full_to_commit_erases_nothing_and_says_so(subject, store):
    store.conn.execute("pragma wal_checkpoint(truncate)")
    before = store.conn.execute("select count(*) from source_records where erased = 1").fetchone()
    with disk_full_beyond(2048), pytest.raises(DiskFullError, match="nothing was erased"):
        erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    assert store.conn.execute("select count(*) from erasures").fetchone()[0] == 0
    after = store.conn.execute("select count(*) from source_records where erased = 1").fetchone()
    assert before == after and trail.verify(store.conn).ok


def test_the_erase_command_on_a_full_disk_ends_with_a_message_and_what_it_committed(subject, store):
    from core.users import add_user

    add_user(store, "root.admin", "admin", "s3cret-pass")
    limit = roomy_enough_to_commit(store)
    path = store.path
    store.close()
    done = subprocess.run(
        [sys.executable, "-m", "core", "subject", "erase", "--db", str(path), "--actor",
         "root.admin", "--customer", str(subject), "--reason", "PIPL request 2026-118"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        preexec_fn=lambda: _no_bigger_than(limit),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"error: the erasure of customer {subject} was committed")
    assert f"python -m core subject compact --db {path}" in done.stderr
    committed = json.loads(done.stdout.splitlines()[-1])
    assert committed["records"] == 2 and committed["vacuumed"] is False
    finish = run_cli("subject", "compact", "--db", str(path))
    assert finish.returncode == 0, finish.stderr
    assert json.loads(finish.stdout.splitlines()[-1])["vacuumed"] is True
    with open_store(path) as s:
        assert not any(n in file_bytes(s) for n in NEEDLES) and trail.verify(s.conn).ok


# -- the erasure register outside the store ---------------------------------------------


def test_every_erasure_is_written_to_a_register_outside_the_store_with_ids_only(subject, store):
    from core.privacy.erasure import register_path, registered

    book = register_path(store.path)
    book.write_text('{"at": "2026-', encoding="utf-8")  # a torn line: it never committed
    done = erase_subject(store, ADMIN, subject, "PIPL request 2026-118")
    assert book == store.path.with_name("store.db.erasures.jsonl")
    (entry,) = registered(book)
    assert (entry.customer_id, entry.audit_seq, entry.actor, entry.reason) == (
        subject, done.audit_seq, "admin", "PIPL request 2026-118")  # fmt: skip
    assert set(entry.records) == {record(store, "w1"), record(store, "h1")}
    assert not any(n in book.read_bytes() for n in NEEDLES)


def test_an_erasure_whose_register_cannot_be_written_erases_nothing(subject, store, tmp_path):
    with pytest.raises(InputError, match="cannot be written .*nothing was erased"):
        erase_subject(store, ADMIN, subject, "PIPL request 2026-118", register=tmp_path)
    assert store.conn.execute("select count(*) from erasures").fetchone()[0] == 0
    assert store.conn.execute("select count(*) from source_records where erased = 1").fetchone() \
        == (0,)  # fmt: skip
