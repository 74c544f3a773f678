"""The import's row pipeline: rows are checked and numbered in file order,
then mapped and standardized chunk by chunk, in this process or in a pool
of worker processes, and written to the import's target.

Everything a chunk's rows depend on is fixed before the chunk is handed
out (record ids, row numbers, the batch, the day), and the standardizers
are pure, so the rows written are the same whichever process computed
them and however many processes there are.

With workers, each worker writes the chunks it builds straight into a
SQLite file (``Job.scratch``, in WAL mode, one short transaction per
chunk): the staging file itself, or a scratch file whose chunks this
process copies into the store in order (``copy_scratch``). Sending the
rows back through a pipe would cost more than building them. Quarantined
rows are always written by this process, in file order.

Workers are started with ``fork`` when the calling process has a single
thread (the command line: the children inherit the loaded modules), else
with ``forkserver`` or ``spawn`` (forking a process with other threads,
such as a Streamlit server, is unsafe).
"""

from __future__ import annotations

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

# Below this many expected rows an import runs in one process: starting
# workers costs more than they save.
PARALLEL_MIN_ROWS = 20_000

_SOURCE_COLUMNS = ("id", "batch_id", "row_number", "line_number", "channel", *SOURCE_COLUMNS)
_STD_COLUMNS = ("record_id", "std_version", *STD_COLUMNS)
_FIRST_VALUE = len(_SOURCE_COLUMNS) - len(SOURCE_COLUMNS) + 3  # after id, raw_cells, extra


def _insert(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return f"insert into {table} ({names}) values ({', '.join('?' * len(columns))})"


def _copy(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return (
        f"insert into main.{table} ({names}) select {names} from scratch.{table}"
        f" where [{columns[0]}] between ? and ? order by [{columns[0]}]"
    )


SOURCE_INSERT = _insert("source_records", _SOURCE_COLUMNS)
STD_INSERT = _insert("standardized", _STD_COLUMNS)
QUARANTINE_INSERT = _insert(
    "quarantine", ("batch_id", "row_number", "line_number", "raw_text", "reason_code", "reason")
)
_SOURCE_COPY = _copy("source_records", _SOURCE_COLUMNS)
_STD_COPY = _copy("standardized", _STD_COLUMNS)

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
    """The SQLite file workers write their chunks into ('' without workers)."""


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


def open_scratch(path: str, *, create: bool = False, wal: bool = False) -> sqlite3.Connection:
    """A connection to a staging or scratch file: private and temporary, so
    nothing is synced and, unless ``wal`` (a reader copies chunks while
    workers write), there is no journal either."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 600000")
    conn.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'OFF'}")
    conn.execute("PRAGMA synchronous = OFF")
    if create:
        create_tables(conn)
    return conn


# --- worker processes ---------------------------------------------------------

_WORKER: tuple[Job, sqlite3.Connection, Any] | None = None


def _start_worker(job: Job, lock: Any, wal: bool) -> None:
    global _WORKER
    conn = open_scratch(job.scratch, wal=wal)
    Finalize(None, conn.close, exitpriority=10)
    _WORKER = (job, conn, lock)


def _write_chunk(work: list[WorkItem]) -> int:
    """Build a chunk in a worker and write it to the job's scratch file (one
    writer at a time: the lock wakes the next one at once, where SQLite's
    busy handler would sleep)."""
    assert _WORKER is not None, "worker started without its job"
    job, conn, lock = _WORKER
    sources, std = build_chunk(job, work)
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(SOURCE_INSERT, sources)
        conn.executemany(STD_INSERT, std)
        conn.execute("COMMIT")
    return len(sources)


def worker_count(setting: int, expected_rows: int, chunk_rows: int) -> int:
    """How many worker processes an import of ``expected_rows`` uses; 0
    means none (everything in this process).

    Args:
        setting: the ``import_workers`` setting (0: one per CPU core).
        expected_rows: the file's line count.
        chunk_rows: the ``import_chunk_rows`` setting.
    """
    if setting == 1 or expected_rows < max(PARALLEL_MIN_ROWS, 2 * chunk_rows):
        return 0
    if setting > 1:
        return setting
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


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


@dataclass(frozen=True, slots=True)
class _Chunk:
    result: Future[Any]
    first_id: int
    quarantine: list[tuple[Any, ...]]
    rows_read: int


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
    copy_scratch: bool = False,
) -> dict[str, int]:
    """Check, number, build and write every data row; return the counts.

    Records get ids from ``first_id`` on and go to ``source_records`` and
    ``standardized``, unusable rows to ``quarantine``, through ``conn``.
    Without workers the caller owns the transaction. With workers, they
    write records into ``job.scratch``; when that is ``conn``'s own file
    (the staging file) this process writes quarantined rows in short
    transactions of its own, otherwise (``copy_scratch``: ``job.scratch``
    is attached to ``conn`` as ``scratch``, and the caller owns the
    transaction) it copies each chunk's records into ``conn`` in order.
    ``progress`` is called after each chunk is written, and once at the end.
    """
    plan, batch_id = job.plan, job.batch_id
    read = imported = quarantined = blank = 0
    work: list[WorkItem] = []
    held: list[tuple[Any, ...]] = []
    pending: deque[_Chunk] = deque()
    pool = None
    lock: Any = threading.Lock()
    if workers > 0:
        context = _context()
        lock = context.Lock()
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(job, lock, copy_scratch),
        )
    own_transactions = pool is not None and not copy_scratch

    def write(chunk: _Chunk, built: Any) -> None:
        if isinstance(built, tuple):  # built here: (sources, std)
            if built[0]:
                conn.executemany(SOURCE_INSERT, built[0])
                conn.executemany(STD_INSERT, built[1])
        elif built and copy_scratch:  # written by a worker: its record count
            last = chunk.first_id + built - 1
            conn.execute(_SOURCE_COPY, (chunk.first_id, last))
            conn.execute(_STD_COPY, (chunk.first_id, last))
        if chunk.quarantine:
            conn.executemany(QUARANTINE_INSERT, chunk.quarantine)

    def write_oldest() -> None:
        chunk = pending.popleft()
        built = chunk.result.result()
        if own_transactions:  # the staging file, shared with the workers
            with lock:
                conn.execute("BEGIN IMMEDIATE")
                write(chunk, built)
                conn.execute("COMMIT")
        else:
            write(chunk, built)
        if progress is not None:
            progress(chunk.rows_read, max(expected - 1, chunk.rows_read))

    def send() -> None:
        nonlocal work, held
        result: Future[Any]
        if pool is not None and work:
            result = pool.submit(_write_chunk, work)
        else:
            result = Future()
            result.set_result(build_chunk(job, work) if work else ([], []))
        first = work[0][0] if work else 0
        pending.append(_Chunk(result, first, held, read))
        work, held = [], []
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
            if len(work) + len(held) >= chunk_rows:
                send()
        send()
        while pending:
            write_oldest()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return {"rows_read": read, "rows_imported": imported,
            "rows_quarantined": quarantined, "rows_blank": blank}  # fmt: skip
