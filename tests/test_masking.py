"""Masking: the rules as properties, and every read a page or an export
makes masks the same values for a manager and an auditor, never for a
steward."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.actors import SYSTEM, Actor
from core.assurance.items import item_view
from core.fields import SENSITIVE_FIELDS as SENSITIVE
from core.ingest.importer import import_file
from core.masking import (
    ALIASES,
    FREE_TEXT,
    LISTS,
    WITHHELD,
    is_masked,
    mask,
    mask_payload,
    mask_text,
    masked,
    masked_text,
    needs_mask,
)
from core.matching.check import Candidate as CheckCandidate
from core.ops.export import export_customers, export_quarantine, export_records
from core.stewardship.card import customer_card
from core.stewardship.customers import get
from core.stewardship.queue import QueueRow
from core.stewardship.search import search_customers
from core.stewardship.workbench import proposal_view
from core.store import Store
from tests.conftest import TODAY, run_cli, write_csv

STEWARD = Actor("wang.fang", "steward")
MANAGER = Actor("li.na", "manager")
AUDITOR = Actor("zhao.min", "auditor")
MASKED_VIEWERS = [pytest.param(MANAGER, id="manager"), pytest.param(AUDITOR, id="auditor")]
EVERY_RULE = sorted(SENSITIVE | FREE_TEXT | set(ALIASES) | LISTS)
CONTACT_NOTE = (
    "客户来电 139-1111-2222 更正，邮箱 xinbing.xu@lianfang.cn，身份证 110105194912310021，"
    "微信 xb_lianfang88，住虹漕路461号"
)
"""A steward's reason of the kind issue 14 found shown in full to a manager."""
CONTACT_SECRETS = {"139-1111-2222", "1111-2222", "xinbing.xu", "110105194912310021",
                   "xb_lianfang88", "虹漕路461号"}  # fmt: skip

digits = st.text("0123456789", min_size=1, max_size=1)
mobiles = st.builds(lambda rest: "1" + rest, st.text("0123456789", min_size=10, max_size=10))
locals_ = st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=2, max_size=20)
domains = st.sampled_from(["qq.com", "163.com", "kanghuafenggroup.com", "gmail.com"])


# --- the rules, as properties ------------------------------------------------------


@given(mobiles)
def test_a_masked_mobile_hides_its_four_middle_digits_in_every_format(mobile):
    hidden = mobile[:3] + "****" + mobile[7:]
    assert mask("mobile", mobile) == hidden
    assert mask("mobile", "+86" + mobile) == "+86" + hidden
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    assert mask("mobile", spaced) == f"{mobile[:3]} **** {mobile[7:]}"
    assert (
        mask("phone", f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}")
        == f"{mobile[:3]}-****-{mobile[7:]}"
    )


@given(mobiles, st.text("0123456789", min_size=4, max_size=4))
def test_two_mobiles_that_differ_only_in_the_middle_digits_mask_alike(mobile, middle):
    other = mobile[:3] + middle + mobile[7:]
    assert mask("mobile", "+86" + mobile) == mask("mobile", "+86" + other)


@given(st.text("0123456789 -+()/", max_size=40))
def test_a_masked_phone_shows_at_most_all_but_four_of_its_digits(text):
    total = sum(ch.isdigit() for ch in text)
    shown = sum(ch.isdigit() for ch in mask("phone", text))
    if total >= 7:
        assert shown <= total - 4
    elif total:
        assert shown < total


@given(locals_, domains)
def test_a_masked_email_keeps_only_the_first_character_and_the_domain(local, domain):
    assert mask("email", f"{local}@{domain}") == f"{local[0]}***@{domain}"


@given(locals_, locals_, domains)
def test_two_emails_with_the_same_first_character_and_domain_mask_alike(a, b, domain):
    b = a[0] + b[1:]
    assert mask("email", f"{a}@{domain}") == mask("email", f"{b}@{domain}")


