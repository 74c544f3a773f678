"""AppTest: an admin answers a data-subject request on the page."""

from __future__ import annotations

from core import trail
from core.store import open_store
from pages.texts import EN
from tests.conftest import signed_in


def test_an_admin_exports_then_erases_a_customer_after_typing_its_id(app_db):
    with open_store(app_db) as s:
        name = s.conn.execute("select name from source_records where id = 7").fetchone()[0]
        customer = s.conn.execute(
            "select customer_id from customer_members where record_id = 7"
        ).fetchone()[0]
    at = signed_in("admin")
    at.switch_page("pages/privacy.py").run()
    assert not at.exception
    at.number_input(key="subj_customer").set_value(customer).run()
    assert any(name in m.value for m in at.markdown)
    at.button(key="subj_export").click().run()
    assert [b.label for b in at.get("download_button")] == [EN["subject.download"]]
    at.text_input(key="subj_reason").input("PIPL request 2026-118").run()
    assert at.button(key="subj_erase").disabled  # not before the id is typed
    at.text_input(key="subj_confirm_id").input(str(customer)).run()
    at.button(key="subj_erase").click().run()
    at.button(key="subj_confirm").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith(EN["subject.erased"].split("{")[0])
    with open_store(app_db) as s:
        assert s.conn.execute("select customer_id from erasures").fetchall() == [(customer,)]
        assert s.conn.execute("select name from source_records where id = 7").fetchone()[0] is None
        assert trail.verify(s.conn).ok


def test_the_page_is_not_for_a_steward(app_db):
    at = signed_in("steward")
    at.switch_page("pages/privacy.py").run()
    assert at.error and not at.number_input
