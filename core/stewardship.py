"""A steward's hand on one customer: pick a value, edit a value, attach or
detach a record.

Each function is one ``BEGIN IMMEDIATE`` transaction that checks the
actor's role and the customer's version, records the decision with the
customer's values before it, validates the result and appends the audit
entry with before and after. A pick or an edit is *pinned*: it survives
every later recomputation of the customer (a new record joining it, a
change of the survivorship settings) until the steward picks again.
"""

from __future__ import annotations

import sqlite3

from core import audit
from core.actors import Actor, require
from core.customers import GOLDEN_FIELDS, candidates, customer_of
from core.decisions import (
    check_version,
    members_of,
    move,
    new_customer,
    record_decision,
    refresh_values,
    retire,
    set_detail,
    set_links,
    stored_rows,
    touch,
    validate,
)
from core.errors import ConflictError, InputError
from core.merge import Decided
from core.settings import Settings
from core.standardize.record import standardize_records
from core.store import Store
from core.survivorship import Survivor


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
        PermissionDenied, NotFoundError, ConflictError: as in :mod:`core.merge`.
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
        _active(conn, customer_id)
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
        _active(conn, customer_id)
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


def attach(
    store: Store,
    record_id: int,
    customer_id: int,
    actor: Actor,
    *,
    note: str = "",
    expected_version: int | None = None,
    from_customer: int | None = None,
    from_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Move a record into a customer (it is the same customer, says the
    steward). It is must-linked to the target's records and cannot-linked
    to the records it leaves. A customer left without records is retired.

    Args:
        expected_version: the target's version the steward saw.
        from_customer, from_version: the customer the steward saw the
            record in, and its version; if the record has moved or that
            customer changed since, nothing is done.

    Raises:
        InputError: the record already belongs to that customer.
        ConflictError: the target or the record's customer changed.
    """
    require(actor, "attach")
    settings = settings or store.settings()
    with store.write() as db:
        conn = db.conn
        check_version(conn, "customers", customer_id, expected_version)
        _active(conn, customer_id)
        source = _still_in(conn, record_id, from_customer)
        check_version(conn, "customers", source, from_version)
        if source == customer_id:
            raise InputError(f"record {record_id} already belongs to customer {customer_id}")
        before = {str(c): stored_rows(conn, c) for c in (source, customer_id)}
        others = members_of(conn, customer_id)
        left = [r for r in members_of(conn, source) if r != record_id]
        decision = record_decision(
            conn,
            "attach",
            actor,
            customer_id=customer_id,
            customer_ids=[source, customer_id],
            note=note,
        )
        move(conn, [record_id], customer_id, decision)
        emptied = not members_of(conn, source)
        if emptied:
            retire(conn, [source], decision, actor)
        else:
            refresh_values(conn, source, settings)
            touch(conn, source, actor)
        refresh_values(conn, customer_id, settings)
        touch(conn, customer_id, actor)
        replaced = set_links(conn, ((record_id, o) for o in others), "must", decision)
        replaced += set_links(conn, ((record_id, o) for o in left), "cannot", decision)
        set_detail(
            conn,
            decision,
            {
                "record": record_id,
                "from": source,
                "retired": emptied,
                "before": before,
                "links_replaced": replaced,
                "members": {str(source): [record_id]} if emptied else {},
            },
        )
        validate(conn, [source, customer_id])
        audit.append(
            conn,
            actor,
            "attach",
            {"customer": [customer_id, source], "record": [record_id], "decision": [decision]},
            reason=note,
            payload={"before": before, "after": {str(customer_id): stored_rows(conn, customer_id)}},
        )
    return Decided(decision, "attach", None, customer_id, (source,))


def detach(
    store: Store,
    record_id: int,
    actor: Actor,
    *,
    note: str = "",
    customer_id: int | None = None,
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Take a record out of its customer into a new customer of its own;
    it is cannot-linked to the records it leaves.

    Args:
        customer_id, expected_version: the customer the steward saw the
            record in, and its version (a version alone is checked against
            whatever customer holds the record now, which may not be the
            one the steward saw: pass both).

    Raises:
        InputError: the record is its customer's only record.
        ConflictError: the record has moved, or its customer changed.
    """
    require(actor, "detach")
    settings = settings or store.settings()
    with store.write() as db:
        conn = db.conn
        source = _still_in(conn, record_id, customer_id)
        check_version(conn, "customers", source, expected_version)
        others = [r for r in members_of(conn, source) if r != record_id]
        if not others:
            raise InputError(f"record {record_id} is customer {source}'s only record")
        before = {str(source): stored_rows(conn, source)}
        decision = record_decision(
            conn, "detach", actor, customer_id=source, customer_ids=[source], note=note
        )
        alone = new_customer(conn, decision, actor)
        move(conn, [record_id], alone, decision)
        refresh_values(conn, source, settings)
        refresh_values(conn, alone, settings)
        touch(conn, source, actor)
        replaced = set_links(conn, ((record_id, o) for o in others), "cannot", decision)
        set_detail(
            conn,
            decision,
            {
                "record": record_id,
                "from": source,
                "created": alone,
                "before": before,
                "links_replaced": replaced,
            },
        )
        validate(conn, [source, alone])
        audit.append(
            conn,
            actor,
            "detach",
            {"customer": [source, alone], "record": [record_id], "decision": [decision]},
            reason=note,
            payload={
                "before": before,
                "after": {
                    str(source): stored_rows(conn, source),
                    str(alone): stored_rows(conn, alone),
                },
            },
        )
    return Decided(decision, "detach", None, alone, (source,))


def _change(
    conn: sqlite3.Connection,
    kind: str,
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
    audit.append(
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


def _still_in(conn: sqlite3.Connection, record_id: int, seen_in: int | None) -> int:
    """The record's customer; a conflict if it is not the one the steward saw."""
    now = customer_of(conn, record_id)
    if seen_in is not None and now != seen_in:
        raise ConflictError(
            f"record {record_id} has moved from customer {seen_in} to customer {now} since "
            "you looked; reload it and decide again"
        )
    return now


def _active(conn: sqlite3.Connection, customer_id: int) -> None:
    row = conn.execute("select status from customers where id = ?", (customer_id,)).fetchone()
    if row and row[0] != "active":
        raise InputError(
            f"customer {customer_id} is retired (merged or unmerged); open the one that replaced it"
        )


def _standardized(field: str, value: str, settings: Settings) -> str:
    """The standardized form of a typed value; a clear error if it is not valid."""
    from core.standardize.reasons import explain

    if not value.strip():
        raise InputError(f"the new {field} is empty; type the value, e.g. 13812345678")
    row = standardize_records([{field: value}], settings)[0]
    status = row.get(f"{field}_status")
    if status is not None and status not in ("valid", "partial"):
        why = explain(str(row.get(f"{field}_reason") or ""), value, lang="en")
        raise InputError(f"{field} {value!r} is not valid ({status}): {why}")
    return str(row.get(field) or value.strip())
