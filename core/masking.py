"""Masking personal data for viewers who do not need it.

Phones, e-mails, id numbers, WeChat ids and street addresses are shown
masked to managers always and to auditors by default (``138****5678``,
``z***@qq.com``, ``1101**********1234``). Masking happens in core's read
functions (:mod:`core.card`, exports), never only on a page, so no screen
can forget it. Names, companies and cities stay readable: a manager needs
to see whom the figures are about, not how to reach them.
"""

from __future__ import annotations

from core.actors import Actor

SENSITIVE: frozenset[str] = frozenset(
    {"mobile", "phone", "email", "wechat", "id_number", "address"}
)
"""Fields masked for viewers who may not see them."""

MASKED_ROLES: frozenset[str] = frozenset({"manager", "auditor"})
"""Roles that see masked values (an auditor may reveal one value, with a reason)."""


def needs_mask(viewer: Actor) -> bool:
    """Whether ``viewer`` sees sensitive fields masked."""
    return viewer.role in MASKED_ROLES


def mask(field: str, value: str) -> str:
    """``value`` of ``field`` with its personal part hidden.

    Example:
        >>> mask("mobile", "+8613812345678"), mask("email", "zhang.wei@qq.com")
        ('+86138****5678', 'z***@qq.com')
    """
    if not value or field not in SENSITIVE:
        return value
    if field == "email":
        local, at, domain = value.partition("@")
        return f"{local[:1]}***{at}{domain}" if at else _middle(value)
    if field == "id_number" and len(value) > 8:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if field == "address":
        keep = max(4, len(value) // 3)
        return value[:keep] + "*" * min(8, len(value) - keep)
    return _middle(value)


def masked(field: str, value: str, viewer: Actor) -> str:
    """``value`` as ``viewer`` may see it."""
    return mask(field, value) if needs_mask(viewer) else value


def _middle(value: str) -> str:
    """Keep the first part and the last four characters."""
    if len(value) <= 6:
        return value[:1] + "*" * (len(value) - 1)
    head = len(value) - 8 if len(value) > 11 else 3
    return value[:head] + "****" + value[-4:]
