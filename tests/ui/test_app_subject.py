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


def sharing_a_mobile(conn) -> tuple[int, int]:
    """Two customers of the demo with one mobile, that no merge has joined."""
    return conn.execute(
        "select m1.customer_id, m2.customer_id from standardized a join standardized b "
        "on b.mobile = a.mobile and b.record_id > a.record_id "
        "join customer_members m1 on m1.record_id = a.record_id "
        "join customer_members m2 on m2.record_id = b.record_id "
        "where a.mobile_status = 'valid' and m1.customer_id != m2.customer_id "
        "order by a.record_id limit 1"
    ).fetchone()


def decide_the_rest(at, first: int) -> None:
    """Exclude every customer still undecided (included ones bring their own)."""
    key = f"subj_related_{first}_"
    while undecided := [r for r in at.radio if r.key.startswith(key) and r.value is None]:
        for r in undecided:
            r.set_value("exclude")
        at.run()


def test_the_admin_decides_on_every_customer_sharing_an_identifier_before_erasing(app_db):
    from core.privacy.subject import related

    with open_store(app_db) as s:
        first, second = sharing_a_mobile(s.conn)
        assert second in [r.customer_id for r in related(s.conn, first)]
        kept_name = s.conn.execute(
            "select name from source_records where id in (select record_id from customer_members "
            "where customer_id = ?)", (second,)).fetchone()[0]  # fmt: skip
    at = signed_in("admin")
    at.switch_page("pages/privacy.py").run()
    at.number_input(key="subj_customer").set_value(first).run()
    assert any(EN["subject.related"] in m.value for m in at.markdown)
    at.text_input(key="subj_reason").input("PIPL request 2026-118").run()
    at.text_input(key="subj_confirm_id").input(str(first)).run()
    assert at.button(key="subj_erase").disabled  # not before every customer listed is decided
    assert EN["subject.undecided"] in [c.value for c in at.caption]
    at.radio(key=f"subj_related_{first}_{second}").set_value("exclude").run()
    decide_the_rest(at, first)
    assert not at.button(key="subj_erase").disabled
    at.button(key="subj_erase").click().run()
    at.button(key="subj_confirm").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with open_store(app_db) as s:
        assert s.conn.execute("select customer_id from erasures").fetchall() == [(first,)]
        still = s.conn.execute(
            "select name, erased from source_records where id in (select record_id from "
            "customer_members where customer_id = ?)", (second,)).fetchall()  # fmt: skip
        assert still[0] == (kept_name, 0)  # excluded: another person, kept
        assert trail.verify(s.conn).ok


def test_a_customer_the_admin_includes_is_erased_with_the_subject(app_db):
    with open_store(app_db) as s:
        first, second = sharing_a_mobile(s.conn)
    at = signed_in("admin")
    at.switch_page("pages/privacy.py").run()
    at.number_input(key="subj_customer").set_value(first).run()
    at.radio(key=f"subj_related_{first}_{second}").set_value("include").run()
    decide_the_rest(at, first)
    at.text_input(key="subj_reason").input("PIPL request 2026-118").run()
    at.text_input(key="subj_confirm_id").input(str(first)).run()
    at.button(key="subj_erase").click().run()
    at.button(key="subj_confirm").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(str(second) in i.value for i in at.info)
    with open_store(app_db) as s:
        erased = s.conn.execute(
            "select erased from source_records where id in (select record_id from "
            "customer_members where customer_id = ?)", (second,)).fetchall()  # fmt: skip
        assert erased and all(e == (1,) for e in erased)


def test_an_erasure_whose_vacuum_fails_shows_what_was_committed_and_what_to_do(app_db, monkeypatch):
    from core.privacy import erasure

    full = erasure.Compaction(False, False, "database or disk is full")
    monkeypatch.setattr(erasure, "compact", lambda store: full)  # a full disk after the commit
    with open_store(app_db) as s:
        customer = s.conn.execute(
            "select customer_id from customer_members where record_id = 7"
        ).fetchone()[0]
    at = signed_in("admin")
    at.switch_page("pages/privacy.py").run()
    at.number_input(key="subj_customer").set_value(customer).run()
    decide_the_rest(at, customer)
    at.text_input(key="subj_reason").input("PIPL request 2026-118").run()
    at.text_input(key="subj_confirm_id").input(str(customer)).run()
    at.button(key="subj_erase").click().run()
    at.button(key="subj_confirm").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith(EN["subject.erased"].split("{")[0])
    assert any("could not be vacuumed" in w.value and "subject compact" in w.value
               for w in at.warning)  # fmt: skip
