"""A data subject: one person's customer, and everything the store holds
about them.

Under PIPL and the GDPR a person may ask to see what is held about them
(:func:`export_subject`) or to have it erased (:mod:`core.privacy.erasure`). Both
start from a customer id and find the same things:

* the **records**: the customer's member source records;
* the **customers** that ever held one of them (the customer itself and the
  ones merges and unmerges retired), from the audit index;
* the **entries** of the audit trail that touched any of those records or
  the subject's own customers;
* the **identifiers**: the person's phone numbers, e-mails, WeChat ids, id
  numbers, names and addresses as typed and as standardized. They are what
  finds free text that mentions the person (quarantined rows, notes).

Contract: a subject is a customer, and a customer is a person. Erasing a
customer that a wrong merge made of two people erases both; unmerge it
first. The other way round, one person may be several customers that no
merge has joined yet (the same mobile imported again from another
channel): :func:`related` lists every active customer that shares a strong
identifier (mobile, e-mail, id number, WeChat) with the subject, and the
admin includes each one that is the same person (``locate(...,
include=...)``) or excludes it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.stewardship.customers import get, members
from core.store import Store, select_in

IDENTIFYING: tuple[str, ...] = ("mobile", "phone", "email", "wechat", "id_number")
"""Fields whose value singles a person out (and finds their quarantined rows)."""

STRONG: tuple[str, ...] = ("mobile", "email", "id_number", "wechat")
"""Identifiers that make another customer a candidate for the same person
(:func:`related`); a landline is left out: colleagues share a switchboard."""

DESCRIBING: tuple[str, ...] = ("name", "first_name", "last_name", "address")
"""Fields that describe a person but may be shared (a common name)."""

_MIN_LENGTH = {"name": 2, "first_name": 2, "last_name": 2}
_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True, slots=True)
class Subject:
    """What the store holds about one customer's person (ids only)."""

    customer_id: int
    records: tuple[int, ...]
    customers: tuple[int, ...]  # every customer whose members were all the subject's
    entries: tuple[int, ...]  # audit seqs that touched the records or those customers
    identifiers: tuple[str, ...]  # strong values: phones, e-mails, WeChat, id numbers
    descriptors: tuple[str, ...]  # names and addresses
    included: tuple[int, ...] = ()  # other customers the admin said are the same person


def locate(conn: sqlite3.Connection, customer_id: int, include: Iterable[int] = ()) -> Subject:
    """The subject of ``customer_id`` (an active or a retired customer),
    together with the customers in ``include`` (the same person, as the
    admin decided from :func:`related`).

    Raises:
        NotFoundError: there is no such customer.
    """
    included = tuple(sorted(set(include) - {customer_id}))
    records = set(members(conn, customer_id))
    for other in included:
        records.update(members(conn, other))
    return _subject(conn, customer_id, tuple(sorted(records)), {customer_id, *included}, included)


def locate_records(conn: sqlite3.Connection, record_ids: Iterable[int]) -> Subject | None:
    """The subject made of these records (those that exist and are not
    erased yet): how a recorded erasure is applied again to a store restored
    from an older backup, where the records may sit in other customers.
    None when no such record is left."""
    rows = select_in(
        conn, "select m.record_id, m.customer_id from customer_members m join source_records r "
        "on r.id = m.record_id where r.erased = 0 and m.record_id in", sorted(set(record_ids)),
    )  # fmt: skip
    if not rows:
        return None
    records = tuple(sorted(int(r) for r, _ in rows))
    customers = {int(c) for _, c in rows}
    return _subject(conn, min(customers), records, customers, ())


