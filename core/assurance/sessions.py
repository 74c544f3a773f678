"""Quarterly audit sessions: a sample of past decisions, judged and signed.

An auditor opens a session for a period (``2026-Q3``, ``2026-09`` or
``2026-07-01..2026-09-30``; ``this-quarter`` or ``last-quarter`` for
cron). Core draws a **stratified random sample** of
the decisions made in it: each stratum (:data:`STRATA`) gets a share of the
sample proportional to its size (largest remainders, at least one item per
non-empty stratum when the size allows; see :func:`allocate`), drawn with :class:`random.Random`
seeded from the recorded seed and the stratum's name. The same seed over
the same period always draws the same sample.

The auditor gives each item a verdict (correct / incorrect / unsure) with a
note; :mod:`core.assurance.results` estimates precision from them. Signing
(:func:`core.assurance.results.sign`) closes the session for good.

Contracts:

* Opening, every verdict and the sign-off are audited in the same
  transaction as the change.
* A signed session is never changed; verdicts on it are refused.
* Only auditors open, judge and sign sessions.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.errors import ConflictError, InputError, NotFoundError
from core.store import Store

STRATA: tuple[str, ...] = ("auto_merge", "merge", "reject", "unmerge", "pick", "move")
"""The kinds of decision sampled: the system's auto-merges, stewards'
merges, rejects, unmerges, manual picks and edits of surviving values, and
records moved between customers (attach, detach)."""

STRATUM_SQL = (
    "case when kind = 'merge' and role = 'system' then 'auto_merge' "
    "when kind = 'merge' then 'merge' when kind = 'reject' then 'reject' "
    "when kind = 'unmerge' then 'unmerge' when kind in ('pick', 'edit') then 'pick' "
    "when kind in ('attach', 'detach') then 'move' end"
)
"""A decision's stratum, in SQL over the ``decisions`` table (NULL for
decisions no stratum covers, such as audit findings)."""

VERDICTS: tuple[str, ...] = ("correct", "incorrect", "unsure")

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` to ``end`` inclusive, with the label the auditor typed."""

    label: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Item:
    """One sampled decision and the auditor's verdict on it (if any)."""

    decision_id: int
    stratum: str
    verdict: str | None
    note: str
    judged_by: str | None
    judged_at: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """An audit session as stored."""

    id: int
    period: Period
    seed: int
    sample_size: int
    strata: dict[str, dict[str, int]]  # stratum -> {"population", "sampled"}
    status: str
    opened_by: str
    opened_at: str
    signed_by: str | None
    signed_at: str | None
    head_seq: int | None
    head_hash: str | None
    verify_ok: bool | None
    items: tuple[Item, ...]

    @property
    def judged(self) -> int:
        return sum(1 for i in self.items if i.verdict)


