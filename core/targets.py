"""KPI targets: "mobile validity ≥ 98%", the KPI paths they name, and
whether a figure meets its target.

The ``kpi_targets`` setting maps a KPI's dotted path (see
:meth:`core.quality.kpis.Kpis.value`) to a condition: an operator (``>=``, ``>``,
``<=``, ``<``) and a number, written as a share or a percentage::

    {"fields.mobile.validity": ">= 98%", "duplicate_rate": "<= 0.05"}

A figure that is not measured (None) is not flagged: there is nothing to
fix yet.

The paths live here, with the targets that name them, because the settings
validate a ``kpi_targets`` value when it is set (and the settings are on the
ground floor, below the KPIs themselves).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import InputError
from core.fields import QUALITY_FIELDS

WINDOWS: tuple[int, ...] = (90, 180, 365)
"""The timeliness windows, in days."""

PATHS: frozenset[str] = frozenset(
    [f"fields.{f}.{m}" for f in QUALITY_FIELDS for m in
     ("completeness", "record_completeness", "validity", "valid", "partial", "suspect",
      "invalid", "consistency")]
    + [f"timeliness.{w}" for w in WINDOWS]
    + ["open_proposals.auto", "open_proposals.review", "backlog_age_days.median",
       "backlog_age_days.oldest"]
    + ["records", "customers", "duplicate_rate", "dormant_rate", "backlog",
       "median_decision_hours", "overturn_rate", "merge_precision"]
)  # fmt: skip
"""Every figure's dotted path (what :meth:`Kpis.value` and KPI targets take)."""

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
_CONDITION = re.compile(r"^\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$")
_PATH = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Target:
    """One target: the KPI's path, the operator and the threshold (a share
    for rates, a count for counts)."""

    path: str
    op: str
    threshold: float

    def met(self, value: float | None) -> bool | None:
        """Whether a value meets the target; None if it is not measured."""
        return None if value is None else _OPS[self.op](value, self.threshold)

    @property
    def is_share(self) -> bool:
        """Whether the KPI is a share (shown as a percentage) or a count."""
        return is_share(self.path)

    def format(self, value: float | None) -> str:
        """A value of this KPI as shown: ``97.6%`` for shares, ``6,928`` for counts."""
        if value is None:
            return "—"
        return f"{value:.1%}" if self.is_share else f"{value:,.0f}"

    def __str__(self) -> str:
        return f"{self.path} {self.op} {self.format(self.threshold)}"


@dataclass(frozen=True, slots=True)
class Check:
    """A target against the current figure."""

    target: Target
    value: float | None
    met: bool | None


_SHARES = ("completeness", "validity", "consistency", "rate", "precision")


def is_share(path: str) -> bool:
    """Whether a KPI path names a share (0..1) rather than a count."""
    return path.startswith("timeliness.") or path.endswith(_SHARES)


def parse(targets: Mapping[str, Any]) -> list[Target]:
    """The targets of a ``kpi_targets`` setting.

    Raises:
        InputError: a path or condition is malformed, naming it and showing
            the expected form.
    """
    out = []
    for path, condition in targets.items():
        if not isinstance(path, str) or not _PATH.match(path):
            raise InputError(
                f"KPI target {path!r}: not a KPI path; write e.g. 'fields.mobile.validity' "
                "or 'duplicate_rate'"
            )
        match = _CONDITION.match(str(condition))
        if not match:
            raise InputError(
                f"KPI target {path}: {condition!r} is not a condition; write e.g. '>= 98%' "
                "or '<= 0.05'"
            )
        if path not in PATHS:
            raise InputError(
                f"KPI target {path}: no such KPI; known ones include fields.<field>.validity, "
                "fields.<field>.completeness, duplicate_rate, dormant_rate, backlog, "
                "timeliness.90, overturn_rate, merge_precision"
            )
        op, number, percent = match.groups()
        out.append(Target(path, op, float(number) / (100 if percent else 1)))
    return out


def validate(targets: Any) -> None:
    """Check a ``kpi_targets`` value (used when the setting is changed)."""
    if not isinstance(targets, Mapping):
        raise InputError(
            f"kpi_targets: {targets!r} is not valid; expected an object like "
            '{"fields.mobile.validity": ">= 98%"}'
        )
    parse(targets)


def check(kpis: Any, targets: Mapping[str, Any]) -> list[Check]:
    """Every target against a :class:`~core.quality.kpis.Kpis` (anything with a
    ``value(path)`` method), in the setting's order."""
    results = []
    for target in parse(targets):
        value = kpis.value(target.path)
        results.append(Check(target, value, target.met(value)))
    return results
