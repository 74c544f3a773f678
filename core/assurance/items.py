"""One past decision in full, as an auditor judges it.

:func:`item_view` gathers what was decided, by whom and when; the records
involved (side by side, with the engine's reasons when the decision was on
a proposal); and the surviving values before and after, from the decision's
entry in the audit trail (so what is shown is what was recorded then, not
what the customer looks like now). Values erased for privacy show as such.

Auditors see sensitive values masked by default (:mod:`core.masking`): the
records' values, the values before and after and the decision's detail are
masked here, and the view lists the records' masked values the auditor
may reveal one at a time, with a reason (:mod:`core.privacy.reveal`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from core import trail
from core.actors import Actor, allowed, require
from core.assurance.sessions import STRATUM_SQL
from core.errors import NotFoundError
from core.fields import SENSITIVE_FIELDS
from core.masking import Revealable, mask_payload, masked, masked_text, needs_mask
from core.settings import Settings
from core.stewardship.customers import members_of
from core.stewardship.workbench import (
    PairReason,
    ProposalView,
    RecordColumn,
    proposal_view,
    record_columns,
)


@dataclass(frozen=True, slots=True)
class ValueChange:
    """A golden field's surviving values before and after the decision."""

    field: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    differs: bool | None = None
    """Whether the stored values differ (two values can mask alike)."""

    @property
    def changed(self) -> bool:
        return self.differs if self.differs is not None else self.before != self.after


@dataclass(frozen=True, slots=True)
class ItemView:
    decision_id: int
    kind: str
    stratum: str
    actor: str
    role: str
    at: str
    note: str
    undone_by: int | None
    proposal_id: int | None
    score: float | None
    records: tuple[RecordColumn, ...]
    reasons: tuple[PairReason, ...]
    changes: tuple[ValueChange, ...]
    erased: bool
    detail: dict[str, Any]
    revealable: tuple[Revealable, ...] = ()
    """The records' masked values the viewer may reveal (each record's
    current customer, the field and the record); empty for a viewer who
    sees values unmasked or may not reveal."""


def item_view(
    conn: sqlite3.Connection, decision_id: int, settings: Settings, viewer: Actor
) -> ItemView:
    """Everything an auditor needs to judge one decision, as ``viewer`` may
    see it.

    Contract: for a viewer whose role masks, no sensitive value appears in
    the view unmasked (records, before/after values, detail), and the
    decision's note shows with its identifiers masked
    (:func:`core.masking.masked_text`).

    Raises:
        PermissionDenied: the viewer may not read the audit trail.
        NotFoundError: no such decision.
    """
    require(viewer, "read_audit")
    row = conn.execute(
        f"select kind, {STRATUM_SQL}, actor, role, at, note, undone_by, proposal_id, "
        "customer_ids, detail from decisions where id = ?",
        (decision_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"decision {decision_id} does not exist")
    kind, stratum, actor, role, at, note, undone, proposal_id, customers, detail_text = row
    hidden = needs_mask(viewer)
    detail = json.loads(detail_text or "{}")
    if hidden:
        detail = mask_payload(detail)
    view: ProposalView | None = (
        proposal_view(conn, int(proposal_id), settings, viewer) if proposal_id is not None else None
    )
    entry = _entry(conn, decision_id, str(kind))
    if view is not None:
        records = list(view.records)
    else:
        ids = {int(r) for r in (entry.objects().get("record", []) if entry else [])}
        if not ids:  # a pick or an edit: the customer's records
            for customer_id in json.loads(customers or "[]"):
                ids.update(members_of(conn, int(customer_id)))
        records = record_columns(conn, sorted(ids), viewer=viewer)
    changes, erased = _changes(conn, entry, viewer)
    revealable = (
        tuple(
            Revealable(r.customer_id, f, r.record_id)
            for r in records
            for f in sorted(r.values)
            if f in SENSITIVE_FIELDS and r.values[f]
        )
        if hidden and allowed(viewer, "reveal")
        else ()
    )
    return ItemView(
        decision_id=decision_id, kind=str(kind), stratum=str(stratum or ""), actor=str(actor),
        role=str(role), at=str(at), note=masked_text(str(note or ""), viewer),
        undone_by=int(undone) if undone is not None else None,
        proposal_id=int(proposal_id) if proposal_id is not None else None,
        score=view.score if view else None, records=tuple(records),
        reasons=view.pairs if view else (), changes=changes, erased=erased, detail=detail,
        revealable=revealable,
    )  # fmt: skip


def _entry(conn: sqlite3.Connection, decision_id: int, kind: str) -> trail.Entry | None:
    """The decision's own entry in the trail."""
    entries = [e for e in trail.entries_for(conn, "decision", decision_id) if e.action == kind]
    return entries[0] if entries else None


def _changes(
    conn: sqlite3.Connection, entry: trail.Entry | None, viewer: Actor
) -> tuple[tuple[ValueChange, ...], bool]:
    """Primary values per field before and after, from the decision's entry,
    masked for ``viewer``."""
    if entry is None:
        return (), False
    payload = trail.payload(conn, entry.seq)
    if payload is None:
        return (), True
    before = _primary(payload.get("before") or {})
    after = _primary(payload.get("after") or {})
    fields = sorted(set(before) | set(after))

    def shown(field: str, values: list[str]) -> tuple[str, ...]:
        return tuple(masked(field, v, viewer) for v in values)

    return (
        tuple(
            ValueChange(
                f,
                shown(f, before.get(f, [])),
                shown(f, after.get(f, [])),
                before.get(f, []) != after.get(f, []),
            )
            for f in fields
        ),
        False,
    )


def _primary(rows_by_customer: Any) -> dict[str, list[str]]:
    """Field -> the distinct primary values over the customers' stored rows
    (rows as :func:`core.stewardship.decisions.stored_rows` writes them)."""
    rows = rows_by_customer.values() if isinstance(rows_by_customer, dict) else [rows_by_customer]
    out: dict[str, list[str]] = {}
    for customer_rows in rows:
        for field, value, is_primary, *_ in customer_rows:
            if is_primary and value not in out.setdefault(field, []):
                out[field].append(str(value))
    return out
