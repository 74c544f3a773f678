"""A steward's hand on one customer's values: pick one of its records'
values, or edit a value. (Moving records between customers is
:mod:`core.stewardship.moves`.)

Each function is one ``BEGIN IMMEDIATE`` transaction that checks the
actor's role and the customer's version, records the decision with the
customer's values before it, validates the result and appends the audit
entry with before and after. A pick or an edit is *pinned*: it survives
every later recomputation of the customer (a new record joining it, a
change of the survivorship settings) until the steward picks again.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from core import trail
from core.actors import Actor, require
from core.errors import InputError
from core.fields import GOLDEN_FIELDS
from core.settings import Settings
from core.standardize.record import standardize_records
from core.stewardship.customers import candidates, members_of, stored_rows
from core.stewardship.decisions import (
    Decided,
    check_version,
    record_decision,
    refresh_values,
    require_active,
    touch,
    validate,
)
from core.stewardship.survivorship import Survivor
from core.store import Store


def pick(
    store: Store,
    customer_id: int,
    field: str,
    value: str,
    actor: Actor,
    *,
    note: str = "",
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Make one of the members' values of ``field`` the surviving one.

    Raises:
        PermissionDenied, NotFoundError, ConflictError: as in :mod:`core.stewardship.merge`.
        InputError: ``value`` is not one of the members' values of ``field``
            (the message names the customer, never its values); use
            :func:`edit` for a new value.
    """
    require(actor, "pick")
    _field(field)
    settings = settings or store.settings()
    with store.write() as db:
        conn = db.conn
        check_version(conn, "customers", customer_id, expected_version)
        require_active(conn, customer_id)
        held = {
            c.value: c.record_id
            for c in candidates(conn, members_of(conn, customer_id))
            if c.field == field
        }
        if value not in held:
            # The message names the customer, not its values: it may end up in a log.
            raise InputError(
                f"{value!r} is not one of customer {customer_id}'s {field} values (see them "
                f"with python -m core customer --id {customer_id}); "
                "to enter a new value, edit it instead"
            )
        pin = Survivor(field, value, held[value], "manual", True, actor.username, note)
        return _change(
            conn,
            "pick",
            customer_id,
            actor,
            settings,
            {field: [pin]},
            note,
            {"field": field, "value": value},
        )


def edit(
    store: Store,
    customer_id: int,
    field: str,
    value: str,
    actor: Actor,
    *,
    reason: str,
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Set a golden value by hand, with a reason. The value is standardized
    and must be valid (a phone, an e-mail, a date …); the surviving value is
    the standardized form.

    Raises:
        InputError: no reason, an unknown field, or a value that does not
            standardize to a valid one (the message says why and shows the form).
    """
    require(actor, "edit")
    _field(field)
    if not reason.strip():
        raise InputError("an edit needs a reason, e.g. --reason '客户来电更正手机号'")
    settings = settings or store.settings()
    clean = _standardized(field, value, settings)
    with store.write() as db:
        conn = db.conn
        check_version(conn, "customers", customer_id, expected_version)
        require_active(conn, customer_id)
        pin = Survivor(field, clean, None, "edit", True, actor.username, reason)
        return _change(
            conn,
            "edit",
            customer_id,
            actor,
            settings,
            {field: [pin]},
            reason,
            {"field": field, "value": clean, "typed": value},
        )


def _change(
    conn: sqlite3.Connection,
    kind: Literal["pick", "edit"],
    customer_id: int,
    actor: Actor,
    settings: Settings,
    pins: dict[str, list[Survivor]],
    note: str,
    what: dict[str, str],
) -> Decided:
    before = stored_rows(conn, customer_id)
    decision = record_decision(
        conn,
        kind,
        actor,
        customer_id=customer_id,
        customer_ids=[customer_id],
        note=note,
        detail={"before": before, **what},
    )
    refresh_values(conn, customer_id, settings, pins=pins)
    touch(conn, customer_id, actor)
    validate(conn, [customer_id])
    trail.append(
        conn,
        actor,
        kind,
        {"customer": [customer_id], "decision": [decision]},
        reason=note,
        payload={"before": before, "after": stored_rows(conn, customer_id), **what},
    )
    return Decided(decision, kind, None, customer_id, (customer_id,))


def _field(field: str) -> None:
    if field not in GOLDEN_FIELDS:
        raise InputError(f"{field!r} is not a golden field; use one of {', '.join(GOLDEN_FIELDS)}")


def _standardized(field: str, value: str, settings: Settings) -> str:
    """The standardized form of a typed value; a clear error if it is not valid."""
    from core.standardize.reasons import explain

    if not value.strip():
        raise InputError(f"the new {field} is empty; type the value, e.g. 13812345678")
    row = standardize_records([{field: value}], region=str(settings["default_region"]))[0]
    status = row.get(f"{field}_status")
    if status is not None and status not in ("valid", "partial"):
        why = explain(str(row.get(f"{field}_reason") or ""), value, lang="en")
        raise InputError(f"{field} {value!r} is not valid ({status}): {why}")
    return str(row.get(field) or value.strip())
