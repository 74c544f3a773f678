"""Identity document numbers: Chinese resident IDs verified, others kept as typed.

A Chinese resident identity number (居民身份证号码) has 18 characters: a
6-digit area code, the birth date (yyyymmdd), a 3-digit sequence and a check
digit (0-9 or X). First-generation cards had 15 digits (2-digit year, no
check digit); those are upgraded to 18. Passports, Hong Kong, Taiwan and
foreign IDs cannot be verified here and are kept, upper-cased and compacted.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, is_placeholder

IdKind = Literal["cn_ric", "other", ""]

_EG_EN = "a Chinese resident ID has 18 characters: 6-digit area, birth date, 3 digits, check digit"
_EG_ZH = "身份证号为 18 位：6 位地区码、8 位出生日期、3 位顺序码和 1 位校验码"
_SAMPLE = "11010519491231002X"  # the specimen number printed in GB 11643
# Every message names the value as typed and shows the correct form.
REASONS: dict[str, tuple[str, str]] = {
    "idnumber.placeholder": (
        f"'{{value}}' is a placeholder, not an ID number; {_EG_EN}, e.g. {_SAMPLE}",
        f"“{{value}}”是占位内容，不是证件号码；{_EG_ZH}，例如 {_SAMPLE}",
    ),
    "idnumber.checksum": (
        f"'{{value}}' fails the check digit of a Chinese resident ID, so a digit is wrong; "
        f"{_EG_EN}, e.g. {_SAMPLE}",
        f"“{{value}}”校验码不符，号码中有数字录错；{_EG_ZH}，例如 {_SAMPLE}",
    ),
    "idnumber.birth_date": (
        f"'{{value}}' contains an impossible birth date (digits 7-14 are yyyymmdd); "
        f"{_EG_EN}, e.g. {_SAMPLE}",
        f"“{{value}}”中的出生日期（第 7–14 位，年月日）不存在；{_EG_ZH}，例如 {_SAMPLE}",
    ),
    "idnumber.area_code": (
        f"'{{value}}' starts with an area code that no Chinese county has ever used; "
        f"check the first 6 digits, e.g. {_SAMPLE}",
        f"“{{value}}”的前 6 位地区码不存在；请核对，例如 {_SAMPLE}",
    ),
    "idnumber.length": (
        f"'{{value}}' has the wrong number of digits for a Chinese resident ID; "
        f"{_EG_EN}, e.g. {_SAMPLE}",
        f"“{{value}}”位数不对，不是有效的身份证号；{_EG_ZH}，例如 {_SAMPLE}",
    ),
    "idnumber.upgraded_15": (
        "'{value}' is a 15-digit first-generation ID; it was converted to the 18-digit form "
        f"(19 added to the year, check digit appended), like {_SAMPLE}",
        f"“{{value}}”是 15 位一代身份证号，已升级为 18 位（年份补“19”并追加校验码），如 {_SAMPLE}",
    ),
    "idnumber.scientific": (
        "'{value}' was turned into scientific notation by Excel and its digits are lost; "
        f"re-export the column as text, e.g. {_SAMPLE}",
        f"“{{value}}”被 Excel 转成了科学计数法，数字已丢失；请将该列按文本重新导出，例如 {_SAMPLE}",
    ),
    "idnumber.unverified": (
        "'{value}' is not a Chinese resident ID (passport, Hong Kong, Taiwan or foreign ID?) "
        f"and could not be verified; a resident ID looks like {_SAMPLE}",
        f"“{{value}}”不是大陆居民身份证号（护照、港澳台或外国证件？），无法校验；"
        f"身份证号例如 {_SAMPLE}",
    ),
    "idnumber.invalid": (
        f"'{{value}}' is not an identity document number; {_EG_EN}, e.g. {_SAMPLE}",
        f"“{{value}}”不是有效的证件号码；{_EG_ZH}，例如 {_SAMPLE}",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class IdNumberResult(FieldResult):
    """A standardized ID number; ``birth_date`` is ISO for Chinese resident IDs."""

    kind: IdKind = ""
    birth_date: str = ""


_MISSING = IdNumberResult(value="", status="missing")
# Chinese labels may run into the number; Latin ones need a colon ("ID12345" is an ID).
_LABEL = re.compile(
    r"^(?:(?:(?:居民)?身份证|证件|护照)(?:号码|号)?\s*:?|(?:id(?:\s*no\.?)?|passport(?:\s*no\.?)?)\s*:)"
    r"\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s\-_.()/]")
# Checked on the compacted form (dot removed): 1.10105199003071E+17 → 110105199003071E+17.
_SCIENTIFIC = re.compile(r"[0-9]{1,17}E\+?[0-9]{1,2}")
_RIC_18 = re.compile(r"[0-9]{17}[0-9X]")
_RIC_BAD_LAST = re.compile(r"[0-9]{17}[A-Z]")
_DIGITS = re.compile(r"[0-9]+")
_OTHER_ID = re.compile(r"(?=.*[0-9])[A-Z0-9]{5,20}")
_AREAS = numdb.get("cn/loc")
# Earliest plausible birth year of a living customer; IDs exist since 1984.
_MIN_BIRTH = datetime.date(1900, 1, 1)


def _birth_date(number: str) -> datetime.date | None:
    """The birth date in an 18-digit number, or None if it cannot be a birth date."""
    try:
        born = ric.get_birth_date(number)
    except (ValidationError, ValueError):
        return None
    # A future date is impossible. Comparing with today is the one impurity:
    # a number dated tomorrow turns valid tomorrow, which is the right answer.
    return born if _MIN_BIRTH <= born <= datetime.date.today() else None


@functools.lru_cache(maxsize=4096)
def _known_area(code: str) -> bool:
    """True if any county ever had this 6-digit area code.

    The year a county was created is deliberately ignored (unlike
    ``ric.get_birth_place``): the code is the place of registration when the
    card was issued, so a Shenzhen resident born in 1930 has a 4403xx code
    even though the district dates from 1990.
    """
    return any("county" in props for _, props in _AREAS.info(code))


def _cn_ric(number: str, upgraded: bool) -> IdNumberResult:
    born = _birth_date(number)
    if born is None:
        return IdNumberResult(value="", status="invalid", reason="idnumber.birth_date")
    if number[-1] != ric.calc_check_digit(number):
        return IdNumberResult(value="", status="invalid", reason="idnumber.checksum")
    status: Status = "valid"
    reason = "idnumber.upgraded_15" if upgraded else ""
    if not _known_area(number[:6]):
        # A miss is more likely a typo than a county missing from stdnum's
        # table, but the number passed its check digit and stays usable.
        status, reason = "suspect", "idnumber.area_code"
    return IdNumberResult(
        value=number,
        status=status,
        reason=reason,
        kind="cn_ric",
        birth_date=born.isoformat(),
    )


@functools.lru_cache(maxsize=65536)
def normalize_id_number(raw: str) -> IdNumberResult:
    """Standardize an identity document number.

    Contract: pure, never raises, idempotent on ``value``. Chinese resident
    IDs are verified (birth date, check digit, area code) and returned as 18
    upper-case characters with ``kind="cn_ric"`` and the ISO ``birth_date``;
    15-digit ones are upgraded to 18. Other letters-and-digits numbers of 5-20
    characters are kept (``kind="other"``, reason ``idnumber.unverified``).

    Args:
        raw: The cell as typed, e.g. ``"身份证：110105 19491231 002x"``.

    Returns:
        An :class:`IdNumberResult`.

    Example:
        >>> normalize_id_number("11010519491231002x").value
        '11010519491231002X'
    """
    text = fold(raw)
    if not text:
        return _MISSING
    if is_placeholder(text):
        return IdNumberResult(value="", status="invalid", reason="idnumber.placeholder")
    text = _LABEL.sub("", text).lstrip("'`").upper()  # ' is Excel's "store as text" mark
    number = _SEPARATORS.sub("", text)
    if _SCIENTIFIC.fullmatch(number):
        return IdNumberResult(value="", status="invalid", reason="idnumber.scientific")
    if _RIC_18.fullmatch(number):
        return _cn_ric(number, upgraded=False)
    if _RIC_BAD_LAST.fullmatch(number):  # the check character can only be 0-9 or X
        return IdNumberResult(value="", status="invalid", reason="idnumber.checksum")
    if len(number) == 15 and _DIGITS.fullmatch(number):
        base = number[:6] + "19" + number[6:]
        return _cn_ric(base + ric.calc_check_digit(base + "0"), upgraded=True)
    if 14 <= len(number) <= 19 and _DIGITS.fullmatch(number):
        return IdNumberResult(value="", status="invalid", reason="idnumber.length")
    if _OTHER_ID.fullmatch(number) and number.isascii():
        return IdNumberResult(
            value=number, status="valid", reason="idnumber.unverified", kind="other"
        )
    return IdNumberResult(value="", status="invalid", reason="idnumber.invalid")
