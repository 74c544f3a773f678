"""Survivorship: which of the members' values a customer keeps, and why.

For each golden field the candidates are the members' values (the
standardized value, or the raw text where the standardizer found nothing
valid, so that nothing typed is lost). Candidates with the same value are
one candidate held by several records. The rules of the field, in the
order the settings give (``survivorship_rules``), rank them:

* ``valid``: valid values before partial, suspect and invalid ones;
* ``source``: the channel earlier in ``survivorship_source_priority``;
* ``recent``: the record updated or contacted last (then created, then
  imported last);
* ``complete``: the longer, fuller value;
* ``frequent``: the value more members hold.

A steward's pick or edit always wins and is kept when the customer is
recomputed. Multi-valued fields (``survivorship_multi_fields``: mobiles,
e-mails …) keep every distinct valid value, the best ranked as primary.

Everything here is pure: candidates in, survivors and conflicts out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

RULES: tuple[str, ...] = ("valid", "source", "recent", "complete", "frequent")

RULE_TEXT: dict[str, tuple[str, str]] = {
    "valid": ("the only valid value", "唯一有效的值"),
    "source": ("from the most trusted channel", "来自更可信的渠道"),
    "recent": ("the most recently updated record", "最近更新的记录"),
    "complete": ("the most complete value", "最完整的值"),
    "frequent": ("held by most records", "多数记录的值"),
    "only": ("the only value", "唯一的值"),
    "tie": ("equal by every rule; the oldest record's", "各规则相同，取最早的记录"),
    "manual": ("picked by a steward", "由数据管理员选定"),
    "edit": ("edited by a steward", "由数据管理员修改"),
}
"""Each rule's reason, (English, 简体中文)."""

_STATUS_RANK = {"valid": 0, "partial": 1, "suspect": 2, "invalid": 3, "missing": 4}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One member record's value of one field."""

    field: str
    value: str
    status: str
    record_id: int
    channel: str
    when: str  # the record's last update or contact (ISO text; '' unknown)


