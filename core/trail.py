"""The audit trail: every change, in an append-only, hash-chained log.

Each entry of ``audit_log`` holds the actor, the role, a UTC timestamp, the
action, the ids of the objects touched, the reason, the hash of the
previous entry, the hash of its payload and its own hash over a canonical
serialisation of all of these. The payload (before/after values) lives
apart, in ``audit_payloads``, so that erasing a person's data
(``core.privacy``) can remove values without breaking the chain: the chain
covers the payload's hash, not its text. An erasure removes the payloads of
the person's own entries and redacts the person's identifiers in other
entries' payloads; its tombstone (an ``erase`` entry, itself in the chain)
lists the removed payloads and the hash of each redacted one, which
:func:`verify` then holds the redacted text to.

Contracts:

* Entries are written by :func:`append` inside the caller's write
  transaction, so a change and its entry commit together or not at all.
* ``audit_log`` refuses UPDATE and DELETE (triggers); ``audit_payloads``
  refuses UPDATE. :func:`verify` does not trust either: it recomputes every
  hash from the stored fields and finds any entry or payload that was
  changed, deleted or reordered, naming the first bad entry.
* A chain cannot show that its newest entries were cut off: what is left
  is still a valid chain. So :func:`verify` also checks every head the
  store records elsewhere (:func:`recorded_heads`: signed audit sessions,
  the heads of backups and restores, the erasure register, the audit
  index) and any head the operator kept outside the store (``expect``,
  ``audit verify --expect SEQ:HASH``): each must still be in the chain,
  with the same hash.
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
    "audit_session_sign", "kpi_snapshot_refused", "kpi_synthetic_history", "export", "restore",
    "lookup", "disable_user", "unlock_user",
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
    heads_checked: int = 0
    """Recorded and expected heads found in the chain as recorded."""


@dataclass(frozen=True, slots=True)
class Head:
    """A head of the trail recorded somewhere: entry ``seq`` had ``hash``
    (None when only the entry's existence, and its ``action``, is known)."""

    seq: int
    hash: str | None
    source: str
    """Where it was recorded, for the message (``signed audit session 3``)."""
    action: str | None = None


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
    conn: sqlite3.Connection,
    erased: Iterable[int] = (),
    *,
    viewer: Actor = SYSTEM,
    expect: Iterable[tuple[int, str]] = (),
) -> Verification:
    """Recompute the whole chain from the entries themselves, then check it
    against every head recorded elsewhere.

    Args:
        conn: the store's connection.
        erased: entries whose payload was removed by a recorded erasure
            (their payload hash still stands in the chain).
        viewer: who reads the trail; a role that may not read the audit
            trail is refused.
        expect: heads kept outside the store, as ``(seq, hash)``: entry
            ``seq`` must be in the chain with that hash (e.g. yesterday's
            head from the cron log).

    Returns:
        ``ok`` with the head hash, or the first bad entry and what is wrong
        with it: a gap in the sequence (deleted or reordered entries), a
        ``prev_hash`` that is not the previous entry's hash, a hash that
        does not match the entry's fields, a payload that was changed
        or removed, or a recorded or expected head that the chain no
        longer holds (entries cut off the end, or a rewritten chain).

    Raises:
        PermissionDenied: the viewer may not read the audit trail.

    Example:
        >>> verify(conn, expect=[(540, "9f2c...")]).ok  # doctest: +SKIP
        True
    """
    require(viewer, "read_audit")
    removed = _erasures(conn)
    skipped = set(erased) | set(removed)
    heads = [*recorded_heads(conn), *(Head(int(q), str(h).lower(), "--expect") for q, h in expect)]
    wanted: dict[int, list[Head]] = {}
    for h in heads:
        wanted.setdefault(h.seq, []).append(h)
    payloads = dict(conn.execute("select seq, payload from audit_payloads"))
    prev, expected, count = GENESIS, 1, 0
    failed: tuple[int, str] | None = None
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
            if removed.get(entry.seq) is None or removed[entry.seq] != _sha(text):
                return Verification(False, count, prev, entry.seq, "its payload was changed")
        if failed is None and entry.seq in wanted:
            failed = _against(entry, wanted[entry.seq])
        prev, expected = entry.hash, expected + 1
    extra = set(payloads) - set(range(1, expected))
    if extra:
        first = min(extra)
        return Verification(False, count, prev, first, f"payload {first} has no entry")
    last = expected - 1
    beyond = sorted((h for h in heads if h.seq > last), key=lambda h: h.seq)
    if beyond and (failed is None or beyond[0].seq < failed[0]):
        h = beyond[0]
        failed = (last + 1, f"{h.source} records entry {h.seq}, but the trail ends at entry "
                            f"{last}: entries after {last} were deleted")  # fmt: skip
    if failed is not None:
        return Verification(False, count, prev, failed[0], failed[1])
    return Verification(True, count, prev, heads_checked=len(heads))


