"""Daily KPI snapshots: idempotent per day, trendable, and the demo's past."""

from __future__ import annotations

from datetime import date

import pytest

from core import trail
from core.actors import SYSTEM, Actor
from core.errors import ConflictError, PermissionDenied
from core.quality.snapshots import history, previous, synthesize_history, take

DAY = date(2026, 12, 1)
TODAY = date.today()  # only the calendar day's snapshot may be taken again


def rows(store):
    return store.conn.execute(
        "select day, scope, metrics from kpi_snapshots order by 1, 2"
    ).fetchall()


def test_a_snapshot_stores_the_store_and_each_channel(known):
    done = take(known, today=DAY)
    assert done == {"day": "2026-12-01", "scopes": 3, "replaced": False}
    assert [(d, s) for d, s, _ in rows(known)] == [
        ("2026-12-01", "all"), ("2026-12-01", "channel:官网表单"), ("2026-12-01", "channel:门店登记")
    ]  # fmt: skip
    assert history(known.conn)[0]["records"] == 12


def test_taking_it_again_the_same_day_replaces_that_day_and_nothing_else(known):
    take(known, today=date(2026, 11, 30))
    take(known, today=TODAY)
    first = rows(known)
    again = take(known, today=TODAY)
    assert again["replaced"] is True
    assert rows(known) == first  # same figures, still one row per scope and day
    assert [e.action for e in trail.entries_for(known.conn, "snapshot", TODAY.isoformat())] == [
        "kpi_snapshot", "kpi_snapshot"]  # fmt: skip


def test_a_past_days_snapshot_is_kept_and_the_attempt_to_replace_it_is_recorded(known):
    take(known, today=DAY)
    kept = rows(known)
    with pytest.raises(ConflictError, match="2026-12-01: that day is past .* kept as it was"):
        take(known, Actor("li.na", "manager"), today=DAY)
    assert rows(known) == kept  # the day's figures stay what they were
    entries = trail.entries_for(known.conn, "snapshot", "2026-12-01")
    assert [(e.action, e.actor) for e in entries] == [
        ("kpi_snapshot", "system"), ("kpi_snapshot_refused", "li.na")]  # fmt: skip
    assert trail.payload(known.conn, entries[-1].seq)["kept_scopes"] == 3
    assert trail.verify(known.conn).ok


def test_previous_is_the_latest_snapshot_strictly_before_a_day(known):
    take(known, today=date(2026, 11, 1))
    take(known, today=date(2026, 11, 20))
    take(known, today=DAY)
    assert previous(known.conn, DAY)["day"] == "2026-11-20"
    assert previous(known.conn, date(2026, 11, 1)) is None


def test_only_managers_admins_and_the_system_take_snapshots(known):
    with pytest.raises(PermissionDenied):
        take(known, Actor("wang.fang", "steward"), today=DAY)
    take(known, Actor("li.na", "manager"), today=DAY)


def test_the_synthetic_history_is_deterministic_and_ends_at_the_present(known, tmp_path):
    take(known, today=DAY)
    written = synthesize_history(known, SYSTEM, days=30, seed=7, today=DAY)
    assert written == 30 * 3
    past = history(known.conn)
    assert len(past) == 31 and past[-1]["day"] == "2026-12-01"
    assert all(p["synthetic"] for p in past[:-1]) and "synthetic" not in past[-1]
    assert past[0]["records"] < past[-1]["records"]  # the store grew
    first = rows(known)
    with known.write() as db:
        db.execute("delete from kpi_snapshots where day < '2026-12-01'")
    synthesize_history(known, SYSTEM, days=30, seed=7, today=DAY)
    assert rows(known) == first
    assert synthesize_history(known, SYSTEM, days=30, seed=7, today=DAY) == 0  # days already there


def test_the_synthetic_history_is_the_systems_alone_and_audited(known):
    for role in ("steward", "manager", "auditor", "admin"):
        with pytest.raises(PermissionDenied, match="may not synthesize kpis"):
            synthesize_history(known, Actor("x", role), days=3, today=DAY)
    assert rows(known) == [] and known.count("audit_log") == 2  # the two imports
    assert synthesize_history(known, Actor("demo-loader", "system"), days=3, today=DAY) == 9
    entry = trail.entries_for(known.conn, "snapshot", "2026-11-28")[-1]
    assert (entry.action, entry.actor) == ("kpi_synthetic_history", "demo-loader")
    assert trail.payload(known.conn, entry.seq) == {
        "days": 3, "seed": 2026, "rows": 9, "first_day": "2026-11-28", "last_day": "2026-11-30",
        "synthetic": True}  # fmt: skip
    assert synthesize_history(known, SYSTEM, days=3, today=DAY) == 0
    assert known.count("audit_log") == 3  # nothing written, nothing recorded
