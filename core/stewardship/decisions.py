"""The building blocks of every decision, used inside its one transaction.

Each steward or system decision (:mod:`core.stewardship.merge`, :mod:`core.stewardship.picks`,
:mod:`core.stewardship.unmerge`) opens one ``BEGIN IMMEDIATE`` transaction and, inside
it, uses these helpers to:

* check that the object is still at the version the actor saw, and that no
  one else holds a claim on it (:func:`check_version`, :func:`check_claim`);
* record the decision with everything an exact undo needs
  (:func:`record_decision`);
* create, retire and refill customers (:func:`new_customer`,
  :func:`retire`, :func:`move`, :func:`refresh_values`);
* write must- and cannot-links, keeping the links they replace
  (:func:`set_links`);
* validate the result before it commits (:func:`validate`).

Anything that fails raises a typed error; the caller's transaction then
rolls back, leaving nothing half-written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from core.actors import Actor
from core.clock import utc_now
from core.errors import ConflictError, InputError, IntegrityError, NotFoundError
from core.settings import Settings
from core.stewardship.customers import candidates, members_of, pinned, rules_from
from core.stewardship.survivorship import Survivor, survive


@dataclass(frozen=True, slots=True)
class Decided:
    """What a decision did."""

    decision_id: int
    kind: str
    proposal_id: int | None = None
    customer_id: int | None = None
    customer_ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()


def check_version(
    conn: sqlite3.Connection, table: str, object_id: int, expected: int | None
) -> int:
    """The object's current version; a typed conflict naming who changed it
    last, and when, if it is not ``expected`` (None: no check)."""
    row = conn.execute(f"select version from {table} where id = ?", (object_id,)).fetchone()
    what = table.rstrip("s")
    if row is None:
        raise NotFoundError(f"{what} {object_id} does not exist")
    if expected is not None and int(row[0]) != int(expected):
        who = conn.execute(
            "select l.actor, l.at from audit_index i join audit_log l on l.seq = i.seq "
            "where i.kind = ? and i.object_id = ? order by l.seq desc limit 1",
            (what, str(object_id)),
        ).fetchone()
        by = f" by {who[0]} at {who[1]}" if who else ""
        raise ConflictError(
            f"{what} {object_id} was changed{by} (version {row[0]}, you had {expected}); "
            "reload it and decide again"
        )
    return int(row[0])


def check_claim(conn: sqlite3.Connection, proposal_id: int, actor: Actor) -> None:
    """A typed conflict if someone else holds an unexpired claim on the proposal."""
    row = conn.execute(
        "select claimed_by, claimed_until from proposals where id = ?", (proposal_id,)
    ).fetchone()
    if row and row[0] and row[0] != actor.username and row[1] and row[1] > utc_now():
        raise ConflictError(
            f"proposal {proposal_id} is claimed by {row[0]} until {row[1]}; "
            "wait until then or ask them to release it"
        )


def claim_until(settings: Settings) -> str:
    minutes = int(settings["claim_minutes"])
    until = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    return until.isoformat(timespec="seconds")


def record_decision(
    conn: sqlite3.Connection,
    kind: str,
    actor: Actor,
    *,
    proposal_id: int | None = None,
    customer_id: int | None = None,
    customer_ids: Sequence[int] = (),
    note: str = "",
    detail: Mapping[str, Any] | None = None,
) -> int:
    """Insert a decision row (inside the caller's transaction); returns its id."""
    cursor = conn.execute(
        "insert into decisions (kind, proposal_id, customer_id, customer_ids, actor, role, at, "
        "note, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            proposal_id,
            customer_id,
            json.dumps(sorted(set(customer_ids))),
            actor.username,
            actor.role,
            utc_now(),
            note,
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        ),
    )
    return int(cursor.lastrowid or 0)


def set_detail(conn: sqlite3.Connection, decision_id: int, detail: Mapping[str, Any]) -> None:
    conn.execute(
        "update decisions set detail = ? where id = ?",
        (json.dumps(detail, ensure_ascii=False, sort_keys=True), decision_id),
    )


def new_customer(conn: sqlite3.Connection, decision_id: int, actor: Actor) -> int:
    """A new, empty, active customer created by ``decision_id``."""
    now = utc_now()
    cursor = conn.execute(
        "insert into customers (version, status, created_at, updated_at, updated_by, "
        "created_by_decision) values (1, 'active', ?, ?, ?, ?)",
        (now, now, actor.username, decision_id),
    )
    return int(cursor.lastrowid or 0)


def retire(
    conn: sqlite3.Connection, customer_ids: Iterable[int], decision_id: int, actor: Actor
) -> None:
    """Retire customers; their stored values stay as they were, for an undo."""
    conn.executemany(
        "update customers set status = 'retired', retired_by_decision = ?, version = version + 1, "
        "updated_at = ?, updated_by = ? where id = ? and status = 'active'",
        [(decision_id, utc_now(), actor.username, c) for c in customer_ids],
    )


def revive(conn: sqlite3.Connection, customer_ids: Iterable[int], actor: Actor) -> None:
    """Bring retired customers back, their stored values untouched."""
    conn.executemany(
        "update customers set status = 'active', retired_by_decision = null, "
        "version = version + 1, updated_at = ?, updated_by = ? where id = ?",
        [(utc_now(), actor.username, c) for c in customer_ids],
    )


