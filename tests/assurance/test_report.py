"""The audit report (HTML and XLSX) and the item view an auditor judges from."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from core.actors import SYSTEM
from core.assurance.items import item_view
from core.assurance.report import html_report, write_report, xlsx_report
from core.assurance.results import sign
from core.assurance.sessions import get_session, open_session
from core.errors import InputError
from tests.assurance.test_sessions import ZHAO, judge_all, this_quarter
from tests.conftest import run_cli


@pytest.fixture
def signed(decided):
    sid = open_session(decided, ZHAO, this_quarter(), 10, seed=11)
    items = get_session(decided.conn, sid).items
    wrong = [i.decision_id for i in items if i.stratum == "auto_merge"][:1]
    judge_all(decided, sid, wrong=wrong)
    sign(decided, sid, ZHAO)
    return decided, sid, wrong[0]


def test_the_html_report_states_results_findings_and_the_signed_head(signed):
    store, sid, wrong = signed
    session = get_session(store.conn, sid)
    page = html_report(store.conn, sid, "en")
    assert f"Audit session {sid}: {session.period.label}" in page
    assert session.head_hash in page and f"#{session.head_seq}" in page
    assert f"Entry {session.head_seq} still has the hash above" in page
    assert "audit verify when this report was made: <span class='good'>OK</span>" in page
    assert f"<td>{wrong}</td>" in page and "两个不同的人" in page
    assert "Merges to unmerge" in page and "@media print" in page
    zh = html_report(store.conn, sid, "zh")
    assert "签署时日志末条" in zh and "<html lang='zh-CN'>" in zh


def test_a_trail_altered_after_sign_off_shows_in_the_report(signed):
    store, sid, _ = signed
    with store.write() as db:
        db.execute("drop trigger audit_payloads_no_update")
        db.execute("update audit_payloads set payload = '[]' where seq = 2")
    page = html_report(store.conn, sid, "en")
    assert "audit verify when this report was made: <span class='bad'>BROKEN</span>" in page
    assert "verify at sign-off: <span class='good'>OK</span>" in page


def test_the_xlsx_report_has_numbers_as_numbers_and_text_never_as_formulas(signed):
    store, sid, wrong = signed
    with store.write() as db:  # an auditor's note that looks like a formula
        db.execute("update audit_session_items set note = '=HYPERLINK(\"http://x\")' "
                   "where decision_id = ?", (wrong,))  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(xlsx_report(store.conn, sid)))
    assert book.sheetnames == ["summary", "strata", "findings", "items"]
    strata = list(book["strata"].iter_rows(values_only=True))
    auto = next(r for r in strata if r[0] == "auto-merge")
    assert isinstance(auto[1], int | float) and auto[4] == 1  # population; one incorrect
    note = next(r for r in book["findings"].iter_rows(values_only=True) if r[0] == wrong)[3]
    assert note == '=HYPERLINK("http://x")'
    cell = next(c for row in book["findings"].iter_rows() for c in row if c.value == note)
    assert cell.data_type == "s"


def test_the_report_command_writes_html_or_xlsx_and_refuses_other_files(signed, tmp_path):
    store, sid, _ = signed
    out = tmp_path / "report.html"
    done = run_cli("audit", "report", "--db", str(store.path), "--session", str(sid),
                   "--out", str(out), "--lang", "zh")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["out"] == str(out)
    assert "审计会话" in out.read_text(encoding="utf-8")
    bad = run_cli("audit", "report", "--db", str(store.path), "--session", str(sid),
                  "--out", str(tmp_path / "report.pdf"))  # fmt: skip
    assert bad.returncode == 2 and "choose a report file ending in .html or .xlsx" in bad.stderr
    with pytest.raises(InputError):
        write_report(store.conn, sid, tmp_path / "r.txt")


def test_an_item_shows_the_decision_its_records_reasons_and_values_before_and_after(decided):
    conn = decided.conn
    merge = conn.execute("select id from decisions where kind = 'merge' and role = 'steward' "
                         "order by id limit 1").fetchone()[0]  # fmt: skip
    view = item_view(conn, merge, decided.settings(), SYSTEM)
    assert (view.kind, view.stratum, view.actor) == ("merge", "merge", "wang.fang")
    assert len(view.records) >= 2 and view.reasons and view.reasons[0].reason_zh
    assert any(c.after for c in view.changes)
    pick = conn.execute("select id from decisions where kind = 'pick' order by id limit 1"
                        ).fetchone()[0]  # fmt: skip
    picked = item_view(conn, pick, decided.settings(), SYSTEM)
    assert picked.stratum == "pick" and picked.records
    assert [c.field for c in picked.changes if c.changed] == ["name"]
