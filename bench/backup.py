# ruff: noqa: T201  (a script: printing the figures is its job)
"""Backup and restore round trip under load: writer processes keep
approving and rejecting proposals (:mod:`tests.workloads.writers`) while
the store is backed up.

    .venv/bin/python bench/backup.py --records 20000 --writers 4

The script backs the store up with :func:`core.ops.backup.backup` while
they run, stops them, restores the backup with
:func:`core.ops.backup.restore` and prints one Markdown table row on
stdout (the header goes to stderr): the store's size, the backup's and the
restore's seconds, and how many writes were committed while the backup ran
(they are not in the copy, which is the store as of its first read).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.concurrency import template_store  # noqa: E402
from core.actors import SYSTEM  # noqa: E402
from core.ops.backup import backup, restore  # noqa: E402
from tests.workloads.stewards import copy_store  # noqa: E402
from tests.workloads.writers import start_writers, writes_in  # noqa: E402

HEADER = (
    "| records | writers | store MB | backup s | backup MB | writes during backup "
    "| writes in copy | restore s | MB/s |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


@dataclass(frozen=True)
class Figures:
    records: int
    writers: int
    store_mb: float
    backup_seconds: float
    backup_mb: float
    writes_during: int
    writes_in_copy: int
    restore_seconds: float

    def row(self) -> str:
        rate = self.backup_mb / self.backup_seconds if self.backup_seconds else 0.0
        return (
            f"| {self.records:,} | {self.writers} | {self.store_mb:.1f} | "
            f"{self.backup_seconds:.2f} | {self.backup_mb:.1f} | {self.writes_during} | "
            f"{self.writes_in_copy} | {self.restore_seconds:.2f} | {rate:.0f} |"
        )


def round_trip(
    db: Path, out: Path, *, records: int, workers: int, think: float, pause: float
) -> Figures:
    load = start_writers(db, workers, think)
    try:
        load.wait_until_each(3)
        before = load.committed()
        done = backup(db, out, SYSTEM, pause=pause)
        during = load.committed() - before
    finally:
        load.finish()
    conn = sqlite3.connect(done.path)
    in_copy = writes_in(conn)
    conn.close()
    back = restore(done.path, out / "restored.db", SYSTEM)
    store_bytes = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal")
                      if Path(f"{db}{s}").exists())  # fmt: skip
    return Figures(records, workers, store_bytes / 1e6, done.seconds, done.bytes / 1e6, during,
                   in_copy, back.seconds)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--think-ms", type=float, default=5.0, help="writers' pause between writes")
    ap.add_argument("--pause-ms", type=float, default=0.0,
                    help="the backup's pause between steps of 1,024 pages")  # fmt: skip
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bench_work")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    template = template_store(args.workdir, args.records)
    run = args.workdir / "backup_run"
    run.mkdir(exist_ok=True)
    for old in run.iterdir():
        old.unlink()
    db = copy_store(template, run / "store.db")
    figures = round_trip(db, run, records=args.records, workers=args.writers,
                         think=args.think_ms / 1000, pause=args.pause_ms / 1000)  # fmt: skip
    print(HEADER, file=sys.stderr)
    print(figures.row())


if __name__ == "__main__":
    main()
