"""The quality commands: ``kpi`` shows the data-quality KPIs and
``kpi snapshot`` stores today's, for the trends (the server's operator takes
it as the system, recorded under their OS user name; a past day's snapshot
is never replaced: that attempt exits 4 and is recorded)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.cli.common import Commands, actor, add_db, day, open_db


def register(commands: Commands) -> None:
    """Add ``kpi``."""
    p = commands.add_parser("kpi", help="data-quality KPIs; 'kpi snapshot' stores today's")
    p.add_argument("action", nargs="?", choices=["show", "snapshot"], default="show")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print only the JSON object")
    p.add_argument("--by", choices=["all", "channel", "batch"], default="all",
                   help="one object for the store (default), or per channel or batch")  # fmt: skip
    p.add_argument("--today", metavar="YYYY-MM-DD",
                   help="compute as of this day; a snapshot of a past day that already has one "
                        "is refused (exit 4) and the attempt recorded")  # fmt: skip
    p.set_defaults(func=kpi)


def kpi(args: argparse.Namespace) -> dict[str, Any]:
    from core import targets
    from core.quality import kpis, snapshots

    today = day(args.today)
    with open_db(args) as store:
        if args.action == "snapshot":
            return snapshots.take(store, actor(store, None), today=today)
        report = kpis.compute(store, today=today)
        goals = store.settings()["kpi_targets"]
    if args.by == "channel":
        return {c: k.to_json() for c, k in report.channels.items()}
    if args.by == "batch":
        return {str(b): k.to_json() for b, k in report.batches.items()}
    if not args.json:
        _print_table(report.all, targets.check(report.all, goals))
    return report.all.to_json()


def _print_table(k: Any, checks: list[Any]) -> None:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.1%}"

    out = sys.stdout
    out.write(f"KPIs as of {k.as_of}: {k.records:,} records, {k.customers:,} customers\n")
    out.write(f"{'field':<16}{'complete':>10}{'records':>10}{'valid':>10}{'invalid':>9}"
              f"{'suspect':>9}{'standard':>10}\n")  # fmt: skip
    for name, f in k.fields.items():
        out.write(f"{name:<16}{pct(f.completeness):>10}{pct(f.record_completeness):>10}"
                  f"{pct(f.validity):>10}{f.invalid:>9,}{f.suspect:>9,}"
                  f"{pct(f.consistency):>10}\n")  # fmt: skip
    out.write(f"duplicate rate {pct(k.duplicate_rate)}, dormant {pct(k.dormant_rate)}, "
              f"backlog {k.backlog:,}\n")  # fmt: skip
    for c in checks:
        state = "—" if c.met is None else "ok" if c.met else "OFF TARGET"
        out.write(f"target {c.target}: {c.target.format(c.value)} {state}\n")
