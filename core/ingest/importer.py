"""Importing a customer file into the store, losing nothing.

Contracts of :func:`import_bytes` (and :func:`import_file`):

* ``rows_read == rows_imported + rows_quarantined``. Wholly blank rows are
  not records; they are counted apart in ``rows_blank``.
* Every imported row becomes an immutable ``source_records`` row with its
  raw cells exactly as read, its position in the file and its batch; its
  standardized values go to ``standardized``.
* A row that cannot be used (ragged, no identifying field, a cell over the
  size limit, undecodable bytes, a NUL byte, a stray quote, a blank id)
  goes to ``quarantine`` with its raw text and the reason.
* All or nothing: rows are parsed and standardized into a private staging
  file first, then copied into the store in one short ``BEGIN IMMEDIATE``
  transaction. A whole-file error, a crash or a duplicate found at commit
  time leaves the store exactly as it was, and a long import does not hold
  the write lock while it works. With ``stage=False`` (a private store
  nobody else uses) rows go straight into the store inside one write
  transaction instead, with the same result and the same guarantee.
* Large files are standardized in chunks by several worker processes (the
  ``import_workers`` setting); each writes the records it builds to a
  private file, and those are copied into the store in one short write
  transaction, as a staging file is. The rows written do not depend on
  the number of workers.
* Staging and worker files live in a locked folder of the import's own
  beside the store (``<store>-import/``), never in ``/tmp``; it is removed
  when the import ends, and an import that was killed leaves it to the
  next import, which sweeps it away (:mod:`core.ingest.staging`). Workers
  die with the process that started them.
* A full disk ends the import with :class:`~core.errors.DiskFullError`
  (one line, exit 5 on the command line): the store is as it was, and
  neither a staging file nor a SQLite super-journal is left behind.
* Only a regular file is read (:func:`read_regular_file`): not a device
  such as ``/dev/zero``, a FIFO or a directory.
* The same file (same SHA-256) imported into the same source again is
  refused with :class:`~core.errors.DuplicateImportError` unless ``force``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.errors import DiskFullError, DuplicateImportError, FileFormatError, InputError
from core.fields import Field
from core.ingest.chunks import Job, Outcome, open_scratch, run_rows, worker_count
from core.ingest.layout import SOURCE_COLUMNS, RowPlan, find_header
from core.ingest.mapping import ColumnMapping, find_column, map_columns, order_for_join
from core.ingest.staging import staging_folder, sweep_staging
from core.ingest.tabular import read_table
from core.ingest.tallies import batch_tallies
from core.ingest.workbook import limits as xlsx_limits
from core.schema import STD_COLUMNS
from core.settings import Settings
from core.standardize.dates import resolve_today
from core.store import Store, disk_full_as_error

Progress = Callable[[int, int], None]
"""Called with (rows done, rows expected) after each chunk; the expected
count is an estimate from the file's line count."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did. :meth:`summary` is the CLI's JSON line."""

    batch_id: int
    file_name: str
    channel: str
    rows_read: int
    rows_imported: int
    rows_quarantined: int
    rows_blank: int
    encoding: str
    file_format: str
    header_line: int
    mapping: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_quarantined": self.rows_quarantined,
            "rows_blank": self.rows_blank,
            "encoding": self.encoding,
            "file_format": self.file_format,
            "header_line": self.header_line,
            "mapping": self.mapping,
        }


ENTITIES = ("", "auto", "person", "organisation")
"""What ``entity`` may be: '' or 'auto' (decide per record), or one for the whole file."""


def import_file(store: Store, path: str | Path, **options: Any) -> ImportResult:
    """Import the file at ``path``; see :func:`import_bytes` for the options.

    Raises:
        InputError: the file cannot be opened, or is not a regular file (the
            message names it).
    """
    path = Path(path)
    return import_bytes(store, read_regular_file(path), path.name, **options)


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path``, which must be a regular file.

    A device such as ``/dev/zero`` never ends, and opening a FIFO waits
    for a writer that may never come: neither is a customer file. The path
    is opened without blocking and checked on the open descriptor, so that
    it cannot be swapped for something else between the check and the read.

    Raises:
        InputError: the file cannot be opened, or is not a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a directory" if stat.S_ISDIR(mode)
                else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file"
            )  # fmt: skip
            raise InputError(f"{path}: this is {kind}; give a regular file (CSV, TSV or XLSX)")
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    finally:
        os.close(fd)


def import_bytes(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    source: str,
    actor: Actor,
    overrides: Sequence[tuple[str, Field | None]] = (),
    id_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    force: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    today: str = "",
    stage: bool = True,
    entity: str = "",
) -> ImportResult:
    """Import one file's bytes as a new batch of ``source``.

    Args:
        store: the open store.
        data: the whole file.
        file_name: its name, as recorded in the batch.
        source: the channel the file came from (e.g. 展会名片).
        actor: who imports (recorded in the batch and the audit trail): a
            user whose role may import, or the system.
        overrides: explicit ``(column, field)`` mappings (``--map``).
        id_column: the column holding the source's own record id; without
            it the 1-based data row number serves.
        sheet, encoding, delimiter: force these instead of detecting them.
        force: import even if this file was already imported into ``source``.
        settings: engine settings; the store's by default.
        progress: called after each chunk with (rows done, rows expected).
        today: ISO date for date plausibility checks; '' means today (the
            day the import starts, for all of its rows).
        stage: True (the default) stages the rows in a private file and
            copies them into the store in one short write transaction, so
            that other users of the store are not locked out while a long
            import works. False writes them straight into the store inside
            one write transaction held for the whole import: faster, for a
            private store nobody else uses (such as a temporary one). The
            result is the same (tables, quarantine, batch row), and an
            error still leaves nothing half-written, since the transaction
            is rolled back. Files large enough for worker processes (see
            ``import_workers``) always take the staged way, whose copy is
            then what brings the workers' rows together; ``stage`` makes
            no difference to them.
        entity: what every record of the file describes, 'person' or
            'organisation' (``--entity``); '' (auto) decides per record: a
            company name and no person's name, or a customer type that
            names an organisation, is an organisation (see
            :mod:`core.standardize.entity`). Kept on the batch.

    Returns:
        The counts, the encoding and the mapping used.

    Raises:
        PermissionDenied: the actor's role may not import.
        FileFormatError: the file as a whole is unusable.
        DuplicateImportError: the same file was imported into ``source``.
        InputError: a bad source name, ``--map`` column or ``--id-column``.
        DiskFullError: the disk holding the store is full; nothing was
            written.
    """
    require(actor, "import")
    if entity not in ENTITIES:
        raise InputError(f"--entity {entity!r}: use person, organisation or auto")
    entity = "" if entity == "auto" else entity
    settings = settings or store.settings()
    channel = source.strip()
    if not channel or len(channel) > 100:
        raise InputError(
            f"source name {source!r}: give the channel in 1–100 characters, e.g. 展会名片"
        )
    sha = hashlib.sha256(data).hexdigest()
    if not force:
        _refuse_duplicate(store.db, sha, channel, file_name)
    table = read_table(
        data, file_name, sheet=sheet, encoding=encoding, delimiter=delimiter,
        max_row_lines=int(settings["max_row_lines"]),
        max_error_share=float(settings["max_decode_error_share"]),
        xlsx_limits=xlsx_limits(settings),
    )  # fmt: skip
    header, rows = find_header(table.rows, file_name, overrides, int(settings["header_scan_rows"]))
    headers = [cell.strip() for cell in header.cells]
    mapping = map_columns(headers, overrides)
    if not any(m.field for m in mapping):
        raise FileFormatError(file_name, "no column maps to a customer field")
    id_index = find_column(headers, id_column) if id_column else None
    joins = order_for_join(mapping, overrides)
    plan = RowPlan(headers, mapping, joins, id_index, settings, pad=table.file_format == "xlsx")
    day = resolve_today(today)

    def batch_row(counts: dict[str, int]) -> dict[str, Any]:
        return {
            "file_name": file_name, "file_sha256": sha, "file_size": len(data),
            "channel": channel, "imported_by": actor.username, "entity": entity,
            "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "file_format": table.file_format, "encoding": table.encoding,
            "delimiter": table.delimiter, "sheet": table.sheet,
            "header_line": header.line_number, "headers": json.dumps(headers, ensure_ascii=False),
            "mapping": json.dumps([_mapping_json(m) for m in mapping], ensure_ascii=False),
            "id_column": id_column, "forced": int(force), **counts,
        }  # fmt: skip

    chunk_rows = int(settings["import_chunk_rows"])
    workers = worker_count(int(settings["import_workers"]), table.line_count)
    region = str(settings["default_region"])

    def run(conn: sqlite3.Connection, job: Job, first: int) -> Outcome:
        outcome = run_rows(
            conn, rows, job, first_id=first, chunk_rows=chunk_rows, workers=workers,
            expected=table.line_count, progress=progress,
        )  # fmt: skip
        if outcome.counts["rows_read"] == 0:
            raise FileFormatError(file_name, "the file has a header row but no data rows")
        return outcome

    if stage or workers:
        # Staged rows get their batch and channel when they are copied. With
        # workers, the records they build always reach the store this way:
        # each writes them to a file of its own (see core.ingest.chunks).
        # They stage beside the store, never in /tmp (see core.ingest.staging).
        with disk_full_as_error(store.path), staging_folder(store.path) as folder:
            staging_path = folder / "staging.db"
            staging = open_scratch(str(staging_path), create=True)
            try:
                staging.execute("BEGIN")
                outcome = run(staging, Job(plan, region, day, 0, "", str(folder), entity), 1)
                staging.execute("COMMIT")
            finally:
                staging.close()
            counts = outcome.counts
            ranges = outcome.ranges
            if not workers and counts["rows_imported"]:
                ranges = [(str(staging_path), 1, counts["rows_imported"])]
            batch_id = _commit(
                store, str(staging_path), ranges, batch_row(counts), sha, channel, file_name,
                force, actor,
            )  # fmt: skip
    else:
        sweep_staging(store.path)
        conn = store.conn
        with _large_cache(conn), store.write() as db:
            if not force:
                _refuse_duplicate(db, sha, channel, file_name)
            empty = dict.fromkeys(
                ("rows_read", "rows_imported", "rows_quarantined", "rows_blank"), 0
            )
            batch_id = int(db.table("import_batches").insert(batch_row(empty)).last_pk or 0)
            many = table.line_count > _REBUILD_INDEXES_FROM
            indexes = _drop_indexes(conn) if many else []  # see _commit
            job = Job(plan, region, day, batch_id, channel, entity=entity)
            counts = run(conn, job, _next_record_id(conn)).counts
            for sql in indexes:
                conn.execute(sql)
            conn.execute(
                "update import_batches set rows_read = :rows_read,"
                " rows_imported = :rows_imported, rows_quarantined = :rows_quarantined,"
                " rows_blank = :rows_blank where id = :id",
                {**counts, "id": batch_id},
            )
            _customers_and_trail(conn, batch_id, {**batch_row(counts), "file_sha256": sha}, actor)
    # The batch's KPI sums, computed now while its rows are warm in the page
    # cache, so that no dashboard pays for them. Derived data in a
    # transaction of its own: if this fails, the KPIs compute it later. The
    # import has committed by now, so a disk that just filled up must not
    # make it look failed: the next write will say so.
    try:
        batch_tallies(store, [batch_id])
    except DiskFullError:
        pass
    return ImportResult(
        batch_id=batch_id, file_name=file_name, channel=channel,
        rows_read=counts["rows_read"], rows_imported=counts["rows_imported"],
        rows_quarantined=counts["rows_quarantined"], rows_blank=counts["rows_blank"],
        encoding=table.encoding, file_format=table.file_format,
        header_line=header.line_number, mapping=_mapping_summary(mapping),
    )  # fmt: skip


def _refuse_duplicate(db: sqlite_utils.Database, sha: str, channel: str, file_name: str) -> None:
    row = db.execute(
        "select id, imported_at, imported_by from import_batches"
        " where file_sha256 = ? and channel = ? order by id limit 1",
        [sha, channel],
    ).fetchone()
    if row is not None:
        raise DuplicateImportError(
            f"{file_name}: this file (same SHA-256) was already imported into source "
            f"{channel!r} as batch {row[0]} on {row[1]} by {row[2]}; "
            "pass --force to import it again"
        )


def _mapping_json(m: ColumnMapping) -> dict[str, Any]:
    return {"index": m.index, "column": m.column, "field": m.field, "how": m.how}


def _mapping_summary(mapping: Sequence[ColumnMapping]) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in mapping:
        if m.field:
            key = m.column if m.column not in out else f"{m.column}#{m.index + 1}"
            out[key] = m.field
    return out


def _next_record_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("select coalesce(max(id), 0) from source_records").fetchone()[0]) + 1


@contextmanager
def _large_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache for this connection while an import writes: the
    inserts update every index of the tables, and their pages then stay in
    memory (at most 256 MiB, allocated only as pages are read)."""
    before = int(conn.execute("PRAGMA main.cache_size").fetchone()[0])
    conn.execute("PRAGMA main.cache_size = -262144")
    try:
        yield
    finally:
        try:
            conn.execute(f"PRAGMA main.cache_size = {before}")
        except sqlite3.Error:  # a failed connection: nothing to restore
            pass