def parse_period(text: str, today: date | None = None) -> Period:
    """A period from ``2026-Q3``, ``2026-09`` or ``2026-07-01..2026-09-30``,
    or ``this-quarter`` / ``last-quarter`` relative to ``today`` (for cron).

    Raises:
        InputError: none of these forms, naming the text.
    """
    text = text.strip()
    if text.lower() in ("this-quarter", "last-quarter"):
        day = today or date.today()
        index = day.year * 4 + (day.month - 1) // 3 - (text.lower() == "last-quarter")
        text = f"{index // 4}-Q{index % 4 + 1}"
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return Period(f"{year}-Q{quarter}", start, end - timedelta(days=1))
    try:
        if m := _MONTH.match(text):
            start = date(int(m[1]), int(m[2]), 1)
            after = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
            return Period(text, start, after - timedelta(days=1))
        if m := _RANGE.match(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end >= start:
                return Period(f"{start}..{end}", start, end)
    except ValueError:
        pass
    raise InputError(
        f"period {text!r}: write a quarter (2026-Q3), a month (2026-09), a range of days "
        "(2026-07-01..2026-09-30), this-quarter or last-quarter"
    )


def population(conn: sqlite3.Connection, period: Period) -> dict[str, list[int]]:
    """The ids of the decisions made in the period, by stratum, ascending."""
    out: dict[str, list[int]] = {s: [] for s in STRATA}
    for decision_id, stratum in conn.execute(
        f"select id, {STRATUM_SQL} as stratum from decisions "
        "where substr(at, 1, 10) between ? and ? and stratum is not null order by id",
        (period.start.isoformat(), period.end.isoformat()),
    ):
        out[str(stratum)].append(int(decision_id))
    return out


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """How many of ``n`` items each stratum gets: as close to proportional
    to its size as whole items allow (each next item goes to the stratum
    furthest below its quota), never more than it has, and at least one
    for every non-empty stratum while ``n`` allows.

    Example:
        >>> allocate({"merge": 90, "reject": 9, "unmerge": 1}, 10)
        {'merge': 8, 'reject': 1, 'unmerge': 1}
    """
    total = sum(sizes.values())
    n = min(n, total)
    out = dict.fromkeys(sizes, 0)
    nonempty = [s for s in sizes if sizes[s] > 0]
    if n <= 0:
        return out
    if n < len(nonempty):  # too few to cover every stratum: the biggest first
        for s in sorted(nonempty, key=lambda s: (-sizes[s], s))[:n]:
            out[s] = 1
        return out
    quota = {s: n * sizes[s] / total for s in nonempty}
    for s in nonempty:
        out[s] = 1
    for _ in range(n - len(nonempty)):  # one at a time to the stratum furthest below its quota
        s = max((s for s in nonempty if out[s] < sizes[s]), key=lambda s: (quota[s] - out[s], s))
        out[s] += 1
    return out


def draw(pop: dict[str, list[int]], allocation: dict[str, int], seed: int) -> dict[str, list[int]]:
    """The sample: for each stratum, ``allocation[stratum]`` of its ids,
    drawn without replacement by a generator seeded with the seed and the
    stratum (so one stratum's draw does not depend on another's)."""
    return {s: sorted(Random(f"{seed}:{s}").sample(pop[s], allocation.get(s, 0))) for s in pop}


def open_session(
    store: Store,
    actor: Actor,
    period: str,
    size: int,
    *,
    strata: Sequence[str] = STRATA,
    seed: int | None = None,
) -> int:
    """Open a session: draw the sample and store it; returns its id.

    Args:
        period: the period's text (see :func:`parse_period`).
        size: how many decisions to sample in all.
        strata: the strata to sample from (default: all).
        seed: the random seed; a fresh one is drawn and recorded if None.

    Raises:
        PermissionDenied: the actor is not an auditor.
        InputError: a bad period, size or stratum, or no decision to sample.
    """
    require(actor, "audit_session")
    span = parse_period(period)
    unknown = [s for s in strata if s not in STRATA]
    if unknown or not strata:
        raise InputError(f"strata {unknown or '[]'}: choose among {', '.join(STRATA)}")
    if size < 1:
        raise InputError(f"sample size {size}: give at least 1")
    seed = secrets.randbits(31) if seed is None else int(seed)
    pop = {s: ids for s, ids in population(store.conn, span).items() if s in strata}
    if not any(pop.values()):
        raise InputError(
            f"no decisions of kinds {', '.join(strata)} were made in {span.label} "
            f"({span.start} to {span.end}); choose another period"
        )
    allocation = allocate({s: len(ids) for s, ids in pop.items()}, size)
    sample = draw(pop, allocation, seed)
    counts = {s: {"population": len(pop[s]), "sampled": len(sample[s])} for s in pop}
    taken = sum(len(v) for v in sample.values())
    with store.write() as db:
        conn = db.conn
        session_id = int(
            conn.execute(
                "insert into audit_sessions (period, period_start, period_end, seed, "
                "sample_size, strata, opened_by, opened_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                (span.label, span.start.isoformat(), span.end.isoformat(), seed, taken,
                 json.dumps(counts), actor.username, utc_now()),
            ).lastrowid or 0
        )  # fmt: skip
        conn.executemany(
            "insert into audit_session_items (session_id, decision_id, stratum) values (?, ?, ?)",
            [(session_id, d, s) for s, ids in sample.items() for d in ids],
        )
        trail.append(
            conn, actor, "audit_session_open", {"audit_session": [session_id]},
            payload={"period": span.label, "seed": seed, "strata": counts},
        )  # fmt: skip
    return session_id