@given(st.lists(st.tuples(locals_, domains), min_size=2, max_size=3))
def test_every_address_of_a_multi_address_cell_is_masked(addresses):
    text = "; ".join(f"{local}@{domain}" for local, domain in addresses)
    assert mask("email", text) == "; ".join(f"{local[0]}***@{d}" for local, d in addresses)


@given(st.text("0123456789", min_size=17, max_size=17), st.sampled_from(["X", "7"]))
def test_a_masked_id_number_shows_only_its_province(body, check):
    # issue 14, finding 12: the first four and last four characters were shown
    number = body + check
    shown = mask("id_number", number)
    assert shown == number[:2] + "*" * 16


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric_check(body: str) -> str:
    """The check digit of a resident id's first 17 digits (GB 11643, ISO 7064)."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def rebuilt(shown: str, region: str, birth: str, male: bool) -> list[str]:
    """Every resident id that masks to ``shown`` and fits what a masked viewer
    reads beside it: the birth date and the sex, and (the worst case) the
    six-digit code of the district, which the card's district and address show."""
    out = []
    for sequence in range(1000):
        if sequence % 2 != male:  # the sequence's last digit is odd for a man
            continue
        body = f"{region}{birth.replace('-', '')}{sequence:03d}"
        if mask("id_number", body + ric_check(body)) == shown:
            out.append(body + ric_check(body))
    return out


@given(
    st.sampled_from(["110105", "310104", "440305", "500108", "650102"]),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
    st.integers(0, 999),
)
def test_a_masked_id_number_cannot_be_rebuilt_from_the_birth_date_sex_and_district(
    region, born, sequence
):
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    number = body + ric_check(body)
    candidates = rebuilt(mask("id_number", number), region, born.isoformat(), sequence % 2 == 1)
    assert number in candidates and len(candidates) >= 500


def test_a_managers_record_export_leaves_every_id_number_hundreds_of_candidates(store, tmp_path):
    # issue 14, finding 12: `export --what records --actor manager` showed
    # 5001**********6960 beside the birth date, about 9 candidates with the checksum
    people = []
    for i, (region, born) in enumerate([("500108", "19850412"), ("110105", "19900307"),
                                        ("440305", "20011130"), ("310104", "19671201")]):  # fmt: skip
        body = f"{region}{born}{17 + 2 * i:03d}"
        people.append([f"P{i}", f"客户{i}", body + ric_check(body), born])
    path = write_csv(tmp_path / "ids.csv", [["编号", "姓名", "身份证号", "出生日期"], *people])
    import_file(store, path, source="门店登记", actor=Actor("t", "system"), id_column="编号",
                today=TODAY)  # fmt: skip
    export_records(store, tmp_path / "out.csv", viewer=MANAGER)
    rows = {r["source_record_id"]: r for r in read_csv(tmp_path / "out.csv")}
    for source_id, _, number, _ in people:
        row = rows[source_id]
        assert row["birth_date"] == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        for shown in (row["id_number"], row["raw_id_number"]):
            found = rebuilt(shown, number[:6], row["birth_date"], int(number[16]) % 2 == 1)
            assert number in found and len(found) >= 500, shown


@pytest.mark.parametrize("field", EVERY_RULE)
@given(text=st.text(max_size=40))
def test_masking_a_masked_value_changes_nothing(field, text):
    once = mask(field, text)
    assert mask(field, once) == once


@pytest.mark.parametrize("field", sorted(SENSITIVE - {"email"}))
@given(text=st.text(max_size=40))
def test_masking_keeps_the_length_and_an_empty_value_empty(field, text):
    assert len(mask(field, text)) == len(text)
    assert mask(field, "") == ""


@pytest.mark.parametrize("field", ["name", "company", "city", "province", "title", "birth_date"])
@given(text=st.text(max_size=30))
def test_names_companies_and_cities_stay_readable(field, text):
    assert mask(field, text) == text


@given(st.text(min_size=1, max_size=60))
def test_free_text_is_withheld_whole(text):
    assert mask("notes", text) == mask("raw_text", text) == WITHHELD


# --- free text typed by people: reasons and notes (issue 14, finding 11) ---------------------

