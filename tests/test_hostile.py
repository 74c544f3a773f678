"""Hostile strings in every field: stored exactly, shown inertly, exported safely.

A file whose every cell (the id column and every mapped field, and one
header) holds an injection attempt, a formula, control characters, bidi
overrides, a 10,000-character value and the like goes through the real
import; then the store must be intact, matching must run, every page must
render it for every role it is meant for without an exception and without
handing it to Markdown, search must treat ``%`` and ``_`` as text, and the
exports must hold no live formula.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import StewardError
from core.fields import FIELDS
from core.ingest.importer import import_bytes
from core.ops.config import set_setting
from core.ops.export import export_customers, export_quarantine, export_records
from core.standardize.text import is_blank
from core.store import Store, open_store
from pages.audit_item import verdict_keys
from pages.texts import EN
from tests.conftest import ROOT, TODAY, signed_in
from tests.ui.test_app import PAGES

HOSTILE: dict[str, str] = {
    "single quote": "O'Brien",
    "double quote": 'say "hi"',
    "bare quotes": "'\"'\"",
    "sql drop records": "'; DROP TABLE source_records; --",
    "sql drop customers": "Robert'); DROP TABLE customers;--",
    "sql tautology": "' OR '1'='1",
    "script tag": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg onload": '"><svg onload=alert(1)>',
    "template": "{{7*7}}",
    "expression": "${7*7}",
    "jndi": "${jndi:ldap://x}",
    "hyperlink formula": '=HYPERLINK("http://x","y")',
    "dde formula": "+cmd|' /C calc'!A0",
    "at formula": "@SUM(1+1)",
    "minus formula": "-2+3",
    "tab formula": "\t=1+1",
    "cr formula": "\r=1+1",
    "markdown": "**bold** _it_ `code` ~~gone~~",
    "markdown link": "[click](javascript:alert(1))",
    "markdown image": "![x](http://evil.example/p.png)",
    "streamlit directives": ":red[alarm] :material/warning: $x^2$",
    "control characters": "".join(chr(c) for c in range(1, 32)) + "\x7f",
    "terminal escape": "\x1b[31mred\x1b[0m",
    "nul byte": "a\x00b",
    "10,000 characters": "x" * 10_000,
    "rtl override": "\u202eexe.txt\u202c",
    "bidi controls": "\u2066abc\u2069\u202d\u202a\u202b\u2067\u2068\u200f\u200e",
    "zero width": "a\u200bb\u200c\u200dc\ufeffd\u2060e",
    "emoji": "😀👍🏽👨‍👩‍👧🇨🇳",
    "combining marks": "Z\u0335\u0321a\u0334\u0327l\u0336g\u0337o\u0338 e\u0301",
    "long chinese name": "欧阳" + "娜" * 298,
    "long latin name": "Wolfeschlegelsteinhausenbergerdorff " * 30,
    "percent": "%",
    "underscore": "_",
    "like wildcards": "100%_off%",
    "backslash": "\\",
    "backslashes": "C:\\Users\\n\\t\\'",
    "null word": "NULL",
    "newlines": "line one\nline two\r\nline three",
    "whitespace only": " \t ",
    "full-width formula": "＝1+1",
    "path traversal": "../../etc/passwd",
}
"""The hostile strings, by what they try."""

LONE_SURROGATES = "\ud800x\udfff"
"""Encodable only with ``surrogatepass``: such a line cannot be decoded."""

HEADER = ["客户编号", "姓名", "手机号", "电话", "邮箱", "微信", "公司", "职位", "地址",
          "身份证号", "备注", "<b>**列**</b> =1+1 ![x](http://evil.example/h.png)"]  # fmt: skip
FIELD_OF = dict(zip(HEADER[1:11], ("name", "mobile", "phone", "email", "wechat", "company",
                                   "title", "address", "id_number", "notes"), strict=True))  # fmt: skip
IDENTIFYING = [
    HEADER.index(h) for h in ("姓名", "手机号", "电话", "邮箱", "微信", "身份证号", "公司")
]
CHANNEL = "<b>展会</b> **=1+1** :red[渠道] ![x](http://evil.example/c.png)"
NOTE = "**同一人** ![x](http://evil.example/n.png) <script>alert(1)</script> :red[!]"
NAMES = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏", "孙丽", "周杰", "吴刚", "郑爽",
         "欧阳娜娜", "司马光", "诸葛亮", "上官婉儿"]  # fmt: skip
ROLES = ("steward", "manager", "auditor", "admin")

# Streamlit's Markdown gives these characters a meaning: a hostile string
# holding one must never reach Markdown as it is.
MARKDOWN_ACTIVE = set("\\`*_[]()#<>!~$:|")
LIVE = [h for h in HOSTILE.values() if len(h.strip()) >= 4 and MARKDOWN_ACTIVE & set(h)]
LIVE += [CHANNEL, NOTE, HEADER[-1]]


def rows() -> list[list[str]]:
    """The data rows: each hostile string in every column; for each, two
    records of one customer (so that matching proposes them) with hostile
    ids, companies, titles, addresses and notes; then rows that must go to
    quarantine (a lone surrogate, a cell over the size limit)."""
    out = []
    for i, h in enumerate(HOSTILE.values()):
        out.append([f"{h}#A{i}", *[h] * (len(HEADER) - 1)])
    for i, h in enumerate(HOSTILE.values()):
        name, mobile = NAMES[i % len(NAMES)], f"139{i:04d}{i:04d}"
        if i % 3 == 0:  # one e-mail, and one of them without a mobile
            pair = [(name, mobile, f"user{i}@163.com"), (name, "", f"user{i}@163.com")]
        elif i % 3 == 1:  # one mobile, and one name differs by a character: for review
            pair = [(name, mobile, ""), (name[:-1] + "某", mobile, "")]
        else:  # the hostile string is the name
            pair = [(h, mobile, ""), (h, mobile, "")]
        # for review, no shared WeChat id, company or title (each would make it certain)
        same = "" if i % 3 == 1 else h
        for k, (n, m, e) in enumerate(pair):
            out.append([f"{h}#B{i}{'ab'[k]}", n, m, "", e, same, same, same, f"{h}{k}", "", h, h])
    out.append(["surrogate", LONE_SURROGATES, "13900000000", *[""] * 8, LONE_SURROGATES])
    out.append(["too long", "某人", "13900000001", *[""] * 7, "x" * 40_000, ""])
    return out


def csv_bytes(table: list[list[str]]) -> bytes:
    """A CSV file quoting every cell (so that no cell's text is mistaken for structure)."""
    lines = [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in table]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8", "surrogatepass")


def outcome(cells: list[str]) -> str:
    """What the import must do with a row: 'imported', 'blank' or the quarantine reason."""
    if any(re.search("[\ud800-\udfff]", c) for c in cells):
        return "row.undecodable"
    if any("\x00" in c for c in cells):
        return "row.nul_byte"
    if not "".join(cells).strip():
        return "blank"
    if any(len(c) > 32_767 for c in cells):
        return "row.cell_too_long"
    if all(is_blank(cells[i]) for i in IDENTIFYING):
        return "row.no_identifier"
    if not cells[0].strip():
        return "row.missing_id"
    return "imported"


HOSTILE_INPUTS = sum(c == LONE_SURROGATES or len(c) > 32_767 or c.startswith(tuple(HOSTILE.values()))
                     for r in rows() for c in r)  # fmt: skip
"""Hostile cells in the file (the id column, every mapped field, the unmapped column)."""


@dataclass(frozen=True)
class Built:
    path: Path
    rows_read: int
    rows_imported: int
    rows_quarantined: int
    rows_blank: int


def build(path: Path) -> Built:
    """A store with the demo logins, the hostile file imported (by a steward,
    into a hostile channel) and matched, the auto band merged and one review
    proposal merged with a hostile note."""
    from core.matching.runs import run_match
    from core.stewardship.merge import approve, auto_merge
    from core.users import add_user

    with open_store(path) as s:
        for role in ROLES:
            add_user(s, role, role, "demo")
        result = import_bytes(s, csv_bytes([HEADER, *rows()]), "hostile.csv", source=CHANNEL,
                              actor=Actor("steward", "steward"), id_column="客户编号", today=TODAY)  # fmt: skip
        # most hostile pairs share so much that they score 0.99+: keep them for review
        set_setting(s, "match_auto_threshold", 0.9995, actor=SYSTEM)
        run_match(s, actor=Actor("steward", "steward"))
        auto_merge(s, SYSTEM)
        review = s.conn.execute(
            "select id from proposals where status = 'open' and band = 'review' order by id"
        ).fetchone()[0]
        approve(s, review, Actor("steward", "steward"), note=NOTE)
    return Built(path, result.rows_read, result.rows_imported, result.rows_quarantined,
                 result.rows_blank)  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("hostile") / "hostile.db")