def _subject(
    conn: sqlite3.Connection,
    customer_id: int,
    records: tuple[int, ...],
    start: set[int],
    included: tuple[int, ...],
) -> Subject:
    mine = set(records)
    entries = set(_entries(conn, "record", records))
    seen: set[int] = set(start)
    for (objects,) in select_in(
        conn, "select object_ids from audit_log where seq in", sorted(entries)
    ):
        seen.update(int(c) for c in json.loads(objects).get("customer", []))
    own = sorted(c for c in seen if set(members(conn, c)) <= mine)
    entries.update(_entries(conn, "customer", own))
    erase_entries = {
        int(s) for (s,) in conn.execute("select seq from audit_log where action = 'erase'")
    }
    strong, weak = _values(conn, records, own)
    return Subject(customer_id, tuple(records), tuple(own), tuple(sorted(entries - erase_entries)),
                   tuple(sorted(strong)), tuple(sorted(weak)), included)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Related:
    """Another active customer that shares a strong identifier with a
    subject: a candidate for the same person, for the admin to include in
    the erasure or to exclude."""

    customer_id: int
    shared: tuple[str, ...]  # the fields shared (of STRONG), never the values
    name: str
    records: int
    channels: tuple[str, ...]


def related(
    conn: sqlite3.Connection, customer_id: int, include: Iterable[int] = ()
) -> list[Related]:
    """Every active customer, besides the subject and ``include``, that
    shares a mobile, an e-mail, an id number or a WeChat id with them: in a
    member record's standardized values (a mobile typed into the phone
    column too) or in a golden value (a steward's edit). Ordered by id.

    Args:
        conn: the store's connection.
        customer_id: the subject's customer.
        include: customers already taken as the same person; what they
            share with others is listed too (so a chain of shared
            identifiers is followed one decision at a time).

    Raises:
        NotFoundError: the customer or one of ``include`` does not exist.

    Example:
        >>> [(r.customer_id, r.shared) for r in related(conn, 4)]  # doctest: +SKIP
        [(4012, ('email', 'mobile'))]
    """
    group = {customer_id, *include}
    records: set[int] = set()
    for c in group:
        records.update(members(conn, c))
    values = _strong(conn, sorted(records), sorted(group))
    found: dict[int, set[str]] = {}
    for customer, field in _holders(conn, values):
        if customer not in group:
            found.setdefault(customer, set()).add(field)
    out = []
    for customer in sorted(found):
        about = summary(conn, customer)
        out.append(Related(customer, tuple(sorted(found[customer])), about.name, about.records,
                           about.channels))  # fmt: skip
    return out


def _usable(value: Any, status: Any = "valid") -> bool:
    return bool(value) and len(str(value)) >= 5 and status not in ("invalid", "missing")


def _strong(
    conn: sqlite3.Connection, records: list[int], customers: list[int]
) -> dict[str, set[str]]:
    """The strong identifiers of these records and customers, by field."""
    out: dict[str, set[str]] = {f: set() for f in STRONG}
    for row in select_in(
        conn, "select mobile, mobile_status, mobile_others, phone, phone_kind, phone_status, "
        "email, email_status, id_number, id_number_status, wechat, wechat_status "
        "from standardized where record_id in", records,
    ):  # fmt: skip
        mobile, m_status, others, phone, p_kind, p_status = row[:6]
        if _usable(mobile, m_status):
            out["mobile"].add(str(mobile))
        out["mobile"].update(o for o in str(others or "").split() if _usable(o))
        if p_kind == "mobile" and _usable(phone, p_status):
            out["mobile"].add(str(phone))
        for field, value, status in zip(("email", "id_number", "wechat"), row[6::2], row[7::2],
                                        strict=True):  # fmt: skip
            if _usable(value, status):
                out[field].add(str(value))
    for field, value in select_in(
        conn, "select field, value from customer_values where field in "
        "('mobile', 'email', 'id_number', 'wechat') and customer_id in", customers,
    ):  # fmt: skip
        if _usable(value):
            out[str(field)].add(str(value))
    return out


