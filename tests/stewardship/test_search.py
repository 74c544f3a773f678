"""Search: masked roles find customers by name and company only (a search
by a full mobile would tell them whether it exists and whose it is), and
every contact look-up is written to the audit trail, without the value."""

from __future__ import annotations

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import PermissionDenied
from core.stewardship.customers import get
from core.stewardship.search import contact_kind, hits, search_customers
from core.store import Store

STEWARD = Actor("wang.fang", "steward")
MASKED = [pytest.param(Actor("li.na", "manager"), id="manager"),
          pytest.param(Actor("zhao.min", "auditor"), id="auditor")]  # fmt: skip


def a_customer_with_a_mobile_and_an_email(store: Store) -> tuple[int, str, str]:
    row = store.conn.execute(
        "select m.customer_id, s.mobile, s.email from customer_members m join standardized s "
        "on s.record_id = m.record_id where s.mobile != '' and s.email != '' "
        "and s.mobile_status = 'valid' order by m.record_id limit 1"
    ).fetchone()
    return int(row[0]), str(row[1]), str(row[2])


def head(store: Store) -> str:
    return trail.head(store.conn)


@pytest.mark.parametrize("viewer", MASKED)
def test_a_masked_role_searching_a_contact_is_refused_whether_or_not_it_exists(matched, viewer):
    # issue 14, finding 13: a manager typing a full mobile learnt whether it exists
    customer, mobile, email = a_customer_with_a_mobile_and_an_email(matched)
    assert customer in [h.customer_id for h in search_customers(matched, mobile, STEWARD)]
    before = head(matched)
    unknown = "+86 139 0000 0000"
    answers = []
    for text in (mobile, mobile[-11:], unknown, email, "nobody.here@163.com"):
        with pytest.raises(PermissionDenied, match="may not search contacts") as refused:
            search_customers(matched, text, viewer)
        answers.append(str(refused.value))
    assert len(set(answers)) == 1  # one answer: nothing tells a known contact from an unknown
    assert head(matched) == before


@pytest.mark.parametrize("viewer", MASKED)
def test_a_masked_role_still_finds_customers_by_name_and_company(matched, viewer):
    customer, _, _ = a_customer_with_a_mobile_and_an_email(matched)
    c = get(matched.conn, customer)
    found = search_customers(matched, c.value("name"), viewer)
    assert customer in [h.customer_id for h in found]
    company = matched.conn.execute(
        "select company from standardized where company_key != '' limit 1"
    ).fetchone()[0]
    assert search_customers(matched, company, viewer)


@pytest.mark.parametrize("kind", ["mobile", "email"])
def test_a_stewards_contact_lookup_is_audited_without_the_value(matched, kind):
    customer, mobile, email = a_customer_with_a_mobile_and_an_email(matched)
    typed = mobile if kind == "mobile" else email
    found = search_customers(matched, typed, STEWARD)
    assert customer in [h.customer_id for h in found]
    entry = trail.entries_for(matched.conn, "customer", customer)[-1]
    assert (entry.action, entry.actor, entry.role) == ("lookup", "wang.fang", "steward")
    assert trail.payload(matched.conn, entry.seq) == {
        "kind": "phone" if kind == "mobile" else "email",
        "hits": len(found),
    }
    stored = entry.object_ids + entry.reason + str(trail.payload(matched.conn, entry.seq))
    assert typed not in stored and typed.lstrip("+")[-8:] not in stored
    assert trail.verify(matched.conn).ok


def test_a_contact_lookup_that_finds_nobody_is_audited_too_and_a_name_search_is_not(matched):
    before = matched.conn.execute("select count(*) from audit_log").fetchone()[0]
    assert search_customers(matched, "+86 139 0000 0000", STEWARD) == []
    last = matched.conn.execute("select action, object_ids from audit_log order by seq desc")
    assert last.fetchone() == ("lookup", '{"customer":[]}')
    customer, _, _ = a_customer_with_a_mobile_and_an_email(matched)
    search_customers(matched, get(matched.conn, customer).value("name"), STEWARD)
    after = matched.conn.execute("select count(*) from audit_log").fetchone()[0]
    assert after == before + 1


def test_hits_read_again_are_the_search_s_hits_without_a_new_entry(matched):
    _, mobile, _ = a_customer_with_a_mobile_and_an_email(matched)
    found = search_customers(matched, mobile, SYSTEM)
    before = head(matched)
    again = hits(matched.conn, [(h.customer_id, h.matched_on) for h in found],
                 matched.settings(), SYSTEM)  # fmt: skip
    assert again == found and head(matched) == before


@pytest.mark.parametrize(
    ("text", "kind"),
    [("13812345678", "phone"), ("138 1234 5678", "phone"), ("+86-138-1234-5678", "phone"),
     ("a@qq.com", "email"), ("张伟", None), ("Zhang Wei", None), ("字节跳动", None),
     ("3M中国", None)],
)  # fmt: skip
def test_a_query_is_a_contact_by_its_shape_alone(text, kind):
    assert contact_kind(text) == kind
