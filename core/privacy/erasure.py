"""Erasure: a person's personal data removed from the store, provably.

:func:`erase_subject` removes, in one transaction, everything
:func:`core.privacy.subject.locate` finds about the person of one customer:

* the raw values and cells of their source records (the rows stay, marked
  ``erased``, so ids, batches and the trail still add up) and all of their
  standardized values;
* the golden values that came from those records, and every value of the
  customers that were only theirs (manual picks and edits included);
* the scored pairs and proposal explanations that involve the records; open
  proposals with them are superseded;
* the payloads of the audit entries that touched them (the before/after
  values), and any other payload, note, decision detail or quarantined row
  that carries one of their identifiers (payloads go whole; notes and quarantined text have
  the identifier replaced by ``[erased]``);
* the KPI sums of their import batches (recomputed on the next report).

The audit chain stays verifiable: entries keep their hashes and ids, and
the tombstone (an ``erase`` entry whose payload lists the removed payloads,
ids only) tells :func:`core.trail.verify` which payloads are gone on
purpose. The erasure is registered in ``erasures``. After the commit the
file is vacuumed and the WAL truncated, so no page of the file, free or
not, still holds the data.

What is not erased, by design: the audit entries' *reasons* (steward
notes) are part of the hash chain; they are counted in the result
(``reasons_mentioning``) so that a person who typed an identifier into a
note can be told. Backups made before the erasure keep the data until
they rotate out.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.errors import ConflictError, InputError
from core.fields import FIELDS
from core.privacy.subject import Subject, identifier_pattern, locate
from core.schema import STD_COLUMNS
from core.store import Store, change_in, select_in

ERASED = "[erased]"
"""What replaces an identifier in free text."""

_FLAGS = frozenset({"email_role", "email_free"})


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure removed (counts and ids only)."""

    customer_id: int
    records: int
    values_removed: int
    pairs_removed: int
    proposals_superseded: int
    payloads_removed: int
    quarantine_rows_redacted: int
    notes_redacted: int
    reasons_mentioning: int
    audit_seq: int
    vacuumed: bool
    wal_truncated: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def erase_subject(store: Store, actor: Actor, customer_id: int, reason: str) -> Erasure:
    """Erase the personal data of the person of ``customer_id`` (see the
    module's contract), then vacuum the file.

    Args:
        reason: the request's reference (e.g. "PIPL request 2026-118"); it is
            kept in the trail, so it may not contain the person's data.

    Raises:
        PermissionDenied: the actor may not handle data-subject requests.
        NotFoundError: there is no such customer.
        InputError: no reason, or a reason that contains the person's data.
        ConflictError: a proposal with the person's records is claimed by a
            steward (they must finish or release it first).
    """
    require(actor, "subject_rights")
    if not reason.strip():
        raise InputError("an erasure needs a reason: the request's reference, e.g. "
                         "--reason \"PIPL request 2026-118\"")  # fmt: skip
    with store.write() as db:
        conn = db.conn
        subject = locate(conn, customer_id)
        if any(identifier_pattern(v).search(reason) for v in
               (*subject.identifiers, *subject.descriptors)):  # fmt: skip
            raise InputError("the reason contains the person's own data, which the trail would "
                             "keep; give the request's reference instead, e.g. "
                             "\"PIPL request 2026-118\"")  # fmt: skip
        _refuse_claimed(conn, subject)
        conn.execute("insert into erasure_in_progress values (?)", [secrets.token_hex(8)])
        counts = _erase(conn, subject)
        conn.execute("delete from erasure_in_progress")
        removed = counts.pop("payload_seqs")
        entry = trail.append(
            conn, actor, "erase", {"customer": [customer_id, *subject.customers],
                                   "record": list(subject.records)},
            reason=reason,
            payload={**counts, "payloads_removed": removed},  # ids: what verify may miss
        )  # fmt: skip
        conn.execute(
            "insert into erasures (customer_id, record_ids, actor, at, reason, audit_seq) "
            "values (?, ?, ?, ?, ?, ?)",
            [customer_id, json.dumps(list(subject.records)), actor.username, utc_now(), reason,
             entry.seq],
        )  # fmt: skip
    vacuumed, truncated = compact(store)
    return Erasure(customer_id, len(subject.records), audit_seq=entry.seq, vacuumed=vacuumed,
                   wal_truncated=truncated, **counts)  # fmt: skip


def _refuse_claimed(conn: sqlite3.Connection, subject: Subject) -> None:
    claims = select_in(
        conn,
        "select distinct p.id, p.claimed_by, p.claimed_until from proposals p "
        "join proposal_members m on m.proposal_id = p.id where p.status = 'open' "
        "and p.claimed_by is not null and p.claimed_until > ? and m.record_id in",
        list(subject.records), utc_now(),
    )  # fmt: skip
    if claims:
        pid, who, until = claims[0]
        raise ConflictError(
            f"customer {subject.customer_id} is under an open claim: proposal {pid} is claimed "
            f"by {who} until {until}; they must decide or release it before the erasure"
        )


