"""Masking personal data for viewers who do not need it.

Phones, e-mails, id numbers, WeChat ids and street addresses are shown
masked to managers always and to auditors by default (``138****5678``,
``z***@qq.com``, ``11****************``). Masking happens in core's read
functions (:mod:`core.stewardship.card`, :mod:`core.stewardship.search`,
:mod:`core.stewardship.workbench`, :mod:`core.assurance.items`,
:mod:`core.ops.export`), never only on a page, so no
screen can forget it. Names, companies and cities stay readable: a manager
needs to see whom the figures are about, not how to reach them. A role in
``PERMISSIONS["reveal"]`` may see one value in full, with a reason, through
:func:`core.privacy.reveal.reveal`; the reveal is audited.

The rules, per field:

* ``mobile``, ``phone``: the digits are counted and the four before the
  last four are hidden (more for long or doubled numbers; never fewer than
  four of eleven), separators stay: ``138****5678``, ``+86138****5678``,
  ``010-****5678``, ``138 **** 5678``.
* ``email``: every address keeps the first character of its local part and
  its domain: ``z***@qq.com``.
* ``id_number``: only the first two characters stay (a resident id's
  province, which the card shows anyway): ``11****************``. The
  birth date, the sex and the district are shown beside it in clear, so
  any further digit would narrow the number down: with the old rule (the
  first and last four shown) the birth date and the check digit left
  about nine candidates, and knowing the district, one. Now the sequence
  number and the check digit stay hidden: even someone who knows the
  district, the birth date and the sex is left with 500 candidates.
* ``wechat``: like a phone, over all characters.
* ``address``: the first third (four to six characters of an address of
  eight or more, about a province and a city) stays, the street and number
  are starred: ``重庆市南岸区*********************``.
* free text that may hold any of these (``notes``, a quarantined row's
  ``raw_text``, the ``address_key`` street key): withheld whole, ``***``.
* reasons and notes people typed (a steward's edit reason or merge note,
  an entry's reason in the audit trail): withheld whole (``***``) from a
  role that may not reveal (a manager); a role that may reveal (an
  auditor, who must read why a decision was taken) sees the text with
  every identifier it recognises masked by that identifier's rule: phone
  numbers, e-mail addresses, id numbers, WeChat ids and street numbers
  (:func:`mask_text`). See :func:`masked_text`.

Contracts: a mask never raises; an empty value stays empty (so a manager
still sees what is missing); masking is idempotent (masking a masked
value changes nothing); every rule but e-mail's keeps the value's length;
two values that differ only in their hidden part mask alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.actors import Actor, allowed
from core.fields import SENSITIVE_FIELDS

FREE_TEXT: frozenset[str] = frozenset({"notes", "raw_text", "address_key"})
"""Columns of free text that may hold any personal value: withheld whole."""

ALIASES: dict[str, str] = {
    "mobile_others": "mobile",
    "phone_others": "phone",
    "email_suggestion": "email",
}
"""Standardized columns masked by another field's rule."""

LISTS: frozenset[str] = frozenset({"mobile_others", "phone_others"})
"""Columns that hold several values separated by spaces (each is masked)."""

MASKED_ROLES: frozenset[str] = frozenset({"manager", "auditor"})
"""Roles that see masked values (an auditor may reveal one value, with a reason)."""

WITHHELD = "***"
"""What a masked viewer sees instead of free text."""

_VALUE_KEYS = frozenset({"value", "typed"})
_TEXT_KEYS = frozenset({"note", "reason"})
_LOCAL_PART = re.compile(r"[^\s,;/<>()\[\]@]+(?=@)")


def needs_mask(viewer: Actor) -> bool:
    """Whether ``viewer`` sees sensitive fields masked."""
    return viewer.role in MASKED_ROLES


def is_masked(column: str) -> bool:
    """Whether ``column`` (a field or a standardized column) is masked at all."""
    return column in FREE_TEXT or ALIASES.get(column, column) in SENSITIVE_FIELDS


