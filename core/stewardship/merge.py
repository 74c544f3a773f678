"""Deciding proposals: approve (whole or in part), reject, auto-merge, claim.

Every function here is one ``BEGIN IMMEDIATE`` transaction that checks
the actor's role, the proposal's version and claim, writes the decision
with what an undo needs, validates the result and appends the audit entry.
A failure anywhere rolls everything back.

**Approve** joins the customers of the proposal's records into one new
customer: the old customers are retired with their stored values intact
(so :func:`core.stewardship.unmerge.unmerge` can bring them back exactly), their
records move to the new one, and its values are chosen by the survivorship
rules plus the steward's picks. Records the steward leaves out are
cannot-linked to the others; the records merged are must-linked.

**Reject** cannot-links every pair of the proposal's records that belong
to different customers, so later matching runs never propose them again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from itertools import combinations

from core import trail
from core.actors import SYSTEM, Actor, require
from core.clock import utc_now
from core.errors import ConflictError, InputError, NotFoundError
from core.settings import Settings
from core.stewardship.customers import candidates, customer_of, members_of, pinned, stored_rows
from core.stewardship.decisions import (
    Decided,
    check_claim,
    check_version,
    claim_until,
    move,
    new_customer,
    record_decision,
    refresh_values,
    retire,
    set_detail,
    set_links,
    validate,
)
from core.stewardship.survivorship import Survivor
from core.store import Store


def _proposal(conn: sqlite3.Connection, proposal_id: int) -> tuple[str, str, list[int]]:
    row = conn.execute("select status, band from proposals where id = ?", (proposal_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"proposal {proposal_id} does not exist")
    members = [
        int(r[0])
        for r in conn.execute(
            "select record_id from proposal_members where proposal_id = ? order by record_id",
            (proposal_id,),
        )
    ]
    return str(row[0]), str(row[1]), members


def approve(
    store: Store,
    proposal_id: int,
    actor: Actor,
    *,
    exclude: Iterable[int] = (),
    picks: Mapping[str, str] | None = None,
    note: str = "",
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Merge a proposal's records into one customer.

    Args:
        store: the store.
        proposal_id: an open proposal.
        actor: a steward (or the system, for :func:`auto_merge`: a
            proposal of the auto band only).
        exclude: records of the proposal that do not belong (split off;
            they become cannot-links with the records merged).
        picks: field -> the value the steward wants to survive; it must be
            one of the records' values of that field.
        note: the steward's note, kept with the decision and in the trail.
        expected_version: the proposal version the steward saw.
        settings: survivorship settings; the store's own when omitted.

    Returns:
        The decision, with the new customer's id.

    Raises:
        PermissionDenied: the actor may not merge (the system: a proposal
            outside the auto band).
        NotFoundError: no such proposal.
        ConflictError: it was decided or changed meanwhile, or someone else claims it.
        InputError: fewer than two records would be merged, an excluded
            record is not in the proposal or already merged with one that
            stays, or a pick is not one of the records' values.
    """
    require(actor, "auto_merge" if actor.role == "system" else "merge")
    settings = settings or store.settings()
    left_out = sorted({int(r) for r in exclude})
    with store.write() as db:
        conn = db.conn
        status, band, members = _proposal(conn, proposal_id)
        if actor.role == "system" and band != "auto":
            require(actor, "merge")  # the system merges the auto band only
        check_version(conn, "proposals", proposal_id, expected_version)
        if status != "open":
            raise ConflictError(f"proposal {proposal_id} is already {status}; reload the queue")
        check_claim(conn, proposal_id, actor)
        unknown = sorted(set(left_out) - set(members))
        if unknown:
            raise InputError(f"records {unknown} are not in proposal {proposal_id} ({members})")
        kept = [r for r in members if r not in left_out]
        if len(kept) < 2:
            raise InputError(
                f"approving proposal {proposal_id} without {left_out} leaves fewer than two "
                "records; reject it instead"
            )
        old = sorted({customer_of(conn, r) for r in kept})
        records = sorted({m for c in old for m in members_of(conn, c)})
        clash = sorted(set(left_out) & set(records))
        if clash:
            raise InputError(
                f"records {clash} are already merged with records that stay; "
                "detach them from their customer first"
            )
        pins = _picks(conn, records, picks or {}, actor)
        decision = record_decision(
            conn, "merge", actor, proposal_id=proposal_id, customer_ids=old, note=note
        )
        before = {str(c): stored_rows(conn, c) for c in old}
        held = {str(c): members_of(conn, c) for c in old}
        customer = new_customer(conn, decision, actor)
        retire(conn, old, decision, actor)
        move(conn, records, customer, decision)
        inherited = _inherited_pins(conn, old)
        inherited.update(pins)
        refresh_values(conn, customer, settings, pins=inherited)
        replaced = set_links(conn, combinations(kept, 2), "must", decision)
        replaced += set_links(conn, ((a, b) for a in left_out for b in kept), "cannot", decision)
        conn.execute(
            "update proposals set status = 'approved', decided_at = ?, decided_by = ?, "
            "version = version + 1 where id = ?",
            (utc_now(), actor.username, proposal_id),
        )
        detail = {
            "created": customer,
            "retired": old,
            "excluded": left_out,
            "links_replaced": replaced,
            "members": held,
        }
        set_detail(conn, decision, detail)
        conn.execute("update decisions set customer_id = ? where id = ?", (customer, decision))
        validate(conn, [customer, *old])
        trail.append(
            conn,
            actor,
            "merge",
            {
                "proposal": [proposal_id],
                "customer": [customer, *old],
                "record": records,
                "decision": [decision],
            },
            reason=note,
            payload={
                "before": before,
                "after": {str(customer): stored_rows(conn, customer)},
                "excluded": left_out,
                "picks": dict(picks or {}),
            },
        )
    return Decided(decision, "merge", proposal_id, customer, tuple(old))