def judge(
    store: Store, session_id: int, decision_id: int, verdict: str, actor: Actor, note: str = ""
) -> None:
    """Record (or change) the verdict on one item of an open session.

    Raises:
        InputError: an unknown verdict, or an incorrect/unsure verdict
            without a note (a finding must say what is wrong).
        NotFoundError: the decision is not in the session.
        ConflictError: the session is signed.
    """
    require(actor, "audit_session")
    if verdict not in VERDICTS:
        raise InputError(f"verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    if verdict != "correct" and not note.strip():
        raise InputError(f"a verdict of {verdict!r} needs a note saying why")
    with store.write() as db:
        conn = db.conn
        ensure_open(conn, session_id)
        found = conn.execute(
            "select verdict from audit_session_items where session_id = ? and decision_id = ?",
            (session_id, decision_id),
        ).fetchone()
        if found is None:
            raise NotFoundError(f"decision {decision_id} is not in audit session {session_id}")
        conn.execute(
            "update audit_session_items set verdict = ?, note = ?, judged_by = ?, judged_at = ? "
            "where session_id = ? and decision_id = ?",
            (verdict, note.strip(), actor.username, utc_now(), session_id, decision_id),
        )
        trail.append(
            conn, actor, "audit_verdict",
            {"audit_session": [session_id], "decision": [decision_id]},
            reason=note.strip(), payload={"verdict": verdict, "before": found[0]},
        )  # fmt: skip


def get_session(conn: sqlite3.Connection, session_id: int) -> Session:
    """A session with its items.

    Raises:
        NotFoundError: no such session.
    """
    row = conn.execute(
        "select id, period, period_start, period_end, seed, sample_size, strata, status, "
        "opened_by, opened_at, signed_by, signed_at, head_seq, head_hash, verify_ok "
        "from audit_sessions where id = ?",
        (session_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"audit session {session_id} does not exist")
    items = tuple(
        Item(int(d), str(s), v, str(n or ""), by, at)
        for d, s, v, n, by, at in conn.execute(
            "select decision_id, stratum, verdict, note, judged_by, judged_at "
            "from audit_session_items where session_id = ? order by stratum, decision_id",
            (session_id,),
        )
    )
    period = Period(row[1], date.fromisoformat(row[2]), date.fromisoformat(row[3]))
    verified = None if row[14] is None else bool(row[14])
    return Session(int(row[0]), period, int(row[4]), int(row[5]), json.loads(row[6]), row[7],
                   row[8], row[9], row[10], row[11], row[12], row[13], verified, items)  # fmt: skip


def list_sessions(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Every session, newest first: id, period, status, sample size, judged."""
    return [
        {"id": i, "period": p, "status": s, "sample_size": n, "judged": int(j or 0),
         "opened_by": by, "opened_at": at, "signed_at": signed}
        for i, p, s, n, j, by, at, signed in conn.execute(
            "select a.id, a.period, a.status, a.sample_size, "
            "(select count(verdict) from audit_session_items i where i.session_id = a.id), "
            "a.opened_by, a.opened_at, a.signed_at from audit_sessions a order by a.id desc"
        )
    ]  # fmt: skip


def ensure_open(conn: sqlite3.Connection, session_id: int) -> None:
    """Raise unless the session exists and is open (not signed)."""
    row = conn.execute(
        "select status, signed_by, signed_at from audit_sessions where id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"audit session {session_id} does not exist")
    if row[0] != "open":
        raise ConflictError(
            f"audit session {session_id} was signed by {row[1]} at {row[2]}; "
            "a signed session cannot change"
        )