def mask(field: str, value: str) -> str:
    """``value`` of ``field`` with its personal part hidden (see the module
    docstring for the rules). Fields that are not sensitive come back as
    they are.

    Args:
        field: a field (``mobile``), a standardized column (``mobile_others``)
            or a free-text column (``notes``, ``raw_text``).
        value: the value as stored or as typed; any text.

    Example:
        >>> mask("mobile", "+8613812345678"), mask("email", "zhang.wei@qq.com")
        ('+86138****5678', 'z***@qq.com')
        >>> mask("mobile", "138-1234-5678"), mask("id_number", "110101199003071234")
        ('138-****-5678', '11****************')
        >>> mask("city", "北京市"), mask("notes", "请拨 13812345678")
        ('北京市', '***')
    """
    if not value:
        return value
    if field in FREE_TEXT:
        return WITHHELD
    if field in LISTS:
        return " ".join(mask(ALIASES[field], v) for v in value.split())
    field = ALIASES.get(field, field)
    if field not in SENSITIVE_FIELDS:
        return value
    if field == "email":
        return _email(value)
    if field == "id_number":
        return _id_number(value)
    if field == "address":
        return _address(value)
    if field == "wechat":
        return _keep_ends(value, _visible)
    digits = any(_digit(ch) for ch in value)
    return _keep_ends(value, _digit if digits else _visible)


def masked(field: str, value: str, viewer: Actor) -> str:
    """``value`` as ``viewer`` may see it."""
    return mask(field, value) if needs_mask(viewer) else value


def masked_text(text: str, viewer: Actor) -> str:
    """A reason or note someone typed, as ``viewer`` may see it: as typed
    for a role that sees values unmasked; with its identifiers masked
    (:func:`mask_text`) for a masked role that may reveal (an auditor);
    withheld whole for a masked role that may not (a manager).

    Example:
        >>> note = "客户来电 139-1111-2222，邮箱 xinbing.xu@lianfang.cn"
        >>> masked_text(note, Actor("zhao.min", "auditor"))
        '客户来电 139-****-2222，邮箱 x***@lianfang.cn'
        >>> masked_text(note, Actor("li.na", "manager"))
        '***'
    """
    if not text or not needs_mask(viewer):
        return text
    return mask_text(text) if allowed(viewer, "reveal") else WITHHELD


_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_WECHAT_IN_TEXT = re.compile(
    r"(?i)(?:(?:微信号?|wechat|weixin|vx|wx)\s*[:：]?\s*|(?=wxid_))([A-Za-z][-_A-Za-z0-9]{5,19})"
)
_NUMBER_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z*])\+?[0-9*](?:[0-9*]|[ \-./()（）](?=[0-9*(（]))*[0-9*Xx]"
)  # digits (or stars) with the separators people type between them
_DATE_IN_TEXT = re.compile(
    r"(?:19|20)\d\d(?:[-./]\d{1,2}[-./]\d{1,2}|(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]))"
)
_STREET_IN_TEXT = re.compile(
    r"[\u4e00-\u9fff]{0,8}(?:路|街|大道|道|巷|弄|胡同)\s*[0-9*]+\s*(?:号|弄)"
    r"(?:\s*[0-9*]+\s*(?:号楼|号院|栋|幢|单元|室|层|楼|号))*"
)


def mask_text(text: str) -> str:
    """Free text with every identifier it recognises masked by that
    identifier's rule: e-mail addresses, WeChat ids after 微信/WeChat/wx
    (and ``wxid_...``), id numbers (15 or 18 characters), phone numbers
    (seven digits or more, with or without separators) and street numbers
    (``虹漕路461号``, starred whole). Dates (``2026-03-01``, ``20260301``)
    and short numbers stay. What it cannot recognise (a street typed
    without its number, a number spelt in words) stays: that is why a role
    that may not reveal sees no free text at all (:func:`masked_text`).

    Never raises; idempotent.

    Example:
        >>> mask_text("回电 13912345678 或 010-62345678，身份证 110105194912310021")
        '回电 139****5678 或 010-****5678，身份证 11****************'
        >>> mask_text("2026-03-01 上门，客户在虹漕路461号3号楼")
        '2026-03-01 上门，*************'
    """
    if not text:
        return text
    text = _EMAIL_IN_TEXT.sub(lambda m: mask("email", m.group(0)), text)
    text = _WECHAT_IN_TEXT.sub(
        lambda m: m.group(0)[: m.start(1) - m.start(0)] + mask("wechat", m.group(1)), text
    )
    text = _STREET_IN_TEXT.sub(lambda m: "*" * len(m.group(0)), text)
    return _NUMBER_IN_TEXT.sub(_number, text)


