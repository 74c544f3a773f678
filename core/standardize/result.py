"""The result type every standardizer returns.

Standardizers are pure functions over customer data. They never raise on a
value a customer typed: bad data is data. Each returns a frozen result that
carries the standardized value, a status and, when there is something to
say, a *reason code*. Reason codes are stable identifiers such as
``"phone.too_short"``; :mod:`core.standardize.reasons` renders them as a
sentence in English or Chinese that names the raw value and, where one
exists, shows the correct form.

Invariants shared by every result:

* ``status == "missing"``  if and only if the raw value was blank.
* ``value == ""`` when the status is ``missing`` or ``invalid``.
* ``reason == ""`` only when the status is ``valid`` or ``missing``.
* Feeding ``value`` back into the same standardizer yields the same value
  (idempotence); tests check this with hypothesis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["valid", "partial", "suspect", "invalid", "missing"]
"""How usable a standardized value is.

* ``valid``: in standard form and passes validation.
* ``partial``: usable but incomplete, e.g. a surname-only name (王先生).
* ``suspect``: well-formed but probably wrong, e.g. ``gmial.com``.
* ``invalid``: cannot be used; ``value`` is empty and ``reason`` says why.
* ``missing``: the raw value was blank.
"""

STATUSES: tuple[Status, ...] = ("valid", "partial", "suspect", "invalid", "missing")


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldResult:
    """A standardized value with its status and reason code."""

    value: str
    status: Status
    reason: str = ""


MISSING = FieldResult(value="", status="missing")
