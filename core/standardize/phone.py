"""Phone numbers: one E.164 value per cell, plus extension and further numbers.

Real CRM exports put almost anything in a phone column: ``+86 138-1234-5678``,
``(0755)8888 8888``, ``010-62345678 转 8021``, ``13812345678/13987654321``,
``13812345678.0`` (Excel turned the cell into a float), ``手机：138…`` and
``95588``. :func:`normalize_phone` turns a cell into one E.164 number
(``+8613812345678``), its kind, an extension and the other numbers in the cell.

Parsing and validation are delegated to :mod:`phonenumbers`, so any country
works; the region only says how to read numbers written without ``+``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from core.standardize.phone_cn import CN_LONGEST_NSN
from core.standardize.phone_cn import cn_landline_nsn as _cn_landline_nsn
from core.standardize.phone_cn import cn_mobile_nsn as _cn_mobile_nsn
from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, is_placeholder

PhoneKind = Literal[
    "mobile", "fixed_line", "toll_free", "shared_cost", "short_code", "voip", "other", ""
]

# Every message names the value as typed and shows the correct form.
REASONS: dict[str, tuple[str, str]] = {
    "phone.placeholder": (
        "'{value}' is a placeholder, not a phone number; enter the number, "
        "e.g. 138 1234 5678 or a landline with its area code, 010 6234 5678",
        "“{value}”是占位内容，不是电话号码；请填写号码，"
        "例如手机 138 1234 5678 或带区号座机 010 6234 5678",
    ),
    "phone.fake": (
        "'{value}' is a dummy number (repeated or sequential digits); "
        "enter the real number, e.g. 138 1234 5678",
        "“{value}”是虚构号码（重复或连续数字）；请填写真实号码，例如 138 1234 5678",
    ),
    "phone.not_a_number": (
        "'{value}' contains letters or text, not a phone number; use digits only, "
        "e.g. 138 1234 5678 or 010 6234 5678",
        "“{value}”含有文字或字母，不是电话号码；请只填数字，例如 138 1234 5678",
    ),
    "phone.too_short": (
        "'{value}' has too few digits for a phone number; a Chinese mobile has 11 digits, "
        "e.g. 138 1234 5678, and a landline needs its area code, e.g. 010 6234 5678",
        "“{value}”位数不足，不是有效电话号码；中国手机号为 11 位，例如 138 1234 5678，"
        "座机需带区号，例如 010 6234 5678",
    ),
    "phone.too_long": (
        "'{value}' has too many digits for one phone number; a Chinese mobile has 11 digits, "
        "e.g. 138 1234 5678",
        "“{value}”位数过多，不是一个有效电话号码；中国手机号为 11 位，例如 138 1234 5678",
    ),
    "phone.invalid": (
        "'{value}' is not a valid phone number (no such number range); check the digits, "
        "e.g. 138 1234 5678 or 010 6234 5678",
        "“{value}”不是有效的电话号码（不存在该号段）；请核对号码，"
        "例如 138 1234 5678 或 010 6234 5678",
    ),
    "phone.needs_country_code": (
        "'{value}' has no country code and the region is unknown; write it with + and "
        "the country code, e.g. +86 138 1234 5678",
        "“{value}”没有国家代码且地区未知；请以 + 加国家代码填写，例如 +86 138 1234 5678",
    ),
    "phone.scientific": (
        "'{value}' was turned into scientific notation by Excel and its digits are lost; "
        "re-export the column as text, e.g. 13812345678",
        "“{value}”被 Excel 转成了科学计数法，数字已丢失；请将该列按文本重新导出，例如 13812345678",
    ),
    "phone.short_code": (
        "'{value}' is a service number (like 95588 or 10086), not a customer's phone; "
        "enter the customer's own number, e.g. 138 1234 5678",
        "“{value}”是服务号码（如 95588、10086），不是客户本人电话；"
        "请填写客户号码，例如 138 1234 5678",
    ),
    "phone.no_area_code": (
        "'{value}' is a local landline number without its area code; add the area code, "
        "e.g. 010 6234 5678",
        "“{value}”是缺少区号的本地座机号；请加上区号，例如 010 6234 5678",
    ),
    "phone.shared_cost": (
        "'{value}' is a 400 shared-cost line, usually a company hotline rather than a "
        "person; it is stored as e.g. +86 400 800 1234",
        "“{value}”是 400 企业热线，通常不是个人电话；标准形式例如 +86 400 800 1234",
    ),
    "phone.marked_unreachable": (
        "'{value}' is marked as out of service or wrong; confirm the number, e.g. 138 1234 5678",
        "“{value}”被标注为停机、空号或错号；请核实号码，例如 138 1234 5678",
    ),
    "phone.note_removed": (
        "'{value}' has a note or label next to the number; the note was left out, "
        "keeping only the number, e.g. 138 1234 5678",
        "“{value}”中号码旁附有备注，备注已去除，只保留号码，例如 138 1234 5678",
    ),
    "phone.part_ignored": (
        "'{value}' also holds text that is not a usable phone number; that part was "
        "left out, keeping only valid numbers such as 138 1234 5678",
        "“{value}”中还有无法识别为电话的内容，已忽略，只保留有效号码，例如 138 1234 5678",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneResult(FieldResult):
    """A standardized phone cell: ``value`` is E.164 when valid."""

    kind: PhoneKind = ""
    extension: str = ""
    others: tuple[str, ...] = ()


_MISSING = PhoneResult(value="", status="missing")

# --- cell cleaning -----------------------------------------------------------
_LINES = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_SPLIT = re.compile(r"\s*(?:[/;,、|]|\s(?:或|or)\s|或)\s*", re.IGNORECASE)
_LABEL = re.compile(
    r"^(?:(?:tel|phone|mobile|mob|cell|fax|m|t|p|h|o)\s*[:.]|(?:telephone|mobile|phone|cell)\s|"
    r"(?:手机|电话|移动电话|联系电话|办公电话|座机|固话|传真)(?:号码|号)?\s*:?)\s*",
    re.IGNORECASE,
)
_EXTENSION = re.compile(
    r"^(?P<num>.*?[0-9)])\s*\(?\s*(?:转|分机号?|ext(?:ension)?\.?|x|#)\s*[:.]?\s*"
    r"(?P<ext>[0-9]{1,8})\s*\)?$",
    re.IGNORECASE,
)
_NOTE_AROUND = re.compile(r"^(?P<pre>[^0-9+(]*)(?P<num>[+(]?[0-9].*?[0-9])(?P<post>[^0-9]*)$")
_UNREACHABLE = re.compile(r"停机|空号|错号|不存在|已注销|销号|无法接通")
_NUMBER_CHARS = re.compile(r"\+?[0-9 \-.()]+")
_TRAILING_GROUP = re.compile(r"^(?P<num>.*[0-9])[ \-](?P<ext>[0-9]{1,6})$")
_EXCEL_FLOAT = re.compile(r"([0-9]{5,})\.0+")
_EXCEL_SCI = re.compile(r"([0-9])(?:\.([0-9]+))?e\+?([0-9]{1,2})", re.IGNORECASE)
_CN_SHORT = re.compile(r"1[0-9]{2}|1[0-9]{4}|9[56][0-9]{3,6}")
_CN_LOCAL = re.compile(r"[2-8][0-9]{6,7}")

_KINDS: dict[int, PhoneKind] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
}


def _is_fake(digits: str) -> bool:
    """Repeated (00000000000) or sequential (12345678901) dummy digits."""
    if len(digits) < 6:
        return False
    return len(set(digits)) == 1 or any(
        digits in seq for seq in ("12345678901234567890", "09876543210987654321")
    )


def _invalid(reason: str) -> PhoneResult:
    return PhoneResult(value="", status="invalid", reason=reason)


def _kind(number: phonenumbers.PhoneNumber) -> PhoneKind:
    number_type = phonenumbers.number_type(number)
    if number_type == PhoneNumberType.FIXED_LINE_OR_MOBILE:
        # Only CN numbers can be told apart by shape; elsewhere (US, CA) not.
        if number.country_code != 86:
            return "other"
        nsn = phonenumbers.national_significant_number(number)
        return "mobile" if len(nsn) == 11 and nsn.startswith("1") else "fixed_line"
    return _KINDS.get(number_type, "other")


def _parse(text: str, region: str | None) -> tuple[phonenumbers.PhoneNumber | None, str]:
    """phonenumbers' verdict on ``text``: (the number if valid, else a reason)."""
    if region is None and not text.startswith("+"):
        return None, "phone.needs_country_code"
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.TOO_LONG:
            return None, "phone.too_long"
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            return None, "phone.invalid"
        return None, "phone.too_short"
    if phonenumbers.is_valid_number(number):
        return number, ""
    why = phonenumbers.is_possible_number_with_reason(number)
    if why == ValidationResult.TOO_SHORT:
        return None, "phone.too_short"
    if why == ValidationResult.TOO_LONG:
        return None, "phone.too_long"
    return None, "phone.invalid"


