"""What the merge workbench shows for one proposal, in one read.

:func:`proposal_view` gathers the proposal's records side by side (each
with its channel, dates and the customer it belongs to now), marks each
golden field as agreeing or conflicting, gives for each conflict the value
the rules would keep and why, and renders the engine's reasons for every
pair in Chinese and English. The page only lays it out.

Both reads take the viewer: for a role that masks (an auditor judging a
decision through :mod:`core.assurance.items`), the record values, the proposed
values and the options are masked (:mod:`core.masking`); whether a field
agrees or conflicts is decided on the values as stored.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.actors import Actor, require
from core.errors import NotFoundError
from core.fields import GOLDEN_FIELDS
from core.masking import masked
from core.matching.explanations import Lang, reason
from core.settings import Settings
from core.stewardship.customers import candidates, customer_of, rules_from
from core.stewardship.survivorship import Candidate, conflicts, survive
from core.stewardship.survivorship import reason as rule_reason


@dataclass(frozen=True, slots=True)
class RecordColumn:
    """One record of the proposal: ids, where and when it came from."""

    record_id: int
    source_record_id: str
    channel: str
    customer_id: int
    when: str
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One golden field across the records."""

    field: str
    state: str  # "same", "conflict" or "one" (only one record has it)
    proposed: str
    rule: str
    why_en: str
    why_zh: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairReason:
    record_l: int
    record_r: int
    score: float
    reason_en: str
    reason_zh: str


@dataclass(frozen=True, slots=True)
class ProposalView:
    proposal_id: int
    status: str
    band: str
    score: float
    version: int
    claimed_by: str
    claimed_until: str
    records: tuple[RecordColumn, ...]
    fields: tuple[FieldRow, ...]
    pairs: tuple[PairReason, ...]

    def reasons(self, lang: Lang) -> list[str]:
        """The pair reasons in one language, strongest pair first, each
        naming the pairs of records it is about (pairs with the same reason
        share one line): "records 12 and 40, 12 and 41: same mobile; …"."""
        grouped: dict[str, list[str]] = {}
        for p in self.pairs:
            text = p.reason_en if lang == "en" else p.reason_zh
            joint = " and " if lang == "en" else " 与 "
            both = f"{p.record_l}{joint}{p.record_r}"
            grouped.setdefault(text, []).append(both)
        if lang == "en":
            return [f"records {', '.join(pairs)}: {text}" for text, pairs in grouped.items()]
        return [f"记录 {'，'.join(pairs)}：{text}" for text, pairs in grouped.items()]


def record_columns(
    conn: sqlite3.Connection,
    members: list[int],
    cands: list[Candidate] | None = None,
    *,
    viewer: Actor,
) -> list[RecordColumn]:
    """The records side by side: ids, channel, date, customer and values
    (several values of a field joined by ``; ``), masked for ``viewer``."""
    cands = candidates(conn, members) if cands is None else cands
    marks = ",".join("?" * len(members))
    ids = dict(
        conn.execute(
            f"select id, source_record_id from source_records where id in ({marks})", members
        ).fetchall()
    )
    columns = []
    for record in members:
        mine = [c for c in cands if c.record_id == record]
        values: dict[str, str] = {}
        for c in mine:
            shown = masked(c.field, c.value, viewer)
            values[c.field] = f"{values[c.field]}; {shown}" if c.field in values else shown
        channel = mine[0].channel if mine else ""
        when = mine[0].when if mine else ""
        columns.append(
            RecordColumn(
                record, str(ids.get(record, "")), channel, customer_of(conn, record), when, values
            )
        )
    return columns


def proposal_view(
    conn: sqlite3.Connection, proposal_id: int, settings: Settings, viewer: Actor
) -> ProposalView:
    """Everything the workbench shows for a proposal, as ``viewer`` may see it.

    Raises:
        PermissionDenied: the viewer may not read customers.
        NotFoundError: there is no such proposal.
    """
    require(viewer, "read_customers")
    row = conn.execute(
        "select status, band, score, version, coalesce(claimed_by, ''), "
        "coalesce(claimed_until, '') from proposals where id = ?",
        (proposal_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"proposal {proposal_id} does not exist")
    members = [
        int(r[0])
        for r in conn.execute(
            "select record_id from proposal_members where proposal_id = ? order by record_id",
            (proposal_id,),
        )
    ]
    cands = candidates(conn, members)
    rules = rules_from(settings)
    columns = record_columns(conn, members, cands, viewer=viewer)
    disagree = {c.field: c for c in conflicts(cands, rules)}
    chosen = {s.field: s for s in survive(cands, rules) if s.is_primary}
    fields = []
    for name in GOLDEN_FIELDS:
        holders = [col for col in columns if name in col.values]
        if not holders:
            continue
        if name in disagree:
            found = disagree[name]
            fields.append(
                FieldRow(
                    name,
                    "conflict",
                    masked(name, found.chosen, viewer),
                    found.rule,
                    rule_reason(found.rule, "en"),
                    rule_reason(found.rule, "zh"),
                    tuple(masked(name, v, viewer) for v, _ in found.values),
                )
            )
        else:
            keep = chosen[name]
            state = "same" if len(holders) > 1 else "one"
            shown = masked(name, keep.value, viewer)
            fields.append(FieldRow(name, state, shown, keep.rule, "", "", (shown,)))
    pairs = [
        PairReason(int(a), int(b), float(s), reason(text, "en"), reason(text, "zh"))
        for a, b, s, text in conn.execute(
            "select record_id_l, record_id_r, score, explanation from proposal_pairs "
            "where proposal_id = ? order by score desc",
            (proposal_id,),
        )
    ]
    return ProposalView(
        proposal_id,
        row[0],
        row[1],
        float(row[2]),
        int(row[3]),
        row[4],
        row[5],
        tuple(columns),
        tuple(fields),
        tuple(pairs),
    )
