"""A customer's 360° view, as one viewer may see it.

:func:`customer_card` reads in one go what the Customers page shows: the
surviving values with their provenance, the member records with their
channel and dates, the customer's history from the audit trail, whether it
is dormant and why, its field conflicts, and whether the viewer may
unmerge it. Sensitive values are masked here for roles that may not see
them (:mod:`core.masking`), so no page can forget to; the card lists the
masked values such a viewer may reveal (:mod:`core.privacy.reveal`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from core.actors import Actor, allowed, require
from core.fields import SENSITIVE_FIELDS
from core.masking import Revealable, masked, masked_text, needs_mask
from core.settings import Settings
from core.stewardship.customers import candidates, dormancy, field_conflicts, get
from core.trail import entries_for


@dataclass(frozen=True, slots=True)
class CardValue:
    field: str
    value: str
    primary: bool
    record_id: int | None
    rule: str
    chosen_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class CardRecord:
    record_id: int
    source_record_id: str
    channel: str
    when: str
    name: str
    mobile: str
    email: str


@dataclass(frozen=True, slots=True)
class CardEvent:
    at: str
    action: str
    actor: str
    role: str
    reason: str


@dataclass(frozen=True, slots=True)
class Card:
    customer_id: int
    version: int
    status: str
    values: tuple[CardValue, ...]
    records: tuple[CardRecord, ...]
    history: tuple[CardEvent, ...]
    dormant: bool
    last_activity: str
    dormant_reason: str
    conflicts: tuple[str, ...]
    merged: bool
    can_unmerge: bool
    masked: bool = False
    """Whether sensitive values are masked for this viewer."""
    revealable: tuple[Revealable, ...] = ()
    """The masked values this viewer may reveal, one at a time: the surviving
    value of each sensitive field, then each record's mobile and e-mail (as
    the records table shows them). Empty when nothing is masked or the role
    may not reveal."""


def customer_card(
    conn: sqlite3.Connection,
    customer_id: int,
    viewer: Actor,
    settings: Settings,
    today: date | None = None,
) -> Card:
    """The 360° view of a customer for ``viewer``.

    Contract: for a viewer whose role masks (:func:`core.masking.needs_mask`),
    every sensitive value on the card (surviving values and the records'
    mobile and e-mail) is masked, and so is the free text people typed (an
    edit's reason, the reasons in the history): withheld from a manager,
    its identifiers masked for an auditor (:func:`core.masking.masked_text`);
    a steward sees every value as stored.

    Raises:
        PermissionDenied: the viewer may not read customers.
        NotFoundError: no such customer.
    """
    require(viewer, "read_customers")
    c = get(conn, customer_id, settings)
    values = tuple(
        CardValue(
            v.field,
            masked(v.field, v.value, viewer),
            v.is_primary,
            v.record_id,
            v.rule,
            v.chosen_by,
            masked_text(v.reason, viewer),
        )
        for v in c.values
    )
    by_record: dict[int, dict[str, str]] = {}
    meta: dict[int, tuple[str, str]] = {}
    for cand in candidates(conn, c.members):
        by_record.setdefault(cand.record_id, {}).setdefault(cand.field, cand.value)
        meta[cand.record_id] = (cand.channel, cand.when)
    names = (
        dict(
            conn.execute(
                f"select id, source_record_id from source_records where id in "
                f"({','.join('?' * len(c.members))})",
                list(c.members),
            ).fetchall()
        )
        if c.members
        else {}
    )
    records = tuple(
        CardRecord(
            r,
            str(names.get(r, "")),
            *meta.get(r, ("", "")),
            by_record.get(r, {}).get("name", "") or by_record.get(r, {}).get("company", ""),
            masked("mobile", by_record.get(r, {}).get("mobile", ""), viewer),
            masked("email", by_record.get(r, {}).get("email", ""), viewer),
        )
        for r in c.members
    )
    history = tuple(
        CardEvent(e.at, e.action, e.actor, e.role, masked_text(e.reason, viewer))
        for e in entries_for(conn, "customer", customer_id)
    )
    dormant, last, why = dormancy(conn, c, today or date.today(), int(settings["dormant_days"]))
    conflicts = tuple(f.field for f in field_conflicts(conn, c.members, settings))
    merged = bool(
        conn.execute(
            "select 1 from customers c join decisions d on d.id = c.created_by_decision "
            "where c.id = ? and d.kind = 'merge' and d.undone_by is null",
            (customer_id,),
        ).fetchone()
    )
    hidden = needs_mask(viewer)
    revealable: list[Revealable] = []
    if hidden and allowed(viewer, "reveal"):
        shown = dict.fromkeys(
            v.field for v in c.values if v.field in SENSITIVE_FIELDS and v.is_primary and v.value
        )
        revealable += [Revealable(customer_id, f) for f in shown]
        revealable += [
            Revealable(customer_id, f, r)
            for r in c.members
            for f in ("mobile", "email")
            if by_record.get(r, {}).get(f)
        ]
    return Card(
        c.id,
        c.version,
        c.status,
        values,
        records,
        history,
        dormant,
        last,
        why,
        conflicts,
        merged,
        merged and c.status == "active" and allowed(viewer, "unmerge"),
        hidden,
        tuple(revealable),
    )
