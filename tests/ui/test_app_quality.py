"""AppTest flows of the quality dashboard and the audit sessions."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from core.assurance.sessions import get_session, list_sessions
from core.store import open_store
from pages.audit_item import verdict_keys
from pages.texts import EN
from tests.conftest import signed_in


def test_the_dashboard_shows_tiles_against_the_last_snapshot_and_flags_off_targets(app_db):
    at = signed_in("manager")
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception
    tiles = {m.label: m for m in at.metric}
    assert tiles[EN["kpi.records"]].value == "4,020"
    assert tiles[EN["kpi.duplicate_rate"]].delta  # compared with yesterday's snapshot
    assert at.caption[0].value.startswith("As of ")
    assert any("off target" in m.value for m in at.markdown)
    with open_store(app_db) as s:
        days = s.conn.execute("select count(distinct day) from kpi_snapshots").fetchone()[0]
        generated = s.conn.execute(
            "select count(*) from kpi_snapshots where scope = 'all' "
            "and json_extract(metrics, '$.synthetic')"
        ).fetchone()[0]
    assert days >= 365  # the demo's year of history
    # issue 16: the generated history is said to be generated, on the page itself
    assert generated >= 365 and at.caption[0].value.endswith(
        EN["dash.synthetic"].format(n=generated)
    )


def test_drilling_into_a_source_lists_its_batches_and_the_export_is_a_workbook(app_db):
    at = signed_in("manager")
    at.switch_page("pages/dashboard.py").run()
    at.selectbox(key="drill_channel").select("展会名片").run()
    at.selectbox(key="drill_field").select("mobile").run()
    assert [h.value for h in at.subheader][-1] == EN["dash.drill.title"].format(channel="展会名片")
    table = next(d.value for d in at.dataframe if EN["col.file_name"] in d.value.columns)
    assert list(table[EN["col.field"]]) == [EN["field.mobile"]]
    assert table[EN["col.file_name"]].iloc[0] == "trade_show.xlsx"
    assert [b.label for b in at.get("download_button")] == [EN["dash.export"]]


def test_a_share_never_measured_reads_as_a_dash_and_days_are_whole_days(app_db):
    # issue 16: a batch's never-filled field showed "nan%" in the drill table, and the
    # decisions-per-day axis ticked at hours ("23:59:59.9996")
    at = signed_in("manager")
    at.switch_page("pages/dashboard.py").run()
    at.selectbox(key="drill_channel").select("门店登记").run()  # no e-mail column in that file
    table = next(d.value for d in at.dataframe if EN["col.file_name"] in d.value.columns)
    cells = table.astype(str).to_numpy().ravel().tolist()
    assert not any("nan" in c for c in cells), cells
    email = table[table[EN["col.field"]] == EN["field.email"]].iloc[0]
    assert email[EN["col.validity"]] == "—" and email[EN["col.completeness"]] == "0.0%"
    per_day = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                   if json.loads(c.proto.spec)["layout"]["title"]["text"]
                   == EN["dash.stew.per_day"])  # fmt: skip
    assert per_day["layout"]["xaxis"]["type"] == "category"


def item_keys(at: AppTest) -> tuple[str, str]:
    """The keys of the verdict and note widgets of the item open on the page."""
    return verdict_keys(at.session_state["audit_session_id"], at.session_state["audit_item"])


def test_an_auditor_opens_a_session_judges_every_item_signs_and_gets_the_report(app_db):
    at = signed_in("auditor")
    at.switch_page("pages/audit.py").run()
    assert [i.value for i in at.info] == [EN["audit.none"]]
    at.number_input(key="audit_size").set_value(5)
    at.text_input(key="audit_seed").input("7")
    at.button[0].click().run()
    assert not at.exception and [s.value for s in at.success][0] == EN["audit.opened"].format(id=1)
    for k in range(5):
        verdict, note = item_keys(at)
        at.radio(key=verdict).set_value("incorrect" if k == 0 else "correct")
        if k == 0:
            at.text_area(key=note).input("两个不同的人")
        next(b for b in at.button if b.label == EN["audit.save"]).click().run()
        assert not at.exception
    # issue 16: a tile cut off "85.7% (48.7%–97.…"; the interval now has a line of its own
    tiles = {m.label: m.value for m in at.metric}
    measured = [v for v in (tiles[EN["audit.merges"]], tiles[EN["audit.rejects"]]) if v != "—"]
    assert measured and all(v.endswith("%") and "(" not in v for v in measured), tiles
    interval = EN["audit.interval"].split("{")[0]
    assert len([c for c in at.caption if c.value.startswith(interval)]) == len(measured)
    sign = next(b for b in at.button if b.label == EN["audit.sign"])
    assert not sign.disabled
    sign.click().run()
    at.button(key="confirm_sign").click().run()
    assert not at.exception
    with open_store(app_db) as s:
        session = get_session(s.conn, 1)
        assert session.status == "signed" and session.verify_ok
        assert list_sessions(s.conn)[0]["judged"] == 5
    assert any(m.value.startswith(EN["audit.head"].split("{")[0]) for m in at.markdown)
    assert session.head_hash in " ".join(m.value for m in at.markdown)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [EN["audit.report_html"], EN["audit.report_xlsx"]]
    findings = next(d.value for d in at.dataframe if EN["audit.col.note"] in d.value.columns)
    assert list(findings[EN["audit.col.note"]]) == ["两个不同的人"]


def test_a_verdict_of_incorrect_without_a_note_is_refused_on_the_page(app_db):
    at = signed_in("auditor")
    at.switch_page("pages/audit.py").run()
    at.number_input(key="audit_size").set_value(3)
    at.button[0].click().run()
    at.radio(key=item_keys(at)[0]).set_value("incorrect")
    next(b for b in at.button if b.label == EN["audit.save"]).click().run()
    assert any("needs a note" in e.value for e in at.error)


def test_merges_a_signed_audit_found_incorrect_are_on_the_stewards_queue(app_db):
    from core.actors import Actor
    from core.assurance.results import sign
    from core.assurance.sessions import judge, open_session

    auditor = Actor("auditor", "auditor")
    with open_store(app_db) as s:
        sid = open_session(s, auditor, "2000-01-01..2099-12-31", 2, strata=("merge",), seed=3)
        items = get_session(s.conn, sid).items
        for item in items:
            judge(s, sid, item.decision_id, "incorrect", auditor, note="不是同一个人")
        sign(s, sid, auditor)
        customers = {
            c for (c,) in s.conn.execute(
                "select customer_id from decisions where id in (?, ?)",
                [i.decision_id for i in items],
            )
        }  # fmt: skip
    at = signed_in("steward")
    at.switch_page("pages/queue.py").run()
    assert [e.label for e in at.expander][0] == EN["queue.flagged"].format(n=2)
    table = next(d.value for d in at.dataframe if EN["col.judged_by"] in d.value.columns)
    assert set(table[EN["col.customer_id"]]) == customers
    assert set(table[EN["col.note"]]) == {"不是同一个人"}
    at.selectbox(key="flagged_pick").select(sorted(customers)[0])
    at.button(key="flagged_open").click().run()
    assert not at.exception
    assert at.session_state["customer_id"] == sorted(customers)[0]


def test_each_item_opens_with_no_verdict_and_a_choice_is_required(app_db):
    # issue 14, finding 18: each item opened with the previous item's verdict and note
    at = signed_in("auditor")
    at.switch_page("pages/audit.py").run()
    at.number_input(key="audit_size").set_value(3)
    at.text_input(key="audit_seed").input("7")
    at.button[0].click().run()
    first = at.session_state["audit_item"]
    verdict, note = item_keys(at)
    assert at.radio(key=verdict).value is None and at.text_area(key=note).value == ""
    save = next(b for b in at.button if b.label == EN["audit.save"])
    save.click().run()  # no choice made: refused, nothing saved
    assert [e.value for e in at.error] == [EN["audit.choose"]]
    with open_store(app_db) as s:
        assert get_session(s.conn, 1).judged == 0
    at.radio(key=verdict).set_value("incorrect")
    at.text_area(key=note).input("不是同一个人：生日不同")
    next(b for b in at.button if b.label == EN["audit.save"]).click().run()
    second = at.session_state["audit_item"]
    assert second != first
    verdict, note = item_keys(at)
    assert at.radio(key=verdict).value is None  # not the first item's "incorrect"
    assert at.text_area(key=note).value == ""  # nor its note
    at.selectbox(key="audit_item").select(first).run()  # back to the judged one: as saved
    verdict, note = item_keys(at)
    assert at.radio(key=verdict).value == "incorrect"
    assert at.text_area(key=note).value == "不是同一个人：生日不同"


LINK_CHANNEL = 'web<a href="https://evil.example/">click</a>'
"""A channel name from issue 14, finding 15: a clickable phishing link in a Plotly label."""


def test_a_channel_name_with_html_is_an_escaped_label_in_every_chart(app_db, tmp_path):
    from core.actors import Actor
    from core.ingest.importer import import_file
    from core.matching.runs import run_match
    from tests.conftest import write_csv

    rows = [["姓名", "手机"], ["钟国杰", "18072583154"], ["钟国杰", "180 7258 3154"]]
    with open_store(app_db) as s:
        import_file(s, write_csv(tmp_path / "web.csv", rows), source=LINK_CHANNEL,
                    actor=Actor("loader", "system"))  # fmt: skip
        run_match(s)
    at = signed_in("manager")
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    labels = [str(x) for spec in specs for trace in spec["data"] for x in trace.get("x", [])]
    escaped = 'web&lt;a href="https://evil.example/"&gt;click&lt;/a&gt;'
    assert escaped in labels  # the heat map's and the duplicates chart's channel axis
    assert not [x for x in labels if "<a" in x]
    heat = next(spec for spec in specs if spec["data"][0].get("customdata"))
    assert any(LINK_CHANNEL in cell for cell in heat["data"][0]["customdata"])  # as stored