def _against(entry: Entry, heads: list[Head]) -> tuple[int, str] | None:
    """The first recorded head that ``entry`` contradicts, as (seq, problem)."""
    for h in heads:
        if h.hash is not None and h.hash != entry.hash:
            return (entry.seq, f"{h.source} records entry {entry.seq} with hash {h.hash[:16]}…, "
                               f"the trail's entry has {entry.hash[:16]}…: the trail was "
                               "rewritten from there")  # fmt: skip
        if h.action is not None and h.action != entry.action:
            return (entry.seq, f"{h.source} records entry {entry.seq} as {h.action}, but "
                               f"it is {entry.action}: the trail was rewritten")  # fmt: skip
    return None


def recorded_heads(conn: sqlite3.Connection) -> list[Head]:
    """Every head of the trail the store records outside the chain's own
    links: signed audit sessions (their signature entry, and the head their
    verification saw), the copies that backups and restores recorded, the
    erasure register's tombstones and the newest entry the audit index
    refers to. A table an older store lacks is skipped."""
    heads: list[Head] = []

    def rows(sql: str) -> list[tuple[Any, ...]]:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # a store from before that table
            return []

    for sid, seq, digest in rows(
        "select id, head_seq, head_hash from audit_sessions "
        "where status = 'signed' and head_seq is not null"
    ):
        heads.append(Head(int(seq), str(digest), f"signed audit session {sid}"))
    for eid, seq in rows("select id, audit_seq from erasures"):
        heads.append(Head(int(seq), None, f"erasure {eid}", "erase"))
    for seq, action, text in rows(
        "select l.seq, l.action, p.payload from audit_log l join audit_payloads p "
        "on p.seq = l.seq where l.action in ('backup', 'restore', 'audit_session_sign')"
    ):
        data = json.loads(text) if text else None
        if not isinstance(data, dict):
            continue
        if action == "backup":
            seen = data
        elif action == "restore":
            seen = data.get("backup_head") or {}
        else:  # a signature: the head its verification saw, if that verified
            seen = data.get("verify") or {}
            seen = {"entries": seen.get("entries"), "audit_head": seen.get("head")} if seen.get(
                "ok") else {}  # fmt: skip
        entries, digest = seen.get("entries"), seen.get("audit_head")
        if isinstance(entries, int) and entries > 0 and isinstance(digest, str):
            heads.append(Head(entries, digest, f"the {action} entry {seq}"))
    for (seq,) in rows("select max(seq) from audit_index"):
        if seq is not None:
            heads.append(Head(int(seq), None, "the audit index"))
    return heads


def _erasures(conn: sqlite3.Connection) -> dict[int, str | None]:
    """What recorded erasures (see ``core.privacy``) did to payloads, the
    latest tombstone winning: entry -> None when its payload was removed, or
    the hash of the redacted payload that replaced it (the tombstone's hash
    in the chain vouches for that hash)."""
    out: dict[int, str | None] = {}
    for (text,) in conn.execute(
        "select p.payload from audit_log l join audit_payloads p on p.seq = l.seq "
        "where l.action = 'erase' order by l.seq"
    ):
        data = json.loads(text)
        out.update(dict.fromkeys((int(s) for s in data.get("payloads_removed", [])), None))
        out.update({int(s): str(h) for s, h in data.get("payloads_redacted", {}).items()})
    return out


def redacted_hash(text: str) -> str:
    """The hash a tombstone records for a redacted payload's text."""
    return _sha(text)


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
    """The payload of entry ``seq``: None if an erasure removed it, and with
    ``[erased]`` in place of another person's identifiers if an erasure
    redacted it."""
    row = conn.execute("select payload from audit_payloads where seq = ?", (seq,)).fetchone()
    return json.loads(row[0]) if row else None
