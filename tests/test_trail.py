"""The audit trail: every change is chained, and any tampering is found."""

from __future__ import annotations

import json

import pytest

from core import trail as chain
from core.actors import Actor
from core.stewardship.merge import approve, reject
from tests.conftest import run_cli
from tests.stewardship.test_merge import WANG, open_proposal


@pytest.fixture
def trail(matched):
    """A store with an import, a match, a merge and a reject in its trail."""
    first = open_proposal(matched, 2)
    approve(matched, first[0], WANG, expected_version=first[1], note="同一人")
    second = open_proposal(matched, 2)
    reject(matched, second[0], WANG, expected_version=second[1])
    return matched


def raw(conn, sql: str, *params) -> None:
    """Tamper below the engine: drop the guard triggers and change a row."""
    conn.execute("pragma foreign_keys = off")
    conn.execute("drop trigger if exists audit_log_no_update")
    conn.execute("drop trigger if exists audit_log_no_delete")
    conn.execute("drop trigger if exists audit_payloads_no_update")
    conn.execute(sql, params)
    conn.commit()


def test_an_intact_trail_verifies_and_names_its_head(trail):
    result = chain.verify(trail.conn)
    actions = [a for (a,) in trail.conn.execute("select action from audit_log order by seq")]
    assert result.ok and result.entries == len(actions)
    assert actions == ["import", "match", "merge", "reject"]
    assert result.head == chain.head(trail.conn)


def test_the_engine_refuses_to_change_or_delete_an_entry(trail):
    with pytest.raises(Exception, match="append-only"):
        trail.conn.execute("update audit_log set reason = 'x' where seq = 3")
    with pytest.raises(Exception, match="append-only"):
        trail.conn.execute("delete from audit_log where seq = 3")
    with pytest.raises(Exception, match="never changed"):
        trail.conn.execute("update audit_payloads set payload = '{}' where seq = 3")


@pytest.mark.parametrize(
    ("tamper", "bad", "problem"),
    [
        ("update audit_log set reason = '不同' where seq = 3", 3, "fields do not match"),
        ("update audit_log set actor = 'li.na' where seq = 2", 2, "fields do not match"),
        ("update audit_payloads set payload = '{\"before\":{}}' where seq = 3", 3,
         "payload was changed"),
        ("delete from audit_payloads where seq = 4", 4, "payload was deleted"),
        ("delete from audit_log where seq = 2", 2, "entry 2 is missing"),
        ("delete from audit_log where seq = 4", None, ""),  # the newest: see the next test
    ],
    ids=["reason", "actor", "payload-changed", "payload-deleted", "entry-deleted", "head"],
)  # fmt: skip
def test_a_changed_or_deleted_entry_or_payload_is_found(trail, tamper, bad, problem):
    raw(trail.conn, tamper)
    result = chain.verify(trail.conn)
    if bad is None:  # the head entry removed, its payload left: an orphan payload
        assert not result.ok and result.bad_seq == 4 and "has no entry" in result.problem
        return
    assert not result.ok and result.bad_seq == bad and problem in result.problem


def test_reordered_entries_are_found(trail):
    rows = trail.conn.execute("select * from audit_log where seq in (2, 3) order by seq").fetchall()
    cols = [d[1] for d in trail.conn.execute("pragma table_info(audit_log)")][1:]
    sets = ", ".join(f"{c} = ?" for c in cols)
    raw(trail.conn, f"update audit_log set {sets} where seq = 2", *rows[1][1:])
    raw(trail.conn, f"update audit_log set {sets} where seq = 3", *rows[0][1:])
    result = chain.verify(trail.conn)
    assert not result.ok and result.bad_seq == 2


def test_history_finds_every_entry_of_an_object(trail):
    decision = trail.conn.execute(
        "select id, customer_id from decisions where kind = 'merge'"
    ).fetchone()
    entries = chain.entries_for(trail.conn, "customer", decision[1])
    assert [e.action for e in entries] == ["merge"] and entries[0].reason == "同一人"
    assert chain.payload(trail.conn, entries[0].seq)["after"]


def test_an_entry_outside_a_transaction_is_refused(trail):
    with pytest.raises(RuntimeError, match="write transaction"):
        chain.append(trail.conn, Actor("x", "steward"), "merge", {})


@pytest.mark.slow
def test_the_cli_prints_the_head_or_names_the_first_bad_entry(trail):
    ok = run_cli("audit", "verify", "--db", str(trail.path))
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[0] == chain.head(trail.conn)
    assert json.loads(ok.stdout.splitlines()[-1])["ok"] is True
    raw(trail.conn, "update audit_log set reason = 'x' where seq = 3")
    bad = run_cli("audit", "verify", "--db", str(trail.path))
    assert bad.returncode == 1 and "audit entry 3" in bad.stderr
    assert json.loads(bad.stdout.splitlines()[-1])["bad_entry"] == 3


def test_an_action_outside_the_closed_set_is_refused_as_a_bug(store):
    with store.write() as db, pytest.raises(RuntimeError, match="'mergd' is not one of"):
        chain.append(db.conn, Actor("wang.fang", "steward"), "mergd", {"customer": [1]})  # type: ignore[arg-type]
    assert store.count("audit_log") == 0


