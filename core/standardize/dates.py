"""Dates and date-times as people type them, to ISO 8601.

``value`` is ``YYYY-MM-DD`` or, when a time was given, ``YYYY-MM-DDTHH:MM:SS``
(seconds kept, fractions dropped). Decisions worth knowing:

* A time zone offset (``Z``, ``+08:00``, ``GMT+0800``) is dropped and the wall
  time kept as written: CRM exports write local times, and converting to UTC
  would move the *date* of an evening record. Unix timestamps, which have no
  wall time, are read as UTC.
* ``3/1/2024`` is read month-first (US order). When both numbers are ≤ 12 the
  result is ``suspect`` (``date.ambiguous_order``) and ``suggestion`` holds
  the day-first reading; a number > 12 settles the order.
* A month without a day (``2024年3月``) gives ``partial`` ``"2024-03"``; a
  bare year (``1985``) gives ``partial`` ``"1985"``. Both parse back to
  themselves.
* Two-digit years are 20xx up to this year's last two digits, else 19xx, and
  always ``suspect``.
* 5-digit numbers 20000–80000 are Excel serial days (45352 → 2024-03-01);
  10- and 13-digit numbers are Unix timestamps in seconds / milliseconds.
  Both are ``valid`` with an informative reason.
* 0000-00-00, 0001-01-01, 1900-01-01 and 9999-12-31 are what databases write
  for "no date": ``invalid`` ``date.placeholder``.

``{suggestion}`` in the REASONS templates is ``DateResult.suggestion``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, is_blank, is_placeholder

_FORMS = "2024-03-01, 2024/3/1 or 2024年3月1日"
_FORMS_ZH = "2024-03-01、2024/3/1 或 2024年3月1日"
REASONS: dict[str, tuple[str, str]] = {
    "date.placeholder": (
        f"'{{value}}' is a placeholder, not a date; leave it blank or use a form such as {_FORMS}",
        f"“{{value}}”是占位值，不是日期；请留空或使用 {_FORMS_ZH} 等格式",
    ),
    "date.unparseable": (
        f"'{{value}}' is not a date; use a form such as {_FORMS}",
        f"“{{value}}”不是日期；请使用 {_FORMS_ZH} 等格式",
    ),
    "date.impossible": (
        "'{value}' is not a real calendar date or time (check the month, day and hour)",
        "“{value}”不是真实存在的日期或时间（请检查月、日和时）",
    ),
    "date.no_year": (
        "'{value}' has no year; add it, as in 2024年3月1日",
        "“{value}”缺少年份；请补上，如 2024年3月1日",
    ),
    "date.future": (
        "'{value}' is in the future ({suggestion}); check the year",
        "“{value}”是未来的日期（{suggestion}）；请检查年份",
    ),
    "date.too_old": (
        "'{value}' is implausibly long ago ({suggestion}); check the year",
        "“{value}”过于久远（{suggestion}）；请检查年份",
    ),
    "date.two_digit_year": (
        "'{value}' has a two-digit year; read as {suggestion}, write the year in full",
        "“{value}”的年份只有两位；已按 {suggestion} 处理，请写全四位年份",
    ),
    "date.ambiguous_order": (
        "'{value}' could be month/day or day/month; read month-first, the other "
        "reading is {suggestion}; write it as 2024-03-01",
        "“{value}”无法确定月和日的顺序；已按“月/日”处理，另一种理解是 {suggestion}；"
        "请写成 2024-03-01 格式",
    ),
    "date.month_only": (
        "'{value}' gives only a month ({suggestion}); add the day if it is known",
        "“{value}”只有年月（{suggestion}）；如知道日期请补全",
    ),
    "date.year_only": (
        "'{value}' gives only a year ({suggestion}); add month and day if known",
        "“{value}”只有年份（{suggestion}）；如知道月日请补全",
    ),
    "date.excel_serial": (
        "'{value}' was read as an Excel serial day number: {suggestion}",
        "“{value}”按 Excel 日期序号解读为 {suggestion}",
    ),
    "date.unix_timestamp": (
        "'{value}' was read as a Unix timestamp (UTC): {suggestion}",
        "“{value}”按 Unix 时间戳（UTC）解读为 {suggestion}",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DateResult(FieldResult):
    """A standardized date. ``has_time`` says ``value`` carries ``THH:MM:SS``;
    ``suggestion`` is what a steward should see next to the reason (the other
    reading of an ambiguous date, else the standardized value)."""

    has_time: bool = False
    suggestion: str = ""


_MONTHS = {
    m: i
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"), start=1,
    )
    for m in names.split()
}  # fmt: skip
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "两": "2"}
_CN_RUN = re.compile(r"[〇零一二两三四五六七八九十]+")
_WEEKDAY = re.compile(
    r"\((?:[^)]*)\)|(?:星期|周|礼拜)[一二三四五六日天1-7]"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?"
)
_TIME = re.compile(
    r"(?:(?<=[\st日号])|^)(?P<half>上午|下午|晚上|中午|凌晨|早上)?\s*(?P<h>\d{1,2})"
    r"(?::(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?|[点时](?:(?P<m2>\d{1,2})分?)?(?:(?P<s2>\d{1,2})秒)?)"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:z|(?:utc|gmt)?(?:[+-]\d{2}(?::?\d{2})?)?)?$"
)
_YMD = re.compile(r"(\d{4})\s*(?:[-/.年]\s*|\s)(\d{1,2})\s*(?:[-/.月]\s*|\s)(\d{1,2})\s*[日号]?")
_YM = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_AB_Y = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})")
_YY = re.compile(r"(\d{2})\s*([-/.年])\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MD = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_SENTINELS = frozenset({"0001-01-01", "1900-01-01", "1899-12-30", "1899-12-31", "9999-12-31"})
_ZERO_DATE = re.compile(r"0{4}[-/.]?0{2}[-/.]?0{2}(?:[ T]0{2}:0{2}(?::0{2})?)?")


class _Impossible(Exception):
    """A date-shaped value that names no calendar day or time."""


def _cn_numbers(text: str) -> str:
    """二〇二四年三月十一日 → 2024年3月11日 (years digit by digit, 十 positional)."""

    def one(m: re.Match[str]) -> str:
        run = m.group()
        if "十" not in run:
            return "".join(_CN_DIGIT[c] for c in run)
        tens, _, ones = run.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return run
        return str(int(_CN_DIGIT.get(tens, "1")) * 10 + int(_CN_DIGIT.get(ones, "0")))

    return _CN_RUN.sub(one, text)


def _time(m: re.Match[str]) -> dt.time:
    """The time of a _TIME match: 2:05 pm, 下午2点5分, 14:05:06."""
    minute, second = int(m["m"] or m["m2"] or 0), int(m["s"] or m["s2"] or 0)
    return _clock(int(m["h"]), minute, second, (m["ampm"] or "")[:1] or m["half"] or "")


def _clock(hour: int, minute: int, second: int, half: str = "") -> dt.time:
    if half in ("p", "下午", "晚上") and hour < 12 or half == "中午" and hour < 11:
        hour += 12
    elif half in ("a", "凌晨") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise _Impossible
    return dt.time(hour, minute, second)


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Impossible from None


def _century(yy: int, today: dt.date) -> int:
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def _named_month(text: str, today: dt.date) -> tuple[dt.date, bool] | None:
    """01-Mar-2024, Mar 1, 2024, 1st of March 2024 → (date, two-digit year)."""
    tokens = [t for t in re.split(r"[\s,/.\-]+", text) if t and t != "of"]
    months = [t for t in tokens if t.isalpha()]
    numbers = [re.sub(r"(?<=\d)(st|nd|rd|th)$", "", t) for t in tokens if not t.isalpha()]
    if len(tokens) != 3 or len(months) != 1 or not all(n.isdigit() for n in numbers):
        return None
    month = _MONTHS.get(months[0]) or next(
        (i for name, i in _MONTHS.items() if len(months[0]) >= 3 and name.startswith(months[0])),
        0,
    )
    if not month:
        return None
    sizes = [len(n) for n in numbers]
    if sizes.count(4) == 1:
        year = numbers[sizes.index(4)]
        return _day(int(year), month, int(numbers[1 - sizes.index(4)])), False
    if max(sizes) > 2:
        return None
    return _day(_century(int(numbers[1]), today), month, int(numbers[0])), True


def _iso(day: dt.date, time: dt.time | None) -> str:
    return day.isoformat() + (f"T{time.isoformat('seconds')}" if time else "")


def _result(status: Status, reason: str, value: str = "", suggestion: str = "") -> DateResult:
    return DateResult(
        value=value, status=status, reason=reason, has_time="T" in value,
        suggestion=suggestion or value,
    )  # fmt: skip


def _parse(text: str, today: dt.date, birth: bool) -> DateResult:
    """Parse folded, non-blank text; raises _Impossible for impossible dates."""
    s = _cn_numbers(_WEEKDAY.sub(" ", text.lower())).strip(" ,")
    if _ZERO_DATE.fullmatch(s):
        return _result("invalid", "date.placeholder")
    reason, time, alt = "", None, ""
    day: dt.date | None = None
    if re.fullmatch(r"\d{5}(\.\d+)?", s) and 20000 <= float(s) < 80000:
        stamp = dt.datetime(1899, 12, 30) + dt.timedelta(days=float(s))
        stamp = stamp.replace(microsecond=0) + dt.timedelta(seconds=round(stamp.microsecond / 1e6))
        day, time, reason = stamp.date(), stamp.time() if "." in s else None, "date.excel_serial"
    elif re.fullmatch(r"\d{10}|\d{13}", s):
        utc = dt.datetime.fromtimestamp(int(s[:10]), tz=dt.timezone.utc).replace(tzinfo=None)
        day, time, reason = utc.date(), utc.time(), "date.unix_timestamp"
    elif m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?", s):
        day = _day(int(m[1]), int(m[2]), int(m[3]))
        if m[4]:  # 20240301140506, as some exports write timestamps
            time = _clock(int(m[4]), int(m[5]), int(m[6] or 0))
    elif (
        m := re.fullmatch(r"(\d{4})(\d{2})?", s)
        or _YM.fullmatch(s)
        or re.fullmatch(r"(\d{4})年", s)
    ):
        year, month = int(m[1]), int(m[2] or 0) if m.lastindex == 2 else 0
        if not 1000 <= year <= 2999:
            return _result("invalid", "date.unparseable")
        first = _day(year, month or 1, 1) if m.lastindex == 2 else dt.date(year, 1, 1)
        value = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
        if first > today:
            return _result("suspect", "date.future", value)
        if birth and first.year < today.year - 120:
            return _result("suspect", "date.too_old", value)
        return _result("partial", "date.month_only" if month else "date.year_only", value)
    else:
        if m := _TIME.search(s):
            time, s = _time(m), s[: m.start()].rstrip(" t,")
        if m := _YMD.fullmatch(s):
            day = _day(int(m[1]), int(m[2]), int(m[3]))
        elif m := _AB_Y.fullmatch(s):
            a, b, year = int(m[1]), int(m[3]), int(m[4])
            day = _day(year, a, b) if a <= 12 or b > 12 else _day(year, b, a)
            if a <= 12 and b <= 12 and a != b:
                reason, alt = "date.ambiguous_order", _iso(_day(year, b, a), time)
        elif m := _YY.fullmatch(s):
            yy, a, b = int(m[1]), int(m[3]), int(m[4])
            try:
                day = _day(_century(yy, today), a, b)
            except _Impossible:
                if m[2] == "年":
                    raise
                day = _day(_century(b, today), yy, a)  # 12/25/24: month/day/year
            reason = "date.two_digit_year"
        elif named := _named_month(s, today):
            day, reason = named[0], "date.two_digit_year" if named[1] else ""
        elif _MD.fullmatch(s):
            return _result("invalid", "date.no_year")
        else:
            return _result("invalid", "date.unparseable")
    return _checked(day, time, reason, alt, today, birth)


def _checked(
    day: dt.date, time: dt.time | None, reason: str, alt: str, today: dt.date, birth: bool
) -> DateResult:
    """The result for a parsed day and time: placeholders, plausibility."""
    return _result(*_verdict(day, time, reason, alt, today, birth))


def _verdict(
    day: dt.date, time: dt.time | None, reason: str, alt: str, today: dt.date, birth: bool
) -> tuple[Status, str, str, str]:
    """(status, reason, value, suggestion) of :func:`_checked`."""
    iso = day.isoformat()
    value = iso if birth or time is None else f"{iso}T{time.isoformat('seconds')}"
    if iso in _SENTINELS:
        return "invalid", "date.placeholder", "", ""
    if reason in ("date.ambiguous_order", "date.two_digit_year"):
        return "suspect", reason, value, alt
    if day > _latest(today, birth):
        return "suspect", "date.future", value, ""
    if day < _oldest(today, birth):
        return "suspect", "date.too_old", value, ""
    return "valid", reason, value, ""


@lru_cache(maxsize=64)
def _latest(today: dt.date, birth: bool) -> dt.date:
    """The latest plausible date (may raise OverflowError, as it always did)."""
    return today + dt.timedelta(days=0 if birth else 1)


@lru_cache(maxsize=64)
def _oldest(today: dt.date, birth: bool) -> dt.date:
    """The oldest plausible date (may raise ValueError for a year ≤ 120)."""
    if birth:
        return today.replace(year=today.year - 120, day=min(today.day, 28))
    return dt.date(1900, 1, 1)


# The shapes most exports write: 2024-03-01, 2024/3/1, 2024-03-01 14:05(:06)
# and 2024-03-01T14:05:06, in ASCII digits. A string this pattern matches
# fully is its own fold(), neither blank nor a placeholder, and _parse would
# read it with _TIME and _YMD exactly as _plain does (the year cannot be
# 0000, so it is no null date); a test compares both paths.
_PLAIN = re.compile(
    r"([1-9][0-9]{3})([-/])([0-9]{1,2})\2([0-9]{1,2})"
    r"(?:[ Tt]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?"
)


def _plain(m: re.Match[str], today: dt.date, birth: bool) -> tuple[Status, str, str, str]:
    """The verdict on a _PLAIN match; raises _Impossible as _parse would."""
    time = _clock(int(m[5]), int(m[6]), int(m[7] or 0)) if m[5] else None
    return _verdict(_day(int(m[1]), int(m[3]), int(m[4])), time, "", "", today, birth)


@lru_cache(maxsize=65536)
def _cached(raw: str, today: str, birth: bool) -> DateResult:
    plain = _PLAIN.fullmatch(raw)
    text = raw
    if plain is None:
        if is_blank(raw):
            return DateResult(value="", status="missing")
        if is_placeholder(raw):
            return _result("invalid", "date.placeholder")
        text = fold(raw)
        if len(text) > 100:  # no date is that long; spares the regexes
            return _result("invalid", "date.unparseable")
    try:
        if plain is not None:
            return _result(*_plain(plain, dt.date.fromisoformat(today), birth))
        return _parse(text, dt.date.fromisoformat(today), birth)
    except (_Impossible, OverflowError, ValueError):
        return _result("invalid", "date.impossible")


@lru_cache(maxsize=64)
def _given_today(today: str) -> str:
    return dt.date.fromisoformat(today).isoformat()


def _today(today: str) -> str:
    """Resolve "" outside the cache, so that a long-lived process moves on at
    midnight; a malformed ``today`` is a caller's bug and raises ValueError."""
    return _given_today(today) if today else dt.date.today().isoformat()


