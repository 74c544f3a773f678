"""What the manager dashboard shows, in one read.

:func:`dashboard` gathers today's KPI report, the tiles (each headline
figure with its change since the last snapshot and its target check), the
trend from the daily snapshots, and the list of batches for drill-down.
:func:`drill` narrows it to one channel (and optionally one field), batch
by batch. :func:`kpi_workbook` is the XLSX export. Everything here is
counts and rates: no customer's personal data reaches the dashboard.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import targets
from core.fields import QUALITY_FIELDS
from core.quality import snapshots
from core.quality.kpis import Kpis, Report, compute, fields_table
from core.sheets import write_workbook
from core.store import Store

TILES: tuple[str, ...] = (
    "records",
    "customers",
    "duplicate_rate",
    "dormant_rate",
    "fields.mobile.validity",
    "fields.email.validity",
    "backlog",
    "merge_precision",
)
"""The headline figures, in the order shown."""

TREND: tuple[str, ...] = (
    "fields.name.completeness",
    "fields.mobile.completeness",
    "fields.mobile.validity",
    "fields.email.validity",
    "duplicate_rate",
    "dormant_rate",
)
"""The shares drawn over time."""

VOLUME: tuple[str, ...] = ("records", "customers", "backlog")
"""The counts drawn over time."""


@dataclass(frozen=True, slots=True)
class Tile:
    """One headline figure: now, at the last snapshot, and its target."""

    path: str
    value: float | None
    previous: float | None
    is_share: bool
    check: targets.Check | None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def off_target(self) -> bool:
        return self.check is not None and self.check.met is False


@dataclass(frozen=True, slots=True)
class Dashboard:
    as_of: str
    report: Report
    tiles: tuple[Tile, ...]
    checks: tuple[targets.Check, ...]
    previous_day: str | None
    trend: tuple[dict[str, Any], ...]  # {"day", path: value, ...}, oldest first
    batches: tuple[dict[str, Any], ...]  # id, channel, file_name, imported_at
    synthetic_days: int = 0  # snapshots generated for the demo, not measured

    def channels(self) -> list[str]:
        return sorted(self.report.channels)


def dashboard(store: Store, *, today: date | None = None) -> Dashboard:
    """The dashboard's figures as of ``today``."""
    today = today or date.today()
    report = compute(store, today=today)
    goals = store.settings()["kpi_targets"]
    checks = tuple(targets.check(report.all, goals))
    by_path = {c.target.path: c for c in checks}
    before = snapshots.previous(store.conn, today)
    tiles = tuple(
        Tile(p, report.all.value(p), _value(before, p), targets.is_share(p), by_path.get(p))
        for p in TILES
    )
    past = snapshots.history(store.conn)
    trend = [
        {"day": s["day"], **{p: _value(s, p) for p in (*TREND, *VOLUME)}}
        for s in past
        if s["day"] < today.isoformat()
    ]
    trend.append({"day": today.isoformat(), **{p: report.all.value(p) for p in (*TREND, *VOLUME)}})
    batches = tuple(
        {"id": int(i), "channel": c, "file_name": f, "imported_at": at}
        for i, c, f, at in store.conn.execute(
            "select id, channel, file_name, imported_at from import_batches order by id"
        )
    )
    synthetic = sum(1 for s in past if s.get("synthetic"))
    return Dashboard(today.isoformat(), report, tiles, checks, before["day"] if before else None,
                     tuple(trend), batches, synthetic)  # fmt: skip


def _value(snapshot: dict[str, Any] | None, path: str) -> float | None:
    node: Any = snapshot
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def heat(report: Report, measure: str) -> dict[str, dict[str, float | None]]:
    """``{field: {channel: share}}`` of ``measure`` (``completeness`` or
    ``validity``) for the heat map; fields nobody filled in anywhere are left out."""
    out: dict[str, dict[str, float | None]] = {}
    for f in QUALITY_FIELDS:
        row = {c: getattr(k.fields[f], measure) for c, k in report.channels.items()}
        if any(k.fields[f].record_completeness for k in report.channels.values()):
            out[f] = row
    return out


def drill(board: Dashboard, channel: str, field: str | None = None) -> list[dict[str, Any]]:
    """One row per batch of a channel: its records and, for ``field`` (or
    every field), completeness, validity, invalid and suspect counts."""
    rows = []
    for batch in board.batches:
        if batch["channel"] != channel:
            continue
        k = board.report.batches[batch["id"]]
        for f in (field,) if field else QUALITY_FIELDS:
            q = k.fields[f]
            rows.append({"batch": batch["id"], "file_name": batch["file_name"],
                         "imported_at": batch["imported_at"], "records": k.records, "field": f,
                         "completeness": q.record_completeness, "validity": q.validity,
                         "invalid": q.invalid, "suspect": q.suspect,
                         "consistency": q.consistency})  # fmt: skip
    return rows


def headline(k: Kpis) -> dict[str, Any]:
    """The scope's headline figures as one flat row."""
    return {
        "scope": k.scope, "records": k.records, "customers": k.customers,
        "duplicate_rate": k.duplicate_rate, "dormant_rate": k.dormant_rate,
        **{f"updated_within_{w}_days": v for w, v in k.timeliness.items()},
        "open_auto": k.open_proposals["auto"], "open_review": k.open_proposals["review"],
        "backlog": k.backlog, "backlog_median_age_days": k.backlog_age_days["median"],
    }  # fmt: skip


def kpi_workbook(board: Dashboard) -> bytes:
    """The KPI tables as XLSX: headline figures and per-field figures for the
    store, each channel and each batch, and the target checks. Shares are
    numbers 0..1; no cell is a formula."""
    scopes = [board.report.all, *board.report.channels.values(), *board.report.batches.values()]
    heads = [headline(k) for k in scopes]
    fields = fields_table(scopes)
    checks = [
        [c.target.path, c.target.op, c.target.threshold, c.value,
         "" if c.met is None else "met" if c.met else "off target"]
        for c in board.checks
    ]  # fmt: skip
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        {
            "headline": (list(heads[0]), [list(h.values()) for h in heads]),
            "fields": (list(fields[0]), [list(r.values()) for r in fields]),
            "targets": (["kpi", "operator", "target", "value", "state"], checks),
        },
    )
    return buffer.getvalue()