# -- entries cut off the end: the heads the store records, and those kept outside it --------

AUDITOR = Actor("li.audit", "auditor")


def signed(store) -> int:
    """Sign an audit session on the trail so far; returns the signature's seq."""
    from core.assurance.results import sign
    from core.assurance.sessions import get_session, judge, open_session

    sid = open_session(store, AUDITOR, "2000-01-01..2099-12-31", 1, seed=7)
    for item in get_session(store.conn, sid).items:
        judge(store, sid, item.decision_id, "correct", AUDITOR)
    return int(sign(store, sid, AUDITOR).session.head_seq)


def cut_after(conn, seq: int, *, index: bool = True) -> None:
    """Tamper below the engine: delete every entry after ``seq`` with its
    payload (and, unless told not to, its index rows): what is left is a
    valid chain."""
    raw(conn, "delete from audit_payloads where seq > ?", seq)
    if index:
        raw(conn, "delete from audit_index where seq > ?", seq)
    raw(conn, "delete from audit_log where seq > ?", seq)


def later_decisions(store) -> None:
    for _ in range(2):
        pid, version, _ = open_proposal(store, 2)
        reject(store, pid, WANG, expected_version=version)


def test_entries_cut_off_after_a_signed_session_are_found(trail):
    seq = signed(trail)
    later_decisions(trail)
    assert chain.verify(trail.conn).ok and chain.verify(trail.conn).heads_checked >= 2
    cut_after(trail.conn, seq - 1)  # the signature and all that followed
    result = chain.verify(trail.conn)
    assert not result.ok and result.bad_seq == seq
    assert f"signed audit session 1 records entry {seq}, but the trail ends at entry {seq - 1}" \
        in result.problem  # fmt: skip


def test_entries_cut_off_are_found_by_the_index_or_the_erasure_register_left_behind(trail):
    later_decisions(trail)
    last = chain.verify(trail.conn).entries
    cut_after(trail.conn, last - 1, index=False)
    result = chain.verify(trail.conn)
    assert not result.ok and result.bad_seq == last and "the audit index" in result.problem
    raw(trail.conn, "delete from audit_index where seq >= ?", last)
    raw(trail.conn, "insert into erasures (customer_id, record_ids, actor, at, reason, audit_seq) "
                    "values (1, '[]', 'admin', '2026-12-01', 'PIPL 1', ?)", last + 3)  # fmt: skip
    result = chain.verify(trail.conn)
    assert not result.ok and "erasure 1 records entry" in result.problem


def test_a_head_kept_outside_the_store_finds_a_cut_or_a_rewritten_tail(trail):
    later_decisions(trail)
    kept = chain.verify(trail.conn)
    assert chain.verify(trail.conn, expect=[(kept.entries, kept.head)]).ok
    # a rewritten entry 3 with every later hash recomputed is a valid chain again ...
    rows = trail.conn.execute("select * from audit_log where seq >= 3 order by seq").fetchall()
    raw(trail.conn, "delete from audit_log where seq >= 3")
    prev = trail.conn.execute("select hash from audit_log where seq = 2").fetchone()[0]
    for seq, at, actor, role, action, objects, reason, payload_hash, _, _ in rows:
        reason = "不同" if seq == 3 else reason
        digest = chain.entry_hash(seq, at, actor, role, action, objects, reason, payload_hash, prev)
        raw(trail.conn, "insert into audit_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", seq, at,
            actor, role, action, objects, reason, payload_hash, prev, digest)  # fmt: skip
        prev = digest
    assert chain.verify(trail.conn).ok  # nothing in the store can tell ...
    result = chain.verify(trail.conn, expect=[(kept.entries, kept.head)])
    assert not result.ok and result.bad_seq == kept.entries  # ... the head kept outside can
    assert "--expect records entry" in result.problem and "rewritten" in result.problem
    cut_after(trail.conn, kept.entries - 2)
    result = chain.verify(trail.conn, expect=[(kept.entries, kept.head)])
    assert not result.ok and result.bad_seq == kept.entries - 1
    assert "entries after" in result.problem


@pytest.mark.slow
def test_the_cli_prints_an_anchor_and_checks_it_with_expect(trail):
    ok = run_cli("audit", "verify", "--db", str(trail.path))
    anchor = json.loads(ok.stdout.splitlines()[-1])["anchor"]
    assert anchor == f"{chain.verify(trail.conn).entries}:{chain.head(trail.conn)}"
    later_decisions(trail)
    again = run_cli("audit", "verify", "--db", str(trail.path), "--expect", anchor)
    assert again.returncode == 0, again.stderr
    cut_after(trail.conn, int(anchor.split(":")[0]) - 1)
    cut = run_cli("audit", "verify", "--db", str(trail.path), "--expect", anchor)
    assert cut.returncode == 1 and "--expect records entry" in cut.stderr
    bad = run_cli("audit", "verify", "--db", str(trail.path), "--expect", "540")
    assert bad.returncode == 2 and "e.g. --expect 540:" in bad.stderr
