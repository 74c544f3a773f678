"""The audit trail: every change, in an append-only, hash-chained log.

Each entry of ``audit_log`` holds the actor, the role, a UTC timestamp, the
action, the ids of the objects touched, the reason, the hash of the
previous entry, the hash of its payload and its own hash over a canonical
serialisation of all of these. The payload (before/after values) lives
apart, in ``audit_payloads``, so that erasing a person's data
(``core.privacy``) can remove values without breaking the chain: the chain
covers the payload's hash, not its text.

Contracts:

* Entries are written by :func:`append` inside the caller's write
  transaction, so a change and its entry commit together or not at all.
* ``audit_log`` refuses UPDATE and DELETE (triggers); ``audit_payloads``
  refuses UPDATE. :func:`verify` does not trust either: it recomputes every
  hash from the stored fields and finds any entry or payload that was
  changed, deleted or reordered, naming the first bad entry.
* ``audit_index`` maps objects to entries for fast history lookups. It is a
  derived index, not evidence; :func:`verify` does not read it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from core.actors import SYSTEM, Actor, require
from core.clock import utc_now

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

Action = Literal[
    "import", "match", "claim", "release", "merge", "reject", "unmerge", "pick", "edit",
    "attach", "detach", "setting", "add_user", "reset_user", "reveal", "subject_export", "erase",
    "retention", "backup", "kpi_snapshot", "audit_session_open", "audit_verdict",
    "audit_session_sign", "lookup", "disable_user",
    "unlock_user",
]  # fmt: skip
"""What an entry records: a closed set, so that a typo cannot start a new kind
of history that no reader looks for."""

ACTIONS: frozenset[str] = frozenset(get_args(Action))

Objects = Mapping[str, Iterable[int | str]]
"""Object kind -> ids, e.g. ``{"customer": [12], "record": [3, 4]}``."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit entry as stored."""

    seq: int
    at: str
    actor: str
    role: str
    action: str
    object_ids: str
    reason: str
    payload_hash: str
    prev_hash: str
    hash: str

    def objects(self) -> dict[str, list[int | str]]:
        return dict(json.loads(self.object_ids))


@dataclass(frozen=True, slots=True)
class Verification:
    """The result of :func:`verify`."""

    ok: bool
    entries: int
    head: str
    bad_seq: int | None = None
    problem: str = ""


