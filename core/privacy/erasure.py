"""Erasure: a person's personal data removed from the store, provably.

:func:`erase_subject` removes, in one transaction, everything
:func:`core.privacy.subject.locate` finds about the person of one customer
and of the customers the admin included as the same person. Before anything
is erased, every active customer that shares a strong identifier (mobile,
e-mail, id number, WeChat) with them (:func:`core.privacy.subject.related`)
must be decided: included (erased too) or excluded (kept); an erasure with
one left undecided is refused, naming them (ids and fields, never values).
It removes:

* the raw values and cells of their source records (the rows stay, marked
  ``erased``, so ids, batches and the trail still add up) and all of their
  standardized values;
* the golden values that came from those records, and every value of the
  customers that were only theirs (manual picks and edits included);
* the scored pairs and proposal explanations that involve the records; open
  proposals with them are superseded;
* the payloads of the audit entries that touched them (the before/after
  values); in every other payload, note, decision detail (another
  customer's undo record) or quarantined row that carries one of their
  identifiers, the identifier is replaced by ``[erased]`` and the rest kept
  (another customer's history and undo record are never removed);
* the KPI sums of their import batches (recomputed on the next report).

The audit chain stays verifiable: entries keep their hashes and ids, and
the tombstone (an ``erase`` entry whose payload lists the removed payloads,
ids only, and the hash of each redacted one) tells
:func:`core.trail.verify` which payloads are gone or redacted on purpose.
The erasure is registered in ``erasures``. After the commit the file is
vacuumed and the WAL truncated, so no page of the file, free or not, still
holds the data.

Every erasure is also written to the **erasure register**, a file outside
the store (:func:`register_path`: ``crm.db.erasures.jsonl`` beside
``crm.db``; ids, time, actor and the request's reference, never the erased
data). It is written inside the erasing transaction, before the commit, so
the register holds every committed erasure (and, if the commit then fails,
one that the admin was told failed). A restore never touches it: restoring
an older backup applies each registered erasure again
(:func:`reapply`, called by :func:`core.ops.backup.restore`).

What is not erased, by design: the audit entries' *reasons* (steward
notes) are part of the hash chain; they are counted in the result
(``reasons_mentioning``) so that a person who typed an identifier into a
note can be told. Backups made before the erasure keep the data until
they rotate out; restoring one applies the erasure again (the register).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.errors import ConflictError, DiskFullError, InputError, IntegrityError
from core.fields import FIELDS
from core.privacy.subject import Subject, identifier_pattern, locate, locate_records, related
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
    payloads_redacted: int = 0
    """Other entries' payloads that kept everything but the person's identifiers."""
    included: tuple[int, ...] = ()
    """Other customers erased with this one, as the same person."""
    excluded: tuple[int, ...] = ()
    """Customers sharing an identifier whom the admin kept, as other people."""
    compact_problem: str = ""
    """Why the file could not be vacuumed after the commit (SQLite's message,
    e.g. a full disk); the erasure itself stands. Empty when it was."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def erase_subject(
    store: Store,
    actor: Actor,
    customer_id: int,
    reason: str,
    *,
    include: Iterable[int] = (),
    exclude: Iterable[int] = (),
    register: str | Path | None = None,
) -> Erasure:
    """Erase the personal data of the person of ``customer_id`` (see the
    module's contract), record it in the erasure register outside the
    store, then vacuum the file.

    Args:
        store: the store.
        actor: an admin.
        customer_id: the customer the request names.
        reason: the request's reference (e.g. "PIPL request 2026-118"); it is
            kept in the trail, so it may not contain the person's data.
        include: other customers that are the same person (erased too).
        exclude: customers that share an identifier but are other people.
            Every customer :func:`~core.privacy.subject.related` lists must
            be in one of the two.
        register: the erasure register (default: beside the store file,
            :func:`register_path`).

    Raises:
        PermissionDenied: the actor may not handle data-subject requests.
        NotFoundError: there is no such customer.
        InputError: no reason, or a reason that contains the person's data;
            a customer both included and excluded; a customer that shares
            an identifier and is neither included nor excluded; the register
            cannot be written (nothing erased).
        DiskFullError: the disk is too full to commit (nothing erased).
        ConflictError: a proposal with the person's records is claimed by a
            steward (they must finish or release it first).

    Example:
        >>> erase_subject(store, admin, 4, "PIPL request 2026-118",
        ...               include=[4012], exclude=[977])  # doctest: +SKIP
    """
    require(actor, "subject_rights")
    if not reason.strip():
        raise InputError("an erasure needs a reason: the request's reference, e.g. "
                         "--reason \"PIPL request 2026-118\"")  # fmt: skip
    included, excluded = set(include) - {customer_id}, set(exclude)
    if included & excluded or customer_id in excluded:
        both = sorted((included & excluded) | ({customer_id} & excluded))
        raise InputError(f"customer {both[0]} is both to be erased and to be kept; "
                         "include or exclude it, not both")  # fmt: skip
    try:
        with store.write() as db:
            conn = db.conn
            subject = locate(conn, customer_id, included)
            if any(identifier_pattern(v).search(reason) for v in
                   (*subject.identifiers, *subject.descriptors)):  # fmt: skip
                raise InputError("the reason contains the person's own data, which the trail "
                                 "would keep; give the request's reference instead, e.g. "
                                 "\"PIPL request 2026-118\"")  # fmt: skip
            _refuse_claimed(conn, subject)
            _refuse_undecided(conn, customer_id, included, excluded)
            entry, counts = _erase_and_record(
                conn, actor, subject, reason,
                {"included": sorted(included), "excluded": sorted(excluded)},
            )  # fmt: skip
            book = Path(register) if register is not None else register_path(store.path)
            record_erasure(book, Registered(entry.at, actor.username, customer_id,
                                            subject.records, reason, entry.seq))  # fmt: skip
    except DiskFullError:
        raise DiskFullError(
            f"customer {customer_id}: the erasure could not be written (the disk is full or "
            "refuses writes); nothing was erased. Free some disk space, then run it again"
        ) from None
    # Committed: from here on nothing may raise and hide what was done. A
    # vacuum that fails (a full disk) is reported in the result instead.
    done = compact(store)
    return Erasure(customer_id, len(subject.records), audit_seq=entry.seq, vacuumed=done.vacuumed,
                   wal_truncated=done.wal_truncated, included=tuple(sorted(included)),
                   excluded=tuple(sorted(excluded)), compact_problem=done.problem,
                   **counts)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Registered:
    """One erasure as the register outside the store keeps it (ids only)."""

    at: str
    actor: str
    customer_id: int
    records: tuple[int, ...]
    reason: str  # the request's reference (checked to hold none of the person's data)
    audit_seq: int  # its tombstone in the store it was made in

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "records": list(self.records)}


