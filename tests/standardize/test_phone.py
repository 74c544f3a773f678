"""normalize_phone turns a phone cell into one E.164 number, its kind,
extension and the other numbers in the cell."""

from __future__ import annotations

import random
import string

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.phone import (
    REASONS,
    PhoneKind,
    PhoneResult,
    _cn_mobile_nsn,
    normalize_phone,
)
from core.standardize.result import STATUSES, Status
from core.standardize.text import is_blank

MOBILE = "+8613812345678"
BEIJING = "+861062345678"
SHENZHEN = "+8675588888888"

# (raw, value, status, kind, extension, others, reason)
CASES = [
    ("13812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("138 1234 5678", MOBILE, "valid", "mobile", "", (), ""),
    ("138-1234-5678", MOBILE, "valid", "mobile", "", (), ""),
    ("138.1234.5678", MOBILE, "valid", "mobile", "", (), ""),
    ("１３８１２３４５６７８", MOBILE, "valid", "mobile", "", (), ""),
    ("+86 138 1234 5678", MOBILE, "valid", "mobile", "", (), ""),
    ("+86-13812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("0086 138 1234 5678", MOBILE, "valid", "mobile", "", (), ""),
    ("8613812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("(86)13812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("\u200b13812345678\u3000", MOBILE, "valid", "mobile", "", (), ""),
    ("13812345678.0", MOBILE, "valid", "mobile", "", (), ""),
    ("1.3812345678E+10", MOBILE, "valid", "mobile", "", (), ""),
    ("手机：13812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("Tel: +86 10 6234 5678", BEIJING, "valid", "fixed_line", "", (), ""),
    ("010-62345678", BEIJING, "valid", "fixed_line", "", (), ""),
    ("(010) 6234 5678", BEIJING, "valid", "fixed_line", "", (), ""),
    ("+86 (0)10 6234 5678", BEIJING, "valid", "fixed_line", "", (), ""),
    ("(0755)8888 8888", SHENZHEN, "valid", "fixed_line", "", (), ""),
    ("（０７５５）８８８８－８８８８", SHENZHEN, "valid", "fixed_line", "", (), ""),
    ("075588888888", SHENZHEN, "valid", "fixed_line", "", (), ""),
    ("010-62345678 转 8021", BEIJING, "valid", "fixed_line", "8021", (), ""),
    ("010-62345678转8021", BEIJING, "valid", "fixed_line", "8021", (), ""),
    ("010-62345678(转8021)", BEIJING, "valid", "fixed_line", "8021", (), ""),
    ("010-62345678-8021", BEIJING, "valid", "fixed_line", "8021", (), ""),
    ("010 62345678 ext. 12", BEIJING, "valid", "fixed_line", "12", (), ""),
    ("010-62345678 x12", BEIJING, "valid", "fixed_line", "12", (), ""),
    ("010-62345678 分机 12", BEIJING, "valid", "fixed_line", "12", (), ""),
    ("010-62345678#8021", BEIJING, "valid", "fixed_line", "8021", (), ""),
    ("400-800-1234", "+864008001234", "valid", "shared_cost", "", (), "phone.shared_cost"),
    ("800-810-1234", "+868008101234", "valid", "toll_free", "", (), ""),
    ("+44 20 7183 8750", "+442071838750", "valid", "fixed_line", "", (), ""),
    ("+852 9123 4567", "+85291234567", "valid", "mobile", "", (), ""),
    ("+1 415 555 2671", "+14155552671", "valid", "other", "", (), ""),
    ("13812345678/13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678；13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678，010-62345678", MOBILE, "valid", "mobile", "", (BEIJING,), ""),
    ("13812345678、13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678|13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678\n13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678 或 13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678 or 13987654321", MOBILE, "valid", "mobile", "", ("+8613987654321",), ""),
    ("13812345678 01062345678", MOBILE, "valid", "mobile", "", (BEIJING,), ""),
    ("13812345678/13812345678", MOBILE, "valid", "mobile", "", (), ""),
    ("010-62345678 / 13812345678", BEIJING, "valid", "fixed_line", "", (MOBILE,), ""),
    ("无 / 13812345678", MOBILE, "valid", "mobile", "", (), "phone.part_ignored"),
    ("13812345678（微信同号）", MOBILE, "valid", "mobile", "", (), "phone.note_removed"),
    ("张总 13812345678", MOBILE, "valid", "mobile", "", (), "phone.note_removed"),
    ("13812345678(停机)", MOBILE, "suspect", "mobile", "", (), "phone.marked_unreachable"),
    ("95588", "95588", "suspect", "short_code", "", (), "phone.short_code"),
    ("10086", "10086", "suspect", "short_code", "", (), "phone.short_code"),
    ("12345", "12345", "suspect", "short_code", "", (), "phone.short_code"),
    ("110", "110", "suspect", "short_code", "", (), "phone.short_code"),
    ("10010", "10010", "suspect", "short_code", "", (), "phone.short_code"),
    ("96110", "96110", "suspect", "short_code", "", (), "phone.short_code"),
    ("62345678", "62345678", "partial", "fixed_line", "", (), "phone.no_area_code"),
    ("1381234567", "", "invalid", "", "", (), "phone.too_short"),
    ("138123", "", "invalid", "", "", (), "phone.too_short"),
    ("138123456789", "", "invalid", "", "", (), "phone.too_long"),
    ("12012345678", "", "invalid", "", "", (), "phone.invalid"),
    ("abc", "", "invalid", "", "", (), "phone.not_a_number"),
    ("138abcd5678", "", "invalid", "", "", (), "phone.not_a_number"),
    ("1.38123E+10", "", "invalid", "", "", (), "phone.scientific"),
    ("00000000000", "", "invalid", "", "", (), "phone.fake"),
    ("11111111111", "", "invalid", "", "", (), "phone.fake"),
    ("12345678901", "", "invalid", "", "", (), "phone.fake"),
    ("无", "", "invalid", "", "", (), "phone.placeholder"),
    ("未知", "", "invalid", "", "", (), "phone.placeholder"),
    ("N/A", "", "invalid", "", "", (), "phone.placeholder"),
    ("-", "", "invalid", "", "", (), "phone.placeholder"),
    ("", "", "missing", "", "", (), ""),
    ("  \u3000 ", "", "missing", "", "", (), ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "kind", "extension", "others", "reason"),
    CASES,
    ids=[repr(case[0]) for case in CASES],
)
def test_a_cell_standardizes_to_the_expected_number(
    raw: str,
    value: str,
    status: Status,
    kind: PhoneKind,
    extension: str,
    others: tuple[str, ...],
    reason: str,
) -> None:
    assert normalize_phone(raw) == PhoneResult(
        value=value, status=status, reason=reason, kind=kind, extension=extension, others=others
    )


@pytest.mark.parametrize(
    ("raw", "region", "value", "status"),
    [
        ("(415) 555-2671", "US", "+14155552671", "valid"),
        ("020 7183 8750", "gb", "+442071838750", "valid"),
        ("911", "US", "911", "suspect"),
        ("+8613812345678", "ZZ", MOBILE, "valid"),
        ("13812345678", "ZZ", "", "invalid"),
        ("13812345678", "", "", "invalid"),
    ],
    ids=[
        "us-national",
        "lower-case-region",
        "us-emergency",
        "bad-region-plus",
        "bad-region-bare",
        "empty-region",
    ],
)
def test_the_region_says_how_to_read_numbers_without_a_plus(
    raw: str, region: str, value: str, status: str
) -> None:
    result = normalize_phone(raw, region)
    assert (result.value, result.status) == (value, status)


def test_an_unknown_region_asks_for_a_country_code() -> None:
    assert normalize_phone("13812345678", "ZZ").reason == "phone.needs_country_code"


def test_a_mobile_cell_and_its_e164_value_give_the_same_answer() -> None:
    assert normalize_phone("+8613812345678") == normalize_phone("138 1234 5678")


def test_the_fast_path_agrees_with_phonenumbers_on_random_mobiles() -> None:
    rng = random.Random(20240611)
    fast = 0
    for _ in range(3000):
        digits = "1" + rng.choice("3456789") + "".join(rng.choices(string.digits, k=9))
        number = phonenumbers.parse(digits, "CN")
        valid = phonenumbers.is_valid_number(number)
        expected_kind = phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        result = normalize_phone(digits)
        fast += _cn_mobile_nsn(digits) is not None
        if valid and expected_kind:
            assert (result.value, result.status, result.kind) == ("+86" + digits, "valid", "mobile")
        else:
            assert _cn_mobile_nsn(digits) is None
            assert result.status != "valid" or result.kind != "mobile", digits
    assert fast > 2000  # the fast path is really exercised


# --- properties ------------------------------------------------------------

_PHONEISH = st.text(alphabet="0123456789 +-()./;,、|转分机extX#号手机:：\n１３８", max_size=60)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)  # any text but surrogates


def _assert_contract(raw: str, result: PhoneResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert result.value == ""
        assert result.kind == "" and result.others == ()
    else:
        assert result.value != ""
    if result.status not in ("valid", "missing"):
        assert result.reason != ""
    if result.status == "missing":
        assert result.reason == ""
    assert result.reason == "" or result.reason in REASONS
    assert result.extension.isdigit() or result.extension == ""
    assert all(o.startswith("+") for o in result.others)


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _PHONEISH))
def test_any_text_gives_a_result_that_keeps_the_contract(raw: str) -> None:
    _assert_contract(raw, normalize_phone(raw))


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _PHONEISH), st.sampled_from(["CN", "US", "GB", "HK", "ZZ"]))
def test_standardizing_twice_changes_nothing(raw: str, region: str) -> None:
    once = normalize_phone(raw, region)
    if once.status != "missing":
        assert normalize_phone(once.value, region).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": "138\x0012345678",
    "emoji": "😀📞",
    "rtl-override": "\u202e87654321831",
    "10k-digits": "9" * 10_000,
    "10k-spaced": "1 " * 5_000,
    "many-zhuan": "转" * 1000,
    "many-plus": "+" * 300,
    "many-brackets": "(" * 500 + "1",
    "huge-exponent": "1e99999",
    "arabic-indic-digits": "٣٨١٢٣٤٥٦٧٨",
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_phone(raw))


def test_every_reason_template_names_the_value_and_formats() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("phone.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="138", suggestion="x")
