"""A steward's hand on one customer: pick, edit, attach, detach."""

from __future__ import annotations

import pytest

from core import trail
from core.actors import Actor
from core.errors import ConflictError, InputError, PermissionDenied
from core.stewardship.customers import customer_of, get
from core.stewardship.merge import approve
from core.stewardship.moves import attach, detach
from core.stewardship.picks import edit, pick
from tests.stewardship.test_merge import WANG, open_proposal


def merged(store, size=2):
    pid, version, members = open_proposal(store, size)
    return approve(store, pid, WANG, expected_version=version).customer_id, members


def test_a_pick_is_pinned_and_survives_a_recomputation(matched):
    customer, members = merged(matched)
    held = {v.value for v in get(matched.conn, customer).values if v.field == "name"}
    other = [r for r in matched.conn.execute(
        "select s.name from standardized s where s.record_id in (?, ?)", members
    )]  # fmt: skip
    choice = sorted({n for (n,) in other})[-1]
    pick(matched, customer, "name", choice, WANG, note="as on the ID card")
    # attaching a third record recomputes the customer; the pick stays
    loner = matched.conn.execute(
        "select record_id from customer_members m join customers c on c.id = m.customer_id "
        "where c.created_by_decision is null and c.status = 'active' limit 1"
    ).fetchone()[0]
    attach(matched, loner, customer, WANG)
    name = next(v for v in get(matched.conn, customer).values if v.field == "name" and v.is_primary)
    assert (name.value, name.rule, name.reason) == (choice, "manual", "as on the ID card")
    assert held  # the customer had a name before


def test_a_pick_outside_the_records_values_is_refused_pointing_to_edit(matched):
    customer, _ = merged(matched)
    with pytest.raises(InputError, match="to enter a new value, edit it instead"):
        pick(matched, customer, "name", "完全不同", WANG)


def test_an_edit_is_standardized_kept_with_its_reason_and_audited(matched):
    customer, _ = merged(matched)
    done = edit(matched, customer, "mobile", "139 1234 5678", WANG, reason="客户来电更正")
    value = next(v for v in get(matched.conn, customer).values
                 if v.field == "mobile" and v.is_primary)  # fmt: skip
    assert (value.value, value.rule, value.reason, value.record_id) == (
        "+8613912345678",
        "edit",
        "客户来电更正",
        None,
    )
    entry = trail.entries_for(matched.conn, "decision", done.decision_id)[-1]
    assert entry.action == "edit" and entry.reason == "客户来电更正"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mobile", "12345", "mobile '12345' is not valid"),
        ("email", "not-an-address", "email 'not-an-address' is not valid"),
        ("colour", "red", "'colour' is not a golden field"),
        ("name", "  ", "the new name is empty"),
    ],
)
def test_an_edit_that_is_not_a_valid_value_is_refused_naming_it(matched, field, value, message):
    customer, _ = merged(matched)
    before = get(matched.conn, customer)
    with pytest.raises(InputError, match=message):
        edit(matched, customer, field, value, WANG, reason="typo")
    assert get(matched.conn, customer) == before


def test_an_edit_needs_a_reason(matched):
    customer, _ = merged(matched)
    with pytest.raises(InputError, match="an edit needs a reason"):
        edit(matched, customer, "name", "张伟", WANG, reason=" ")


def test_detaching_makes_the_record_a_customer_of_its_own_cannot_linked_to_the_rest(matched):
    customer, members = merged(matched, 3)
    done = detach(matched, members[0], WANG, note="different person")
    assert customer_of(matched.conn, members[0]) == done.customer_id
    assert get(matched.conn, customer).members == tuple(members[1:])
    kinds = {k for (k,) in matched.conn.execute(
        "select kind from links where ? in (record_id_l, record_id_r)", (members[0],))}  # fmt: skip
    assert kinds == {"cannot"}


def test_the_only_record_cannot_be_detached(matched):
    loner = matched.conn.execute("select record_id from customer_members limit 1").fetchone()[0]
    with pytest.raises(InputError, match="only record"):
        detach(matched, loner, WANG)


def test_attaching_the_last_record_of_a_customer_retires_that_customer(matched):
    customer, _ = merged(matched)
    loner = matched.conn.execute(
        "select m.record_id, m.customer_id from customer_members m join customers c "
        "on c.id = m.customer_id where c.created_by_decision is null limit 1"
    ).fetchone()
    attach(matched, loner[0], customer, WANG)
    assert get(matched.conn, loner[1]).status == "retired"
    assert loner[0] in get(matched.conn, customer).members


def test_a_stale_version_is_a_conflict(matched):
    customer, _ = merged(matched)
    version = get(matched.conn, customer).version
    edit(matched, customer, "name", "张伟", WANG, reason="x", expected_version=version)
    with pytest.raises(ConflictError, match="was changed by wang.fang"):
        edit(matched, customer, "name", "王芳", WANG, reason="y", expected_version=version)


def test_an_auditor_cannot_touch_a_customer(matched):
    customer, _ = merged(matched)
    with pytest.raises(PermissionDenied):
        edit(matched, customer, "name", "张伟", Actor("zhao", "auditor"), reason="x")


def test_detaching_from_a_customer_the_record_has_left_is_a_conflict(matched):
    seen, members = merged(matched, 3)
    version = get(matched.conn, seen).version
    elsewhere, _ = merged(matched)
    attach(matched, members[0], elsewhere, WANG)  # meanwhile, another steward moves it
    before = get(matched.conn, elsewhere)
    with pytest.raises(ConflictError, match=f"has moved from customer {seen}"):
        detach(matched, members[0], WANG, customer_id=seen, expected_version=version)
    assert get(matched.conn, elsewhere) == before


def test_attaching_a_record_whose_customer_changed_meanwhile_is_a_conflict(matched):
    target, _ = merged(matched)
    target_version = get(matched.conn, target).version
    loner = matched.conn.execute(
        "select m.record_id, m.customer_id from customer_members m join customers c "
        "on c.id = m.customer_id where c.created_by_decision is null limit 1"
    ).fetchone()
    seen_version = get(matched.conn, loner[1]).version
    other, _ = merged(matched)
    attach(matched, loner[0], other, WANG)  # meanwhile: merged into another customer
    with pytest.raises(ConflictError, match=f"record {loner[0]} has moved"):
        attach(matched, loner[0], target, WANG, expected_version=target_version,
               from_customer=loner[1], from_version=seen_version)  # fmt: skip
    assert customer_of(matched.conn, loner[0]) == other


def test_attaching_out_of_a_merged_customer_cannot_links_it_to_the_records_it_leaves(matched):
    source, members = merged(matched, 3)
    target, target_members = merged(matched)
    attach(matched, members[0], target, WANG)
    links = dict(
        ((low, high), kind)
        for low, high, kind in matched.conn.execute(
            "select record_id_l, record_id_r, kind from links where ? in (record_id_l, record_id_r)",
            (members[0],),
        )
    )
    pair = lambda a, b: (min(a, b), max(a, b))  # noqa: E731
    assert {links[pair(members[0], r)] for r in members[1:]} == {"cannot"}
    assert {links[pair(members[0], r)] for r in target_members} == {"must"}
    assert get(matched.conn, source).members == tuple(members[1:])