def _number(found: re.Match[str]) -> str:
    run = found.group(0)
    digits = sum(1 for ch in run if _digit(ch) or ch in "Xx")
    if digits < 7 or _DATE_IN_TEXT.fullmatch(run):
        return run
    compact = "".join(ch for ch in run if ch.isalnum() or ch == "*")
    if len(compact) in (15, 18) and not run.startswith("+"):
        return mask("id_number", run)
    return mask("phone", run)


def mask_payload(value: Any) -> Any:
    """A JSON value (a decision's detail, an audit payload) with every
    sensitive value in it masked.

    Recognised shapes: a stored value row ``[field, value, is_primary, ...]``
    (as :func:`core.stewardship.decisions.stored_rows` writes it), whose
    later text (the rule, who chose it, when, the reason typed) goes
    through :func:`mask_text`; an object with a ``"field"`` key, whose
    ``value`` and ``typed`` are masked by that field's rule (``{"field":
    "mobile", "value": ..., "typed": ...}``); an object keyed by field
    names (``{"mobile": "+86..."}``); and a ``note`` or ``reason`` someone
    typed, whose identifiers are masked (:func:`mask_text`). Anything else
    is walked into and kept.

    Example:
        >>> mask_payload({"field": "mobile", "value": "13812345678", "before": [
        ...     ["email", "zhang@qq.com", 1, 5], ["name", "张伟", 1, 5]]})["before"][0]
        ['email', 'z***@qq.com', 1, 5]
    """
    if isinstance(value, dict):
        named = value.get("field")
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(item, str) and key in _TEXT_KEYS:
                out[key] = mask_text(item)
            elif isinstance(item, str) and key != "field":
                by_field = isinstance(named, str) and key in _VALUE_KEYS
                out[key] = mask(str(named) if by_field else str(key), item)
            else:
                out[key] = mask_payload(item)
        return out
    if isinstance(value, list):
        if _is_value_row(value):
            rest = [mask_text(v) if isinstance(v, str) else mask_payload(v) for v in value[2:]]
            return [value[0], mask(value[0], value[1]), *rest]
        return [mask_payload(v) for v in value]
    return value


def _is_value_row(value: list[Any]) -> bool:
    """``[field, value, is_primary, ...]``: a stored value row, not a list of names."""
    return (
        len(value) >= 3
        and isinstance(value[0], str)
        and isinstance(value[1], str)
        and isinstance(value[2], int | bool)
    )


def _digit(ch: str) -> bool:
    # "*" counts as a hidden digit, so that masking a masked value changes nothing
    return ch.isdigit() or ch == "*"


def _visible(ch: str) -> bool:
    return not ch.isspace()


def _alnum(ch: str) -> bool:
    return ch.isalnum() or ch == "*"


def _spans(n: int) -> tuple[int, int]:
    """How many of ``n`` counted characters stay at the start and at the end."""
    if n >= 11:
        return min(n - 8, 5), 4
    if n >= 7:
        head = (n - 4) // 2
        return head, n - 4 - head
    if n >= 2:
        return 1, 0
    return 0, 0


def _keep_ends(
    value: str, counted: Callable[[str], bool], spans: tuple[int, int] | None = None
) -> str:
    """Star every counted character but the first and last few; the others stay."""
    n = sum(1 for ch in value if counted(ch))
    head, tail = spans if spans is not None else _spans(n)
    out, seen = [], 0
    for ch in value:
        if counted(ch):
            out.append(ch if seen < head or seen >= n - tail else "*")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def _email(value: str) -> str:
    if "@" not in value:
        return _keep_ends(value, _visible)
    return _LOCAL_PART.sub(lambda m: m.group(0)[:1] + "***", value)


def _id_number(value: str) -> str:
    # the province (two characters) of a number long enough to have one;
    # a short document number shows its first character at most
    n = sum(1 for ch in value if _alnum(ch))
    return _keep_ends(value, _alnum, (2 if n >= 10 else 1 if n >= 4 else 0, 0))


def _address(value: str) -> str:
    # at most six characters: about a province and a city, never the street
    keep = min(6, max(4, len(value) // 3)) if len(value) >= 8 else len(value) // 2
    return value[:keep] + "*" * (len(value) - keep)


@dataclass(frozen=True, slots=True)
class Revealable:
    """One masked value a viewer may ask to see: a customer's surviving
    (primary) value of ``field``, or one member record's value when
    ``record_id`` is given."""

    customer_id: int
    field: str
    record_id: int | None = None