def _clean(piece: str) -> tuple[str, str, str]:
    """Peel label, extension and remarks off one piece: (number, extension, reason)."""
    text = _LABEL.sub("", piece)
    extension = ""
    if match := _EXTENSION.match(text):
        text, extension = match["num"], match["ext"]
    note_reason = ""
    around = _NOTE_AROUND.match(text)
    if around and (around["pre"] or around["post"]):
        # A name or remark next to the number: "13812345678（微信同号）", "张总 138…".
        unreachable = _UNREACHABLE.search(around["pre"] + around["post"])
        note_reason = "phone.marked_unreachable" if unreachable else "phone.note_removed"
        text = around["num"]
    if excel := _EXCEL_FLOAT.fullmatch(text):  # 13812345678.0: a number cell read as float
        text = excel[1]
    elif (sci := _EXCEL_SCI.fullmatch(text)) and len(sci[1] + (sci[2] or "")) == int(sci[3]) + 1:
        # 1.3812345678E+10 still holds every digit; shorter mantissas lost some.
        text = sci[1] + (sci[2] or "")
    return text, extension, note_reason


def _classify(text: str, extension: str, region: str | None) -> PhoneResult:
    """Standardize one cleaned number."""
    if _EXCEL_SCI.fullmatch(text):
        return _invalid("phone.scientific")
    if not _NUMBER_CHARS.fullmatch(text):
        return _invalid("phone.not_a_number")
    digits = re.sub(r"[^0-9]", "", text)
    local = not text.startswith("+")
    if region == "CN" and (nsn := _cn_mobile_nsn(text)):
        return PhoneResult(value="+86" + nsn, status="valid", kind="mobile", extension=extension)
    if _is_fake(digits):
        return _invalid("phone.fake")
    if local and region is not None and _is_short_code(digits, region):
        return PhoneResult(
            value=digits, status="suspect", reason="phone.short_code", kind="short_code"
        )
    if region == "CN" and (nsn := _cn_landline_nsn(text)):
        return PhoneResult(
            value="+86" + nsn, status="valid", kind="fixed_line", extension=extension
        )
    if region == "CN" and (landline := _cn_landline_and_extension(text, digits, extension)):
        return landline
    number, reason = _parse(text, region)
    if number is None and not extension and (trailing := _TRAILING_GROUP.match(text)):
        # "010-62345678-8021": a full landline, then a short group = extension.
        head, _ = _parse(trailing["num"], region)
        if head is not None and _kind(head) != "mobile":
            number, extension = head, trailing["ext"]
    if number is None:
        if region == "CN" and local and _CN_LOCAL.fullmatch(digits):
            return PhoneResult(
                value=digits, status="partial", reason="phone.no_area_code", kind="fixed_line"
            )
        if region == "CN" and local and digits.startswith("1") and reason == "phone.invalid":
            # phonenumbers calls 10 or 12 digits "possible" (landline lengths);
            # a number starting with 1 is a mobile with a digit missing or extra.
            if len(digits) != 11:
                reason = "phone.too_short" if len(digits) < 11 else "phone.too_long"
        return _invalid(reason)
    kind = _kind(number)
    return PhoneResult(
        value=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        status="valid",
        reason="phone.shared_cost" if kind == "shared_cost" else "",
        kind=kind,
        extension=extension or re.sub(r"[^0-9]", "", number.extension or ""),
    )