_REBUILD_INDEXES_FROM = 10_000
_RECORD_COLUMNS = ("row_number", "line_number", *SOURCE_COLUMNS)
_QUARANTINE_COLUMNS = ("row_number", "line_number", "raw_text", "reason_code", "reason")


def _commit(
    store: Store,
    staging: str,
    ranges: list[tuple[str, int, int]],
    batch: dict[str, Any],
    sha: str,
    channel: str,
    file_name: str,
    force: bool,
    actor: Actor,
) -> int:
    """Copy the staged rows into the store in one write transaction: the
    quarantine from ``staging``, the records by ``(file, first id, last
    id)`` ranges, in id order (the staging file's own, or the files of the
    workers that built them)."""
    conn = store.conn
    files = list(dict.fromkeys([staging, *(path for path, _, _ in ranges)]))
    names = {path: f"staging{n}" for n, path in enumerate(files)}
    try:
        for path, name in names.items():
            conn.execute(f"ATTACH DATABASE ? AS {name}", [path])
            # Only read here, but BEGIN IMMEDIATE opens a write transaction
            # on every attached file, and SQLite then commits through a
            # super-journal (store.db-mj...) that a failed commit, on a full
            # disk, leaves behind. Without a journal, the staging files take
            # no part in the commit.
            conn.execute(f"PRAGMA {name}.journal_mode = OFF")
        with _large_cache(conn), store.write() as db:
            if not force:
                _refuse_duplicate(db, sha, channel, file_name)
            batch_id = int(db.table("import_batches").insert(batch).last_pk or 0)
            offset = conn.execute("select coalesce(max(id), 0) from main.source_records").fetchone()
            params = {"batch": batch_id, "channel": channel, "offset": offset[0]}
            # Many rows into empty tables (a new store): building their
            # indexes after the rows is faster than updating them row by row.
            many = batch["rows_imported"] >= _REBUILD_INDEXES_FROM
            indexes = _drop_indexes(conn) if many and not offset[0] else []
            cols = ", ".join(f"[{c}]" for c in _RECORD_COLUMNS)
            std = ", ".join(f"[{c}]" for c in ("std_version", *STD_COLUMNS))
            for path, first, last in ranges:
                conn.execute(
                    f"insert into main.source_records (id, batch_id, channel, {cols}) "
                    f"select id + :offset, :batch, :channel, {cols} "
                    f"from {names[path]}.source_records where id between :first and :last "
                    "order by id",
                    {**params, "first": first, "last": last},
                )
            for path, first, last in ranges:
                conn.execute(
                    f"insert into main.standardized (record_id, {std}) "
                    f"select record_id + :offset, {std} from {names[path]}.standardized "
                    "where record_id between :first and :last order by record_id",
                    {**params, "first": first, "last": last},
                )
            for sql in indexes:
                conn.execute(sql)
            qcols = ", ".join(_QUARANTINE_COLUMNS)
            conn.execute(
                f"insert into main.quarantine (batch_id, {qcols}) "
                f"select :batch, {qcols} from {names[staging]}.quarantine order by id",
                params,
            )
            _customers_and_trail(conn, batch_id, batch, actor)
    finally:
        for name in names.values():
            _detach(conn, name)
    return batch_id


