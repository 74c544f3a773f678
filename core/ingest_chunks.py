"""The import's row pipeline: rows are checked and numbered in file order,
then mapped and standardized chunk by chunk, in this process or in a pool
of worker processes, and written to the import's target.

Everything a chunk's rows depend on is fixed before the chunk is handed
out (record ids, row numbers, the batch, the day), and the standardizers
are pure, so the rows written are the same whichever process computed
them and however many processes there are.

With workers, each worker writes the chunks it builds into a file of its
own in the import's scratch folder (sending the rows back through a pipe
would cost more than building them); the records of all files are merged
in id order when they are copied into the store. Quarantined rows are
always written by this process, in file order.

Workers are started with ``fork`` when the calling process has a single
thread (the command line: the children inherit the loaded modules), else
with ``forkserver`` or ``spawn`` (forking a process with other threads,
such as a Streamlit server, is unsafe).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.util import Finalize
from typing import Any

from core.layout import SOURCE_COLUMNS, RowPlan, encode_cells
from core.schema import STD_COLUMNS
from core.standardize.record import STD_VERSION, standardize_values
from core.tabular import RawRow

Progress = Callable[[int, int], None]

# Each worker's file is attached to the store's connection at commit, and
# SQLite attaches at most 10 files by default (one is the staging file).
MAX_WORKERS = 8

# Below this many expected rows an import runs in one process: starting
# workers costs more than they save. Forked workers start at once; others
# (forkserver, spawn) first import the standardizers.
PARALLEL_MIN_ROWS = 10_000
PARALLEL_MIN_ROWS_UNFORKED = 50_000

_SOURCE_COLUMNS = ("id", "batch_id", "row_number", "line_number", "channel", *SOURCE_COLUMNS)
_STD_COLUMNS = ("record_id", "std_version", *STD_COLUMNS)
_FIRST_VALUE = len(_SOURCE_COLUMNS) - len(SOURCE_COLUMNS) + 3  # after id, raw_cells, extra


def _insert(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return f"insert into {table} ({names}) values ({', '.join('?' * len(columns))})"


SOURCE_INSERT = _insert("source_records", _SOURCE_COLUMNS)
STD_INSERT = _insert("standardized", _STD_COLUMNS)
QUARANTINE_INSERT = _insert(
    "quarantine", ("batch_id", "row_number", "line_number", "raw_text", "reason_code", "reason")
)

WorkItem = tuple[int, int, int, str, "list[str] | None"]
"""A record to build: (record id, row number, line number, the cells as
:func:`~core.layout.encode_cells` text, the cells themselves or None)."""


@dataclass(frozen=True, slots=True)
class Job:
    """What every chunk of one import shares (sent once to each worker)."""

    plan: RowPlan
    region: str
    today: str
    batch_id: int
    channel: str
    scratch: str = ""
    """The folder where workers create their files ('' without workers)."""


def build_chunk(
    job: Job, work: list[WorkItem]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``source_records`` and ``standardized`` rows of a chunk, in order
    (columns as in :data:`SOURCE_INSERT` and :data:`STD_INSERT`)."""
    plan, batch_id, channel = job.plan, job.batch_id, job.channel
    sources = [
        (record_id, batch_id, row_number, line_number, channel,
         *plan.source_row(json.loads(raw) if cells is None else cells, row_number, raw))
        for record_id, row_number, line_number, raw, cells in work
    ]  # fmt: skip
    values = [row[_FIRST_VALUE:] for row in sources]
    std = standardize_values(values, region=job.region, today=job.today)
    return sources, [(row[0], STD_VERSION, *s) for row, s in zip(sources, std, strict=True)]


def create_tables(conn: sqlite3.Connection) -> None:
    """The three tables an import fills, without indexes or constraints (the
    store checks those when the rows are copied into it)."""
    conn.execute(
        "create table source_records (id integer primary key, "
        + ", ".join(f"[{c}]" for c in _SOURCE_COLUMNS[1:])
        + ")"
    )
    conn.execute(
        "create table standardized (record_id integer primary key, "
        + ", ".join(f"[{c}]" for c in _STD_COLUMNS[1:])
        + ")"
    )
    conn.execute(
        "create table quarantine (id integer primary key, batch_id, row_number, line_number,"
        " raw_text, reason_code, reason)"
    )


def open_scratch(path: str, *, create: bool = False) -> sqlite3.Connection:
    """A connection to a staging file: private and temporary, so neither
    journal nor syncing (an import that fails discards the file)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    if create:
        create_tables(conn)
    return conn


# --- worker processes ---------------------------------------------------------

_WORKER: tuple[Job, sqlite3.Connection, str] | None = None


def _start_worker(job: Job) -> None:
    global _WORKER
    # What the worker inherited from the parent stays out of the cyclic
    # collector's way (no rescans, no copied pages), and collections are
    # rarer: chunks allocate many small tuples; the caches that outlive
    # them are large.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    path = os.path.join(job.scratch, f"worker-{os.getpid()}.db")
    conn = open_scratch(path, create=True)
    Finalize(None, conn.close, exitpriority=10)
    _WORKER = (job, conn, path)


def _write_chunk(work: list[WorkItem]) -> str:
    """Build a piece of a chunk in a worker and write it to the worker's
    file; return that file's path."""
    assert _WORKER is not None, "worker started without its job"
    job, conn, path = _WORKER
    sources, std = build_chunk(job, work)
    conn.execute("BEGIN")
    conn.executemany(SOURCE_INSERT, sources)
    conn.executemany(STD_INSERT, std)
    conn.execute("COMMIT")
    return path