@pytest.fixture
def hostile(template: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A private copy of the hostile store, which the app reads too (STEWARD_DB)."""
    target = tmp_path / "hostile.db"
    source, copy = sqlite3.connect(template.path), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    monkeypatch.setenv("STEWARD_DB", str(target))
    with open_store(target) as s:
        yield s


# -- the import -------------------------------------------------------------------


def test_every_hostile_row_is_imported_or_quarantined_with_the_reason_it_earns(template, hostile):
    expected = [outcome(r) for r in rows()]
    read = [e for e in expected if e != "blank"]
    assert template.rows_read == template.rows_imported + template.rows_quarantined == len(read)
    assert template.rows_blank == expected.count("blank")
    assert template.rows_imported == read.count("imported") == hostile.count("source_records")
    found = [code for (code,) in hostile.conn.execute(
        "select reason_code from quarantine order by row_number")]  # fmt: skip
    assert found == [e for e in read if e != "imported"]
    assert {"row.undecodable", "row.nul_byte", "row.cell_too_long"} <= set(found)


def test_every_hostile_value_is_stored_exactly_as_it_was_in_the_file(hostile):
    written = {r[0].strip(): r for r in rows() if outcome(r) == "imported"}
    stored = hostile.conn.execute(
        f"select source_record_id, raw_cells, {', '.join(f'[{f}]' for f in FIELDS)} "
        "from source_records"
    ).fetchall()
    assert sorted(r[0] for r in stored) == sorted(written)
    for source_id, raw_cells, *values in stored:
        cells = written[source_id]
        assert json.loads(raw_cells) == cells
        by_field = dict(zip(FIELDS, values, strict=True))
        for column, field in FIELD_OF.items():
            cell = cells[HEADER.index(column)]
            assert by_field[field] == (cell if cell.strip() else ""), (source_id, field)


def test_the_store_is_intact_after_the_hostile_import(hostile, tmp_path):
    with open_store(tmp_path / "fresh.db") as fresh:
        tables = {t for (t,) in fresh.conn.execute("select name from sqlite_master where type = 'table'")}  # fmt: skip
    present = {t for (t,) in hostile.conn.execute("select name from sqlite_master where type = 'table'")}  # fmt: skip
    assert tables <= present and {"source_records", "customers", "quarantine"} <= present
    assert hostile.conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert hostile.conn.execute("pragma foreign_key_check").fetchall() == []
    assert trail.verify(hostile.conn).ok
    batch = hostile.conn.execute(
        "select channel, rows_read, rows_imported, rows_quarantined from import_batches"
    ).fetchall()
    assert batch == [(CHANNEL, hostile.count("source_records") + hostile.count("quarantine"),
                      hostile.count("source_records"), hostile.count("quarantine"))]  # fmt: skip


def test_matching_runs_on_hostile_data_and_proposes_its_records_for_review(hostile):
    from core.matching.explanations import reason
    from core.matching.runs import run_match

    open_review = hostile.conn.execute(
        "select count(*) from proposals where status = 'open' and band = 'review'"
    ).fetchone()[0]
    assert open_review >= 2
    for (packed,) in hostile.conn.execute("select explanation from proposal_pairs"):
        assert reason(packed, "zh") and reason(packed, "en")
    assert run_match(hostile, retrain=True).records == hostile.count("source_records")


def sweep(hostile: Store) -> tuple[int, list[tuple[str, str, str]]]:
    """Every hostile string through every standardizer and read the pages call,
    in every canonical field: (calls tried, calls that raised something other
    than the engine's typed errors)."""
    from core.fields import SENSITIVE_FIELDS as SENSITIVE
    from core.masking import mask
    from core.matching.check import check_record
    from core.sheets import safe_csv_cell
    from core.standardize import (
        address,
        codes,
        company,
        dates,
        email_address,
        idnumber,
        name,
        phone,
        wechat,
    )
    from core.standardize.record import standardize_records
    from core.standardize.registration import normalize_org_id
    from core.standardize.web import normalize_website
    from core.stewardship.search import search_customers

    settings, viewer = hostile.settings(), Actor("steward", "steward")
    calls = {
        "standardize every field": lambda h: standardize_records([dict.fromkeys(FIELDS, h)],
                                                                 region=settings["default_region"], today=TODAY),
        "phone": lambda h: phone.normalize_phone(h, "CN"),
        "email": email_address.normalize_email,
        "name": name.normalize_name,
        "name in parts": lambda h: name.normalize_name("", h, h),
        "company": company.normalize_company,
        "website": normalize_website,
        "registration number": normalize_org_id,
        "address": lambda h: address.normalize_address(h, h, h, h),
        "id number": idnumber.normalize_id_number,
        "wechat": wechat.normalize_wechat,
        "postcode": codes.normalize_postcode,
        "country": codes.normalize_country,
        "customer type": codes.normalize_customer_type,
        "date": lambda h: dates.parse_date(h, today=TODAY),
        "birth date": lambda h: dates.parse_birth_date(h, today=TODAY),
        "search": lambda h: search_customers(hostile, h, viewer, settings=settings),
        "new customer check": lambda h: check_record(hostile, dict.fromkeys(FIELDS, h)),
        "csv cell": safe_csv_cell,
        **{f"mask {f}": functools.partial(mask, f) for f in sorted(SENSITIVE)},
    }  # fmt: skip
    tried, crashed = 0, []
    for (what, text), (call, do) in itertools.product(HOSTILE.items(), calls.items()):
        tried += 1
        try:
            do(text)
        except StewardError:
            pass
        except Exception as exc:  # any other exception is a crash: counted, not hidden
            crashed.append((what, call, repr(exc)))
    return tried, crashed


def test_no_hostile_string_crashes_a_standardizer_or_a_read_in_any_field(hostile):
    tried, crashed = sweep(hostile)
    assert tried == len(HOSTILE) * SWEEP_CALLS
    assert crashed == []


SWEEP_CALLS = 26
"""The entry points :func:`sweep` calls (six of them mask one sensitive field)."""


# -- search ------------------------------------------------------------------------


def holders(store: Store, text: str) -> set[int]:
    """Customers whose records hold ``text`` literally in a searchable value."""
    return {c for (c,) in store.conn.execute(
        "select distinct m.customer_id from customer_members m join source_records r "
        "on r.id = m.record_id where instr(r.name, ?) or instr(r.company, ?) or "
        "instr(r.email, ?) or instr(r.mobile, ?) or instr(r.phone, ?)", [text] * 5)}  # fmt: skip


@pytest.mark.parametrize("query", ["%", "_", "%%", "%_%", "*", ".*", "\\", "' OR '1'='1"])
def test_wildcards_typed_in_search_are_text_and_do_not_match_everything(hostile, query):
    from core.stewardship.search import search_customers

    hits = search_customers(hostile, query, Actor("steward", "steward"))
    assert {h.customer_id for h in hits} <= holders(hostile, query)


@pytest.mark.parametrize("what", list(HOSTILE), ids=list(HOSTILE))
def test_searching_for_a_hostile_string_never_fails_and_finds_a_name_as_stored(hostile, what):
    from core.standardize.name import normalize_name
    from core.stewardship.search import search_customers

    text = HOSTILE[what]
    hits = search_customers(hostile, text, Actor("steward", "steward"))
    named = {c for (c,) in hostile.conn.execute(
        "select m.customer_id from customer_members m join customers c on c.id = m.customer_id "
        "join source_records r on r.id = m.record_id where r.name = ? and c.status = 'active'",
        (text,))}  # fmt: skip
    if named and normalize_name(text).key and "@" not in text:  # with an @ it is an e-mail
        assert named & {h.customer_id for h in hits}


def test_the_new_customer_check_takes_hostile_values_in_every_field(hostile):
    from core.matching.check import check_record

    for text in HOSTILE.values():
        fields = {f: text for f in ("name", "mobile", "email", "company", "city")}
        for found in check_record(hostile, fields):
            assert 0.0 <= found.score <= 1.0


# -- exports -----------------------------------------------------------------------

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
EXPORTS = {"records": export_records, "quarantine": export_quarantine,
           "customers": export_customers}  # fmt: skip


VIEWERS = {"system": SYSTEM, "manager": Actor("manager", "manager")}  # unmasked and masked


@pytest.mark.parametrize("viewer", list(VIEWERS))
@pytest.mark.parametrize("what", list(EXPORTS))
def test_a_csv_export_of_hostile_data_neutralises_every_formula(hostile, tmp_path, what, viewer):
    out = tmp_path / f"{what}.csv"
    assert EXPORTS[what](hostile, out, viewer=VIEWERS[viewer]) > 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    live = [c for c in cells if c.startswith(DANGEROUS_START)
            and not re.fullmatch(r"[+-]?\d+(?:\.\d+)?", c)]  # fmt: skip
    assert live == []
    if what != "quarantine":
        assert "'" + HOSTILE["hyperlink formula"] in cells


@pytest.mark.parametrize("viewer", list(VIEWERS))
@pytest.mark.parametrize("what", list(EXPORTS))
def test_an_xlsx_export_of_hostile_data_holds_no_formula_cell(hostile, tmp_path, what, viewer):
    out = tmp_path / f"{what}.xlsx"
    assert EXPORTS[what](hostile, out, viewer=VIEWERS[viewer]) > 0
    sheet = openpyxl.load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    if what != "quarantine":
        assert HOSTILE["hyperlink formula"] in [c.value for c in cells]


# -- the pages ---------------------------------------------------------------------


def markdown_texts(at: AppTest, kind: str = "markdown") -> list[str]:
    """Every text of the rendered app that Streamlit reads as Markdown
    (Markdown, captions, headings, alerts, widget labels and help, metric
    labels, expander, tab and dialog titles), or with ``kind="html"`` the
    bodies of st.html. Tables, plain text, code and the options of a select
    box are shown as typed and are left out."""
    out: list[str] = []
    for node in itertools.chain(at.main, at.sidebar):
        proto = getattr(node, "proto", None)
        if proto is None or node.type in ("text", "code", "json", "exception"):
            continue
        if (node.type == "html") != (kind == "html"):
            continue
        fields = proto.DESCRIPTOR.fields_by_name
        if "allow_empty" in fields:  # a block: expander, tab, dialog, ...
            inner = getattr(proto, proto.WhichOneof("type") or "", None)
            if inner is not None:
                names = inner.DESCRIPTOR.fields_by_name
                out += [getattr(inner, f) for f in ("label", "title") if f in names]
            continue
        out += [getattr(proto, f) for f in ("body", "label", "help") if f in fields]
    return [t for t in out if isinstance(t, str) and t]


def leaks(at: AppTest, *typed: str) -> set[str]:
    """The hostile strings (and what the test typed) that reached Markdown as
    they are, or, holding markup, reached st.html unescaped."""
    shown, html = markdown_texts(at), markdown_texts(at, "html")
    return {h for h in [*LIVE, *typed] for text in shown if h in text} | {
        h for h in LIVE if "<" in h for text in html if h in text
    }


def assert_inert(at: AppTest, *typed: str) -> None:
    """No exception, the page rendered, and nothing hostile reached Markdown or HTML."""
    assert not at.exception, [e.value for e in at.exception]
    assert markdown_texts(at), "the page rendered nothing"
    leaked = sorted(h[:40] for h in leaks(at, *typed))
    assert leaked == [], f"hostile text rendered as Markdown or HTML: {leaked}"


def test_markdown_texts_sees_what_markdown_renders():
    """Guard for the check above: it must see every place Markdown renders, and
    only those."""

    def page():
        import streamlit as st

        st.markdown("**a** in markdown")
        st.write("in st.write")
        st.caption("in a caption")
        st.subheader("in a heading")
        st.info("in an alert")
        st.metric("in a metric", 1, help="in a metric's help")
        st.button("in a button")
        st.selectbox("in a label", ["an option"], help="in help")
        with st.expander("in an expander"):
            st.text("plain text")
        st.code("in code")
        st.dataframe({"col": ["in a table"]})
        st.html("<p>in html</p>")

    at = AppTest.from_function(page).run()
    shown = " | ".join(markdown_texts(at))
    for text in ("**a** in markdown", "in st.write", "in a caption", "in a heading",
                 "in an alert", "in a metric", "in a metric's help", "in a button", "in a label",
                 "in help", "in an expander"):  # fmt: skip
        assert text in shown
    for text in ("an option", "plain text", "in code", "in a table", "in html"):
        assert text not in shown
    assert markdown_texts(at, "html") == ["<p>in html</p>"]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_hostile_data_for_every_role_it_is_meant_for(hostile, role):
    at = signed_in(role)
    for page, roles in PAGES.items():
        if role in roles:
            at.switch_page(page).run()
            assert at.title, page
            assert_inert(at)


def test_the_overview_lists_the_hostile_channel_as_text(hostile):
    at = signed_in("admin")
    assert_inert(at)
    batches = next(d.value for d in at.dataframe if EN["col.channel"] in d.value.columns)
    assert CHANNEL in batches[EN["col.channel"]].tolist()


def test_a_steward_decides_a_proposal_of_hostile_records_in_the_workbench(hostile):
    at = signed_in("steward")
    at.switch_page("pages/queue.py").run()
    assert_inert(at)
    at.button(key="q_open").click().run()
    at.switch_page("pages/workbench.py").run()
    assert_inert(at)
    pid = at.session_state["proposal_id"]
    shown = set(at.dataframe[0].value.to_numpy().ravel())
    addresses = {a for (a,) in hostile.conn.execute(
        "select r.address from proposal_members m join source_records r on r.id = m.record_id "
        "where m.proposal_id = ?", (pid,))}  # fmt: skip
    assert len(addresses) > 1 and addresses <= shown  # hostile, and in conflict
    picks = [s for s in at.selectbox if s.key.startswith(f"pick_{pid}_")]
    assert addresses <= set(at.selectbox(key=f"pick_{pid}_address").options)
    for pick in picks:
        pick.select(pick.options[-1])
    at.run()
    at.button(key="approve").click().run()
    assert_inert(at)  # the dialog says which value will survive
    at.button(key="confirm_merge").click().run()
    assert_inert(at)
    assert re.search(r"customer (\d+)", at.success[0].value)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["steward", "manager", "auditor"])
def test_customers_are_found_by_hostile_names_and_their_card_opens(hostile, role):
    names = [h for h in HOSTILE.values() if holders(hostile, h)]
    at = signed_in(role)
    at.switch_page("pages/customers.py").run()
    opened = 0
    for text in names:
        at.text_input(key="c_query").input(text).run()
        assert not at.exception, text
        if any(s.key == "c_pick" for s in at.selectbox):
            assert_inert(at)
            at.button(key="c_open").click().run()
            assert_inert(at)
            opened += 1
    assert opened >= 3


def test_an_admin_opens_a_hostile_customer_on_the_data_subject_page_inertly(hostile):
    customer = hostile.conn.execute(
        "select m.customer_id from customer_members m join source_records r on r.id = m.record_id "
        "where r.name like '%<script>%' limit 1"
    ).fetchone()[0]
    at = signed_in("admin")
    at.switch_page("pages/privacy.py").run()
    at.number_input(key="subj_customer").set_value(customer).run()
    assert any(EN["subject.about"].split("{")[0] in m for m in markdown_texts(at))
    assert_inert(at)


def test_a_search_that_finds_nothing_echoes_the_typed_text_inertly(hostile):
    at = signed_in("steward")
    at.switch_page("pages/customers.py").run()
    typed = "**nobody** ![x](http://evil.example/q.png)"
    at.text_input(key="c_query").input(typed).run()
    assert at.info, "the page says that nothing was found"
    assert_inert(at, typed)


def test_the_new_customer_check_page_takes_hostile_text_in_every_box(hostile):
    at = signed_in("steward")
    at.switch_page("pages/check.py").run()
    for text in [h for h in HOSTILE.values() if h.strip()][::3]:
        for box in ("chk_name", "chk_mobile", "chk_email", "chk_company", "chk_city"):
            at.text_input(key=box).input(text)
        at.get("form_submit_button")[0].click().run()
        assert_inert(at)


@pytest.mark.slow
@pytest.mark.parametrize("role", ["steward", "admin"])
def test_the_import_page_previews_and_imports_a_hostile_file(hostile, role):
    at = signed_in(role)
    at.switch_page("pages/import_data.py").run()
    data = csv_bytes([HEADER, *rows()])
    at.file_uploader(key="imp_file").upload("<b>hostile</b>.csv", data, "text/csv").run()
    assert_inert(at)  # the mapping shows the hostile header as its label
    at.text_input(key="imp_source_new").input("网页 **表单** <i>2</i>").run()
    at.button(key="imp_run").click().run()
    assert_inert(at)
    assert at.success and "Imported" in at.success[0].value
    quarantined = next(d.value for d in at.dataframe if "reason_code" in d.value.columns)
    assert "row.undecodable" in set(quarantined["reason_code"])


def test_the_dashboard_drills_into_the_hostile_channel_as_text(hostile):
    at = signed_in("manager")
    at.switch_page("pages/dashboard.py").run()
    assert_inert(at)
    at.selectbox(key="drill_channel").select(CHANNEL).run()
    assert_inert(at)
    table = next(d.value for d in at.dataframe if EN["col.file_name"] in d.value.columns)
    assert table[EN["col.file_name"]].tolist()[0] == "hostile.csv"


def audit_session(size: int) -> AppTest:
    """The auditor's page with a session open on every decision made so far."""
    at = signed_in("auditor")
    at.switch_page("pages/audit.py").run()
    at.text_input(key="audit_period").input("2000-01-01..2099-12-31")
    at.number_input(key="audit_size").set_value(size)
    at.button[0].click().run()
    assert not at.exception
    return at


def test_an_auditor_reads_the_stewards_hostile_note_inertly(hostile):
    merge = hostile.conn.execute("select id from decisions where kind = 'merge' and note = ?",
                                 (NOTE,)).fetchone()[0]  # fmt: skip
    at = audit_session(3)
    at.selectbox(key="audit_item").select(merge).run()
    assert_inert(at)


def test_an_auditor_judges_hostile_decisions_with_a_hostile_note_and_the_report_escapes_it(
    hostile,
):
    at = audit_session(3)
    for _ in range(3):
        verdict, note = verdict_keys(at.session_state["audit_session_id"],
                                     at.session_state["audit_item"])  # fmt: skip
        at.radio(key=verdict).set_value("unsure")
        at.text_area(key=note).input(NOTE)
        next(b for b in at.button if b.label == EN["audit.save"]).click().run()
        assert not at.exception
        # the steward's note (the same text) is the other test's finding
        assert {h for h in leaks(at) if h not in NOTE} == set()
    next(b for b in at.button if b.label == EN["audit.sign"]).click().run()
    at.button(key="confirm_sign").click().run()
    assert not at.exception and {h for h in leaks(at) if h not in NOTE} == set()
    report = " ".join(h.proto.body for h in at.get("html"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report and "<script>" not in report


# -- any text at all ---------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
COLUMNS = HEADER[:11]


@pytest.mark.slow
@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.lists(TEXT, min_size=len(COLUMNS), max_size=len(COLUMNS)),
                min_size=1, max_size=4))  # fmt: skip
def test_any_text_in_every_field_is_imported_exactly_or_refused_cleanly(store, table):
    assume(all(sum(c.count("\n") + c.count("\r") for c in row) < 40 for row in table))
    before = (store.count("source_records"), store.count("quarantine"))
    batch = store.count("import_batches")
    try:
        result = import_bytes(store, csv_bytes([COLUMNS, *table]), "any.csv", source=f"s{batch}",
                              actor=Actor("fuzz", "system"), id_column="客户编号", delimiter=",", today=TODAY)  # fmt: skip
    except StewardError as exc:
        assert str(exc).startswith("any.csv: ")
        assert (store.count("source_records"), store.count("quarantine")) == before
        return
    expected = [o for o in map(outcome, table) if o != "blank"]
    assert result.rows_read == result.rows_imported + result.rows_quarantined == len(expected)
    stored = store.conn.execute(
        f"select row_number, raw_cells, {', '.join(f'[{f}]' for f in FIELDS)} "
        "from source_records where batch_id = ? order by row_number",
        (result.batch_id,),
    ).fetchall()
    kept = [row for row in table if outcome(row) != "blank"]
    assert [r[0] for r in stored] == [n for n, o in enumerate(expected, 1) if o == "imported"]
    for number, raw_cells, *values in stored:
        cells = kept[number - 1]
        assert json.loads(raw_cells) == cells
        by_field = dict(zip(FIELDS, values, strict=True))
        for column, field in FIELD_OF.items():
            cell = cells[COLUMNS.index(column)]
            assert by_field[field] == (cell if cell.strip() else "")


def test_security_md_states_the_figures_measured_here():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert f"{len(HOSTILE)} hostile strings" in text
    assert f"{HOSTILE_INPUTS:,} hostile cells" in text
    assert f"{len(HOSTILE) * SWEEP_CALLS} calls of {SWEEP_CALLS} standardizers and reads" in text