FORMATS = [
    lambda m: m,
    lambda m: "+86" + m,
    lambda m: f"{m[:3]} {m[3:7]} {m[7:]}",
    lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}",
]


@given(mobiles, st.sampled_from(FORMATS), st.sampled_from(["回电", "call ", "（", "手机:"]))
def test_a_mobile_typed_into_free_text_is_masked_in_any_format(mobile, form, before):
    shown = mask_text(f"{before}{form(mobile)}，谢谢")
    assert mobile not in "".join(ch for ch in shown if ch.isdigit())
    assert mobile[-4:] in shown  # masked like everywhere else: the last four stay


@given(locals_, domains)
def test_an_email_typed_into_free_text_is_masked(local, domain):
    assert mask_text(f"邮箱{local}@{domain}。") == f"邮箱{local[0]}***@{domain}。"


@pytest.mark.parametrize(
    "text",
    ["同一客户，已电话核实", "2026-03-01 上门回访", "订单 20260301 已付", "合并 3 条记录 (12, 15)"],
)
def test_free_text_without_identifiers_stays_as_typed(text):
    assert mask_text(text) == text


@given(st.text("0123456789 -+.()/@abXx*_微信号路楼：:wxid中", max_size=60))
def test_masking_free_text_twice_changes_nothing(text):
    once = mask_text(text)
    assert mask_text(once) == once


def test_a_manager_sees_no_free_text_and_an_auditor_sees_it_with_identifiers_masked():
    assert masked_text(CONTACT_NOTE, MANAGER) == WITHHELD
    assert masked_text(CONTACT_NOTE, STEWARD) == CONTACT_NOTE
    shown = masked_text(CONTACT_NOTE, AUDITOR)
    assert shown == mask_text(CONTACT_NOTE) and "x***@lianfang.cn" in shown
    assert leaks(shown, CONTACT_SECRETS) == []
    assert masked_text("", MANAGER) == ""


def test_only_managers_and_auditors_see_masked_values():
    assert [needs_mask(a) for a in (STEWARD, MANAGER, AUDITOR, SYSTEM)] == [
        False,
        True,
        True,
        False,
    ]
    assert masked("mobile", "+8613812345678", STEWARD) == "+8613812345678"
    assert masked("mobile", "+8613812345678", AUDITOR) == "+86138****5678"


def test_a_decision_detail_is_masked_in_every_value_row_and_picked_value():
    detail = {
        "before": [["mobile", "+8613812345678", 1, 5, "only", "system", "", ""]],
        "field": "email",
        "value": "zhang.wei@qq.com",
        "typed": " Zhang.Wei@QQ.com",
        "fields": ["mobile", "email"],  # names, not values
        "members": {"4": [4, 5]},
    }
    assert mask_payload(detail) == {
        "before": [["mobile", "+86138****5678", 1, 5, "only", "system", "", ""]],
        "field": "email",
        "value": "z***@qq.com",
        "typed": " Z***@QQ.com",
        "fields": ["mobile", "email"],
        "members": {"4": [4, 5]},
    }


# --- every read masks the same values --------------------------------------------


def secrets_of(store: Store, records: list[int] | None = None) -> set[str]:
    """Every sensitive value the store holds for ``records`` (all when None),
    standardized and raw, that masking changes and that is long enough not
    to appear by chance elsewhere."""
    where = "" if records is None else f"where r.id in ({','.join('?' * len(records))})"
    columns = [f"s.[{c}]" for c in ("mobile", "phone", "email", "wechat", "id_number", "address")]
    columns += [f"r.[{c}]" for c in ("mobile", "phone", "email", "wechat", "id_number", "address")]
    rows = store.conn.execute(
        f"select {', '.join(columns)} from source_records r join standardized s on "
        f"s.record_id = r.id {where}",
        records or [],
    )
    names = ["mobile", "phone", "email", "wechat", "id_number", "address"] * 2
    return {
        str(v)
        for row in rows
        for field, v in zip(names, row, strict=True)
        if v and len(str(v)) >= 8 and mask(field, str(v)) != str(v)
    }


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if s in text)


