"""parse_date and parse_birth_date read the date forms people type into
ISO 8601, flag what is ambiguous, incomplete or implausible, and never guess
silently."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.dates import REASONS, DateResult, parse_birth_date, parse_date
from core.standardize.result import STATUSES
from core.standardize.text import is_blank

TODAY = "2024-06-01"

# (raw, value, status, reason)
CASES = [
    ("2024-03-01", "2024-03-01", "valid", ""),
    ("2024/3/1", "2024-03-01", "valid", ""),
    ("2024.3.1", "2024-03-01", "valid", ""),
    ("2024 3 1", "2024-03-01", "valid", ""),
    ("20240301", "2024-03-01", "valid", ""),
    ("2024年3月1日", "2024-03-01", "valid", ""),
    ("2024年3月1号", "2024-03-01", "valid", ""),
    ("２０２４年３月１日", "2024-03-01", "valid", ""),
    ("2024年3月1日 星期五", "2024-03-01", "valid", ""),
    ("二〇二四年三月一日", "2024-03-01", "valid", ""),
    ("二零二四年三月十一日", "2024-03-11", "valid", ""),
    ("2024-03-01 14:05", "2024-03-01T14:05:00", "valid", ""),
    ("2024/3/1 14:05:06", "2024-03-01T14:05:06", "valid", ""),
    ("2024-03-01T14:05:06Z", "2024-03-01T14:05:06", "valid", ""),
    ("2024-03-01T14:05:06+08:00", "2024-03-01T14:05:06", "valid", ""),
    ("2024-03-01 14:05:06.123", "2024-03-01T14:05:06", "valid", ""),
    ("2024-03-01 00:00:00", "2024-03-01T00:00:00", "valid", ""),
    ("2024年3月1日 下午2点30分", "2024-03-01T14:30:00", "valid", ""),
    ("2024年3月1日14时05分06秒", "2024-03-01T14:05:06", "valid", ""),
    ("20240301140506", "2024-03-01T14:05:06", "valid", ""),
    ("Fri Mar 01 2024 14:05:06 GMT+0800 (China Standard Time)", "2024-03-01T14:05:06", "valid", ""),
    ("01-Mar-2024", "2024-03-01", "valid", ""),
    ("Mar 1, 2024", "2024-03-01", "valid", ""),
    ("1 March 2024", "2024-03-01", "valid", ""),
    ("March 1st, 2024 2:05 PM", "2024-03-01T14:05:00", "valid", ""),
    ("Sept 30 2023", "2023-09-30", "valid", ""),
    ("13/1/2024", "2024-01-13", "valid", ""),
    ("1/13/2024", "2024-01-13", "valid", ""),
    ("5/5/2024", "2024-05-05", "valid", ""),
    ("3/1/2024", "2024-03-01", "suspect", "date.ambiguous_order"),
    ("1/3/2024", "2024-01-03", "suspect", "date.ambiguous_order"),
    ("1.3.2024 10:00", "2024-01-03T10:00:00", "suspect", "date.ambiguous_order"),
    ("45352", "2024-03-01", "valid", "date.excel_serial"),
    ("45352.5", "2024-03-01T12:00:00", "valid", "date.excel_serial"),
    ("1709251200", "2024-03-01T00:00:00", "valid", "date.unix_timestamp"),
    ("1709251200000", "2024-03-01T00:00:00", "valid", "date.unix_timestamp"),
    ("24-3-1", "2024-03-01", "suspect", "date.two_digit_year"),
    ("99-3-1", "1999-03-01", "suspect", "date.two_digit_year"),
    ("24年3月1日", "2024-03-01", "suspect", "date.two_digit_year"),
    ("12/25/24", "2024-12-25", "suspect", "date.two_digit_year"),
    ("1-Mar-24", "2024-03-01", "suspect", "date.two_digit_year"),
    ("2024年3月", "2024-03", "partial", "date.month_only"),
    ("2024-03", "2024-03", "partial", "date.month_only"),
    ("202403", "2024-03", "partial", "date.month_only"),
    ("2024年", "2024", "partial", "date.year_only"),
    ("2024", "2024", "partial", "date.year_only"),
    ("2024-06-02", "2024-06-02", "valid", ""),
    ("2024-06-03", "2024-06-03", "suspect", "date.future"),
    ("2099-01-01 08:00", "2099-01-01T08:00:00", "suspect", "date.future"),
    ("2099年1月", "2099-01", "suspect", "date.future"),
    ("1850-01-01", "1850-01-01", "suspect", "date.too_old"),
    ("2024-02-30", "", "invalid", "date.impossible"),
    ("2023-02-29", "", "invalid", "date.impossible"),
    ("2024-13-01", "", "invalid", "date.impossible"),
    ("2024-03-01 25:00", "", "invalid", "date.impossible"),
    ("13/13/2024", "", "invalid", "date.impossible"),
    ("3月1日", "", "invalid", "date.no_year"),
    ("0000-00-00", "", "invalid", "date.placeholder"),
    ("0000-00-00 00:00:00", "", "invalid", "date.placeholder"),
    ("1900-01-01", "", "invalid", "date.placeholder"),
    ("9999-12-31", "", "invalid", "date.placeholder"),
    ("未知", "", "invalid", "date.placeholder"),
    ("-", "", "invalid", "date.placeholder"),
    ("yesterday", "", "invalid", "date.unparseable"),
    ("14:05", "", "invalid", "date.unparseable"),
    ("123", "", "invalid", "date.unparseable"),
    ("2024-03-01 " + "x" * 200, "", "invalid", "date.unparseable"),
    ("", "", "missing", ""),
    ("  ", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason"), CASES, ids=[c[0][:40] or "blank" for c in CASES]
)
def test_a_typed_date_reads_as_iso(raw: str, value: str, status: str, reason: str) -> None:
    r = parse_date(raw, today=TODAY)
    assert (r.value, r.status, r.reason) == (value, status, reason)
    assert r.has_time == ("T" in value)


@pytest.mark.parametrize(
    ("raw", "other"),
    [("3/1/2024", "2024-01-03"), ("1/3/2024", "2024-03-01"),
     ("3/1/2024 14:05", "2024-01-03T14:05:00")],
    ids=["3/1", "1/3", "with-time"],
)  # fmt: skip
def test_an_ambiguous_order_suggests_the_other_reading(raw: str, other: str) -> None:
    r = parse_date(raw, today=TODAY)
    assert (r.status, r.suggestion) == ("suspect", other)
    assert r.suggestion != r.value


def test_two_digit_years_pivot_on_the_current_year() -> None:
    assert parse_date("24-3-1", today="2024-06-01").value == "2024-03-01"
    assert parse_date("25-3-1", today="2024-06-01").value == "1925-03-01"


# (raw, value, status, reason)
BIRTH_CASES = [
    ("1985-03-01", "1985-03-01", "valid", ""),
    ("1985年3月1日", "1985-03-01", "valid", ""),
    ("1985-03-01 00:00:00", "1985-03-01", "valid", ""),
    ("31048", "1985-01-01", "valid", "date.excel_serial"),
    ("1985年3月", "1985-03", "partial", "date.month_only"),
    ("1985", "1985", "partial", "date.year_only"),
    ("2024-06-02", "2024-06-02", "suspect", "date.future"),
    ("1890-01-01", "1890-01-01", "suspect", "date.too_old"),
    ("1850", "1850", "suspect", "date.too_old"),
    ("85-3-1", "1985-03-01", "suspect", "date.two_digit_year"),
    ("1900-01-01", "", "invalid", "date.placeholder"),
    ("1985-02-29", "", "invalid", "date.impossible"),
    ("", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason"), BIRTH_CASES, ids=[c[0] or "blank" for c in BIRTH_CASES]
)
def test_a_birth_date_is_a_plausible_day_without_time(
    raw: str, value: str, status: str, reason: str
) -> None:
    r = parse_birth_date(raw, today=TODAY)
    assert (r.value, r.status, r.reason, r.has_time) == (value, status, reason, False)


def test_a_blank_today_means_the_real_today() -> None:
    assert parse_date("2999-01-01").reason == "date.future"
    assert parse_date("2000-01-01").status == "valid"


def test_a_malformed_today_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_date("2024-03-01", today="yesterday")


# --- properties ------------------------------------------------------------

_DATEISH = st.text(
    alphabet="0123456789-/.: T年月日号点时分秒上下午二〇十一MarchFriZ+,", max_size=30
)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)
_REAL = st.datetimes().map(lambda d: d.strftime(f"%Y-%m-%d{' %H:%M' if d.second % 2 else ''}"))
_SETTINGS = settings(max_examples=500, deadline=None)


def _assert_contract(raw: str, r: DateResult) -> None:
    assert r.status in STATUSES
    assert (r.status == "missing") == is_blank(raw)
    if r.status in ("missing", "invalid"):
        assert r.value == ""
    if r.status not in ("valid", "missing"):
        assert r.reason != ""
    if r.status == "missing":
        assert r.reason == ""
    assert r.reason == "" or r.reason in REASONS
    assert r.has_time == ("T" in r.value)


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _DATEISH, _REAL), st.booleans())
def test_any_text_gives_a_result_that_keeps_the_contract(raw: str, birth: bool) -> None:
    parse = parse_birth_date if birth else parse_date
    r = parse(raw, today=TODAY)
    _assert_contract(raw, r)
    if birth:
        assert not r.has_time


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _DATEISH, _REAL), st.booleans())
def test_standardizing_twice_changes_nothing(raw: str, birth: bool) -> None:
    parse = parse_birth_date if birth else parse_date
    once = parse(raw, today=TODAY)
    if once.status != "missing":
        assert parse(once.value, today=TODAY).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": "2024-03-01\x00",
    "emoji": "2024-03-01😀",
    "rtl-override": "2024\u202e-03-01",
    "10k-digits": "1" * 10_000,
    "10k-dashes": "-" * 10_000,
    "huge-serial": "99999999999999999999",
    "negative": "-45352",
    "year-zero": "0000-01-01",
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, parse_date(raw, today=TODAY))
    _assert_contract(raw, parse_birth_date(raw, today=TODAY))


def test_every_emitted_reason_is_declared_and_every_template_formats() -> None:
    emitted = {c[3] for c in CASES} | {c[3] for c in BIRTH_CASES}
    assert emitted - {""} <= set(REASONS)
    for code, templates in REASONS.items():
        assert code.startswith("date.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="3/1/2024", suggestion="2024-01-03")