def _holders(conn: sqlite3.Connection, values: dict[str, set[str]]) -> list[tuple[int, str]]:
    """(active customer, field) for each customer holding one of ``values``."""
    hits: list[tuple[int, str]] = []
    sql = ("select m.customer_id from standardized s join customer_members m "
           "on m.record_id = s.record_id where s.{column} in")  # fmt: skip
    for field, column in (("mobile", "mobile"), ("mobile", "phone"), ("email", "email"),
                          ("id_number", "id_number"), ("wechat", "wechat")):  # fmt: skip
        wanted = sorted(values[field])
        hits += [(int(c), field) for (c,) in select_in(conn, sql.format(column=column), wanted)]
    if values["mobile"]:
        for customer, others in conn.execute(
            "select m.customer_id, s.mobile_others from standardized s join customer_members m "
            "on m.record_id = s.record_id where s.mobile_others != ''"
        ):
            if values["mobile"] & set(str(others).split()):
                hits.append((int(customer), "mobile"))
    for field in STRONG:
        hits += [
            (int(c), field) for (c,) in select_in(
                conn, "select v.customer_id from customer_values v join customers c "
                "on c.id = v.customer_id where c.status = 'active' and v.field = ? and v.value in",
                sorted(values[field]), field,
            )
        ]  # fmt: skip
    return hits


def _entries(conn: sqlite3.Connection, kind: str, ids: Any) -> list[int]:
    sql = "select seq from audit_index where kind = ? and object_id in"
    return [int(s) for (s,) in select_in(conn, sql, [str(i) for i in ids], kind)]


def _values(
    conn: sqlite3.Connection, records: tuple[int, ...], own: list[int]
) -> tuple[set[str], set[str]]:
    """The subject's identifying and describing values: raw, standardized and
    golden (a steward's edit too), with the national digits of each phone
    (how a phone is found however it was typed)."""
    strong: set[str] = set()
    weak: set[str] = set()
    fields = (*IDENTIFYING, *DESCRIBING)
    raw = select_in(conn, f"select {', '.join(fields)} from source_records where id in",
                list(records))  # fmt: skip
    std_fields = [f for f in fields if f not in ("first_name", "last_name")]
    std = select_in(conn, f"select {', '.join(std_fields)} from standardized where record_id in",
                list(records))  # fmt: skip
    golden = select_in(conn, "select field, value from customer_values where source_record_id in",
                   list(records))  # fmt: skip
    pairs = [(f, v) for row in raw for f, v in zip(fields, row, strict=True)]
    pairs += [(f, v) for row in std for f, v in zip(std_fields, row, strict=True)]
    golden += select_in(conn, "select field, value from customer_values where customer_id in", own)
    pairs += [(str(f), v) for f, v in golden if f in fields]
    for field, value in pairs:
        text = str(value or "").strip()
        if len(text) < _MIN_LENGTH.get(field, 5):
            continue
        (strong if field in IDENTIFYING else weak).add(text)
        if field in ("mobile", "phone"):
            digits = _DIGITS.sub("", text)
            national = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
            if len(national) >= 7:
                strong.add(national)
    return strong, weak


@dataclass(frozen=True, slots=True)
class Summary:
    """What an admin sees before acting on a request: whom it is about."""

    customer_id: int
    status: str
    name: str
    records: int
    channels: tuple[str, ...]
    erased: bool  # every record's personal data is already gone


def summary(conn: sqlite3.Connection, customer_id: int) -> Summary:
    """A short description of the customer a request names.

    Raises:
        NotFoundError: there is no such customer.
    """
    customer = get(conn, customer_id)
    rows = select_in(conn, "select channel, erased from source_records where id in",
                     list(customer.members))  # fmt: skip
    return Summary(customer_id, customer.status, customer.value("name"), len(rows),
                   tuple(sorted({str(c) for c, _ in rows})),
                   bool(rows) and all(e for _, e in rows))  # fmt: skip