def a_customer_with_contacts(store: Store) -> int:
    """A customer merged from several records, with a mobile and an e-mail."""
    from core.stewardship.merge import approve

    for pid, version in store.conn.execute(
        "select p.id, p.version from proposals p where p.status = 'open' and p.size >= 2 and "
        "(select count(*) from proposal_members m join standardized s on s.record_id = m.record_id "
        "where m.proposal_id = p.id and s.mobile != '' and s.email != '') >= 1 "
        "order by p.size desc, p.id limit 1"
    ).fetchall():
        return approve(store, pid, STEWARD, expected_version=version).customer_id
    raise AssertionError("the matched store has no proposal with a mobile and an e-mail")


@pytest.mark.parametrize("viewer", MASKED_VIEWERS)
def test_the_card_masks_every_sensitive_value_as_the_stewards_card_shows_it(matched, viewer):
    settings = matched.settings()
    cid = a_customer_with_contacts(matched)
    plain = customer_card(matched.conn, cid, STEWARD, settings)
    hidden = customer_card(matched.conn, cid, viewer, settings)
    assert [(v.field, v.value) for v in hidden.values] == [
        (v.field, mask(v.field, v.value)) for v in plain.values
    ]
    assert [(r.name, r.mobile, r.email) for r in hidden.records] == [
        (r.name, mask("mobile", r.mobile), mask("email", r.email)) for r in plain.records
    ]
    assert any(v.field in SENSITIVE and v.value != mask(v.field, v.value) for v in plain.values)
    assert hidden.masked and not plain.masked
    assert leaks(repr(hidden), secrets_of(matched, [r.record_id for r in plain.records])) == []


def test_a_steward_sees_the_card_values_as_stored(matched):
    cid = a_customer_with_contacts(matched)
    card = customer_card(matched.conn, cid, STEWARD, matched.settings())
    stored = get(matched.conn, cid, matched.settings())
    assert [(v.field, v.value) for v in card.values] == [(v.field, v.value) for v in stored.values]
    assert not card.revealable


def test_only_an_auditor_is_offered_reveals_on_the_card(matched):
    cid = a_customer_with_contacts(matched)
    settings = matched.settings()
    offered = customer_card(matched.conn, cid, AUDITOR, settings).revealable
    assert {(r.field, r.record_id) for r in offered} >= {("mobile", None), ("email", None)}
    assert customer_card(matched.conn, cid, MANAGER, settings).revealable == ()


@pytest.mark.parametrize("viewer", MASKED_VIEWERS)
def test_search_hits_are_masked_but_names_and_companies_readable(matched, viewer):
    settings = matched.settings()
    name = get(matched.conn, a_customer_with_contacts(matched), settings).value("name")
    plain = search_customers(matched, name, STEWARD)
    hidden = search_customers(matched, name, viewer)
    assert plain and [(h.name, h.company, h.mobile, h.email) for h in hidden] == [
        (h.name, h.company, mask("mobile", h.mobile), mask("email", h.email)) for h in plain
    ]
    assert any(h.mobile != mask("mobile", h.mobile) for h in plain)


@pytest.mark.parametrize("viewer", MASKED_VIEWERS)
def test_the_workbench_view_masks_record_values_proposals_and_options(matched, viewer):
    settings = matched.settings()
    pid = matched.conn.execute(
        "select id from proposals where status = 'open' and size >= 3 order by id limit 1"
    ).fetchone()[0]
    plain = proposal_view(matched.conn, pid, settings, STEWARD)
    hidden = proposal_view(matched.conn, pid, settings, viewer)
    for a, b in zip(plain.records, hidden.records, strict=True):
        assert b.values == {
            f: "; ".join(mask(f, part) for part in v.split("; ")) for f, v in a.values.items()
        }
    for a, b in zip(plain.fields, hidden.fields, strict=True):
        assert (b.state, b.proposed, b.options) == (
            a.state,
            mask(a.field, a.proposed),
            tuple(mask(a.field, o) for o in a.options),
        )
    members = [r.record_id for r in plain.records]
    secrets = secrets_of(matched, members)
    assert secrets and leaks(repr(plain), secrets) and leaks(repr(hidden), secrets) == []