def register_path(db_path: str | Path) -> Path:
    """The erasure register of the store at ``db_path``: a file beside it,
    ``crm.db.erasures.jsonl`` for ``crm.db``, that restores never replace."""
    db = Path(db_path)
    return db.with_name(db.name + ".erasures.jsonl")


def record_erasure(register: Path, erasure: Registered) -> None:
    """Append one erasure to the register, durably (one JSON line, fsynced).
    A torn last line (a crash while one was written, before its erasure
    committed) is cut off first.

    Raises:
        InputError: the register cannot be written (the caller rolls the
            erasure back).
    """
    line = (json.dumps(erasure.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
    try:
        with register.open("a+b") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell():
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    handle.seek(0)
                    whole = handle.read()
                    handle.truncate(whole.rfind(b"\n") + 1)
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise InputError(
            f"the erasure register {register} cannot be written ({exc.strerror}); nothing was "
            "erased. Free some disk space or fix its permissions, then run the erasure again"
        ) from None


def registered(register: Path) -> list[Registered]:
    """Every erasure in the register, oldest first ([] when there is none).
    A torn last line (no newline: its erasure never committed) is skipped.

    Raises:
        IntegrityError: a line is not an erasure this module wrote (the
            register was damaged: a restore must not go on without it).
    """
    if not register.exists():
        return []
    out = []
    text = register.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    for number, line in enumerate(lines[:-1], start=1):  # the last piece has no newline
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            out.append(Registered(str(data["at"]), str(data["actor"]), int(data["customer_id"]),
                                  tuple(int(r) for r in data["records"]), str(data["reason"]),
                                  int(data["audit_seq"])))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            raise IntegrityError(
                f"{register}: line {number} is not an erasure record; repair the register (or "
                "put back its copy) before restoring"
            ) from None
    return out


@dataclass(frozen=True, slots=True)
class Reapplied:
    """A registered erasure applied again to a restored store."""

    audit_seq: int  # the tombstone it wrote in the restored store
    reapplies: int  # the original erasure's tombstone (in the store it was made in)
    records: int


def reapply(
    conn: sqlite3.Connection, actor: Actor, erasures: Iterable[Registered]
) -> list[Reapplied]:
    """Erase again, inside the caller's write transaction, what each
    registered erasure erased, wherever records of it are still present and
    not erased (a store restored from a backup older than the erasure).
    Each one writes its own tombstone (reason: the original request's,
    marked re-applied) and row of ``erasures``. No related-customer decision
    is asked again: the records are the ones the admin erased.

    The caller checks the permission: this is part of a restore
    (``backup``), not a new request. Call :func:`compact` after the commit.

    Returns:
        The erasures applied again (those with nothing left to erase are
        skipped).
    """
    done = []
    for erasure in erasures:
        subject = locate_records(conn, erasure.records)
        if subject is None:
            continue
        entry, _ = _erase_and_record(
            conn, actor, subject, f"re-applied after a restore: {erasure.reason}",
            {"reapplies": erasure.audit_seq, "erased_at": erasure.at,
             "erased_by": erasure.actor},
        )  # fmt: skip
        done.append(Reapplied(entry.seq, erasure.audit_seq, len(subject.records)))
    return done


def _erase_and_record(
    conn: sqlite3.Connection,
    actor: Actor,
    subject: Subject,
    reason: str,
    extra: dict[str, Any],
) -> tuple[trail.Entry, dict[str, Any]]:
    """Erase ``subject`` and write its tombstone and its row of ``erasures``,
    inside the caller's write transaction. Returns the tombstone and the
    counts (``extra`` goes into the tombstone's payload)."""
    conn.execute("insert into erasure_in_progress values (?)", [secrets.token_hex(8)])
    counts = _erase(conn, subject)
    conn.execute("delete from erasure_in_progress")
    removed, redacted = counts.pop("payload_seqs"), counts.pop("redacted_hashes")
    entry = trail.append(
        conn, actor, "erase", {"customer": [subject.customer_id, *subject.customers,
                                            *subject.included],
                               "record": list(subject.records)},
        reason=reason,
        payload={**counts, **extra,
                 "payloads_removed": removed,  # ids: what verify may miss
                 "payloads_redacted": redacted},  # and what the redacted text hashes to
    )  # fmt: skip
    conn.execute(
        "insert into erasures (customer_id, record_ids, actor, at, reason, audit_seq) "
        "values (?, ?, ?, ?, ?, ?)",
        [subject.customer_id, json.dumps(list(subject.records)), actor.username, utc_now(),
         reason, entry.seq],
    )  # fmt: skip
    return entry, counts


def _refuse_undecided(
    conn: sqlite3.Connection, customer_id: int, included: set[int], excluded: set[int]
) -> None:
    """Every customer sharing a strong identifier must be decided."""
    open_ = [r for r in related(conn, customer_id, included) if r.customer_id not in excluded]
    if open_:
        listed = "; ".join(f"{r.customer_id} ({', '.join(r.shared)})" for r in open_[:20])
        more = f" and {len(open_) - 20} more" if len(open_) > 20 else ""
        example = " ".join(f"--include {r.customer_id}" if i == 0 else f"--exclude {r.customer_id}"
                           for i, r in enumerate(open_[:2]))  # fmt: skip
        raise InputError(
            f"customer {customer_id} shares a mobile, e-mail, id number or WeChat with customers "
            f"nobody has decided on: {listed}{more}. Include each that is the same person and "
            f"exclude each that is not, e.g. {example}"
        )


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
    # The payloads of their own entries go whole; another customer's payload
    # keeps everything but the identifiers: their history stays readable.
    strong = [identifier_pattern(v) for v in subject.identifiers]
    every = [*strong, *(identifier_pattern(v) for v in subject.descriptors)]
    tombstones = {
        int(s) for (s,) in conn.execute("select seq from audit_log where action = 'erase'")
    }
    gone = set(subject.entries) - tombstones
    redacted: dict[int, str] = {}
    for seq, text in conn.execute("select seq, payload from audit_payloads").fetchall():
        if int(seq) in gone or int(seq) in tombstones or not any(p.search(text) for p in strong):
            continue
        new = _redact_json(text, strong, trail.canonical)
        if new != text:
            redacted[int(seq)] = new
    change_in(conn, "delete from audit_payloads where seq in", sorted(gone | set(redacted)))
    conn.executemany("insert into audit_payloads (seq, payload) values (?, ?)",
                     sorted(redacted.items()))  # fmt: skip
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
    # what an undo needs holds values too: redacted inside its JSON strings,
    # so every id and every other value of the undo record stays
    _redact(conn, "decisions", "id", "detail", strong, every, decisions, as_json=True)
    notes += _redact(conn, "audit_session_items", "rowid", "note", strong, every,
                     _item_rows(conn, decisions))  # fmt: skip
    notes += _redact(conn, "audit_sessions", "id", "results", strong, every, sessions,
                     as_json=True)  # fmt: skip
    reasons = sum(
        1 for (text,) in conn.execute("select reason from audit_log where reason != ''")
        if any(p.search(text) for p in every)
    )  # fmt: skip
    return {"values_removed": values, "pairs_removed": pairs, "proposals_superseded": superseded,
            "payloads_removed": len(gone), "payload_seqs": sorted(gone),
            "payloads_redacted": len(redacted),
            "redacted_hashes": {str(q): trail.redacted_hash(t)
                                for q, t in sorted(redacted.items())},
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
    *,
    as_json: bool = False,
) -> int:
    """Replace every match in ``table.column`` by ERASED: of ``own_patterns``
    in the rows whose ``key`` is in ``own``, of ``patterns`` elsewhere; in a
    JSON column only inside its strings, so the structure (ids, numbers,
    every other value) stays whole. (``table``, ``key`` and ``column`` are
    names from the schema.)"""
    changed = 0
    for row_id, text in conn.execute(
        f"select {key}, {column} from {table} where {column} is not null and {column} != ''"
    ).fetchall():
        found = own_patterns if own and own_patterns and int(row_id) in own else patterns
        if not any(p.search(str(text)) for p in found):
            continue
        if as_json:
            new = _redact_json(str(text), found, _dump)
        else:
            new = str(text)
            for p in found:
                new = p.sub(ERASED, new)
        if new != text:
            conn.execute(f"update {table} set {column} = ? where {key} = ?", [new, row_id])
            changed += 1
    return changed


def _dump(value: Any) -> str:
    """How decisions and sessions store their JSON (``set_detail``)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _redact_json(text: str, patterns: list[re.Pattern[str]], dump: Callable[[Any], str]) -> str:
    """``text`` (JSON) with every match inside its strings (keys too)
    replaced by ERASED, serialised by ``dump``; ``text`` itself when nothing
    matched."""
    hit = False

    def walk(value: Any) -> Any:
        nonlocal hit
        if isinstance(value, str):
            new = value
            for p in patterns:
                new = p.sub(ERASED, new)
            hit = hit or new != value
            return new
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        return value

    redacted = walk(json.loads(text))
    return dump(redacted) if hit else text


@dataclass(frozen=True, slots=True)
class Compaction:
    """What :func:`compact` managed."""

    vacuumed: bool
    wal_truncated: bool
    problem: str = ""
    """SQLite's message when the vacuum or the checkpoint failed (a full
    disk, an I/O error); no customer data."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compact(store: Store) -> Compaction:
    """Vacuum the file and truncate its WAL, so that no free page or old WAL
    frame still holds erased data.

    Never raises for a failure of the file system: a vacuum needs about the
    file's size in free space, and a full disk after an erasure's commit
    must not turn into a traceback that hides the committed erasure. The
    failure is returned; run it again (``python -m core subject compact``)
    once there is space. The WAL also cannot be truncated while another
    connection reads.

    Returns:
        Whether the file was vacuumed and the WAL truncated, and the problem.
    """
    conn = store.conn
    try:
        conn.execute("pragma wal_checkpoint(TRUNCATE)")
        conn.execute("vacuum")
    except sqlite3.OperationalError as exc:  # the disk is full, or failing
        if conn.in_transaction:
            conn.execute("rollback")
        return Compaction(False, False, str(exc))
    try:
        busy, _, _ = conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        return Compaction(True, False, str(exc))
    return Compaction(True, busy == 0)