def worker_count(setting: int, expected_rows: int) -> int:
    """How many worker processes an import of ``expected_rows`` uses; 0
    means none (everything in this process).

    Args:
        setting: the ``import_workers`` setting (0: one per CPU core).
        expected_rows: the file's line count.
    """
    forked = _context().get_start_method() == "fork"
    least = PARALLEL_MIN_ROWS if forked else PARALLEL_MIN_ROWS_UNFORKED
    if setting == 1 or expected_rows < least:
        return 0
    if setting > 1:
        return min(setting, MAX_WORKERS)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 else 0


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


# --- the pipeline -------------------------------------------------------------


# Workers get a chunk in pieces of this many records, so that they start
# early and finish together.
_PIECE = 1000


@dataclass(frozen=True, slots=True)
class _Chunk:
    results: list[Future[Any]]
    ids: list[tuple[int, int]]  # first and last record id of each result
    quarantine: list[tuple[Any, ...]]
    rows_read: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What :func:`run_rows` did: the counts, and where workers wrote the
    records: ``(file, first id, last id)`` ranges in id order."""

    counts: dict[str, int]
    ranges: list[tuple[str, int, int]]


def run_rows(
    conn: sqlite3.Connection,
    rows: Iterator[RawRow],
    job: Job,
    *,
    first_id: int,
    chunk_rows: int,
    workers: int,
    expected: int,
    progress: Progress | None,
) -> Outcome:
    """Check, number, build and write every data row.

    Records get ids from ``first_id`` on and go to ``source_records`` and
    ``standardized``, unusable rows to ``quarantine``, in file order,
    through ``conn`` (the caller owns the transaction). With workers the
    records go to the workers' files in ``job.scratch`` instead (each in id
    order, but spread over the files); only quarantined rows go through
    ``conn``. ``progress`` is called after each chunk is written, and once
    more at the end.
    """
    plan, batch_id = job.plan, job.batch_id
    read = imported = quarantined = blank = 0
    work: list[WorkItem] = []
    held: list[tuple[Any, ...]] = []
    submitted: list[Future[Any]] = []
    pending: deque[_Chunk] = deque()
    ranges: list[tuple[str, int, int]] = []
    pool = None
    if workers > 0:
        pool = ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=_start_worker, initargs=(job,)
        )

    def write_oldest() -> None:
        chunk = pending.popleft()
        for result, (first, last) in zip(chunk.results, chunk.ids, strict=True):
            built = result.result()
            if isinstance(built, str):  # a worker wrote the records to this file
                if ranges and ranges[-1][0] == built and ranges[-1][2] == first - 1:
                    first = ranges.pop()[1]
                ranges.append((built, first, last))
            elif built[0]:  # built here: (sources, std)
                conn.executemany(SOURCE_INSERT, built[0])
                conn.executemany(STD_INSERT, built[1])
        if chunk.quarantine:
            conn.executemany(QUARANTINE_INSERT, chunk.quarantine)
        if progress is not None:
            progress(chunk.rows_read, max(expected - 1, chunk.rows_read))

    ids: list[tuple[int, int]] = []

    def submit_piece() -> None:
        nonlocal work
        if pool is not None and work:
            submitted.append(pool.submit(_write_chunk, work))
            ids.append((work[0][0], work[-1][0]))
            work = []

    def send() -> None:
        nonlocal work, held, submitted, ids
        submit_piece()
        if pool is None:
            done: Future[Any] = Future()
            done.set_result(build_chunk(job, work) if work else ([], []))
            submitted.append(done)
            ids.append((0, 0))
        pending.append(_Chunk(submitted, ids, held, read))
        work, held, submitted, ids = [], [], [], []
        while len(pending) > 2 * workers:
            write_oldest()

    try:
        for row in rows:
            cells = row.cells
            if row.problem is None and not any(c.strip() for c in cells):
                blank += 1
                continue
            read += 1
            problem = row.problem or plan.problem(cells)
            if problem is not None:
                quarantined += 1
                held.append((batch_id, read, row.line_number, row.raw_text, problem[0], problem[1]))
            else:
                imported += 1
                item = (first_id + imported - 1, read, row.line_number, encode_cells(cells))
                work.append((*item, None if pool is not None else cells))
            if len(work) + len(held) + _PIECE * len(submitted) >= chunk_rows:
                send()
            elif pool is not None and len(work) >= _PIECE:
                submit_piece()
        send()
        while pending:
            write_oldest()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    counts = {"rows_read": read, "rows_imported": imported,
              "rows_quarantined": quarantined, "rows_blank": blank}  # fmt: skip
    return Outcome(counts, ranges)
