"""Approving, rejecting, claiming and auto-merging proposals."""

from __future__ import annotations

import re

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import ConflictError, InputError, PermissionDenied
from core.matching.runs import run_match
from core.stewardship.customers import customer_of, get
from core.stewardship.merge import approve, auto_merge, claim, reject
from core.store import Store

WANG = Actor("wang.fang", "steward")
LI = Actor("li.na", "steward")


def open_proposal(store: Store, size: int = 2) -> tuple[int, int, list[int]]:
    pid, version = store.conn.execute(
        "select id, version from proposals where status = 'open' and size = ? order by id limit 1",
        (size,),
    ).fetchone()
    members = [r for (r,) in store.conn.execute(
        "select record_id from proposal_members where proposal_id = ? order by record_id", (pid,)
    )]  # fmt: skip
    return pid, version, members


def test_approving_joins_the_records_into_a_new_customer_and_retires_their_own(matched):
    pid, version, members = open_proposal(matched, 3)
    old = [customer_of(matched.conn, r) for r in members]
    done = approve(matched, pid, WANG, expected_version=version, note="same person")
    customer = get(matched.conn, done.customer_id)
    assert customer.members == tuple(members) and customer.status == "active"
    assert all(get(matched.conn, c).status == "retired" for c in old)
    assert {v.record_id for v in customer.values} <= set(members)
    assert (
        matched.conn.execute("select status from proposals where id = ?", (pid,)).fetchone()[0]
        == "approved"
    )
    musts = matched.conn.execute("select count(*) from links where kind = 'must'").fetchone()[0]
    assert musts == 3  # every pair of the three records
    assert trail.verify(matched.conn).ok


def test_records_left_out_are_cannot_linked_and_stay_on_their_own(matched):
    pid, version, members = open_proposal(matched, 3)
    done = approve(matched, pid, WANG, exclude=[members[0]], expected_version=version)
    assert get(matched.conn, done.customer_id).members == tuple(members[1:])
    assert customer_of(matched.conn, members[0]) not in (done.customer_id,)
    cannot = matched.conn.execute(
        "select record_id_l, record_id_r from links where kind = 'cannot' order by 1, 2"
    ).fetchall()
    assert cannot == sorted((min(members[0], r), max(members[0], r)) for r in members[1:])


def test_leaving_out_all_but_one_record_is_refused_with_the_way_out(matched):
    pid, version, members = open_proposal(matched, 2)
    with pytest.raises(InputError, match="fewer than two records; reject it instead"):
        approve(matched, pid, WANG, exclude=[members[0]], expected_version=version)
    assert matched.conn.execute("select count(*) from decisions").fetchone()[0] == 0


def test_a_pick_must_be_one_of_the_records_values(matched):
    pid, version, members = open_proposal(matched, 2)
    with pytest.raises(InputError, match=r"pick name='Nobody' is not one of the records' values"):
        approve(matched, pid, WANG, picks={"name": "Nobody"}, expected_version=version)
    names = [get(matched.conn, customer_of(matched.conn, r)).value("name") for r in members]
    done = approve(matched, pid, WANG, picks={"name": names[-1]}, expected_version=version)
    name = next(v for v in get(matched.conn, done.customer_id).values if v.field == "name")
    assert (name.value, name.rule, name.chosen_by) == (names[-1], "manual", "wang.fang")


def test_the_second_steward_to_decide_gets_a_conflict_naming_the_first(matched):
    pid, version, _ = open_proposal(matched)
    approve(matched, pid, WANG, expected_version=version)
    with pytest.raises(ConflictError, match=r"changed by wang\.fang at .*reload"):
        reject(matched, pid, LI, expected_version=version)


def test_a_claimed_proposal_is_refused_to_others_until_the_claim_ends(matched):
    pid, version, _ = open_proposal(matched)
    until = claim(matched, pid, WANG)
    with pytest.raises(ConflictError, match=re.escape(f"claimed by wang.fang until {until}")):
        approve(matched, pid, LI, expected_version=version)
    matched.conn.execute("update proposals set claimed_until = '2000-01-01' where id = ?", (pid,))
    matched.conn.commit()
    assert approve(matched, pid, LI, expected_version=version).kind == "merge"


def test_claiming_a_proposal_one_already_holds_writes_nothing(matched):
    pid, _, _ = open_proposal(matched)
    entries = matched.count("audit_log")
    until = claim(matched, pid, WANG)
    assert matched.count("audit_log") == entries + 1
    assert claim(matched, pid, WANG) == until  # again, while it lasts: the same claim
    assert matched.count("audit_log") == entries + 1
    matched.conn.execute("update proposals set claimed_until = '2000-01-01' where id = ?", (pid,))
    matched.conn.commit()
    assert claim(matched, pid, WANG) > "2000-01-01"  # expired: claimed anew, and audited
    assert matched.count("audit_log") == entries + 2


def test_a_rejected_pair_is_not_proposed_again_after_rematching(matched):
    pid, version, members = open_proposal(matched, 2)
    reject(matched, pid, WANG, expected_version=version, note="父子")
    run_match(matched, retrain=True)
    again = matched.conn.execute(
        "select count(*) from proposals p where status = 'open' and "
        "(select count(*) from proposal_members m where m.proposal_id = p.id "
        f"and m.record_id in ({members[0]}, {members[1]})) = 2"
    ).fetchone()[0]
    assert again == 0


def test_auto_merge_approves_the_auto_band_as_the_system_and_skips_claims(matched):
    open_auto = matched.conn.execute(
        "select id from proposals where status = 'open' and band = 'auto' order by id"
    ).fetchall()
    claim(matched, open_auto[0][0], WANG)
    done = auto_merge(matched)
    assert len(done) == len(open_auto) - 1
    roles = {r for (r,) in matched.conn.execute("select distinct role from decisions")}
    assert roles == {"system"}
    assert (
        matched.conn.execute(
            "select status from proposals where id = ?", (open_auto[0][0],)
        ).fetchone()[0]
        == "open"
    )


@pytest.mark.parametrize("role", ["manager", "auditor", "admin"])
def test_roles_that_do_not_steward_may_not_merge(matched, role):
    pid, version, _ = open_proposal(matched)
    with pytest.raises(PermissionDenied, match="may not merge; allowed roles: steward"):
        approve(matched, pid, Actor("someone", role), expected_version=version)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        auto_merge(matched, Actor("someone", role))  # type: ignore[arg-type]


def test_the_system_may_auto_merge_but_not_reject(matched):
    pid, version, _ = open_proposal(matched)
    with pytest.raises(PermissionDenied):
        reject(matched, pid, SYSTEM, expected_version=version)


def test_a_merge_that_fails_its_validation_leaves_nothing_behind(matched, monkeypatch):
    import core.stewardship.merge as merging
    from core.errors import IntegrityError

    pid, version, members = open_proposal(matched)
    counts = {t: matched.count(t) for t in ("customers", "decisions", "links", "audit_log")}

    def broken(conn, customers):  # what a bug in a survivorship rule would look like
        raise IntegrityError(f"customer {customers[0]}: name 'x' comes from record 0")

    monkeypatch.setattr(merging, "validate", broken)
    with pytest.raises(IntegrityError, match="comes from record 0"):
        approve(matched, pid, WANG, expected_version=version)
    assert {t: matched.count(t) for t in counts} == counts
    assert [customer_of(matched.conn, r) for r in members] == members  # still their own
    assert (
        matched.conn.execute("select status from proposals where id = ?", (pid,)).fetchone()[0]
        == "open"
    )
