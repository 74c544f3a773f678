"""Daily KPI snapshots, so quality can be trended.

``kpi_snapshots`` holds one row per (day, scope): the store as a whole
(``all``) and each channel (``channel:<name>``), each row the
:meth:`~core.quality.kpis.Kpis.to_json` object of that day.

Contracts:

* :func:`take` is idempotent per day: running it again the same day
  replaces that day's rows with the current figures (one row per scope and
  day, whatever the number of runs), so a cron job may retry freely.
* A past day's snapshot is evidence of what the figures were then, so it
  is never replaced: taking a snapshot for a past day (``today`` before the
  calendar day) that already has one keeps the stored rows as they are,
  records the attempt in the trail (``kpi_snapshot_refused``) and raises
  :class:`~core.errors.ConflictError`. A past day without a snapshot (a
  night the cron job missed) may still be filled in.
* Taking a snapshot is audited (``kpi_snapshot``) in the same transaction.
* :func:`synthesize_history` exists for the demo only: it writes a
  plausible, deterministic past (from a seed) ending at the present
  figures, and marks every row it writes ``"synthetic": true``. Only the
  system may run it (``synthesize_kpis``), and it is audited
  (``kpi_synthetic_history``, the days written) in the same transaction.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from typing import Any

from core import trail
from core.actors import SYSTEM, Actor, require
from core.errors import ConflictError
from core.quality.kpis import Report, compute
from core.store import Store


def take(store: Store, actor: Actor = SYSTEM, *, today: date | None = None) -> dict[str, Any]:
    """Store today's KPIs for the whole store and each channel.

    Args:
        store: the store.
        actor: who takes it (a manager, an admin or the system).
        today: the day the snapshot is for (default: the calendar day).

    Returns:
        ``{"day", "scopes", "replaced"}``: the day, how many scope rows were
        written and whether that day already had a snapshot (only ever the
        case for today).

    Raises:
        PermissionDenied: the actor may not take snapshots.
        ConflictError: ``today`` is a past day that already has a snapshot;
            the stored one is kept and the attempt is in the audit trail.

    Example:
        >>> take(store, SYSTEM)  # doctest: +SKIP
        {'day': '2026-12-07', 'scopes': 7, 'replaced': False}
    """
    require(actor, "snapshot_kpis")
    calendar = date.today()
    today = today or calendar
    report = compute(store, today=today)
    rows = _rows(report)
    day = today.isoformat()
    refused = None
    with store.write() as db:
        conn = db.conn
        (kept,) = conn.execute("select count(*) from kpi_snapshots where day = ?", [day]).fetchone()
        if kept and today < calendar:
            refused = trail.append(
                conn, actor, "kpi_snapshot_refused", {"snapshot": [day]},
                payload={"day": day, "kept_scopes": int(kept),
                         "calendar_day": calendar.isoformat()},
            ).seq  # fmt: skip
        else:
            conn.execute("delete from kpi_snapshots where day = ?", [day])
            conn.executemany(
                "insert into kpi_snapshots (day, scope, metrics) values (?, ?, ?)",
                [(day, scope, json.dumps(data, ensure_ascii=False)) for scope, data in rows],
            )
            trail.append(
                conn, actor, "kpi_snapshot", {"snapshot": [day]},
                payload={"scopes": [s for s, _ in rows], "replaced": bool(kept)},
            )  # fmt: skip
    if refused is not None:
        raise ConflictError(
            f"kpi snapshot {day}: that day is past and already has a snapshot, which is kept as "
            f"it was (a past day's figures are never replaced); the attempt is audit entry "
            f"{refused}. Take today's snapshot without --today"
        )
    return {"day": day, "scopes": len(rows), "replaced": bool(kept)}


def history(conn: sqlite3.Connection, scope: str = "all") -> list[dict[str, Any]]:
    """Every snapshot of one scope, oldest first (each a ``to_json`` object
    with its ``day``)."""
    return [
        {**json.loads(metrics), "day": day}
        for day, metrics in conn.execute(
            "select day, metrics from kpi_snapshots where scope = ? order by day", [scope]
        )
    ]


def previous(conn: sqlite3.Connection, before: date, scope: str = "all") -> dict[str, Any] | None:
    """The latest snapshot of a scope strictly before a day (what the
    dashboard's tiles compare with), or None."""
    row = conn.execute(
        "select day, metrics from kpi_snapshots where scope = ? and day < ? "
        "order by day desc limit 1",
        [scope, before.isoformat()],
    ).fetchone()
    return {**json.loads(row[1]), "day": row[0]} if row else None


def _rows(report: Report) -> list[tuple[str, dict[str, Any]]]:
    rows = [("all", report.all.to_json())]
    rows += [(k.scope, k.to_json()) for k in report.channels.values()]
    return rows


def synthesize_history(
    store: Store, actor: Actor, *, days: int = 365, seed: int = 2026, today: date | None = None
) -> int:
    """Demo only: write ``days`` of plausible past snapshots (days before
    ``today``) that end at the present figures: completeness and validity a
    little lower a year ago and improving, duplicates and backlog higher,
    fewer records, with day-to-day noise. Deterministic for a seed; days
    that already have a snapshot are left alone. Every row is marked
    ``"synthetic": true``, and the run is one audit entry
    (``kpi_synthetic_history``: the days, seed and rows) in the same
    transaction; a run that writes nothing writes no entry.

    Args:
        store: the store (the demo's).
        actor: who runs it; only the system (the demo builder) may.

    Returns:
        The rows written.

    Raises:
        PermissionDenied: the actor is not the system.
    """
    require(actor, "synthesize_kpis")
    today = today or date.today()
    report = compute(store, today=today)
    rng = random.Random(seed)
    with store.write() as db:
        conn = db.conn
        have = {d for (d,) in conn.execute("select distinct day from kpi_snapshots")}
        rows = []
        for scope, now in _rows(report):
            drift = {"quality": rng.uniform(0.03, 0.08), "dupes": rng.uniform(0.05, 0.15)}
            for back in range(days, 0, -1):
                day = today - timedelta(days=back)
                if day.isoformat() in have:
                    continue
                past = _past(now, back / days, drift, rng)
                rows.append((day.isoformat(), scope, json.dumps(past, ensure_ascii=False)))
        if not rows:
            return 0
        conn.executemany("insert into kpi_snapshots (day, scope, metrics) values (?, ?, ?)", rows)
        written = sorted({d for d, _, _ in rows})
        trail.append(
            conn, actor, "kpi_synthetic_history", {"snapshot": written},
            payload={"days": days, "seed": seed, "rows": len(rows), "first_day": written[0],
                     "last_day": written[-1], "synthetic": True},
        )  # fmt: skip
    return len(rows)


def _past(
    now: dict[str, Any], age: float, drift: dict[str, float], rng: random.Random
) -> dict[str, Any]:
    """One past day's figures: ``age`` is 0 (today) to 1 (the oldest day).
    A share moves by ``slope * age`` (plus noise); unmeasured ones stay None."""

    def share(value: float | None, slope: float) -> float | None:
        if value is None:
            return None
        return round(min(1.0, max(0.0, value + slope * age + rng.gauss(0, 0.002))), 6)

    growth = 1 - 0.35 * age
    quality = drift["quality"]
    past: dict[str, Any] = json.loads(json.dumps(now))
    past["synthetic"] = True
    past["records"] = int(now["records"] * growth)
    past["customers"] = int(now["customers"] * growth)
    for f in past["fields"].values():
        for name in ("completeness", "record_completeness"):
            f[name] = share(f[name], -quality * (f[name] or 0))
        f["validity"] = share(f["validity"], -quality * (1 - (f["validity"] or 0)) * 3)
        f["consistency"] = share(f["consistency"], -quality * (f["consistency"] or 0) / 2)
        for count in ("valid", "partial", "suspect", "invalid"):
            f[count] = int(f[count] * growth)
    past["duplicate_rate"] = share(now["duplicate_rate"], drift["dupes"])
    past["dormant_rate"] = share(now["dormant_rate"], quality)
    past["timeliness"] = {w: share(v, -quality) for w, v in now["timeliness"].items()}
    weekly = 1 + 0.25 * rng.uniform(-1, 1)
    past["backlog"] = max(0, int(now["backlog"] * (1 + 0.8 * age) * weekly))
    past["open_proposals"] = {
        band: max(0, int(n * (1 + 0.8 * age) * weekly)) for band, n in now["open_proposals"].items()
    }
    past["overturn_rate"] = share(now.get("overturn_rate"), 0.02)
    return past
