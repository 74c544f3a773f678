# ruff: noqa: T201  (a script: printing the figures is its job)
"""Concurrent stewards: several processes deciding proposals and picking
values in one store file at the same time (the workload and its checks are
:mod:`tests.workloads.stewards`).

    .venv/bin/python bench/concurrency.py --workers 8 --ops 200
    .venv/bin/python bench/concurrency.py --workers 8 --ops 200 --beside-match --bad-logins 8

With ``--beside-match``, full match runs (``python -m core match --retrain``,
one after another) write proposals while the stewards decide; with
``--bad-logins N``, N processes guess the admin's password meanwhile. Their
outcomes are printed too: a match run ends with exit 0 or the typed
conflict (exit 4), and a guess is refused, never a "database is locked".

Prints one Markdown table row on stdout (the header goes to stderr) and
exits 1 when anything that must never happen happened.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.workloads.beside import Beside  # noqa: E402
from tests.workloads.stewards import (  # noqa: E402
    HEADER,
    Figures,
    build_store,
    copy_store,
    examine,
    free_plan,
    lockstep_plan,
    prepare,
    run,
)


def template_store(workdir: Path, records: int) -> Path:
    """The matched store of ``records`` generated records in ``workdir``,
    built once and reused by the benchmarks that copy it."""
    template = workdir / f"concurrency_{records}.db"
    if not template.exists():
        print(f"building a store of {records:,} records …", file=sys.stderr)
        build_store(workdir / f"concurrency_{records}.tmp.db", records).rename(template)
    return template


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--ops", type=int, default=200, help="operations per worker")
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--mode", choices=("free", "lockstep"), default="free")
    ap.add_argument("--hot", type=int, default=0,
                    help="proposals contended for (default: one per 8 operations)")  # fmt: skip
    ap.add_argument("--pool", type=int, default=30, help="customers picked in")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bench_work")
    ap.add_argument("--think-ms", type=float, default=5.0,
                    help="free mode: longest wait between reading and acting")  # fmt: skip
    ap.add_argument("--start-method", choices=("spawn", "fork", "forkserver"), default="spawn")
    ap.add_argument("--beside-match", action="store_true",
                    help="run full matches one after another while the stewards work")  # fmt: skip
    ap.add_argument("--bad-logins", type=int, default=0,
                    help="processes guessing the admin's password meanwhile")  # fmt: skip
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    template = template_store(args.workdir, args.records)
    db = args.workdir / "concurrency_run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    copy_store(template, db)
    hot = args.hot or max(10, args.workers * args.ops // 8)
    workload = prepare(db, hot=hot, pool=args.pool)
    if args.mode == "free":
        plans = free_plan(workload, args.workers, args.ops)
    else:
        plans = lockstep_plan(workload, args.workers, args.ops)
    with Beside(db, args.beside_match, args.bad_logins) as beside:
        outcomes, seconds = run(db, plans, workload, lockstep=args.mode == "lockstep",
                                start_method=args.start_method,
                                think=args.think_ms / 1000)  # fmt: skip
    figures = examine(db, workload, outcomes, Figures(args.workers, args.ops, args.mode, 0),
                      others=args.beside_match or args.bad_logins > 0)  # fmt: skip
    figures.seconds = seconds
    print(HEADER, file=sys.stderr)
    print(figures.row())
    by_op = Counter(f"{o.op} {o.result}" for o in outcomes)
    print(f"results: {dict(sorted(by_op.items()))}", file=sys.stderr)
    if args.beside_match:
        print(f"match runs beside: {dict(beside.exits)}", file=sys.stderr)
    if args.bad_logins:
        print(f"password guesses beside: {dict(beside.guesses)}", file=sys.stderr)
    for problem in figures.violations[:20]:
        print(f"VIOLATION: {problem}", file=sys.stderr)
    failed = figures.violations or figures.locked or figures.lost_updates or not beside.clean()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
