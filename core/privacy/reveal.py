"""Revealing one masked value, with a reason, on the record.

An auditor (or a steward) whose work needs a customer's full mobile, e-mail
or id number asks for that one value and says why. :func:`reveal` returns
it and writes a ``reveal`` entry to the audit trail in the same
transaction: who, when, which customer, which record and field, and the
reason; never the value itself, so the trail does not become a copy of the
data it protects. A manager may not reveal (see ``PERMISSIONS["reveal"]``).
"""

from __future__ import annotations

from core import trail
from core.actors import Actor, require
from core.errors import InputError, NotFoundError
from core.fields import SENSITIVE_FIELDS
from core.stewardship.customers import candidates, get
from core.store import Store


def reveal(
    store: Store,
    actor: Actor,
    customer_id: int,
    field: str,
    reason: str,
    *,
    record_id: int | None = None,
) -> str:
    """The unmasked value of one field, written to the audit trail.

    Args:
        store: the store.
        actor: who asks; the role must allow ``reveal`` (steward, auditor).
        customer_id: the customer (active or retired).
        field: a masked field (``mobile``, ``phone``, ``email``, ``wechat``,
            ``id_number``, ``address``).
        reason: why the value is needed; recorded with the entry.
        record_id: reveal this member record's value instead of the
            customer's surviving (primary) one.

    Returns:
        The value in full, exactly as the viewer's masked screen showed it
        masked.

    Raises:
        PermissionDenied: the role may not reveal (a manager).
        InputError: no reason, or a field that is not masked.
        NotFoundError: no such customer, a record that is not one of its
            members, or no value of that field to reveal.

    Example:
        >>> reveal(store, Actor("zhao.min", "auditor"), 12, "mobile",
        ...        "客户来电，核实身份")  # doctest: +SKIP
        '+8613812345678'
    """
    require(actor, "reveal")
    if field not in SENSITIVE_FIELDS:
        raise InputError(
            f"{field!r} is not masked, so there is nothing to reveal; "
            f"choose one of {', '.join(sorted(SENSITIVE_FIELDS))}"
        )
    why = reason.strip()
    if not why:
        raise InputError(
            "a reveal needs a reason, e.g. reason='客户来电，核实身份' "
            "(it is kept in the audit trail)"
        )
    settings = store.settings()
    with store.write() as db:
        conn = db.conn
        customer = get(conn, customer_id, settings)
        if record_id is None:
            value = customer.value(field)
            where = f"customer {customer_id}"
        else:
            if record_id not in customer.members:
                members = ", ".join(map(str, customer.members)) or "none"
                raise NotFoundError(
                    f"record {record_id} is not one of customer {customer_id}'s records "
                    f"({members}); pick one of those"
                )
            value = next((c.value for c in candidates(conn, [record_id]) if c.field == field), "")
            where = f"record {record_id} of customer {customer_id}"
        if not value:
            raise NotFoundError(f"{where} has no {field} to reveal")
        objects: dict[str, list[int | str]] = {"customer": [customer_id], "field": [field]}
        if record_id is not None:
            objects["record"] = [record_id]
        trail.append(
            conn,
            actor,
            "reveal",
            objects,
            reason=why,
            payload={"field": field, "record_id": record_id},
        )
    return value
