# ruff: noqa: T201  (a script: printing the figures is its job)
"""Latency of the single-record check against a store of N generated records.

    .venv/bin/python bench/check_latency.py --records 1000000

Builds (once) a store from the generator's flat file (import + match), then
times ``core.matching.check.check_record`` on retyped copies of stored records and on
strangers, and prints the median and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.matching.check import check_record  # noqa: E402
from core.store import open_store  # noqa: E402


def store_copy(records: int, workdir: Path, name: str) -> Path:
    """A fresh copy, named ``{name}_{records}.db``, of the store this script
    builds (once) from ``records`` generated records; the original stays
    untouched for the next benchmark."""
    source = workdir / f"check_{records}.db"
    if not source.exists():
        subprocess.run([sys.executable, str(Path(__file__)), "--records", str(records),
                        "--workdir", str(workdir)], check=True)  # fmt: skip
    copy = workdir / f"{name}_{records}.db"
    shutil.copy(source, copy)
    return copy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_work"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    flat = args.workdir / f"check_{args.records}.csv"
    db = args.workdir / f"check_{args.records}.db"
    py = sys.executable
    if not db.exists():
        subprocess.run([py, "-m", "core.synthetic", "flat", "--out", str(flat), "--records",
                        str(args.records), "--seed", "11"], cwd=ROOT, check=True)  # fmt: skip
        subprocess.run([py, "-m", "core", "import", str(flat), "--db", str(db), "--source",
                        "bench", "--id-column", "record_id"], cwd=ROOT, check=True)  # fmt: skip
        subprocess.run([py, "-m", "core", "match", "--db", str(db)], cwd=ROOT, check=True)
    with flat.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["name"] and (r["mobile"] or r["email"])]
    rnd = random.Random(1)
    queries = [{"name": r["name"], "mobile": r["mobile"], "email": r["email"]}
               for r in rnd.sample(rows, args.queries)]  # fmt: skip
    with db.open("rb") as handle:  # the store in the OS page cache, as on a server in use
        while handle.read(1 << 24):
            pass
    with open_store(db) as store:
        for q in queries[:20]:  # warm SQLite's cache and the imports; not timed
            check_record(store, q)
        times = []
        for q in queries:
            start = time.perf_counter()
            check_record(store, q)
            times.append((time.perf_counter() - start) * 1000)
    t = np.asarray(times)
    print(f"| single-record check, {args.records:,} records | median {np.median(t):.1f} ms "
          f"| p95 {np.percentile(t, 95):.1f} ms | {len(t)} queries |")  # fmt: skip


if __name__ == "__main__":
    main()
