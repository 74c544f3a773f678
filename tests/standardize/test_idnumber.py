"""normalize_id_number verifies Chinese resident ID numbers and keeps other
identity documents as typed.

No real person's number appears here: every resident ID is built from a
synthetic 17-digit base (real area code, made-up birth date and sequence)
and its check digit is computed below, independently of the code under test.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.idnumber import REASONS, IdKind, IdNumberResult, normalize_id_number
from core.standardize.result import STATUSES, Status
from core.standardize.text import is_blank

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(base17: str) -> str:
    """A synthetic resident ID: ``base17`` plus its GB 11643 check character."""
    total = sum(int(d) * w for d, w in zip(base17, _WEIGHTS, strict=True))
    return base17 + "10X98765432"[total % 11]


def wrong_check(number: str) -> str:
    """``number`` with a check character that does not fit."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


BEIJING = ric("11010519900307123")  # 北京市朝阳区, born 1990-03-07
SHENZHEN = ric("44030419851122002")  # 深圳市福田区, born 1985-11-22
WITH_X = next(n for n in (ric(f"310104198802{d:02d}123") for d in range(1, 29)) if n[-1] == "X")


def test_the_synthetic_numbers_are_well_formed() -> None:
    assert len(BEIJING) == len(SHENZHEN) == len(WITH_X) == 18
    assert WITH_X.endswith("X")


@pytest.mark.parametrize(
    ("raw", "value", "birth_date"),
    [
        (BEIJING, BEIJING, "1990-03-07"),
        (SHENZHEN, SHENZHEN, "1985-11-22"),
        (WITH_X, WITH_X, WITH_X[6:10] + "-" + WITH_X[10:12] + "-" + WITH_X[12:14]),
        (WITH_X.lower(), WITH_X, WITH_X[6:10] + "-" + WITH_X[10:12] + "-" + WITH_X[12:14]),
        (f" {BEIJING[:6]} {BEIJING[6:14]} {BEIJING[14:]} ", BEIJING, "1990-03-07"),
        (f"{BEIJING[:6]}-{BEIJING[6:14]}-{BEIJING[14:]}", BEIJING, "1990-03-07"),
        ("身份证：" + BEIJING, BEIJING, "1990-03-07"),
        ("身份证号码 " + BEIJING, BEIJING, "1990-03-07"),
        ("'" + BEIJING, BEIJING, "1990-03-07"),
        (
            BEIJING.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            BEIJING,
            "1990-03-07",
        ),
    ],
    ids=[
        "beijing",
        "shenzhen",
        "x-check",
        "lower-x",
        "spaced",
        "dashed",
        "label",
        "label-space",
        "excel-apostrophe",
        "full-width",
    ],
)
def test_a_resident_id_is_verified_and_its_birth_date_read(
    raw: str, value: str, birth_date: str
) -> None:
    assert normalize_id_number(raw) == IdNumberResult(
        value=value, status="valid", kind="cn_ric", birth_date=birth_date
    )


def test_a_fifteen_digit_first_generation_id_is_upgraded_to_eighteen() -> None:
    old = BEIJING[:6] + BEIJING[8:17]  # 110105 900307 123: two-digit year, no check digit
    assert normalize_id_number(old) == IdNumberResult(
        value=BEIJING,
        status="valid",
        reason="idnumber.upgraded_15",
        kind="cn_ric",
        birth_date="1990-03-07",
    )
    assert normalize_id_number(BEIJING).reason == ""


def test_an_unknown_area_code_keeps_the_number_but_flags_it() -> None:
    unknown = ric("99999919900307123")
    assert normalize_id_number(unknown) == IdNumberResult(
        value=unknown,
        status="suspect",
        reason="idnumber.area_code",
        kind="cn_ric",
        birth_date="1990-03-07",
    )