def export_subject(store: Store, actor: Actor, customer_id: int) -> dict[str, Any]:
    """Everything held about the person of ``customer_id``, as one JSON-able
    object: the source records with their raw values and where they came
    from, their standardized values, the golden values with provenance, the
    decisions and audit entries that touched them, the links stewards set,
    and quarantined rows that carry one of the person's identifiers.

    The export is audited (``subject_export``, ids only).

    Raises:
        PermissionDenied: the actor may not handle data-subject requests.
        NotFoundError: there is no such customer.
    """
    require(actor, "subject_rights")
    conn = store.conn
    subject = locate(conn, customer_id)
    customer = get(conn, customer_id, store.settings())
    records = [_record(conn, r) for r in subject.records]
    decision_ids = sorted({
        int(d) for (d,) in select_in(
            conn, "select object_id from audit_index where kind = 'decision' and seq in",
            list(subject.entries),
        )
    })  # fmt: skip
    decisions = select_in(
        conn,
        "select id, kind, at, actor, role, note, proposal_id, customer_id from decisions "
        "where id in",
        decision_ids,
    )
    entries = select_in(
        conn,
        "select seq, at, actor, role, action, reason from audit_log where seq in",
        list(subject.entries),
    )
    links = select_in(
        conn, "select record_id_l, record_id_r, kind, created_at from links where record_id_l in",
        list(subject.records),
    ) + select_in(
        conn, "select record_id_l, record_id_r, kind, created_at from links where record_id_r in",
        list(subject.records),
    )  # fmt: skip
    out = {
        "customer_id": customer_id,
        "exported_at": utc_now(),
        "exported_by": actor.username,
        "customer": {
            "status": customer.status, "created_at": customer.created_at,
            "updated_at": customer.updated_at,
            "values": [{"field": v.field, "value": v.value, "primary": v.is_primary,
                        "from_record": v.record_id, "rule": v.rule, "chosen_by": v.chosen_by,
                        "chosen_at": v.chosen_at, "reason": v.reason} for v in customer.values],
        },
        "records": records,
        "decisions": [dict(zip(("id", "kind", "at", "actor", "role", "note", "proposal_id",
                                "customer_id"), d, strict=True))
                      for d in sorted(decisions)],
        "audit_entries": [dict(zip(("seq", "at", "actor", "role", "action", "reason"), e,
                                   strict=True)) for e in sorted(entries)],
        "links": [dict(zip(("record_l", "record_r", "kind", "created_at"), x, strict=True))
                  for x in sorted(set(links))],
        "quarantined_rows": [{"batch_id": b, "line_number": n, "raw_text": t, "reason": why}
                             for b, n, t, why in quarantined(conn, subject)],
    }  # fmt: skip
    with store.write() as db:
        trail.append(db.conn, actor, "subject_export",
                     {"customer": [customer_id], "record": list(subject.records)})  # fmt: skip
    return out


def _record(conn: sqlite3.Connection, record_id: int) -> dict[str, Any]:
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute(
            "select r.*, b.file_name, b.imported_at, b.imported_by from source_records r "
            "join import_batches b on b.id = r.batch_id where r.id = ?",
            (record_id,),
        ).fetchone()
        std = conn.execute(
            "select * from standardized where record_id = ?", (record_id,)
        ).fetchone()
    finally:
        conn.row_factory = None
    head = ("id", "batch_id", "row_number", "line_number", "source_record_id", "channel",
            "raw_cells", "extra", "file_name", "imported_at", "imported_by", "erased")  # fmt: skip
    return {
        **{k: row[k] for k in head if k not in ("raw_cells", "extra")},
        "raw_cells": json.loads(row["raw_cells"]),
        "unmapped": json.loads(row["extra"]),
        "raw": {k: row[k] for k in row.keys() if k not in head and row[k]},
        "standardized": {k: std[k] for k in std.keys() if k != "record_id" and std[k]}
        if std is not None else {},
    }  # fmt: skip


def quarantined(conn: sqlite3.Connection, subject: Subject) -> list[tuple[int, int, str, str]]:
    """Quarantined rows that carry one of the subject's identifiers
    (``batch_id, line_number, raw_text, reason``). A phone is found by its
    digits, whatever separators the row used."""
    found = []
    patterns = [identifier_pattern(v) for v in subject.identifiers]
    for batch, line, text, reason in conn.execute(
        "select batch_id, line_number, raw_text, reason from quarantine order by id"
    ):
        if any(p.search(text) for p in patterns):
            found.append((int(batch), int(line), str(text), str(reason)))
    return found


def identifier_pattern(value: str) -> re.Pattern[str]:
    """A pattern that finds ``value`` in free text; digits may be separated
    by spaces, dashes, dots or brackets (``138 1234-5678``)."""
    if value.isdigit():
        return re.compile(r"[\s\-.()]{0,2}".join(map(re.escape, value)))
    return re.compile(re.escape(value), re.IGNORECASE)