def date_columns(raw: str, today: str, birth: bool) -> tuple[str, str, str]:
    """``(value, status, reason)`` of :func:`parse_birth_date` (``birth``) or
    :func:`parse_date`: the columns the ``standardized`` table stores,
    without building the result object for the common plain shapes."""
    today = _today(today)
    plain = _PLAIN.fullmatch(raw)
    if plain is None:
        r = _cached(raw, today, birth)
        return r.value, r.status, r.reason
    try:
        status, reason, value, _ = _plain(plain, dt.date.fromisoformat(today), birth)
    except (_Impossible, OverflowError, ValueError):
        return "", "invalid", "date.impossible"
    return value, status, reason


def resolve_today(today: str = "") -> str:
    """The ISO date that ``today`` stands for ("" is the real today).

    A batch resolves it once, so that every record of it is checked against
    the same day even when the batch runs over midnight.

    Raises:
        ValueError: ``today`` is neither "" nor an ISO date.
    """
    return _today(today)


def parse_date(raw: str, *, today: str = "") -> DateResult:
    """Standardize a date or date-time field (created_at, last contact, ...).

    Contract: never raises on ``raw``; blank → ``missing``; placeholder (and
    0000-00-00 style null dates) → ``invalid``; see the module docstring for
    the forms read and the decisions taken. Dates more than one day after
    ``today`` are ``suspect`` (``date.future``), dates before 1900 ``suspect``
    (``date.too_old``). Idempotent on ``value``.

    Args:
        raw: The value as typed.
        today: ISO date the future check is relative to; "" means the real
            today. Must be "" or an ISO date (``ValueError`` otherwise).

    Returns:
        A :class:`DateResult`.

    Example:
        >>> parse_date("2024/3/1 14:05").value
        '2024-03-01T14:05:00'
    """
    return _cached(raw, _today(today), False)


def parse_birth_date(raw: str, *, today: str = "") -> DateResult:
    """Standardize a birth date: like :func:`parse_date`, but any time of day
    is dropped, a date after ``today`` is ``suspect`` (``date.future``) and so
    is one more than 120 years ago (``date.too_old``).

    Args:
        raw: The value as typed.
        today: ISO date the plausibility checks are relative to; "" means the
            real today.

    Returns:
        A :class:`DateResult` whose ``value`` has no time part.

    Example:
        >>> parse_birth_date("1985年3月1日", today="2024-06-01").value
        '1985-03-01'
    """
    return _cached(raw, _today(today), True)
