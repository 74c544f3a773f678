"""Organisation registration numbers: 统一社会信用代码 and any other
identifier a file carries for an organisation (a VAT, KvK, Companies House
or tax number), compared exactly.

The ``value`` keeps letters and digits only, upper case (``91110108 MA01
XXXX``, ``NL-8532.12.345.B01`` → ``NL853212345B01``). An 18-character value of
the unified social credit code's alphabet is checked as one (python-stdnum's
``cn.uscc``: its check character); ``kind`` says which (``uscc`` or
``other``). Other identifiers are ``valid`` when 4–30 characters long and
not all one character.

Reason templates use ``{value}`` for the raw value and ``{suggestion}`` for
the standardized value (``result.value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from stdnum.cn import uscc

from core.standardize.result import FieldResult
from core.standardize.text import fold, is_blank, is_placeholder

REASONS: dict[str, tuple[str, str]] = {
    "org_id.placeholder": (
        "'{value}' is a placeholder, not a registration number",
        "“{value}”是占位内容，不是注册号",
    ),
    "org_id.checksum": (
        "'{value}' looks like a unified social credit code but its check character is wrong; "
        "check it against the business licence",
        "“{value}”像统一社会信用代码，但校验位不对，请对照营业执照核对",
    ),
    "org_id.malformed": (
        "'{value}' is too short or has no letters or digits to identify an organisation",
        "“{value}”太短或没有字母数字，无法识别机构",
    ),
}

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_USCC_ALPHABET = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationResult(FieldResult):
    """A registration number and its kind (``uscc`` or ``other``)."""

    kind: str = ""


@lru_cache(maxsize=65536)
def normalize_org_id(raw: str) -> RegistrationResult:
    """Standardize an organisation's registration number.

    Pure and total: never raises; idempotent on ``value``.

    Example:
        >>> r = normalize_org_id("9114 0107 2983 3789 5P")
        >>> r.value, r.status, r.kind
        ('91140107298337895P', 'valid', 'uscc')
    """
    if not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    if is_blank(raw):
        return RegistrationResult(value="", status="missing")
    if is_placeholder(raw):
        return RegistrationResult(value="", status="invalid", reason="org_id.placeholder")
    value = _NOT_ALNUM.sub("", fold(raw).upper())
    if len(value) < 4 or len(set(value)) == 1:
        return RegistrationResult(value="", status="invalid", reason="org_id.malformed")
    if len(value) == 18 and _USCC_ALPHABET.fullmatch(value):
        ok = uscc.is_valid(value)
        return RegistrationResult(
            value=value,
            status="valid" if ok else "suspect",
            reason="" if ok else "org_id.checksum",
            kind="uscc",
        )
    return RegistrationResult(value=value[:30], status="valid", kind="other")