# (raw, value, status, kind, reason)
CASES = [
    (wrong_check(BEIJING), "", "invalid", "", "idnumber.checksum"),
    (wrong_check(WITH_X), "", "invalid", "", "idnumber.checksum"),
    (BEIJING[:17] + "Y", "", "invalid", "", "idnumber.checksum"),
    (ric("11010519901332123"), "", "invalid", "", "idnumber.birth_date"),
    (ric("11010519900230123"), "", "invalid", "", "idnumber.birth_date"),
    (ric("11010520990101123"), "", "invalid", "", "idnumber.birth_date"),
    (ric("11010518500101123"), "", "invalid", "", "idnumber.birth_date"),
    ("110105901332123", "", "invalid", "", "idnumber.birth_date"),
    (BEIJING[:17], "", "invalid", "", "idnumber.length"),
    (BEIJING + "1", "", "invalid", "", "idnumber.length"),
    ("1.10105199003071E+17", "", "invalid", "", "idnumber.scientific"),
    ("E12345678", "E12345678", "valid", "other", "idnumber.unverified"),
    ("e 1234 5678", "E12345678", "valid", "other", "idnumber.unverified"),
    ("护照：G12345678", "G12345678", "valid", "other", "idnumber.unverified"),
    ("A123456(7)", "A1234567", "valid", "other", "idnumber.unverified"),
    ("H01234567", "H01234567", "valid", "other", "idnumber.unverified"),
    ("ID12345", "ID12345", "valid", "other", "idnumber.unverified"),
    ("ABCDEF", "", "invalid", "", "idnumber.invalid"),
    ("1234", "", "invalid", "", "idnumber.invalid"),
    ("A" + "1" * 20, "", "invalid", "", "idnumber.invalid"),
    ("张三的身份证", "", "invalid", "", "idnumber.invalid"),
    ("无", "", "invalid", "", "idnumber.placeholder"),
    ("不详", "", "invalid", "", "idnumber.placeholder"),
    ("", "", "missing", "", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "kind", "reason"),
    CASES,
    ids=[
        "bad-check",
        "bad-check-x",
        "bad-check-letter",
        "month-13",
        "feb-30",
        "future",
        "1850",
        "15-digit-bad-date",
        "17-digits",
        "19-digits",
        "scientific",
        "passport",
        "passport-spaced",
        "passport-label",
        "hk-id",
        "hk-permit",
        "id-prefix-kept",
        "letters-only",
        "too-short",
        "too-long",
        "chinese-text",
        "placeholder",
        "placeholder-buxiang",
        "blank",
    ],
)
def test_a_cell_standardizes_to_the_expected_result(
    raw: str, value: str, status: Status, kind: IdKind, reason: str
) -> None:
    assert normalize_id_number(raw) == IdNumberResult(
        value=value, status=status, reason=reason, kind=kind
    )


# --- properties ------------------------------------------------------------

_IDISH = st.text(alphabet="0123456789Xx -()ABE身份证:'", max_size=25)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)  # any text but surrogates
_BASES = st.builds(
    lambda area, y, m, d, seq: f"{area}{y:04d}{m:02d}{d:02d}{seq:03d}",
    st.sampled_from(["110105", "310104", "440304", "510107", "330106"]),
    st.integers(1930, 2010),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 999),
)


def _assert_contract(raw: str, result: IdNumberResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert (result.value, result.kind, result.birth_date) == ("", "", "")
    else:
        assert result.value != "" and result.kind != ""
    if result.status not in ("valid", "missing"):
        assert result.reason != ""
    if result.status == "missing":
        assert result.reason == ""
    assert result.reason == "" or result.reason in REASONS


@settings(max_examples=200)
@given(_BASES)
def test_every_well_formed_synthetic_id_is_valid(base: str) -> None:
    result = normalize_id_number(ric(base))
    assert (result.status, result.kind, result.birth_date.replace("-", "")) == (
        "valid",
        "cn_ric",
        base[6:14],
    )


@settings(max_examples=200)
@given(_BASES, st.integers(0, 16), st.integers(1, 9))
def test_changing_one_digit_is_always_caught(base: str, position: int, delta: int) -> None:
    number = ric(base)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert normalize_id_number(changed).status in ("invalid", "suspect")


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _IDISH))
def test_any_text_gives_a_result_that_keeps_the_contract(raw: str) -> None:
    _assert_contract(raw, normalize_id_number(raw))


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _IDISH, _BASES.map(ric)))
def test_standardizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_id_number(raw)
    if once.status != "missing":
        assert normalize_id_number(once.value).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": BEIJING[:9] + "\x00" + BEIJING[9:],
    "emoji": "😀" * 18,
    "rtl-override": "\u202e" + BEIJING,
    "10k-digits": "1" * 10_000,
    "10k-x": "X" * 10_000,
    "many-labels": "身份证:" * 2_000,
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_id_number(raw))


def test_every_reason_template_names_the_value_and_formats() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("idnumber.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="110105", suggestion="")
