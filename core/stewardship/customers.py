"""Customers (golden records): members, surviving values, provenance.

Every source record belongs to exactly one customer. An imported record is
a customer of its own (created in the import's transaction, by
:mod:`core.ingest.importer`) until a merge joins it to others (:mod:`core.stewardship.merge`).

A customer's surviving values are stored in ``customer_values`` with their
provenance (the record a value came from, the rule or steward that chose
it) as soon as any decision touches the customer. A customer no decision
ever touched has one member, and its values are that record's own,
computed when read (:func:`values`): a million imported records do not
cost ten million stored values.

Reads here never write. Mutations live in :mod:`core.stewardship.merge` and
:mod:`core.stewardship.unmerge`, inside their own transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.errors import NotFoundError
from core.fields import GOLDEN_FIELDS
from core.settings import Settings
from core.stewardship.survivorship import Candidate, Conflict, Rules, Survivor, conflicts, survive

_NO_STATUS = frozenset({"title", "province", "city", "district", "owner"})
_OTHERS = {"mobile": "mobile_others", "phone": "phone_others"}


@dataclass(frozen=True, slots=True)
class GoldenValue:
    """A stored surviving value and where it came from."""

    field: str
    value: str
    is_primary: bool
    record_id: int | None
    rule: str
    chosen_by: str
    chosen_at: str
    reason: str


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer as stored: version for optimistic concurrency, members
    (record ids, ascending) and surviving values (by field, primary first)."""

    id: int
    version: int
    status: str
    created_at: str
    updated_at: str
    updated_by: str
    members: tuple[int, ...]
    values: tuple[GoldenValue, ...]

    def value(self, field: str) -> str:
        """The primary value of ``field`` ('' if none)."""
        return next((v.value for v in self.values if v.field == field and v.is_primary), "")

    @property
    def display_name(self) -> str:
        """What the customer is called: a person's name, or, for an
        organisation (no person's name), the organisation's name."""
        return self.value("name") or self.value("company")


def rules_from(settings: Settings) -> Rules:
    """The survivorship rules of a store's settings."""
    return Rules(
        order=dict(settings["survivorship_rules"]),
        source_priority=list(settings["survivorship_source_priority"]),
        multi=frozenset(settings["survivorship_multi_fields"]),
    )


