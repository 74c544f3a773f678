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
such as a Streamlit server, is unsafe). Workers die with the process that
started them (:func:`die_with_parent`), and their files are in the
import's staging folder beside the store (:mod:`core.ingest.staging`).
"""

from __future__ import annotations

import ctypes
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import sqlite3
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing.util import Finalize
from operator import itemgetter
from typing import Any

from core.fields import FIELDS
from core.ingest.layout import SOURCE_COLUMNS, RowPlan, encode_cells
from core.ingest.tabular import RawRow
from core.schema import STD_COLUMNS
from core.standardize.record import STD_VERSION, fixed_columns, standardize_values

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
_SOURCE_HEAD = _SOURCE_COLUMNS[: len(_SOURCE_COLUMNS) - len(FIELDS)]  # before the raw values

QUARANTINE_INSERT = (
    "insert into quarantine (batch_id, row_number, line_number, raw_text, reason_code, reason)"
    " values (?, ?, ?, ?, ?, ?)"
)

WorkItem = tuple[int, int, int, str, "list[str] | None"]
"""A record to build: (record id, row number, line number, the cells as
:func:`~core.ingest.layout.encode_cells` text, the cells themselves or None)."""

Row = tuple[Any, ...]


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
    entity: str = ""
    """The import's ``--entity`` ('person', 'organisation'; '' per record)."""


@dataclass(frozen=True, slots=True)
class RowShape:
    """Which columns of one import's rows are bound row by row.

    A field no column maps to leaves its raw column NULL and its
    standardized columns at a blank field's values in every record (see
    :func:`~core.standardize.record.fixed_columns`), and every record has
    the same ``std_version``. Those go into the INSERT statements as
    constants: binding them for each row was about a quarter of the cost
    of writing a row. The rows stored are the same either way.
    """

    source_insert: str
    """Binds :data:`_SOURCE_HEAD` and the mapped fields' raw values."""
    std_insert: str
    """Binds ``record_id`` and the standardized columns that may vary."""
    mapped_values: Callable[[Sequence[Any]], Row]
    """The mapped fields' values from all fields' values (FIELDS order)."""
    varying: Callable[[Sequence[Any]], Row]
    """The varying columns from a row in STD_COLUMNS order."""


def row_shape(plan: RowPlan, entity: str = "") -> RowShape:
    """The :class:`RowShape` of an import with this plan (and ``--entity``)."""
    mapped = set(plan.mapped)
    raw_fixed: dict[str, Any] = {f: None for f in FIELDS if f not in mapped}
    std_fixed = {"std_version": STD_VERSION, **fixed_columns(mapped, entity)}
    return RowShape(
        source_insert=_insert(
            "source_records", [*_SOURCE_HEAD, *(f for f in FIELDS if f in mapped)], raw_fixed
        ),
        std_insert=_insert(
            "standardized",
            ["record_id", *(c for c in STD_COLUMNS if c not in std_fixed)],
            std_fixed,
        ),
        mapped_values=_picker([n for n, f in enumerate(FIELDS) if f in mapped]),
        varying=_picker([n for n, c in enumerate(STD_COLUMNS) if c not in std_fixed]),
    )


def _insert(table: str, bound: Sequence[str], fixed: dict[str, Any]) -> str:
    names = ", ".join(f"[{c}]" for c in (*bound, *fixed))
    values = ", ".join(["?"] * len(bound) + [_literal(v) for v in fixed.values()])
    return f"insert into {table} ({names}) values ({values})"


