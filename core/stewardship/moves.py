"""A steward's hand on a record's membership: attach a record to a customer,
or detach it into a customer of its own.

Each function is one ``BEGIN IMMEDIATE`` transaction that checks the
actor's role, refuses a record that moved since the steward looked,
records the decision with the values before it, writes the must- and
cannot-links that keep later match runs from undoing it, validates the
result and appends the audit entry with before and after.
"""

from __future__ import annotations

import sqlite3

from core import trail
from core.actors import Actor, require
from core.errors import ConflictError, InputError
from core.settings import Settings
from core.stewardship.customers import customer_of, members_of, stored_rows
from core.stewardship.decisions import (
    Decided,
    check_version,
    move,
    new_customer,
    record_decision,
    refresh_values,
    require_active,
    retire,
    set_detail,
    set_links,
    touch,
    validate,
)
from core.store import Store


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
        require_active(conn, customer_id)
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
        trail.append(
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
        trail.append(
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


def _still_in(conn: sqlite3.Connection, record_id: int, seen_in: int | None) -> int:
    """The record's customer; a conflict if it is not the one the steward saw."""
    now = customer_of(conn, record_id)
    if seen_in is not None and now != seen_in:
        raise ConflictError(
            f"record {record_id} has moved from customer {seen_in} to customer {now} since "
            "you looked; reload it and decide again"
        )
    return now