@dataclass(frozen=True, slots=True)
class Survivor:
    """A surviving value with its provenance."""

    field: str
    value: str
    record_id: int | None
    rule: str
    is_primary: bool = True
    chosen_by: str = "system"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field on which members disagree: the candidate values (best first),
    each with the records holding it, and what the rules would keep."""

    field: str
    values: tuple[tuple[str, tuple[Candidate, ...]], ...]
    chosen: str
    rule: str


@dataclass(frozen=True, slots=True)
class Rules:
    """The survivorship settings."""

    order: Mapping[str, Sequence[str]]
    source_priority: Sequence[str]
    multi: frozenset[str]

    def for_field(self, field: str) -> Sequence[str]:
        return self.order.get(field, self.order.get("*", RULES))


def survive(
    candidates: Iterable[Candidate],
    rules: Rules,
    pinned: Mapping[str, Sequence[Survivor]] | None = None,
) -> list[Survivor]:
    """The surviving values of one customer.

    Args:
        candidates: the members' values, any fields.
        rules: the order of rules per field, the channel priority and the
            multi-valued fields.
        pinned: a steward's picks and edits by field; they replace the
            rules' choice for that field (for multi-valued fields, the
            pinned value becomes the primary and the others stay).

    Returns:
        Survivors sorted by field, primary first; deterministic.
    """
    by_field: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.value:
            by_field.setdefault(c.field, []).append(c)
    pinned = pinned or {}
    out: list[Survivor] = []
    for field in sorted(set(by_field) | set(pinned)):
        ranked = rank(by_field.get(field, []), rules, field)
        mine = list(pinned.get(field, ()))
        if field in rules.multi:
            chosen = {s.value for s in mine}
            keep = [v for v, group in ranked if v not in chosen and _usable(group)]
            if mine:
                primary = mine[:1]
            else:
                primary = [_survivor(field, ranked, rules)] if ranked else []
            out += [_as_primary(s, True) for s in primary]
            first = primary[0].value if primary else None
            for value, group in ranked:
                if value in keep and value != first:
                    best = group[0]
                    out.append(Survivor(field, value, best.record_id, "valid", False))
            out += [_as_primary(s, False) for s in mine[1:]]
        elif mine:
            out.append(_as_primary(mine[0], True))
        elif ranked:
            out.append(_survivor(field, ranked, rules))
    return out


def conflicts(candidates: Iterable[Candidate], rules: Rules) -> list[Conflict]:
    """Fields whose members hold more than one distinct value."""
    by_field: dict[str, list[Candidate]] = {}
    for c in candidates:
        if c.value:
            by_field.setdefault(c.field, []).append(c)
    out = []
    for field in sorted(by_field):
        ranked = rank(by_field[field], rules, field)
        if len(ranked) > 1:
            chosen = _survivor(field, ranked, rules)
            out.append(
                Conflict(field, tuple((v, tuple(g)) for v, g in ranked), chosen.value, chosen.rule)
            )
    return out


def rank(
    candidates: Sequence[Candidate], rules: Rules, field: str
) -> list[tuple[str, list[Candidate]]]:
    """Distinct values, best first by the field's rules, each with the
    records holding it (best record first)."""
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.value, []).append(c)
    order = rules.for_field(field)
    for group in groups.values():
        group.sort(key=lambda c: (_status(c), _source(c, rules), _newest(c), c.record_id))
    ranked = sorted(groups.items(), key=lambda item: _key(item[0], item[1], order, rules))
    return ranked


def _key(
    value: str, group: list[Candidate], order: Sequence[str], rules: Rules
) -> tuple[object, ...]:
    best = group[0]
    parts: dict[str, object] = {
        "valid": _status(best),
        "source": min(_source(c, rules) for c in group),
        "recent": min(_newest(c) for c in group),
        "complete": -len(value),
        "frequent": -len({c.record_id for c in group}),
    }
    return (*(parts[r] for r in order), min(c.record_id for c in group), value)


def _survivor(field: str, ranked: list[tuple[str, list[Candidate]]], rules: Rules) -> Survivor:
    value, group = ranked[0]
    return Survivor(field, value, group[0].record_id, _deciding_rule(ranked, rules, field))


def _deciding_rule(ranked: list[tuple[str, list[Candidate]]], rules: Rules, field: str) -> str:
    """The first rule that puts the winner ahead of the runner-up."""
    if len(ranked) == 1:
        return "only"
    order = list(rules.for_field(field))
    first = _key(ranked[0][0], ranked[0][1], order, rules)
    second = _key(ranked[1][0], ranked[1][1], order, rules)
    for i, rule in enumerate(order):
        if first[i] != second[i]:
            return rule
    return "tie"


def _usable(group: list[Candidate]) -> bool:
    return _status(group[0]) <= _STATUS_RANK["suspect"]


def _as_primary(s: Survivor, primary: bool) -> Survivor:
    return Survivor(s.field, s.value, s.record_id, s.rule, primary, s.chosen_by, s.reason)


def _status(c: Candidate) -> int:
    return _STATUS_RANK.get(c.status, 1)


def _source(c: Candidate, rules: Rules) -> int:
    try:
        return list(rules.source_priority).index(c.channel)
    except ValueError:
        return len(rules.source_priority)


def _newest(c: Candidate) -> tuple[int, int]:
    """Sorts newest first: a known date (ISO text, any precision) before an unknown one."""
    digits = "".join(ch for ch in c.when if ch.isdigit())[:14]
    return (0, -int(digits.ljust(14, "0"))) if digits else (1, 0)


def reason(rule: str, lang: str = "en") -> str:
    """The plain reason of a rule, in English or Chinese."""
    en, zh = RULE_TEXT.get(rule, (rule, rule))
    return en if lang == "en" else zh
