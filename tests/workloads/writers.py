"""Writers under a backup: processes that keep approving and rejecting
proposals while the store is backed up.

Each writer is a real OS process (from a fork server, never a fork of this
process) with its own connection. It decides the open proposals whose id
falls in its share (id modulo the writer count), so writers never contend
for the same proposal, only for the store's write lock.
``bench/backup.py`` runs a backup and a restore under them;
``tests/ops/test_backup.py`` does the same, smaller.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import sqlite3
import time
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from core.actors import Actor
from core.errors import ConflictError, InputError
from core.stewardship.merge import approve, reject
from core.store import open_store

CONTEXT = mp.get_context("forkserver")
CONTEXT.set_forkserver_preload(["tests.workloads.writers"])


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
