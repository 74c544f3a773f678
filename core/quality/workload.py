"""Workload figures: how much the stewards decide, how fast, how well.

These are store-wide (decisions are not tied to one channel); the review
backlog, which is, is counted per scope in :mod:`core.quality.kpis`.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

DECISION_DAYS = 30
"""Decisions per day are reported for this many days up to today."""


def workload(conn: sqlite3.Connection, today: date) -> dict[str, Any]:
    """The stewards' workload KPIs as of ``today``:

    * ``decisions_per_day``: stewards' decisions per day
      over the last :data:`DECISION_DAYS` days, days without any omitted;
    * ``decisions_per_steward``: all decisions of each steward;
    * ``median_decision_hours``: the median time from a proposal's creation
      to a person's decision on it (None before the first);
    * ``overturn_rate``: the share of merges (by anyone) later unmerged
      (None before the first merge);
    * ``merge_precision``: the merge precision the most recently signed
      audit session estimated (None before the first).
    """
    since = (today - timedelta(days=DECISION_DAYS - 1)).isoformat()
    until = today.isoformat()
    per_day = conn.execute(
        "select substr(at, 1, 10) as day, count(*) from decisions where role = 'steward' "
        "and day between ? and ? group by day order by day",
        (since, until),
    ).fetchall()
    per_steward = conn.execute(
        "select actor, count(*) from decisions where role = 'steward' group by actor "
        "order by 2 desc, 1"
    ).fetchall()
    hours = [
        float(h)
        for (h,) in conn.execute(
            "select (julianday(decided_at) - julianday(created_at)) * 24 as h from proposals "
            "where decided_at is not null and decided_by != 'system' order by h"
        )
        if h is not None
    ]
    merges, undone = conn.execute(
        "select count(*), coalesce(sum(undone_by is not null), 0) from decisions "
        "where kind = 'merge'"
    ).fetchone()
    precision = conn.execute(
        "select merge_precision from audit_sessions where status = 'signed' "
        "and merge_precision is not null order by signed_at desc, id desc limit 1"
    ).fetchone()
    return {
        "decisions_per_day": {str(d): int(n) for d, n in per_day},
        "decisions_per_steward": {str(a): int(n) for a, n in per_steward},
        "median_decision_hours": round(_median(hours), 2) if hours else None,
        "overturn_rate": round(int(undone) / int(merges), 6) if merges else None,
        "merge_precision": float(precision[0]) if precision else None,
    }


def _median(sorted_values: list[float]) -> float:
    n = len(sorted_values)
    mid = n // 2
    return sorted_values[mid] if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2