def canonical(value: Any) -> str:
    """The one serialisation that hashes are computed over."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int,
    at: str,
    actor: str,
    role: str,
    action: str,
    object_ids: str,
    reason: str,
    payload_hash: str,
    prev_hash: str,
) -> str:
    """The hash of an entry, over its fields (never over stored columns as such)."""
    return _sha(
        canonical([seq, at, actor, role, action, object_ids, reason, payload_hash, prev_hash])
    )


def append(
    conn: sqlite3.Connection,
    actor: Actor,
    action: Action,
    objects: Objects,
    *,
    reason: str = "",
    payload: Any = None,
) -> Entry:
    """Add an entry inside the caller's open write transaction.

    Args:
        conn: a connection with a write transaction open (``Store.write``).
        actor: who acted.
        action: what was done (``merge``, ``unmerge``, ``import``, ...).
        objects: the objects touched, by kind.
        reason: the actor's reason or note.
        payload: before/after values or other detail (any JSON value).

    Returns:
        The entry as stored.

    Raises:
        RuntimeError: no transaction is open (an entry must commit with its
            change), or the action is not one of :data:`Action` (a bug).
    """
    if action not in ACTIONS:
        raise RuntimeError(f"audit action {action!r} is not one of core.trail.Action")
    if not conn.in_transaction:
        raise RuntimeError("audit.append needs the change's own write transaction")
    last = conn.execute("select seq, hash from audit_log order by seq desc limit 1").fetchone()
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    ids = {kind: sorted(set(values), key=str) for kind, values in objects.items()}
    object_ids = canonical(ids)
    text = canonical(payload)
    payload_hash = _sha(text)
    at = utc_now()
    digest = entry_hash(
        seq, at, actor.username, actor.role, action, object_ids, reason, payload_hash, prev
    )
    conn.execute(
        "insert into audit_log (seq, at, actor, role, action, object_ids, reason, payload_hash, "
        "prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at,
            actor.username,
            actor.role,
            action,
            object_ids,
            reason,
            payload_hash,
            prev,
            digest,
        ),
    )
    conn.execute("insert into audit_payloads (seq, payload) values (?, ?)", (seq, text))
    conn.executemany(
        "insert or ignore into audit_index (seq, kind, object_id) values (?, ?, ?)",
        [(seq, kind, str(i)) for kind, values in ids.items() for i in values],
    )
    return Entry(
        seq, at, actor.username, actor.role, action, object_ids, reason, payload_hash, prev, digest
    )


def verify(
    conn: sqlite3.Connection, erased: Iterable[int] = (), *, viewer: Actor = SYSTEM
) -> Verification:
    """Recompute the whole chain from the entries themselves.

    Args:
        conn: the store's connection.
        erased: entries whose payload was removed by a recorded erasure
            (their payload hash still stands in the chain).
        viewer: who reads the trail; a role that may not read the audit
            trail is refused.

    Returns:
        ``ok`` with the head hash, or the first bad entry and what is wrong
        with it: a gap in the sequence (deleted or reordered entries), a
        ``prev_hash`` that is not the previous entry's hash, a hash that
        does not match the entry's fields, or a payload that was changed
        or removed.

    Raises:
        PermissionDenied: the viewer may not read the audit trail.
    """
    require(viewer, "read_audit")
    skipped = set(erased) | _erased(conn)
    payloads = dict(conn.execute("select seq, payload from audit_payloads"))
    prev, expected, count = GENESIS, 1, 0
    rows = conn.execute(
        "select seq, at, actor, role, action, object_ids, reason, payload_hash, prev_hash, hash "
        "from audit_log order by seq"
    )
    for row in rows:
        entry = Entry(*row)
        count += 1
        if entry.seq != expected:
            return Verification(
                False, count, prev, expected, f"entry {expected} is missing (next is {entry.seq})"
            )
        if entry.prev_hash != prev:
            return Verification(
                False,
                count,
                prev,
                entry.seq,
                "its prev_hash is not the hash of the entry before it",
            )
        fields = (
            entry.seq,
            entry.at,
            entry.actor,
            entry.role,
            entry.action,
            entry.object_ids,
            entry.reason,
            entry.payload_hash,
            entry.prev_hash,
        )
        if entry_hash(*fields) != entry.hash:
            return Verification(
                False,
                count,
                prev,
                entry.seq,
                "its fields do not match its hash (the entry was changed)",
            )
        text = payloads.get(entry.seq)
        if text is None and entry.seq not in skipped:
            return Verification(False, count, prev, entry.seq, "its payload was deleted")
        if text is not None and _sha(text) != entry.payload_hash:
            return Verification(False, count, prev, entry.seq, "its payload was changed")
        prev, expected = entry.hash, expected + 1
    extra = set(payloads) - set(range(1, expected))
    if extra:
        first = min(extra)
        return Verification(False, count, prev, first, f"payload {first} has no entry")
    return Verification(True, count, prev)


def _erased(conn: sqlite3.Connection) -> set[int]:
    """Entries whose payload a recorded erasure removed (see ``core.privacy``)."""
    out: set[int] = set()
    for (text,) in conn.execute(
        "select p.payload from audit_log l join audit_payloads p on p.seq = l.seq "
        "where l.action = 'erase'"
    ):
        out.update(int(s) for s in json.loads(text).get("payloads_removed", []))
    return out


def head(conn: sqlite3.Connection) -> str:
    """The hash of the newest entry (``GENESIS`` for an empty trail)."""
    row = conn.execute("select hash from audit_log order by seq desc limit 1").fetchone()
    return str(row[0]) if row else GENESIS


def entries_for(conn: sqlite3.Connection, kind: str, object_id: int | str) -> list[Entry]:
    """Every entry that touched one object, oldest first."""
    rows = conn.execute(
        "select l.seq, l.at, l.actor, l.role, l.action, l.object_ids, l.reason, l.payload_hash, "
        "l.prev_hash, l.hash from audit_index i join audit_log l on l.seq = i.seq "
        "where i.kind = ? and i.object_id = ? order by l.seq",
        (kind, str(object_id)),
    )
    return [Entry(*row) for row in rows]


def payload(conn: sqlite3.Connection, seq: int) -> Any:
    """The payload of entry ``seq`` (None if it was erased)."""
    row = conn.execute("select payload from audit_payloads where seq = ?", (seq,)).fetchone()
    return json.loads(row[0]) if row else None
