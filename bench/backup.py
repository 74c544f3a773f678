# ruff: noqa: T201  (a script: printing the figures is its job)
"""Backup and restore round trip under load: writer processes keep
approving and rejecting proposals while the store is backed up.

    .venv/bin/python bench/backup.py --records 20000 --writers 4

Each writer is a real OS process (from a fork server, never a fork of this
process) with its own connection. It decides the open proposals whose id
falls in its share (id modulo the writer count), so writers never contend
for the same proposal, only for the store's write lock. The script backs
the store up with :func:`core.backup.backup` while they run, stops them,
restores the backup with :func:`core.backup.restore` and prints one
Markdown table row on stdout (the header goes to stderr): the store's
size, the backup's and the restore's seconds, and how many writes were
committed while the backup ran (they are not in the copy, which is the
store as of its first read). ``tests/test_backup.py`` runs the same
workload, smaller.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.concurrency import copy_store, template_store  # noqa: E402
from core.actors import SYSTEM, Actor  # noqa: E402
from core.backup import backup, restore  # noqa: E402
from core.errors import ConflictError, InputError  # noqa: E402
from core.merge import approve, reject  # noqa: E402
from core.store import open_store  # noqa: E402

CONTEXT = mp.get_context("forkserver")
CONTEXT.set_forkserver_preload(["bench.backup"])

HEADER = (
    "| records | writers | store MB | backup s | backup MB | writes during backup "
    "| writes in copy | restore s | MB/s |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def writer_name(worker: int) -> str:
    return f"writer{worker}"


def writer(
    path: str, worker: int, workers: int, think: float, stop: Event, committed: Synchronized[int]
) -> None:
    """One writer: approve (3 in 4) or reject its share of the open
    proposals, one transaction each, until stopped or out of proposals;
    ``committed`` counts the commits (raised right after each one)."""
    store = open_store(path)
    actor = Actor(writer_name(worker), "steward")
    rnd = random.Random(worker)
    mine = [int(p) for (p,) in store.conn.execute(
        "select id from proposals where status = 'open' and id % ? = ? order by id",
        (workers, worker),
    )]  # fmt: skip
    for proposal in mine:
        if stop.is_set():
            break
        try:
            if rnd.random() < 0.75:
                approve(store, proposal, actor)
            else:
                reject(store, proposal, actor)
        except (ConflictError, InputError):
            continue  # another writer's merge took one of its records: not a write
        with committed.get_lock():
            committed.value += 1
        if think:
            time.sleep(think)
    store.close()


@dataclass
class Load:
    """Writer processes running on one store."""

    processes: list[Any]
    stop: Event
    counters: list[Synchronized[int]]

    def committed(self) -> int:
        return sum(c.value for c in self.counters)

    def wait_until_each(self, commits: int, timeout: float = 120) -> None:
        """Block until every writer has committed ``commits`` writes."""
        deadline = time.monotonic() + timeout
        while min(c.value for c in self.counters) < commits:
            if time.monotonic() > deadline:
                raise TimeoutError(f"writers committed only {[c.value for c in self.counters]}")
            if not all(p.is_alive() for p in self.processes):
                raise RuntimeError("a writer stopped before the backup began")
            time.sleep(0.01)

    def finish(self, timeout: float = 60) -> None:
        self.stop.set()
        for p in self.processes:
            p.join(timeout)
            if p.is_alive():
                p.kill()
                p.join()
        bad = [p.exitcode for p in self.processes if p.exitcode != 0]
        if bad:
            raise RuntimeError(f"writers failed with exit codes {bad}")


def start_writers(path: Path, workers: int, think: float) -> Load:
    stop = CONTEXT.Event()
    counters = [CONTEXT.Value("i", 0) for _ in range(workers)]
    processes = [
        CONTEXT.Process(target=writer, args=(str(path), i, workers, think, stop, counters[i]))
        for i in range(workers)
    ]
    for p in processes:
        p.start()
    return Load(processes, stop, counters)


def writes_in(conn: sqlite3.Connection) -> int:
    """The writers' commits in a database: one audit entry each."""
    return int(conn.execute(
        "select count(*) from audit_log where actor like 'writer%'"
    ).fetchone()[0])  # fmt: skip


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