def touch(conn: sqlite3.Connection, customer_id: int, actor: Actor) -> None:
    conn.execute(
        "update customers set version = version + 1, updated_at = ?, updated_by = ? where id = ?",
        (utc_now(), actor.username, customer_id),
    )


def move(
    conn: sqlite3.Connection, records: Iterable[int], customer_id: int, decision_id: int
) -> None:
    """Make ``records`` members of ``customer_id``."""
    conn.executemany(
        "update customer_members set customer_id = ?, decision_id = ?, added_at = ? "
        "where record_id = ?",
        [(customer_id, decision_id, utc_now(), r) for r in records],
    )


def restore_rows(conn: sqlite3.Connection, customer_id: int, rows: Sequence[Sequence[Any]]) -> None:
    """Put back exactly the stored values ``rows`` (see :func:`stored_rows`)."""
    conn.execute("delete from customer_values where customer_id = ?", (customer_id,))
    conn.executemany(
        "insert into customer_values (customer_id, field, value, is_primary, source_record_id, "
        "rule, chosen_by, chosen_at, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(customer_id, *row) for row in rows],
    )


def refresh_values(
    conn: sqlite3.Connection,
    customer_id: int,
    settings: Settings,
    *,
    pins: Mapping[str, Sequence[Survivor]] | None = None,
) -> list[Survivor]:
    """Recompute and store a customer's surviving values from its members,
    keeping the steward's picks and edits (``pins`` replace those of the
    same fields)."""
    keep: dict[str, Sequence[Survivor]] = dict(pinned(conn, customer_id))
    keep.update(pins or {})
    survivors = survive(candidates(conn, members_of(conn, customer_id)), rules_from(settings), keep)
    now = utc_now()
    conn.execute("delete from customer_values where customer_id = ?", (customer_id,))
    conn.executemany(
        "insert into customer_values (customer_id, field, value, is_primary, source_record_id, "
        "rule, chosen_by, chosen_at, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                customer_id,
                s.field,
                s.value,
                int(s.is_primary),
                s.record_id,
                s.rule,
                s.chosen_by,
                now,
                s.reason,
            )
            for s in survivors
        ],
    )
    return survivors


def set_links(
    conn: sqlite3.Connection, pairs: Iterable[tuple[int, int]], kind: str, decision_id: int
) -> list[list[Any]]:
    """Write must/cannot links (lower id first); returns the link rows they
    replaced, for an undo."""
    wanted = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    replaced = []
    for low, high in wanted:
        row = conn.execute(
            "select record_id_l, record_id_r, kind, decision_id, created_at from links "
            "where record_id_l = ? and record_id_r = ?",
            (low, high),
        ).fetchone()
        if row:
            replaced.append(list(row))
    conn.executemany(
        "insert or replace into links (record_id_l, record_id_r, kind, decision_id, created_at) "
        "values (?, ?, ?, ?, ?)",
        [(low, high, kind, decision_id, utc_now()) for low, high in wanted],
    )
    return replaced


def undo_links(
    conn: sqlite3.Connection, decision_id: int, replaced: Sequence[Sequence[Any]]
) -> None:
    """Remove the links a decision wrote and put back those it replaced."""
    conn.execute("delete from links where decision_id = ?", (decision_id,))
    conn.executemany(
        "insert or replace into links (record_id_l, record_id_r, kind, decision_id, created_at) "
        "values (?, ?, ?, ?, ?)",
        [tuple(r) for r in replaced],
    )


def validate(conn: sqlite3.Connection, customer_ids: Iterable[int]) -> None:
    """Check the customers a decision touched before it commits.

    * every active customer touched has at least one member, and every
      member belongs to an active customer (no record became unreachable);
    * every stored value of an active customer came from one of its members
      (or from a steward's edit), so each value is traceable;
    * a customer has at most one primary value per field.

    Raises:
        IntegrityError: naming the customer and what is wrong; the caller's
            transaction rolls back.
    """
    for cid in sorted(set(customer_ids)):
        row = conn.execute("select status from customers where id = ?", (cid,)).fetchone()
        if row is None:
            raise IntegrityError(f"customer {cid} vanished during the operation")
        members = set(members_of(conn, cid))
        if row[0] == "retired":
            if members:
                raise IntegrityError(f"retired customer {cid} still has records {sorted(members)}")
            continue
        if not members:
            raise IntegrityError(f"customer {cid} was left without records")
        for field, value, record, rule in conn.execute(
            "select field, value, source_record_id, rule from customer_values "
            "where customer_id = ?",
            (cid,),
        ):
            if rule != "edit" and record not in members:
                raise IntegrityError(
                    f"customer {cid}: {field} {value!r} comes from record {record}, "
                    "which is not one of its records"
                )
        double = conn.execute(
            "select field from customer_values where customer_id = ? and is_primary = 1 "
            "group by field having count(*) > 1",
            (cid,),
        ).fetchone()
        if double:
            raise IntegrityError(f"customer {cid} has two primary values of {double[0]}")


def require_active(conn: sqlite3.Connection, customer_id: int) -> None:
    """Refuse a decision on a retired customer (merged or unmerged away).

    Raises:
        InputError: the customer is retired, naming it and what to do.
    """
    row = conn.execute("select status from customers where id = ?", (customer_id,)).fetchone()
    if row and row[0] != "active":
        raise InputError(
            f"customer {customer_id} is retired (merged or unmerged); open the one that replaced it"
        )