def _erase(conn: sqlite3.Connection, subject: Subject) -> dict[str, Any]:
    records = list(subject.records)
    blank_raw = ", ".join(f"[{f}] = null" for f in FIELDS)
    for record_id, cells, extra in select_in(
        conn, "select id, raw_cells, extra from source_records where id in", records
    ):
        conn.execute(
            f"update source_records set {blank_raw}, raw_cells = ?, extra = ?, erased = 1 "
            "where id = ?",
            [json.dumps([""] * len(json.loads(cells))),
             json.dumps(dict.fromkeys(json.loads(extra), "")), record_id],
        )  # fmt: skip
    blank_std = ", ".join(f"[{c}] = {_blank(c)}" for c in STD_COLUMNS)
    change_in(conn, f"update standardized set {blank_std} where record_id in", records)
    values = change_in(conn, "delete from customer_values where source_record_id in", records)
    values += change_in(conn, "delete from customer_values where customer_id in",
                     list(subject.customers))  # fmt: skip
    pairs = sum(
        change_in(conn, f"delete from {table} where {side} in", records)
        for table in ("match_pairs", "proposal_pairs") for side in ("record_id_l", "record_id_r")
    )  # fmt: skip
    superseded = change_in(
        conn, "update proposals set status = 'superseded', version = version + 1 "
        "where status = 'open' and id in (select proposal_id from proposal_members "
        "where record_id in", records, close=True,
    )  # fmt: skip
    change_in(conn, "delete from kpi_batch_cache where batch_id in (select batch_id from "
           "source_records where id in", records, close=True)  # fmt: skip
    # Free text that belongs to the subject's own decisions loses every mention
    # of them; elsewhere only their identifiers go (another 王伟 keeps his name).
    strong = [identifier_pattern(v) for v in subject.identifiers]
    every = [*strong, *(identifier_pattern(v) for v in subject.descriptors)]
    gone = set(subject.entries)
    for seq, text in conn.execute("select seq, payload from audit_payloads").fetchall():
        if int(seq) not in gone and any(p.search(text) for p in strong):
            gone.add(int(seq))
    gone -= {int(s) for (s,) in conn.execute("select seq from audit_log where action = 'erase'")}
    change_in(conn, "delete from audit_payloads where seq in", sorted(gone))
    decisions = {
        int(d) for (d,) in select_in(
            conn, "select object_id from audit_index where kind = 'decision' and seq in",
            list(subject.entries),
        )
    }  # fmt: skip
    sessions = {
        int(s) for (s,) in select_in(
            conn, "select session_id from audit_session_items where decision_id in",
            sorted(decisions),
        )
    }  # fmt: skip
    quarantine = _redact(conn, "quarantine", "id", "raw_text", strong)
    notes = _redact(conn, "decisions", "id", "note", strong, every, decisions)
    # what an undo of a pick or edit needs holds values too (ids stay, so
    # the JSON stays whole: the marker has no quote in it)
    _redact(conn, "decisions", "id", "detail", strong, every, decisions)
    notes += _redact(conn, "audit_session_items", "rowid", "note", strong, every,
                     _item_rows(conn, decisions))  # fmt: skip
    notes += _redact(conn, "audit_sessions", "id", "results", strong, every, sessions)
    reasons = sum(
        1 for (text,) in conn.execute("select reason from audit_log where reason != ''")
        if any(p.search(text) for p in every)
    )  # fmt: skip
    return {"values_removed": values, "pairs_removed": pairs, "proposals_superseded": superseded,
            "payloads_removed": len(gone), "payload_seqs": sorted(gone),
            "quarantine_rows_redacted": quarantine, "notes_redacted": notes,
            "reasons_mentioning": reasons}  # fmt: skip


def _blank(column: str) -> str:
    """The SQL literal an erased standardized column takes: an erased value
    is a missing one (so the KPIs count it as such)."""
    return "0" if column in _FLAGS else "'missing'" if column.endswith("_status") else "''"


def _item_rows(conn: sqlite3.Connection, decisions: set[int]) -> set[int]:
    sql = "select rowid from audit_session_items where decision_id in"
    return {int(r) for (r,) in select_in(conn, sql, sorted(decisions))}


def _redact(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    column: str,
    patterns: list[re.Pattern[str]],
    own_patterns: list[re.Pattern[str]] | None = None,
    own: set[int] | None = None,
) -> int:
    """Replace every match in ``table.column`` by ERASED: of ``own_patterns``
    in the rows whose ``key`` is in ``own``, of ``patterns`` elsewhere.
    (``table``, ``key`` and ``column`` are names from the schema.)"""
    changed = 0
    for row_id, text in conn.execute(
        f"select {key}, {column} from {table} where {column} is not null and {column} != ''"
    ).fetchall():
        new = str(text)
        for p in own_patterns if own and own_patterns and int(row_id) in own else patterns:
            new = p.sub(ERASED, new)
        if new != text:
            conn.execute(f"update {table} set {column} = ? where {key} = ?", [new, row_id])
            changed += 1
    return changed


def compact(store: Store) -> tuple[bool, bool]:
    """Vacuum the file and truncate its WAL, so that no free page or old WAL
    frame still holds erased data. Returns ``(vacuumed, wal_truncated)``;
    the WAL cannot be truncated while another connection reads (run
    ``python -m core subject compact`` again later)."""
    conn = store.conn
    conn.execute("pragma wal_checkpoint(TRUNCATE)")
    conn.execute("vacuum")
    busy, _, _ = conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()
    return True, busy == 0
