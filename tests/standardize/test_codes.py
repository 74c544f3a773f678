"""Postcodes are checked against the record's country, countries become
ISO 3166-1 alpha-2 codes and customer types one of three kinds; anything
unrecognised is kept and flagged rather than dropped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.codes import (
    _ISO,
    REASONS,
    normalize_country,
    normalize_customer_type,
    normalize_postcode,
)
from core.standardize.result import STATUSES, FieldResult
from core.standardize.text import is_blank

# (raw, country, value, status, reason)
POSTCODES = [
    ("518057", "CN", "518057", "valid", ""),
    ("５１８０５７", "CN", "518057", "valid", ""),
    ("518 057", "CN", "518057", "valid", ""),
    ("518057.0", "CN", "518057", "valid", ""),
    ("邮编：518057", "CN", "518057", "valid", ""),
    ("100020", "中国", "100020", "valid", ""),
    ("010010", "China", "010010", "valid", ""),
    ("10010", "CN", "010010", "suspect", "postcode.leading_zero"),
    ("5180571", "CN", "", "invalid", "postcode.cn_format"),
    ("91234", "CN", "", "invalid", "postcode.cn_format"),
    ("918057", "CN", "", "invalid", "postcode.cn_format"),
    ("SW1A 1AA", "CN", "", "invalid", "postcode.cn_format"),
    ("000000", "CN", "", "invalid", "postcode.placeholder"),
    ("无", "CN", "", "invalid", "postcode.placeholder"),
    ("sw1a  1aa", "GB", "SW1A 1AA", "valid", ""),
    ("94043", "US", "94043", "valid", ""),
    ("94043-1351", "United States", "94043-1351", "valid", ""),
    ("100-0001", "日本", "100-0001", "valid", ""),
    ("K1A 0B1", "Canada", "K1A 0B1", "valid", ""),
    ("10117", "德国", "10117", "valid", ""),
    ("518057", "", "518057", "valid", ""),
    ("12", "US", "", "invalid", "postcode.format"),
    ("12345678901", "US", "", "invalid", "postcode.format"),
    ("940#43", "US", "", "invalid", "postcode.format"),
    ("", "CN", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "country", "value", "status", "reason"),
    POSTCODES,
    ids=[f"{c[0]}|{c[1]}" for c in POSTCODES],
)
def test_a_postcode_is_checked_against_its_country(
    raw: str, country: str, value: str, status: str, reason: str
) -> None:
    r = normalize_postcode(raw, country)
    assert (r.value, r.status, r.reason) == (value, status, reason)


# (raw, value, status, reason)
COUNTRIES = [
    ("中国", "CN", "valid", ""),
    ("中華人民共和國", "CN", "valid", ""),
    ("China", "CN", "valid", ""),
    ("PRC", "CN", "valid", ""),
    ("P.R. China", "CN", "valid", ""),
    ("CHN", "CN", "valid", ""),
    ("cn", "CN", "valid", ""),
    ("大陆", "CN", "valid", ""),
    ("中国大陆", "CN", "valid", ""),
    ("香港", "HK", "valid", ""),
    ("Hong Kong", "HK", "valid", ""),
    ("HK", "HK", "valid", ""),
    ("中国香港", "HK", "valid", ""),
    ("台湾", "TW", "valid", ""),
    ("臺灣", "TW", "valid", ""),
    ("Taiwan", "TW", "valid", ""),
    ("澳门", "MO", "valid", ""),
    ("Macau", "MO", "valid", ""),
    ("美国", "US", "valid", ""),
    ("USA", "US", "valid", ""),
    ("U.S.A.", "US", "valid", ""),
    ("United States", "US", "valid", ""),
    ("英国", "GB", "valid", ""),
    ("UK", "GB", "valid", ""),
    ("GB", "GB", "valid", ""),
    ("日本", "JP", "valid", ""),
    ("韩国", "KR", "valid", ""),
    ("South Korea", "KR", "valid", ""),
    ("新加坡", "SG", "valid", ""),
    ("德国", "DE", "valid", ""),
    ("DEU", "DE", "valid", ""),
    ("法国", "FR", "valid", ""),
    ("澳大利亚", "AU", "valid", ""),
    ("加拿大", "CA", "valid", ""),
    ("The Netherlands", "NL", "valid", ""),
    ("Ｊａｐａｎ", "JP", "valid", ""),
    ("Narnia", "Narnia", "suspect", "country.unknown"),
    ("火星", "火星", "suspect", "country.unknown"),
    ("Namibia", "NA", "valid", ""),
    ("NA", "NA", "suspect", "country.namibia_or_na"),
    ("N/A", "", "invalid", "country.placeholder"),
    ("未知", "", "invalid", "country.placeholder"),
    ("", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason"), COUNTRIES, ids=[c[0] or "blank" for c in COUNTRIES]
)
def test_a_country_becomes_its_iso_alpha2_code(
    raw: str, value: str, status: str, reason: str
) -> None:
    r = normalize_country(raw)
    assert (r.value, r.status, r.reason) == (value, status, reason)


@pytest.mark.parametrize("alpha2", _ISO[0::2])
def test_every_iso_code_reads_as_itself_and_its_alpha3_as_it(alpha2: str) -> None:
    alpha3 = _ISO[_ISO.index(alpha2) + 1]
    assert normalize_country(alpha2).value == alpha2
    assert normalize_country(alpha3.lower()).value == alpha2


# (raw, value, status, reason)
CUSTOMER_TYPES = [
    ("潜在客户", "prospect", "valid", ""),
    ("意向客户", "prospect", "valid", ""),
    ("线索", "prospect", "valid", ""),
    ("Lead", "prospect", "valid", ""),
    ("prospect", "prospect", "valid", ""),
    ("客户", "customer", "valid", ""),
    ("成交客户", "customer", "valid", ""),
    ("已购", "customer", "valid", ""),
    ("Customer", "customer", "valid", ""),
    ("client", "customer", "valid", ""),
    ("大客户", "key_account", "valid", ""),
    ("重点客户", "key_account", "valid", ""),
    ("重點客戶", "key_account", "valid", ""),
    ("VIP", "key_account", "valid", ""),
    ("vip客户", "key_account", "valid", ""),
    ("KA", "key_account", "valid", ""),
    ("Key Account", "key_account", "valid", ""),
    ("key_account", "key_account", "valid", ""),
    ("战略客户", "key_account", "valid", ""),
    ("路人甲", "路人甲", "suspect", "customer_type.unknown"),
    ("无", "", "invalid", "customer_type.placeholder"),
    ("", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason"),
    CUSTOMER_TYPES,
    ids=[c[0] or "blank" for c in CUSTOMER_TYPES],
)
def test_a_customer_type_becomes_one_of_three_kinds(
    raw: str, value: str, status: str, reason: str
) -> None:
    r = normalize_customer_type(raw)
    assert (r.value, r.status, r.reason) == (value, status, reason)


# --- properties ------------------------------------------------------------

_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=100)
_CODEISH = st.text(alphabet="0123456789 -.ABCswkn中国香港客户大VIP邮编:", max_size=14)
_COUNTRY = st.sampled_from(["CN", "US", "GB", "", "中国", "Narnia"])


def _assert_contract(raw: str, r: FieldResult, kind: str) -> None:
    assert r.status in STATUSES
    assert (r.status == "missing") == is_blank(raw)
    if r.status in ("missing", "invalid"):
        assert r.value == ""
    if r.status not in ("valid", "missing"):
        assert r.reason.startswith(kind + ".")
    if r.status == "missing":
        assert r.reason == ""
    assert r.reason == "" or r.reason in REASONS


@settings(max_examples=500, deadline=None)
@given(st.one_of(_ANY_TEXT, _CODEISH), _COUNTRY)
def test_any_text_gives_results_that_keep_the_contract_and_are_idempotent(
    raw: str, country: str
) -> None:
    for kind, once, again in (
        ("postcode", normalize_postcode(raw, country), normalize_postcode),
        ("country", normalize_country(raw), normalize_country),
        ("customer_type", normalize_customer_type(raw), normalize_customer_type),
    ):
        _assert_contract(raw, once, kind)
        if once.status != "missing":
            args = (once.value, country) if kind == "postcode" else (once.value,)
            assert again(*args).value == once.value  # type: ignore[operator]


HOSTILE = {
    "nul": "\x00",
    "emoji": "😀",
    "rtl-override": "C\u202eN",
    "10k": "中" * 10_000,
    "10k-digits": "5" * 10_000,
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_postcode(raw), "postcode")
    _assert_contract(raw, normalize_country(raw), "country")
    _assert_contract(raw, normalize_customer_type(raw), "customer_type")


def test_every_emitted_reason_is_declared_and_every_template_formats() -> None:
    emitted = {c[4] for c in POSTCODES} | {c[3] for c in COUNTRIES + CUSTOMER_TYPES}
    assert emitted - {""} <= set(REASONS)
    for code, templates in REASONS.items():
        assert code.split(".")[0] in ("postcode", "country", "customer_type")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="10010", suggestion="010010")