def reject(
    store: Store,
    proposal_id: int,
    actor: Actor,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> Decided:
    """ "Not the same customer": cannot-link the proposal's records.

    Raises:
        PermissionDenied, NotFoundError, ConflictError: as :func:`approve`.
    """
    require(actor, "reject")
    with store.write() as db:
        conn = db.conn
        status, _, members = _proposal(conn, proposal_id)
        check_version(conn, "proposals", proposal_id, expected_version)
        if status != "open":
            raise ConflictError(f"proposal {proposal_id} is already {status}; reload the queue")
        check_claim(conn, proposal_id, actor)
        owner = {r: customer_of(conn, r) for r in members}
        pairs = [(a, b) for a, b in combinations(members, 2) if owner[a] != owner[b]]
        decision = record_decision(
            conn,
            "reject",
            actor,
            proposal_id=proposal_id,
            customer_ids=sorted(set(owner.values())),
            note=note,
        )
        replaced = set_links(conn, pairs, "cannot", decision)
        set_detail(conn, decision, {"links_replaced": replaced, "pairs": pairs})
        conn.execute(
            "update proposals set status = 'rejected', decided_at = ?, decided_by = ?, "
            "version = version + 1 where id = ?",
            (utc_now(), actor.username, proposal_id),
        )
        trail.append(
            conn,
            actor,
            "reject",
            {"proposal": [proposal_id], "record": members, "decision": [decision]},
            reason=note,
            payload={"cannot_links": pairs},
        )
    return Decided(decision, "reject", proposal_id, None, tuple(sorted(set(owner.values()))))


def auto_merge(
    store: Store, actor: Actor = SYSTEM, settings: Settings | None = None
) -> list[Decided]:
    """Approve every open proposal of the auto band that no steward claims,
    as the system, one transaction each (a conflict skips that proposal)."""
    require(actor, "auto_merge")
    rows = store.conn.execute(
        "select id, version from proposals where status = 'open' and band = 'auto' "
        "and (claimed_by is null or claimed_until < ?) order by id",
        (utc_now(),),
    ).fetchall()
    done = []
    for proposal_id, version in rows:
        try:
            done.append(
                approve(
                    store,
                    int(proposal_id),
                    actor,
                    expected_version=int(version),
                    note="auto-merge band",
                    settings=settings,
                )
            )
        except (ConflictError, InputError):
            continue  # decided or changed by someone meanwhile; it is theirs now
    return done


def claim(store: Store, proposal_id: int, actor: Actor, settings: Settings | None = None) -> str:
    """Claim an open proposal for ``claim_minutes``; returns until when.

    Claiming a proposal one already holds, unexpired, changes nothing and
    writes nothing (no second audit entry): it returns the claim's end.

    Raises:
        ConflictError: someone else holds an unexpired claim, or it is decided.
    """
    require(actor, "claim")
    settings = settings or store.settings()
    with store.write() as db:
        conn = db.conn
        status, _, _ = _proposal(conn, proposal_id)
        if status != "open":
            by, at = conn.execute(
                "select decided_by, decided_at from proposals where id = ?", (proposal_id,)
            ).fetchone()
            raise ConflictError(
                f"proposal {proposal_id} is already {status}"
                + (f" (by {by} at {at})" if by else "")
            )
        held_by, held_until = conn.execute(
            "select claimed_by, claimed_until from proposals where id = ?", (proposal_id,)
        ).fetchone()
        if held_by == actor.username and held_until and held_until > utc_now():
            return str(held_until)
        check_claim(conn, proposal_id, actor)
        until = claim_until(settings)
        conn.execute(
            "update proposals set claimed_by = ?, claimed_until = ? where id = ?",
            (actor.username, until, proposal_id),
        )
        trail.append(conn, actor, "claim", {"proposal": [proposal_id]}, payload={"until": until})
    return until


def release(store: Store, proposal_id: int, actor: Actor) -> None:
    """Give up one's own claim (another's claim is left alone)."""
    require(actor, "claim")
    with store.write() as db:
        released = db.conn.execute(
            "update proposals set claimed_by = null, claimed_until = null "
            "where id = ? and claimed_by = ?",
            (proposal_id, actor.username),
        ).rowcount
        if released:
            trail.append(db.conn, actor, "release", {"proposal": [proposal_id]})


def _picks(
    conn: sqlite3.Connection, records: list[int], picks: Mapping[str, str], actor: Actor
) -> dict[str, list[Survivor]]:
    """A steward's picks as pins; each must be one of the records' values."""
    if not picks:
        return {}
    held: dict[str, dict[str, int]] = {}
    for c in candidates(conn, records):
        held.setdefault(c.field, {}).setdefault(c.value, c.record_id)
    out = {}
    for name, value in picks.items():
        if value not in held.get(name, {}):
            # The message names the records, not their values: it may end up in a log.
            raise InputError(
                f"pick {name}={value!r} is not one of the records' values (records "
                f"{', '.join(map(str, records))}); pick a value one of them holds"
            )
        out[name] = [Survivor(name, value, held[name][value], "manual", True, actor.username)]
    return out


def _inherited_pins(conn: sqlite3.Connection, customers: list[int]) -> dict[str, list[Survivor]]:
    """Picks and edits of the customers being merged carry over (the oldest
    customer's first, for a field picked in two)."""
    out: dict[str, list[Survivor]] = {}
    for c in customers:
        for name, pins in pinned(conn, c).items():
            out.setdefault(name, pins)
    return out
