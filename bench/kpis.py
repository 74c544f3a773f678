# ruff: noqa: T201  (a script: printing the figures is its job)
"""How long the full KPI report takes on a big store, against the 5 s target.

    .venv/bin/python bench/kpis.py --records 1000000

Uses the store ``bench/check_latency.py`` builds (import + match of N
generated records), copied, with every auto-band proposal merged and a
share of the review band approved or rejected so that the customer-level
figures have merged customers to read. Times:

* ``cold``: the first report after the batch sums are dropped (what a store
  upgraded from before the cache pays once);
* ``warm``: the median of three later reports (what every dashboard load
  and ``kpi`` run pays: the import tallies its batch as it commits);
* ``snapshot``: ``kpi snapshot``, the nightly cron job.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check_latency import store_copy  # noqa: E402
from core.actors import SYSTEM, Actor  # noqa: E402
from core.quality.kpis import compute  # noqa: E402
from core.quality.snapshots import take  # noqa: E402
from core.stewardship.merge import approve, reject  # noqa: E402
from core.store import open_store  # noqa: E402

TARGET_SECONDS = 5.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_work"))
    ap.add_argument("--auto", type=int, default=20000, help="auto-band merges")
    ap.add_argument("--decisions", type=int, default=2000, help="review-band decisions")
    args = ap.parse_args()
    db = store_copy(args.records, args.workdir, "kpis")
    steward = Actor("bench", "steward")
    today = date.today()
    with open_store(db) as store:
        merged = _open(store, "auto", args.auto)
        for pid in merged:
            approve(store, pid, SYSTEM)
        review = _open(store, "review", args.decisions)
        for i, pid in enumerate(review):
            (approve if i % 3 else reject)(store, pid, steward)
        customers = store.conn.execute(
            "select count(*) from customers where status = 'active' "
            "and created_by_decision is not null"
        ).fetchone()[0]
        with store.write() as w:
            w.execute("delete from kpi_batch_cache")
        started = time.perf_counter()
        compute(store, today=today)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            report = compute(store, today=today)
            warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        take(store, today=today)
        snap = time.perf_counter() - started
    median = statistics.median(warm)
    print(f"KPIs on {args.records:,} records ({len(merged):,} auto-merges, {len(review):,} "
          f"review decisions, {customers:,} merged customers, {len(report.channels)} channels, "
          f"{len(report.batches)} batches)")  # fmt: skip
    print("| KPI report | seconds | ratio to the 5 s target |")
    print("|---|---|---|")
    print(f"| cold (batch sums recomputed) | {cold:.2f} | {cold / TARGET_SECONDS:.2f} |")
    print(f"| warm (median of 3) | {median:.2f} | {median / TARGET_SECONDS:.2f} |")
    print(f"| kpi snapshot | {snap:.2f} | {snap / TARGET_SECONDS:.2f} |", flush=True)


def _open(store, band: str, limit: int) -> list[int]:
    return [
        int(p)
        for (p,) in store.conn.execute(
            "select id from proposals where status = 'open' and band = ? order by id limit ?",
            (band, limit),
        )
    ]


if __name__ == "__main__":
    main()
