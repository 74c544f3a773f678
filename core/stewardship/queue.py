"""The review queue: open proposals a steward should look at, best first.

Proposals are ranked by priority: the score (how sure the engine is that
the records are one customer), then the size of the cluster (a bigger
cluster cleans up more), then the age (older first). Filters narrow the
queue by band, by the channel of any record in the proposal, by the date
the proposal was made and by who claims it. Pages are read with LIMIT and
OFFSET over an indexed query, so a queue of a hundred thousand proposals
opens as fast as one of ten.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from core.clock import utc_now


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What a steward narrows the queue to ('' or None: everything)."""

    bands: tuple[str, ...] = ("review",)
    channel: str = ""
    since: str = ""  # proposals made on or after this ISO date
    until: str = ""  # ... and on or before this one
    owner: str = ""  # claimed by this user; "-" for unclaimed only


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One proposal in the queue."""

    proposal_id: int
    band: str
    score: float
    size: int
    created_at: str
    claimed_by: str
    claimed_until: str
    version: int
    names: str
    channels: str


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int
    offset: int
    limit: int
    channels: tuple[str, ...] = field(default=())


def review_queue(
    conn: sqlite3.Connection,
    filters: QueueFilter | None = None,
    *,
    offset: int = 0,
    limit: int = 25,
) -> QueuePage:
    """One page of the queue and its total size.

    Args:
        conn: the store's connection.
        filters: band, channel, date and owner filters.
        offset, limit: the page (``limit`` at most 200).

    Returns:
        The rows of the page, best first, each with the names and channels
        of its records; ``channels`` lists every channel, for a filter box.
    """
    f = filters or QueueFilter()
    where, params = ["p.status = 'open'"], []
    if f.bands:
        where.append(f"p.band in ({','.join('?' * len(f.bands))})")
        params += list(f.bands)
    if f.since:
        where.append("p.created_at >= ?")
        params.append(f.since)
    if f.until:
        where.append("substr(p.created_at, 1, 10) <= ?")
        params.append(f.until[:10])
    now = utc_now()
    if f.owner == "-":
        where.append("(p.claimed_by is null or p.claimed_until < ?)")
        params.append(now)
    elif f.owner:
        where.append("p.claimed_by = ? and p.claimed_until >= ?")
        params += [f.owner, now]
    if f.channel:
        where.append(
            "exists (select 1 from proposal_members m join source_records r on r.id = m.record_id "
            "where m.proposal_id = p.id and r.channel = ?)"
        )
        params.append(f.channel)
    clause = " and ".join(where)
    total = int(
        conn.execute(f"select count(*) from proposals p where {clause}", params).fetchone()[0]
    )
    limit = max(1, min(int(limit), 200))
    rows = conn.execute(
        "select p.id, p.band, p.score, p.size, p.created_at, coalesce(p.claimed_by, ''), "
        "coalesce(p.claimed_until, ''), p.version from proposals p "
        f"where {clause} order by p.score desc, p.size desc, p.id limit ? offset ?",
        [*params, limit, max(0, int(offset))],
    ).fetchall()
    detail = _names_and_channels(conn, [int(r[0]) for r in rows])
    out = []
    for pid, band, score, size, created, owner, until, version in rows:
        names, channels = detail.get(int(pid), ("", ""))
        claimed = owner if until >= now else ""
        out.append(
            QueueRow(
                int(pid),
                band,
                float(score),
                int(size),
                created,
                claimed,
                until if claimed else "",
                int(version),
                names,
                channels,
            )
        )
    return QueuePage(tuple(out), total, int(offset), limit, _channels(conn))


def next_proposal(
    conn: sqlite3.Connection, after: int, filters: QueueFilter | None = None
) -> int | None:
    """The best open proposal other than ``after`` that no one else claims
    (what the workbench opens after a decision)."""
    page = review_queue(conn, filters or QueueFilter(owner="-"), limit=2)
    for row in page.rows:
        if row.proposal_id != after:
            return row.proposal_id
    return None


def _names_and_channels(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Per proposal, its records' names (an organisation's name for an
    organisation) and channels, each once, joined by " / "."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    found: dict[int, tuple[list[str], list[str]]] = {}
    for pid, name, channel in conn.execute(
        "select m.proposal_id, case when s.entity = 'organisation' "
        "then coalesce(nullif(s.company, ''), r.company, '') "
        "else coalesce(nullif(s.name, ''), r.name, '') end, r.channel "
        "from proposal_members m join source_records r on r.id = m.record_id "
        f"join standardized s on s.record_id = r.id where m.proposal_id in ({marks}) "
        "order by m.proposal_id, m.record_id",
        ids,
    ):
        names, channels = found.setdefault(int(pid), ([], []))
        if name and name not in names:
            names.append(name)
        if channel not in channels:
            channels.append(channel)
    return {p: (" / ".join(n), " / ".join(c)) for p, (n, c) in found.items()}


def _channels(conn: sqlite3.Connection) -> tuple[str, ...]:
    return tuple(
        c for (c,) in conn.execute("select distinct channel from import_batches order by 1")
    )