def test_the_auditors_item_view_masks_records_values_before_and_after_and_detail(decided):
    settings = decided.settings()
    decisions = [d for (d,) in decided.conn.execute("select id from decisions order by id")]
    seen_kinds = set()
    for decision in decisions:
        plain = item_view(decided.conn, decision, settings, SYSTEM)
        hidden = item_view(decided.conn, decision, settings, AUDITOR)
        members = sorted({r.record_id for r in plain.records})
        text = repr(hidden)
        assert leaks(text, secrets_of(decided, members)) == [], (plain.kind, decision)
        assert hidden.detail == mask_payload(plain.detail)
        for a, b in zip(plain.changes, hidden.changes, strict=True):
            assert b.before == tuple(mask(a.field, v) for v in a.before)
            assert b.after == tuple(mask(a.field, v) for v in a.after)
            assert b.changed == a.changed  # two values can mask alike; the change still shows
        seen_kinds.add(plain.kind)
        if plain.changes and plain.records:
            assert hidden.revealable and not plain.revealable
    assert {"merge", "reject", "unmerge", "pick", "detach"} <= seen_kinds


@pytest.mark.parametrize("viewer", MASKED_VIEWERS)
def test_a_stewards_reason_shows_no_contact_on_a_masked_roles_card_or_history(matched, viewer):
    # issue 14, finding 11: the edit reason was shown in full to a manager
    from core.stewardship.picks import edit

    settings = matched.settings()
    cid = a_customer_with_contacts(matched)
    done = edit(matched, cid, "email", "new.box@163.com", STEWARD, reason=CONTACT_NOTE)
    plain = customer_card(matched.conn, done.customer_id, STEWARD, settings)
    assert CONTACT_NOTE in [v.reason for v in plain.values]
    assert CONTACT_NOTE in [e.reason for e in plain.history]
    card = customer_card(matched.conn, done.customer_id, viewer, settings)
    texts = [v.reason for v in card.values] + [e.reason for e in card.history]
    assert leaks(" | ".join(texts), CONTACT_SECRETS) == []
    assert masked_text(CONTACT_NOTE, viewer) in texts
    assert leaks(repr(card), CONTACT_SECRETS) == []


def test_the_auditors_item_view_masks_the_identifiers_in_the_stewards_note_and_detail(matched):
    from core.stewardship.picks import edit

    cid = a_customer_with_contacts(matched)
    edit(matched, cid, "email", "first.box@163.com", STEWARD, reason=CONTACT_NOTE)
    done = edit(matched, cid, "email", "new.box@163.com", STEWARD, reason=CONTACT_NOTE)
    plain = item_view(matched.conn, done.decision_id, matched.settings(), SYSTEM)
    assert plain.note == CONTACT_NOTE and CONTACT_NOTE in repr(plain.detail)
    view = item_view(matched.conn, done.decision_id, matched.settings(), AUDITOR)
    assert view.note == mask_text(CONTACT_NOTE)
    assert leaks(repr(view), CONTACT_SECRETS) == []


def test_queue_rows_and_check_results_carry_no_personal_values_to_mask():
    for shape in (QueueRow, CheckCandidate):
        assert {f.name for f in fields(shape)} & (SENSITIVE | FREE_TEXT) == set(), shape


# --- exports ------------------------------------------------------------------------


