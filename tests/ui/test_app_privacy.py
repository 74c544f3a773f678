"""AppTest flows of masking and reveal: a manager sees masked contacts and
cannot reveal; an auditor reveals one value with a reason, on the
Customers page and in an audit item, and the trail has it."""

from __future__ import annotations

import re

from core.store import open_store
from pages.common import inert
from pages.texts import EN
from tests.conftest import signed_in

FULL_PHONE = re.compile(r"\+86\d{11}")
MASKED_PHONE = re.compile(r"\+86\d{3}\*{4}\d{4}")


def merged_customer(db) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """A merged customer with a mobile: its id, name and mobile."""
    with open_store(db) as s:
        return s.conn.execute(
            "select c.id, n.value, m.value from customers c "
            "join customer_values n on n.customer_id = c.id and n.field = 'name' and n.is_primary "
            "join customer_values m on m.customer_id = c.id and m.field = 'mobile' and m.is_primary "
            "where c.status = 'active' and c.created_by_decision is not null order by c.id limit 1"
        ).fetchone()


def open_customer(role: str, customer: int, name: str):  # type: ignore[no-untyped-def]
    at = signed_in(role)
    at.switch_page("pages/customers.py").run()
    at.text_input(key="c_query").input(name).run()
    at.selectbox(key="c_pick").select(customer).run()
    at.button(key="c_open").click().run()
    assert not at.exception
    return at


def cells(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]


def reveal_entries(db) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    with open_store(db) as s:
        return s.conn.execute(
            "select l.actor, l.role, l.reason, p.payload from audit_log l join audit_payloads p "
            "on p.seq = l.seq where l.action = 'reveal' order by l.seq"
        ).fetchall()


def test_a_manager_sees_masked_values_and_no_reveal_form(app_db):
    customer, name, mobile = merged_customer(app_db)
    at = open_customer("manager", customer, name)
    shown = cells(at)
    assert any(MASKED_PHONE.fullmatch(c) for c in shown)
    assert not [c for c in shown if FULL_PHONE.search(c)] and mobile not in " ".join(shown)
    assert EN["customers.masked"] in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "c_reveal_button"]
    assert not [i for i in at.text_input if i.key == "c_reveal_reason"]


def test_an_auditor_reveals_one_mobile_with_a_reason_and_the_trail_has_it(app_db):
    customer, name, mobile = merged_customer(app_db)
    at = open_customer("auditor", customer, name)
    assert mobile not in " ".join(cells(at))
    label = EN["reveal.golden"].format(field=EN["field.mobile"])
    at.selectbox(key="c_reveal_field").select(label)  # a form: sent with the button
    at.text_input(key="c_reveal_reason").input("客户来电，核实号码")
    at.button(key="c_reveal_button").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        EN["reveal.shown"].format(item=inert(label), value=inert(mobile))
    ]
    assert mobile not in " ".join(cells(at))  # the tables stay masked
    ((who, role, reason, payload),) = reveal_entries(app_db)
    assert (who, role, reason) == ("auditor", "auditor", "客户来电，核实号码")
    assert mobile not in payload and mobile[3:] not in payload
    history = next(d.value for d in at.dataframe if EN["col.action"] in d.value.columns)
    assert "reveal" in list(history[EN["col.action"]])


def test_a_reveal_without_a_reason_is_refused_on_the_page(app_db):
    customer, name, mobile = merged_customer(app_db)
    at = open_customer("auditor", customer, name)
    at.button(key="c_reveal_button").click().run()
    assert "needs a reason" in at.error[0].value
    assert not at.success and reveal_entries(app_db) == []


def test_an_auditor_judges_items_with_masked_values_and_may_reveal_one(app_db):
    at = signed_in("auditor")
    at.switch_page("pages/audit.py").run()
    at.number_input(key="audit_size").set_value(5)
    at.text_input(key="audit_seed").input("7")
    next(b for b in at.button if b.label == EN["audit.open_button"]).click().run()
    assert not at.exception
    shown = cells(at)
    assert any("****" in c for c in shown) and not [c for c in shown if FULL_PHONE.search(c)]
    options = at.selectbox(key="audit_reveal_field").options
    at.selectbox(key="audit_reveal_field").select(options[0])
    at.text_input(key="audit_reveal_reason").input("核对合并依据")
    at.button(key="audit_reveal_button").click().run()
    assert not at.exception and not at.error
    assert any(s.value.startswith(inert(options[0]) + ": ") for s in at.success)
    ((who, _, reason, _),) = reveal_entries(app_db)
    assert (who, reason) == ("auditor", "核对合并依据")


def lookups(db) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with open_store(db) as s:
        return s.conn.execute(
            "select actor, object_ids from audit_log where action = 'lookup' order by seq"
        ).fetchall()


def test_a_manager_typing_a_full_mobile_learns_nothing(app_db):
    # issue 14, finding 13: the hits told a manager whether the mobile exists and whose it is
    customer, name, mobile = merged_customer(app_db)
    at = signed_in("manager")
    at.switch_page("pages/customers.py").run()
    assert at.text_input(key="c_query").label == EN["customers.search_names"]
    answers = []
    for typed in (mobile, "+8613900000000"):
        at.text_input(key="c_query").input(typed).run()
        assert not at.exception and not at.dataframe
        assert not [s for s in at.selectbox if s.key == "c_pick"]
        answers.append([i.value for i in at.info])
    assert answers[0] == answers[1] == [EN["customers.names_only"]]
    at.text_input(key="c_query").input(name).run()
    assert f"{customer} · {name}" in at.selectbox(key="c_pick").options  # by name, as before
    assert lookups(app_db) == []


def test_a_stewards_mobile_search_is_audited_once_not_on_every_rerun(app_db):
    customer, name, mobile = merged_customer(app_db)
    at = signed_in("steward")
    at.switch_page("pages/customers.py").run()
    at.text_input(key="c_query").input(mobile).run()
    assert f"{customer} · {name}" in at.selectbox(key="c_pick").options
    at.selectbox(key="c_pick").select(customer).run()
    at.button(key="c_open").click().run()
    assert not at.exception and at.session_state["customer_id"] == customer
    assert f"{customer} · {name}" in at.selectbox(key="c_pick").options  # the hits stay
    assert lookups(app_db) == [("steward", f'{{"customer":[{customer}]}}')]