def _literal(value: Any) -> str:
    """A constant of ours as SQL (never customer data: those are bound)."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(int(value))
    assert isinstance(value, str) and "\x00" not in value, value
    return "'" + value.replace("'", "''") + "'"


def _picker(indexes: list[int]) -> Callable[[Sequence[Any]], Row]:
    """A function picking these items of a sequence, as a tuple."""
    if len(indexes) == 1:  # itemgetter of one index returns the item itself
        (index,) = indexes
        return lambda row: (row[index],)
    return itemgetter(*indexes) if indexes else (lambda row: ())


def build_chunk(job: Job, shape: RowShape, work: list[WorkItem]) -> tuple[list[Row], list[Row]]:
    """The ``source_records`` and ``standardized`` rows of a chunk, in order
    (columns as ``shape``'s INSERT statements bind them)."""
    plan, batch_id, channel = job.plan, job.batch_id, job.channel
    parts = [
        plan.source_row(json.loads(raw) if cells is None else cells, row_number, raw)
        for _, row_number, _, raw, cells in work
    ]
    values = [row[3:] for row in parts]  # after source_record_id, raw_cells, extra
    mapped = shape.mapped_values
    sources = [
        (record_id, batch_id, row_number, line_number, channel, *part[:3], *mapped(value))
        for (record_id, row_number, line_number, _, _), part, value in zip(
            work, parts, values, strict=True
        )
    ]
    varying = shape.varying
    std = standardize_values(values, region=job.region, today=job.today, entity=job.entity)
    return sources, [(row[0], *varying(s)) for row, s in zip(sources, std, strict=True)]


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

_WORKER: tuple[Job, RowShape, sqlite3.Connection, str] | None = None


# Chunks allocate many small tuples, and the standardizers' caches that
# outlive them grow large: with the default thresholds the cyclic collector
# rescans those caches again and again (8% of an import of 100k rows in one
# process). Where rows are built, collections are made rarer, and what was
# there before stays out of the collector's way (no rescans, and in a
# forked worker no copied pages).
_GC_THRESHOLD = (50_000, 20, 100)


def _start_worker(job: Job, parent: int = 0) -> None:
    global _WORKER
    die_with_parent(parent)
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)
    path = os.path.join(job.scratch, f"worker-{os.getpid()}.db")
    conn = open_scratch(path, create=True)
    Finalize(None, conn.close, exitpriority=10)
    _WORKER = (job, row_shape(job.plan, job.entity), conn, path)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int = 0) -> None:
    """Make this worker die when the process that started it dies.

    A worker whose import was killed has nothing left to do, and one that
    outlives it keeps customer data open in its file. Two guards, since
    neither covers every start method:

    * On Linux, the kernel sends SIGKILL when the worker's parent ends,
      however it ends (``prctl``'s ``PR_SET_PDEATHSIG``). A ``fork`` worker's
      parent is the importing process: ``parent`` is its pid, and a worker
      whose parent died before the signal was armed exits at once.
    * A ``forkserver`` worker's parent is the fork server, which lives as
      long as any of its workers does, so it never ends first. Such a
      worker (and a ``spawn`` one, on other systems) instead watches the
      pipe that multiprocessing keeps open from the importing process
      (``parent_process().sentinel``): it reads end-of-file when that
      process is gone, and a daemon thread then ends the worker.

    ``parent`` is 0 when the worker's parent is not the importing process.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this C library
            pass
        if parent and os.getppid() != parent:
            os._exit(1)
    watched = multiprocessing.parent_process()
    sentinel = getattr(watched, "sentinel", None) if watched is not None else None
    if sentinel is not None:
        threading.Thread(
            target=_exit_when_ready, args=(sentinel,), name="parent-watch", daemon=True
        ).start()


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _write_chunk(work: list[WorkItem]) -> str:
    """Build a piece of a chunk in a worker and write it to the worker's
    file; return that file's path."""
    assert _WORKER is not None, "worker started without its job"
    job, shape, conn, path = _WORKER
    sources, std = build_chunk(job, shape, work)
    conn.execute("BEGIN")
    conn.executemany(shape.source_insert, sources)
    conn.executemany(shape.std_insert, std)
    conn.execute("COMMIT")
    return path


@contextmanager
def _rare_collections() -> Iterator[None]:
    """:data:`_GC_THRESHOLD` while this process builds rows itself, then
    the collector as it was. Only in a single-threaded process (the command
    line): thresholds are process-wide, and another thread's import could
    otherwise restore them out of order."""
    if threading.active_count() > 1:
        yield
        return
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


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
    shape = row_shape(plan, job.entity)
    read = imported = quarantined = blank = 0
    work: list[WorkItem] = []
    held: list[tuple[Any, ...]] = []
    submitted: list[Future[Any]] = []
    pending: deque[_Chunk] = deque()
    ranges: list[tuple[str, int, int]] = []
    pool = None
    if workers > 0:
        context = _context()
        # A forked worker's parent is this process; others' is a fork server.
        parent = os.getpid() if context.get_start_method() == "fork" else 0
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(job, parent)
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
                conn.executemany(shape.source_insert, built[0])
                conn.executemany(shape.std_insert, built[1])
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
            done.set_result(build_chunk(job, shape, work) if work else ([], []))
            submitted.append(done)
            ids.append((0, 0))
        pending.append(_Chunk(submitted, ids, held, read))
        work, held, submitted, ids = [], [], [], []
        while len(pending) > 2 * workers:
            write_oldest()

    try:
        # Built here: fewer collections (workers set theirs when they start).
        with _rare_collections() if pool is None else nullcontext():
            for row in rows:
                cells = row.cells
                # Blank when every cell is whitespace: then so is their join.
                if row.problem is None and not "".join(cells).strip():
                    blank += 1
                    continue
                read += 1
                problem = row.problem or plan.problem(cells)
                if problem is not None:
                    quarantined += 1
                    code, reason = problem
                    held.append((batch_id, read, row.line_number, row.raw_text, code, reason))
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