@pytest.fixture
def imported(store: Store, tmp_path: Path) -> Store:
    """Records with every sensitive field, notes, and a quarantined ragged row."""
    path = write_csv(
        tmp_path / "leads.csv",
        [
            ["编号", "姓名", "手机", "电话", "邮箱", "微信", "身份证号", "地址", "城市", "备注"],
            ["A1", "张伟", "138 1234 5678", "010-62345678", "zhang.wei@qq.com", "wxid_zw8888",
             "110101199003071234", "北京市朝阳区建国路88号院3号楼1201", "北京", "回电 13912345678"],
            ["A2", "李娜", "+86 139 8765 4321 / 13711112222", "", "li.na@163.com; ln@qq.com", "",
             "", "上海市浦东新区世纪大道100号", "上海", ""],
            ["A3", "王芳", "13600001111", "", "", "", "", "", "", "", "多余 13800001111"],
        ],
    )  # fmt: skip
    import_file(
        store, path, source="展会名片", actor=Actor("t", "system"), id_column="编号", today=TODAY
    )
    return store


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows, with the formula guard taken off (a masked E.164 phone such
    as ``+86138****5678`` is no plain number, so the CSV writer guards it)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: unguard(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def unguard(cell: str) -> str:
    return (
        cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell
    )


EXPORTS = {
    "records": export_records,
    "customers": export_customers,
    "quarantine": export_quarantine,
}


def column_rule(what: str, column: str) -> str:
    if what == "quarantine":
        return column
    return column.removeprefix("raw_") if column.startswith("raw_") else column


@pytest.mark.parametrize("what", sorted(EXPORTS))
@pytest.mark.parametrize("viewer", MASKED_VIEWERS)
def test_an_export_for_a_masked_role_masks_every_sensitive_cell_raw_ones_too(
    imported, tmp_path, what, viewer
):
    plain, hidden = tmp_path / "plain.csv", tmp_path / "hidden.csv"
    assert EXPORTS[what](imported, plain, viewer=SYSTEM) == EXPORTS[what](
        imported, hidden, viewer=viewer
    )
    rows, masked_rows = read_csv(plain), read_csv(hidden)
    assert rows and len(rows) == len(masked_rows)
    for row, shown in zip(rows, masked_rows, strict=True):
        for column, value in row.items():
            rule = column_rule(what, column)
            expected = (
                "; ".join(mask(rule, v) for v in value.split("; ")) if is_masked(rule) else value
            )
            assert shown[column] == expected, column
    text = hidden.read_text(encoding="utf-8-sig")
    assert leaks(text, secrets_of(imported)) == []
    assert not re.search(r"1[3-9]\d{9}", text.replace("+86", ""))
    if what == "quarantine":
        assert {r["raw_text"] for r in masked_rows} == {WITHHELD}


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_a_stewards_export_is_the_systems(imported, tmp_path, what):
    EXPORTS[what](imported, tmp_path / "a.csv", viewer=SYSTEM)
    EXPORTS[what](imported, tmp_path / "b.csv", viewer=STEWARD)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "13800001111" in text if what == "quarantine" else leaks(text, secrets_of(imported))


@pytest.mark.slow
def test_the_cli_export_masks_for_a_managers_actor_and_not_without_one(imported, tmp_path):
    db = str(imported.path)
    added = run_cli("users", "add", "--db", db, "--username", "boss", "--role", "manager",
                    env={"STEWARD_PASSWORD": "pw12"})  # fmt: skip
    assert added.returncode == 0, added.stderr
    for what in ("records", "customers", "quarantine"):
        out = tmp_path / f"{what}.csv"
        proc = run_cli("export", "--db", db, "--what", what, "--out", str(out), "--actor", "boss")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout.splitlines()[-1])["masked"] is True
        text = out.read_text(encoding="utf-8-sig")
        assert "13812345678" not in text and "zhang.wei@qq.com" not in text
        assert "13800001111" not in text  # the quarantined row's raw text
    assert "138****5678" in (tmp_path / "records.csv").read_text(encoding="utf-8-sig")
    operator = tmp_path / "operator.csv"
    proc = run_cli("export", "--db", db, "--what", "records", "--out", str(operator))
    assert proc.returncode == 0 and json.loads(proc.stdout.splitlines()[-1])["masked"] is False
    assert "+8613812345678" in operator.read_text(encoding="utf-8-sig")
    unknown = run_cli("export", "--db", db, "--what", "records", "--out", str(operator),
                      "--actor", "nobody")  # fmt: skip
    assert unknown.returncode == 2 and "no active user 'nobody'" in unknown.stderr
    helped = run_cli("export", "--help")
    assert "without --actor the server operator exports as the system" in " ".join(
        helped.stdout.split()
    )
