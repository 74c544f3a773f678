"""Unmerge restores the customers a merge joined, exactly."""

from __future__ import annotations

import pytest

from core import trail
from core.errors import ConflictError, InputError
from core.stewardship.customers import customer_of, get
from core.stewardship.merge import approve
from core.stewardship.moves import attach, detach
from core.stewardship.picks import edit, pick
from core.stewardship.unmerge import unmerge
from tests.stewardship.test_merge import WANG, open_proposal


def snapshot(store, records):
    """Every customer of ``records`` as stored: members, values, provenance."""
    customers = sorted({customer_of(store.conn, r) for r in records})
    return {c: (get(store.conn, c).members, get(store.conn, c).values) for c in customers}


def test_unmerging_brings_back_each_customer_exactly(matched):
    pid, version, members = open_proposal(matched, 3)
    # one of the records was already a customer with a steward's edit
    first = customer_of(matched.conn, members[0])
    edit(matched, first, "title", "采购经理", WANG, reason="名片")
    before = snapshot(matched, members)
    done = approve(matched, pid, WANG, expected_version=version)
    pick(matched, done.customer_id, "name", get(matched.conn, done.customer_id).value("name"), WANG)
    undone = unmerge(matched, done.customer_id, WANG, note="two people")
    assert snapshot(matched, members) == before
    assert undone.notes == ()
    assert get(matched.conn, done.customer_id).status == "retired"
    assert trail.verify(matched.conn).ok


def test_unmerging_an_imported_records_own_customer_is_refused(matched):
    loner = matched.conn.execute("select customer_id from customer_members limit 1").fetchone()[0]
    with pytest.raises(InputError, match="was not made by a merge"):
        unmerge(matched, loner, WANG)


def proposal_of(store, records):
    """A proposal over ``records``, as a matching run would write it."""
    conn = store.conn
    run = conn.execute("select max(id) from match_runs").fetchone()[0]
    pid = conn.execute(
        "insert into proposals (run_id, band, score, size, created_at) "
        "values (?, 'review', 0.9, ?, '2026-06-30')",
        (run, len(records)),
    ).lastrowid
    conn.executemany("insert into proposal_members values (?, ?)", [(pid, r) for r in records])
    conn.commit()
    return pid


def test_a_customer_merged_again_must_be_unmerged_from_the_top(matched):
    pid, version, members = open_proposal(matched, 2)
    first = approve(matched, pid, WANG, expected_version=version)
    loner = matched.conn.execute(
        "select m.record_id from customer_members m join customers c on c.id = m.customer_id "
        "where c.created_by_decision is null order by 1 desc limit 1"
    ).fetchone()[0]
    again = approve(matched, proposal_of(matched, [members[0], loner]), WANG)
    assert get(matched.conn, again.customer_id).members == tuple(sorted([*members, loner]))
    with pytest.raises(ConflictError, match=f"decision {again.decision_id}.*undo that first"):
        unmerge(matched, first.customer_id, WANG)
    unmerge(matched, again.customer_id, WANG)
    unmerge(matched, first.customer_id, WANG)
    assert len({customer_of(matched.conn, r) for r in [*members, loner]}) == 3


def test_later_changes_are_kept_or_explained(matched):
    pid, version, members = open_proposal(matched, 3)
    done = approve(matched, pid, WANG, expected_version=version)
    loner = matched.conn.execute(
        "select m.record_id from customer_members m join customers c on c.id = m.customer_id "
        "where c.created_by_decision is null and c.status = 'active' order by 1 desc limit 1"
    ).fetchone()[0]
    attach(matched, loner, done.customer_id, WANG)
    detach(matched, members[0], WANG)
    gone_to = customer_of(matched.conn, members[0])
    undone = unmerge(matched, done.customer_id, WANG)
    text = " ".join(undone.notes)
    assert (
        f"record {loner} was attached" in text and f"records [{members[0]}] were detached" in text
    )
    assert customer_of(matched.conn, members[0]) == gone_to  # the later detach is kept
    assert customer_of(matched.conn, loner) not in (done.customer_id,)
    assert all(get(matched.conn, customer_of(matched.conn, r)).status == "active"
               for r in [*members, loner])  # fmt: skip


def test_the_restored_customers_are_cannot_linked_so_matching_leaves_them_apart(matched):
    pid, version, members = open_proposal(matched, 2)
    done = approve(matched, pid, WANG, expected_version=version)
    unmerge(matched, done.customer_id, WANG)
    kind = matched.conn.execute(
        "select kind from links where record_id_l = ? and record_id_r = ?", members
    ).fetchone()[0]
    assert kind == "cannot"


def test_unmerging_twice_is_a_conflict(matched):
    pid, version, _ = open_proposal(matched, 2)
    done = approve(matched, pid, WANG, expected_version=version)
    unmerge(matched, done.customer_id, WANG)
    with pytest.raises(ConflictError, match="was already unmerged by wang.fang at .*decision"):
        unmerge(matched, done.customer_id, WANG)