def _cn_landline_and_extension(text: str, digits: str, extension: str) -> PhoneResult | None:
    """The fast path for "0571-27880000-662" (region CN): what the general
    path of :func:`_classify` finds, without asking phonenumbers.

    That path first parses the whole text, which fails here: the landline
    before the last group starts with 0 and a digit 1-9 (the fast path
    requires it), so phonenumbers sees no IDD or carrier prefix and strips
    at most the national prefix 0; what remains has more digits than any
    CN number, and the text holds no extension mark phonenumbers reads.
    The path then takes the last group as the extension of the landline
    before it, when that is a valid fixed line: the landline fast path's
    verdict. A test compares both paths."""
    if extension or text.startswith("+") or len(digits) - 1 <= CN_LONGEST_NSN:
        return None
    trailing = _TRAILING_GROUP.match(text)
    if trailing is None or (nsn := _cn_landline_nsn(trailing["num"])) is None:
        return None
    return PhoneResult(
        value="+86" + nsn, status="valid", kind="fixed_line", extension=trailing["ext"]
    )


def _one(piece: str, region: str | None) -> PhoneResult:
    """Standardize one number (one piece of a cell)."""
    text, extension, note_reason = _clean(piece)
    result = _classify(text, extension, region)
    if result.status == "invalid" or not note_reason:
        return result
    if note_reason == "phone.marked_unreachable":
        return replace(result, status="suspect", reason=note_reason)
    return result if result.reason else replace(result, reason=note_reason)