def get(conn: sqlite3.Connection, customer_id: int, settings: Settings | None = None) -> Customer:
    """One customer, active or retired.

    Raises:
        NotFoundError: there is no such customer.
    """
    row = conn.execute(
        "select id, version, status, created_at, updated_at, updated_by from customers "
        "where id = ?",
        (customer_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"customer {customer_id} does not exist")
    members = _members(conn, customer_id, str(row[2]))
    return Customer(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        str(row[5]),
        members,
        tuple(values(conn, customer_id, members, settings)),
    )


def members(conn: sqlite3.Connection, customer_id: int) -> tuple[int, ...]:
    """A customer's record ids, ascending: its members, or for a retired
    customer those it had when it was retired. Cheaper than :func:`get`
    when the values are not needed.

    Raises:
        NotFoundError: there is no such customer.
    """
    row = conn.execute("select status from customers where id = ?", (customer_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"customer {customer_id} does not exist")
    return _members(conn, customer_id, str(row[0]))


def _members(conn: sqlite3.Connection, customer_id: int, status: str) -> tuple[int, ...]:
    if status == "retired":
        return tuple(int(r) for r in _retired_members(conn, customer_id))
    return tuple(members_of(conn, customer_id))


def members_of(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    """The records that belong to a customer now, ascending (none for a
    retired customer: its records moved on; see :func:`members` for those
    it had)."""
    return [
        int(r[0])
        for r in conn.execute(
            "select record_id from customer_members where customer_id = ? order by record_id",
            (customer_id,),
        )
    ]


def customer_of(conn: sqlite3.Connection, record_id: int) -> int:
    """The customer a record belongs to.

    Raises:
        NotFoundError: there is no such record.
    """
    row = conn.execute(
        "select customer_id from customer_members where record_id = ?", (record_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"record {record_id} does not exist")
    return int(row[0])


def stored_rows(conn: sqlite3.Connection, customer_id: int) -> list[list[Any]]:
    """A customer's stored values as plain rows, in a stable order: field,
    value, is_primary, source_record_id, rule, chosen_by, chosen_at, reason
    (what a decision keeps as its before and after)."""
    return [
        list(r)
        for r in conn.execute(
            "select field, value, is_primary, source_record_id, rule, chosen_by, chosen_at, reason "
            "from customer_values where customer_id = ? order by field, is_primary desc, value",
            (customer_id,),
        )
    ]


def stored_values(conn: sqlite3.Connection, customer_id: int) -> list[GoldenValue]:
    """The values stored for a customer (none for a never-touched singleton)."""
    return [
        GoldenValue(r[0], r[1], bool(r[2]), r[3], r[4], r[5] or "", r[6], r[7])
        for r in stored_rows(conn, customer_id)
    ]


def values(
    conn: sqlite3.Connection,
    customer_id: int,
    members: Sequence[int],
    settings: Settings | None = None,
) -> list[GoldenValue]:
    """A customer's surviving values: stored ones, or, for a customer no
    decision has touched yet, its one record's values computed now."""
    stored = stored_values(conn, customer_id)
    if stored or not members:
        return stored
    rules = rules_from(settings or Settings())
    return [
        GoldenValue(s.field, s.value, s.is_primary, s.record_id, s.rule, s.chosen_by, "", s.reason)
        for s in survive(candidates(conn, members), rules)
    ]


def pinned(conn: sqlite3.Connection, customer_id: int) -> dict[str, list[Survivor]]:
    """A steward's picks and edits of a customer, by field (kept on recompute)."""
    out: dict[str, list[Survivor]] = {}
    for v in stored_values(conn, customer_id):
        if v.rule in ("manual", "edit"):
            out.setdefault(v.field, []).append(
                Survivor(v.field, v.value, v.record_id, v.rule, v.is_primary, v.chosen_by, v.reason)
            )
    for field in out:
        out[field].sort(key=lambda s: not s.is_primary)
    return out


def candidates(conn: sqlite3.Connection, record_ids: Iterable[int]) -> list[Candidate]:
    """Every golden-field value of the records: the standardized value where
    there is one, else the raw text (so nothing typed is lost), with its
    status, channel and the record's last update or contact."""
    ids = sorted({int(i) for i in record_ids})
    out: list[Candidate] = []
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        marks = ",".join("?" * len(chunk))
        cursor = conn.execute(
            f"select r.*, b.imported_at as _imported, {_STD_SELECT} from source_records r "
            "join standardized s on s.record_id = r.id join import_batches b on b.id = r.batch_id "
            f"where r.id in ({marks})",
            chunk,
        )
        names = [d[0] for d in cursor.description]
        for raw in cursor:
            row = dict(zip(names, raw, strict=True))
            out += _record_candidates(row)
    return out


_STD_SELECT = ", ".join(
    f"s.[{c}] as [s_{c}]"
    for c in (
        *GOLDEN_FIELDS,
        *(f"{f}_status" for f in GOLDEN_FIELDS if f not in _NO_STATUS),
        "mobile_others",
        "phone_others",
        "updated_at",
        "created_at",
    )
)


def _record_candidates(row: dict[str, object]) -> list[Candidate]:
    when = max(str(row.get("s_updated_at") or ""), str(row.get("s_last_contact_at") or ""))
    when = when or str(row.get("s_created_at") or "") or str(row["_imported"] or "")
    record, channel = int(str(row["id"])), str(row["channel"] or "")
    out = []
    for field in GOLDEN_FIELDS:
        std = str(row.get(f"s_{field}") or "").strip()
        status = "valid" if field in _NO_STATUS else str(row.get(f"s_{field}_status") or "")
        raw = str(row.get(field) or "").strip()
        if std:
            out.append(Candidate(field, std, status or "valid", record, channel, when))
        elif raw:
            out.append(Candidate(field, raw, "invalid", record, channel, when))
        for extra in str(row.get(f"s_{_OTHERS.get(field, '')}") or "").split():
            out.append(Candidate(field, extra, status or "valid", record, channel, when))
    return out


def dormancy(
    conn: sqlite3.Connection, customer: Customer, today: date, days: int
) -> tuple[bool, str, str]:
    """``(dormant, last_activity, reason_en)``: no update or contact among the
    members within ``days`` days of ``today`` makes a customer dormant."""
    last = ""
    for c in candidates(conn, customer.members):
        last = max(last, c.when[:10])
    if not last:
        return False, "", "no update or contact date on any record"
    cutoff = (today - timedelta(days=days)).isoformat()
    if last < cutoff:
        return True, last, f"no update or contact since {last} (more than {days} days)"
    return False, last, f"last update or contact {last}"


def _retired_members(conn: sqlite3.Connection, customer_id: int) -> list[int]:
    """The members a retired customer had when it was retired (from the
    decision that retired it)."""
    row = conn.execute(
        "select d.detail from customers c join decisions d on d.id = c.retired_by_decision "
        "where c.id = ?",
        (customer_id,),
    ).fetchone()
    if row is None:
        return []
    detail = json.loads(row[0])
    return sorted(int(r) for r in detail.get("members", {}).get(str(customer_id), []))


def golden_rows(
    conn: sqlite3.Connection, settings: Settings, chunk: int = 2000
) -> Iterator[tuple[int, list[int], list[str], dict[str, list[str]]]]:
    """Every active customer: ``(id, member record ids, their source record
    ids, field -> values)``,
    primary value first, in id order. Streams in chunks, so a million
    customers do not sit in memory."""
    rules = rules_from(settings)
    last = 0
    while True:
        ids = [int(r[0]) for r in conn.execute(
            "select id from customers where status = 'active' and id > ? order by id limit ?",
            (last, chunk),
        )]  # fmt: skip
        if not ids:
            return
        last = ids[-1]
        marks = ",".join("?" * len(ids))
        members: dict[int, list[int]] = {}
        names: dict[int, list[str]] = {}
        for record, owner, name in conn.execute(
            "select m.record_id, m.customer_id, r.source_record_id from customer_members m "
            f"join source_records r on r.id = m.record_id where m.customer_id in ({marks}) "
            "order by m.record_id",
            ids,
        ):
            members.setdefault(int(owner), []).append(int(record))
            names.setdefault(int(owner), []).append(str(name))
        stored: dict[int, dict[str, list[str]]] = {}
        for owner, field, value in conn.execute(
            f"select customer_id, field, value from customer_values where customer_id in ({marks}) "
            "order by customer_id, field, is_primary desc, value",
            ids,
        ):
            stored.setdefault(int(owner), {}).setdefault(field, []).append(value)
        fresh = [c for c in ids if c not in stored and c in members]
        by_record: dict[int, list[Candidate]] = {}
        for cand in candidates(conn, [r for c in fresh for r in members[c]]):
            by_record.setdefault(cand.record_id, []).append(cand)
        for cid in ids:
            values = stored.get(cid)
            if values is None:
                values = {}
                cands = [c for r in members.get(cid, []) for c in by_record.get(r, [])]
                for s in survive(cands, rules):
                    values.setdefault(s.field, []).append(s.value)
            yield cid, members.get(cid, []), names.get(cid, []), values


def field_conflicts(
    conn: sqlite3.Connection, record_ids: Iterable[int], settings: Settings
) -> list[Conflict]:
    """The fields on which the records (a proposal's, or a customer's
    members) disagree: each candidate value with the records, channels and
    dates holding it, and the value the rules would keep, with the rule."""
    return conflicts(candidates(conn, record_ids), rules_from(settings))


def proposal_records(conn: sqlite3.Connection, proposal_id: int) -> list[int]:
    """The records of a proposal.

    Raises:
        NotFoundError: there is no such proposal.
    """
    ids = [int(r[0]) for r in conn.execute(
        "select record_id from proposal_members where proposal_id = ? order by record_id",
        (proposal_id,),
    )]  # fmt: skip
    if not ids:
        raise NotFoundError(f"proposal {proposal_id} does not exist")
    return ids
