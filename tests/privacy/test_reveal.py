"""Revealing one masked value: who may, with a reason, and the trail keeps
the reveal but never the value."""

from __future__ import annotations

import pytest

from core import trail
from core.actors import Actor
from core.errors import InputError, NotFoundError, PermissionDenied
from core.masking import mask
from core.privacy.reveal import reveal
from core.stewardship.card import customer_card
from core.stewardship.customers import candidates, get
from core.store import Store
from tests.test_masking import AUDITOR, MANAGER, STEWARD, a_customer_with_contacts


def reveals(store: Store) -> list[trail.Entry]:
    rows = store.conn.execute(
        "select seq, at, actor, role, action, object_ids, reason, payload_hash, prev_hash, hash "
        "from audit_log where action = 'reveal' order by seq"
    )
    return [trail.Entry(*row) for row in rows]


@pytest.fixture
def customer(matched: Store) -> int:
    return a_customer_with_contacts(matched)


def test_a_manager_may_not_reveal_and_nothing_is_written(matched, customer):
    with pytest.raises(PermissionDenied, match=r"li.na \(manager\) may not reveal"):
        reveal(matched, MANAGER, customer, "mobile", "想看看")
    assert reveals(matched) == []


@pytest.mark.parametrize("viewer", [AUDITOR, STEWARD], ids=["auditor", "steward"])
def test_an_auditor_or_a_steward_gets_the_surviving_value_in_full(matched, customer, viewer):
    stored = get(matched.conn, customer, matched.settings()).value("mobile")
    assert stored and reveal(matched, viewer, customer, "mobile", "客户来电核实") == stored


def test_the_revealed_value_is_the_one_the_card_showed_masked(matched, customer):
    card = customer_card(matched.conn, customer, AUDITOR, matched.settings())
    for item in card.revealable:
        value = reveal(matched, AUDITOR, item.customer_id, item.field, "核对",
                       record_id=item.record_id)  # fmt: skip
        if item.record_id is None:
            shown = next(v.value for v in card.values if v.field == item.field and v.primary)
        else:
            row = next(r for r in card.records if r.record_id == item.record_id)
            shown = getattr(row, item.field)
        assert mask(item.field, value) == shown != value
    assert len(reveals(matched)) == len(card.revealable)


def test_one_records_value_can_be_revealed(matched, customer):
    members = get(matched.conn, customer).members
    record, expected = next(
        (c.record_id, c.value) for c in candidates(matched.conn, members) if c.field == "email"
    )
    got = reveal(matched, AUDITOR, customer, "email", "核对邮箱", record_id=record)
    assert got == expected
    assert reveals(matched)[-1].objects() == {
        "customer": [customer],
        "field": ["email"],
        "record": [record],
    }


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_reveal_needs_a_reason(matched, customer, reason):
    with pytest.raises(InputError, match=r"a reveal needs a reason, e.g. reason="):
        reveal(matched, AUDITOR, customer, "mobile", reason)
    assert reveals(matched) == []


def test_the_trail_keeps_who_what_and_why_but_never_the_value(matched, customer):
    value = reveal(matched, AUDITOR, customer, "mobile", "  客户来电，核实身份 ")
    (entry,) = reveals(matched)
    assert (entry.actor, entry.role, entry.reason) == ("zhao.min", "auditor", "客户来电，核实身份")
    assert entry.objects() == {"customer": [customer], "field": ["mobile"]}
    payload = trail.payload(matched.conn, entry.seq)
    assert payload == {"field": "mobile", "record_id": None}
    stored = matched.conn.execute(
        "select l.object_ids || l.reason || p.payload from audit_log l join audit_payloads p "
        "on p.seq = l.seq where l.seq = ?",
        (entry.seq,),
    ).fetchone()[0]
    digits = value.lstrip("+")
    assert value not in stored and digits[-8:] not in stored
    assert trail.verify(matched.conn).ok
    history = customer_card(matched.conn, customer, AUDITOR, matched.settings()).history
    assert [(e.action, e.actor, e.reason) for e in history][-1] == (
        "reveal",
        "zhao.min",
        "客户来电，核实身份",
    )


def test_an_unknown_customer_is_named(matched):
    with pytest.raises(NotFoundError, match="customer 999999 does not exist"):
        reveal(matched, AUDITOR, 999999, "mobile", "核对")


@pytest.mark.parametrize("field", ["name", "city", "bogus"])
def test_a_field_that_is_not_masked_is_refused_with_the_fields_that_are(matched, customer, field):
    with pytest.raises(InputError, match=rf"'{field}' is not masked.*choose one of address, email"):
        reveal(matched, AUDITOR, customer, field, "核对")


def test_a_record_of_another_customer_is_refused(matched, customer):
    other = matched.conn.execute(
        "select record_id from customer_members where customer_id != ? limit 1", (customer,)
    ).fetchone()[0]
    with pytest.raises(NotFoundError, match=rf"record {other} is not one of customer {customer}'s"):
        reveal(matched, AUDITOR, customer, "mobile", "核对", record_id=other)


def test_a_field_without_a_value_cannot_be_revealed(matched, customer):
    held = {v.field for v in get(matched.conn, customer, matched.settings()).values}
    empty = next(f for f in ("wechat", "id_number", "phone", "address") if f not in held)
    with pytest.raises(NotFoundError, match=rf"customer {customer} has no {empty} to reveal"):
        reveal(matched, Actor("wang.fang", "steward"), customer, empty, "核对")
    assert reveals(matched) == []