def _is_short_code(digits: str, region: str) -> bool:
    if region == "CN":
        return _CN_SHORT.fullmatch(digits) is not None
    if len(digits) > 6:
        return False
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException:
        return False
    return bool(phonenumbers.shortnumberinfo.is_valid_short_number_for_region(number, region))


def _pieces(raw: str) -> list[str]:
    """Split a cell into the numbers it holds, in order."""
    pieces: list[str] = []
    for line in _LINES.split(raw):
        for part in _SPLIT.split(fold(line)):
            groups = part.split(" ")
            # "13812345678 01062345678" is two numbers; "138 1234 5678" is one.
            if len(groups) > 1 and all(
                len(re.sub(r"[^0-9]", "", g)) >= 7 and _NUMBER_CHARS.fullmatch(g) for g in groups
            ):
                pieces.extend(groups)
            elif part:
                pieces.append(part)
    return pieces


_RANK: dict[Status, int] = {"valid": 0, "partial": 1, "suspect": 2, "invalid": 3, "missing": 4}


@functools.lru_cache(maxsize=65536)
def normalize_phone(raw: str, region: str = "CN") -> PhoneResult:
    """Standardize a phone cell to E.164.

    Contract: pure, never raises, idempotent on ``value``; ``value`` is E.164
    for valid numbers, the bare digits for short codes (suspect) and local
    numbers without area code (partial), and ``""`` when invalid or missing.

    Args:
        raw: The cell as typed. May hold several numbers (``/ ; , 、 |``,
            newlines, 或/or, or whitespace between full numbers) and an
            extension (``转 8021``, ``ext. 12``, ``-8021`` after a landline).
        region: ISO 3166 region used to read numbers without ``+``. An unknown
            code means only ``+``-prefixed numbers can be read.

    Returns:
        The first valid number with its kind and extension; the other valid
        numbers, E.164 and in order, in ``others``.

    Example:
        >>> r = normalize_phone("010-62345678 转 8021 / 138 1234 5678")
        >>> r.value, r.kind, r.extension, r.others
        ('+861062345678', 'fixed_line', '8021', ('+8613812345678',))
    """
    text = fold(raw)
    if not text:
        return _MISSING
    region_code: str | None = region.upper()
    if region_code not in phonenumbers.SUPPORTED_REGIONS:
        region_code = None
    if region_code == "CN" and (nsn := _cn_mobile_nsn(text)):
        return PhoneResult(value="+86" + nsn, status="valid", kind="mobile")
    if is_placeholder(text):
        return _invalid("phone.placeholder")
    if not text.isascii():
        # Arabic-Indic, Devanagari, ... digits: phonenumbers reads them, so do we.
        raw = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in raw)
    results = [_one(piece, region_code) for piece in _pieces(raw)]
    if not results:
        return _invalid("phone.not_a_number")
    best = min(results, key=lambda r: _RANK[r.status])
    if best.status != "valid":
        return best
    others = tuple(r.value for r in results if r.status == "valid" and r is not best)
    ignored = any(r.status != "valid" for r in results)
    reason = best.reason or ("phone.part_ignored" if ignored else "")
    return PhoneResult(
        value=best.value,
        status="valid",
        reason=reason,
        kind=best.kind,
        extension=best.extension,
        others=tuple(dict.fromkeys(o for o in others if o != best.value)),
    )


def phone_columns(raw: str, region: str) -> tuple[str, str, str, str, str, str]:
    """``(value, status, reason, kind, extension, others)`` of
    :func:`normalize_phone`, the other numbers joined with a space: the
    columns the ``standardized`` table stores, without building the result
    object for a plain CN mobile, the shape most cells have. Uncached (the
    caller caches the columns)."""
    if region.upper() == "CN" and (nsn := _cn_mobile_nsn(fold(raw))):
        return "+86" + nsn, "valid", "", "mobile", "", ""
    r = normalize_phone.__wrapped__(raw, region)
    return r.value, r.status, r.reason, r.kind, r.extension, " ".join(r.others)
