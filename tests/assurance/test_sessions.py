"""Audit sessions: periods, stratified samples reproducible from their seed,
verdicts, sign-off, and what flows back into the matching."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import trail
from core.actors import Actor
from core.assurance.results import flagged_for_unmerge, results, sign
from core.assurance.sessions import (
    STRATA,
    allocate,
    get_session,
    judge,
    open_session,
    parse_period,
    population,
)
from core.clock import utc_now
from core.errors import ConflictError, InputError, PermissionDenied
from core.stewardship.customers import customer_of
from core.stewardship.unmerge import unmerge

WANG = Actor("wang.fang", "steward")
ZHAO = Actor("zhao.min", "auditor")


def this_quarter() -> str:
    today = date.fromisoformat(utc_now()[:10])
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_periods_are_quarters_months_or_ranges_of_days():
    assert parse_period("2026-Q3").start == date(2026, 7, 1)
    assert parse_period("2026q4").end == date(2026, 12, 31)
    assert parse_period("2026-02").end == date(2026, 2, 28)
    r = parse_period("2026-07-01..2026-09-30")
    assert (r.start, r.end) == (date(2026, 7, 1), date(2026, 9, 30))
    for bad in ("2026-Q5", "2026-13", "Q3", "2026-09-30..2026-07-01"):
        with pytest.raises(InputError, match="write a quarter"):
            parse_period(bad)


def test_this_and_last_quarter_are_relative_to_today_across_a_year_boundary():
    assert parse_period("this-quarter", date(2026, 12, 2)).label == "2026-Q4"
    assert parse_period("last-quarter", date(2026, 12, 2)).label == "2026-Q3"
    last = parse_period("LAST-QUARTER", date(2027, 2, 14))
    assert (last.label, last.start, last.end) == ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))


def test_the_population_is_the_decisions_of_the_period_by_stratum(decided):
    pop = population(decided.conn, parse_period(this_quarter()))
    assert {s: len(ids) for s, ids in pop.items()} == {
        "auto_merge": 8, "merge": 6, "reject": 5, "unmerge": 1, "pick": 3, "move": 1}  # fmt: skip
    assert population(decided.conn, parse_period("2001-Q1")) == {s: [] for s in STRATA}


@given(
    sizes=st.dictionaries(st.sampled_from(STRATA), st.integers(0, 400), min_size=1),
    n=st.integers(0, 600),
)
def test_allocation_is_proportional_covers_every_stratum_and_never_overdraws(sizes, n):
    out = allocate(sizes, n)
    total = sum(sizes.values())
    assert sum(out.values()) == min(n, total)
    assert all(0 <= out[s] <= sizes[s] for s in sizes)
    nonempty = [s for s in sizes if sizes[s]]
    if n >= len(nonempty):
        assert all(out[s] >= 1 for s in nonempty)
        # no stratum is more than one item (plus its guaranteed one) from its share,
        # unless it ran out of decisions
        for s in nonempty:
            quota = min(n, total) * sizes[s] / total
            assert out[s] == sizes[s] or out[s] <= max(1, quota + 1)


def test_the_sample_is_stratified_as_allocated_and_reproducible_from_its_seed(decided):
    one = open_session(decided, ZHAO, this_quarter(), 12, seed=42)
    two = open_session(decided, ZHAO, this_quarter(), 12, seed=42)
    three = open_session(decided, ZHAO, this_quarter(), 12, seed=43)
    a, b, c = (get_session(decided.conn, s) for s in (one, two, three))
    assert [i.decision_id for i in a.items] == [i.decision_id for i in b.items]
    assert [i.decision_id for i in a.items] != [i.decision_id for i in c.items]
    want = allocate({s: v["population"] for s, v in a.strata.items()}, 12)
    assert Counter(i.stratum for i in a.items) == Counter({s: k for s, k in want.items() if k})
    assert a.seed == 42 and a.sample_size == 12
    pop = population(decided.conn, a.period)
    assert all(i.decision_id in pop[i.stratum] for i in a.items)


def test_only_the_requested_strata_are_sampled(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 50, strata=["merge", "reject"], seed=1)
    session = get_session(decided.conn, sid)
    assert {i.stratum for i in session.items} == {"merge", "reject"}
    assert len(session.items) == 11  # all 6 merges and 5 rejects: fewer than asked


def test_a_session_without_decisions_or_with_bad_input_is_refused(decided):
    with pytest.raises(InputError, match="no decisions of kinds .* were made in 2001-Q1"):
        open_session(decided, ZHAO, "2001-Q1", 10)
    with pytest.raises(InputError, match="strata \\['merges'\\]: choose among"):
        open_session(decided, ZHAO, this_quarter(), 10, strata=["merges"])
    with pytest.raises(InputError, match="sample size 0"):
        open_session(decided, ZHAO, this_quarter(), 0)
    with pytest.raises(PermissionDenied):
        open_session(decided, WANG, this_quarter(), 10)


def test_an_unrecorded_seed_is_drawn_and_recorded(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 5)
    seed = get_session(decided.conn, sid).seed
    again = open_session(decided, ZHAO, this_quarter(), 5, seed=seed)
    assert [i.decision_id for i in get_session(decided.conn, sid).items] == [
        i.decision_id for i in get_session(decided.conn, again).items]  # fmt: skip


def judge_all(store, sid, wrong=()):
    for item in get_session(store.conn, sid).items:
        bad = item.decision_id in wrong
        judge(store, sid, item.decision_id, "incorrect" if bad else "correct", ZHAO,
              note="两个不同的人" if bad else "")  # fmt: skip


def test_verdicts_are_checked_and_audited(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 6, seed=3)
    item = get_session(decided.conn, sid).items[0]
    with pytest.raises(InputError, match="verdict 'maybe': use one of correct, incorrect, unsure"):
        judge(decided, sid, item.decision_id, "maybe", ZHAO)
    with pytest.raises(InputError, match="a verdict of 'incorrect' needs a note"):
        judge(decided, sid, item.decision_id, "incorrect", ZHAO, note=" ")
    judge(decided, sid, item.decision_id, "unsure", ZHAO, note="记录不全")
    entry = trail.entries_for(decided.conn, "audit_session", sid)[-1]
    assert (entry.action, entry.reason) == ("audit_verdict", "记录不全")
    assert get_session(decided.conn, sid).items[0].verdict == "unsure"


def test_precision_is_estimated_per_stratum_and_for_merges_and_rejects(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 20, seed=9)
    items = get_session(decided.conn, sid).items
    merges = [i.decision_id for i in items if i.stratum in ("auto_merge", "merge")]
    judge_all(decided, sid, wrong=merges[:1])
    found = results(decided.conn, sid)
    assert (found.merges.successes, found.merges.n) == (len(merges) - 1, len(merges))
    rejects = sum(1 for i in items if i.stratum == "reject")
    assert (found.rejects.successes, found.rejects.n) == (rejects, rejects)
    assert [f.decision_id for f in found.findings] == merges[:1]
    assert found.merges.low < found.merges.value < found.merges.high


def test_signing_needs_every_verdict(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 6, seed=3)
    first = get_session(decided.conn, sid).items[0]
    judge(decided, sid, first.decision_id, "correct", ZHAO)
    with pytest.raises(InputError, match="5 items of audit session .* have no verdict yet"):
        sign(decided, sid, ZHAO)
    assert get_session(decided.conn, sid).status == "open"


def test_sign_off_records_the_head_of_a_verified_trail_and_freezes_the_session(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 8, seed=5)
    judge_all(decided, sid)
    signed = sign(decided, sid, ZHAO).session
    head = decided.conn.execute("select seq, hash, action from audit_log order by seq desc "
                                "limit 1").fetchone()  # fmt: skip
    assert (signed.head_seq, signed.head_hash, head[2]) == (head[0], head[1], "audit_session_sign")
    assert signed.verify_ok is True and signed.status == "signed"
    item = signed.items[0]
    with pytest.raises(ConflictError, match="was signed by zhao.min"):
        judge(decided, sid, item.decision_id, "incorrect", ZHAO, note="改主意")
    with pytest.raises(ConflictError):
        sign(decided, sid, ZHAO)


def test_a_broken_trail_is_recorded_as_such_at_sign_off(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 4, seed=5)
    judge_all(decided, sid)
    with decided.write() as db:  # someone edits a payload behind the engine's back
        db.execute("drop trigger audit_payloads_no_update")
        db.execute("update audit_payloads set payload = '{}' where seq = 3")
    assert sign(decided, sid, ZHAO).session.verify_ok is False


def test_incorrect_merges_become_cannot_links_and_are_listed_until_unmerged(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 40, strata=["merge", "auto_merge"], seed=2)
    items = get_session(decided.conn, sid).items
    standing = [
        i.decision_id
        for i in items
        if decided.conn.execute(
            "select undone_by is null from decisions where id = ?", (i.decision_id,)
        ).fetchone()[0]
    ]
    wrong = standing[0]
    judge_all(decided, sid, wrong=[wrong])
    sign(decided, sid, ZHAO)
    flagged = flagged_for_unmerge(decided.conn)
    assert [f.decision_id for f in flagged] == [wrong]
    customer = flagged[0].customer_id
    records = [
        r
        for (r,) in decided.conn.execute(
            "select record_id from customer_members where customer_id = ? order by 1", (customer,)
        )
    ]
    kinds = {k for (k,) in decided.conn.execute(
        f"select kind from links where record_id_l in ({','.join('?' * len(records))})",
        records)}  # fmt: skip
    assert "cannot" in kinds
    unmerge(decided, customer, WANG, note="审计发现")
    assert flagged_for_unmerge(decided.conn) == []
    assert len({customer_of(decided.conn, r) for r in records}) > 1