def _customers_and_trail(
    conn: sqlite3.Connection, batch_id: int, batch: dict[str, Any], actor: Actor
) -> None:
    """Inside the import's transaction: a customer for each new record, and
    the import's entry in the audit trail."""
    _create_singletons(conn, batch_id, utc_now())
    keep = ("file_name", "file_sha256", "channel", "rows_read", "rows_imported",
            "rows_quarantined", "rows_blank")  # fmt: skip
    trail.append(conn, actor, "import", {"batch": [batch_id]},
                 payload={k: batch.get(k) for k in keep})  # fmt: skip


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes of empty ``source_records`` and ``standardized``
    tables (not those behind constraints); return the SQL that recreates
    them. Inside the import's write transaction, so nobody sees them gone."""
    empty = conn.execute(
        "select not exists (select 1 from main.source_records)"
        " and not exists (select 1 from main.standardized)"
    ).fetchone()[0]
    if not empty:
        return []
    found = conn.execute(
        "select name, sql from main.sqlite_master where type = 'index' and sql is not null"
        " and tbl_name in ('source_records', 'standardized') order by name"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'drop index main."{name}"')
    return [sql for _, sql in found]


def _detach(conn: sqlite3.Connection, name: str) -> None:
    try:
        conn.execute(f"DETACH DATABASE {name}")
    except sqlite3.OperationalError:  # already detached by a failed connection
        pass


def _create_singletons(conn: sqlite3.Connection, batch_id: int, at: str) -> int:
    """Give every record of a batch a customer of its own (inside the
    import's transaction). A customer takes its record's id where no
    customer has it yet. Returns the number created."""
    first, last = conn.execute(
        "select min(id), max(id) from source_records where batch_id = ?", (batch_id,)
    ).fetchone()
    if first is None:
        return 0
    top = int(conn.execute("select coalesce(max(id), 0) from customers").fetchone()[0])
    shift = max(0, top + 1 - int(first))
    conn.execute(
        "insert into customers (id, version, status, created_at, updated_at) "
        "select id + ?, 1, 'active', ?, ? from source_records where batch_id = ? order by id",
        (shift, at, at, batch_id),
    )
    conn.execute(
        "insert into customer_members (record_id, customer_id, added_at) "
        "select id, id + ?, ? from source_records where batch_id = ? order by id",
        (shift, at, batch_id),
    )
    return int(last) - int(first) + 1
