"""The store: one SQLite file, opened through sqlite-utils.

Contracts:

* The file runs in WAL mode with a busy timeout, so readers never block the
  writer and a writer waits for the lock instead of failing at once.
* Every write goes through :meth:`Store.write`, which opens the transaction
  with ``BEGIN IMMEDIATE``. Taking the write lock up front is what keeps
  concurrent read-modify-write transactions from failing with "database is
  locked" (a deferred transaction that reads, then writes, cannot wait for
  the lock; it must fail).
* The schema is brought up to date on open, inside such a transaction, so
  two processes opening a new file at once cannot both apply a migration.
* Connections are bound to the thread that opened them. Open one per unit
  of work (a CLI command, a Streamlit rerun); opening is cheap.
"""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from core.errors import ConflictError, DiskFullError, InputError
from core.schema import MIGRATIONS
from core.settings import SETTINGS_BY_NAME, Settings

_DEFAULT_BUSY_MS: int = SETTINGS_BY_NAME["busy_timeout_ms"].default

CHUNK = 500
"""Ids bound per statement by :func:`select_in` and :func:`change_in` (well
under SQLite's limit on variables)."""


def _in_chunks(sql: str, ids: list[Any], params: tuple[Any, ...], close: bool) -> Iterator[Any]:
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        marks = ", ".join("?" * len(part))
        yield f"{sql} ({marks}){')' if close else ''}", [*params, *part]


def select_in(
    conn: sqlite3.Connection, sql: str, ids: list[Any], *params: Any, close: bool = False
) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` followed by ``(?, ?, ...)`` over ``ids`` (bound
    after ``params``), in chunks SQLite accepts; ``close`` adds a ``)`` for
    an ``in (select ... where x in`` subquery. Only placeholders are
    formatted into the SQL, never a value."""
    out: list[tuple[Any, ...]] = []
    for statement, values in _in_chunks(sql, ids, params, close):
        out += conn.execute(statement, values).fetchall()
    return out


def change_in(
    conn: sqlite3.Connection, sql: str, ids: list[Any], *params: Any, close: bool = False
) -> int:
    """Like :func:`select_in` for an UPDATE or DELETE: the rows it changed."""
    return sum(
        conn.execute(statement, values).rowcount
        for statement, values in _in_chunks(sql, ids, params, close)
    )


# SQLite's result codes for a write the disk refused: SQLITE_FULL, and the
# SQLITE_IOERR codes of a failed write, sync or truncation. (A write past
# the end of a full disk may fail either way, depending on how much of it
# got through.)
_SQLITE_FULL = 13
_SQLITE_IOERR_WRITES = frozenset({10 | 3 << 8, 10 | 4 << 8, 10 | 5 << 8, 10 | 6 << 8})
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def disk_full(exc: BaseException) -> bool:
    """True when ``exc`` says the disk is full or refused a write.

    An error raised in a worker process arrives without its SQLite code,
    so SQLite's message for a full disk counts too."""
    if isinstance(exc, sqlite3.Error):
        code = int(getattr(exc, "sqlite_errorcode", 0) or 0)
        return (
            code & 0xFF == _SQLITE_FULL
            or code in _SQLITE_IOERR_WRITES
            or "database or disk is full" in str(exc)
        )
    return isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS


@contextmanager
def disk_full_as_error(path: Path) -> Iterator[None]:
    """Turn a full disk under ``path`` into :class:`~core.errors.DiskFullError`,
    with one clear line instead of a traceback; every other error passes.

    The caller's transaction must roll back as the error passes (a
    :meth:`Store.write` does)."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        if not disk_full(exc):
            raise
        raise _disk_full_error(path, exc) from None


def _disk_full_error(path: Path, exc: BaseException) -> DiskFullError:
    cause = getattr(exc, "strerror", None) or str(exc)
    return DiskFullError(
        f"{path}: the disk is full or refuses writes ({cause}); nothing was written: "
        "free some space and run it again"
    )


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _busy(exc: sqlite3.OperationalError) -> Exception:
    """A lock held past the busy timeout, as a conflict the caller may retry
    (exit 4 on the command line), never a traceback."""
    if not _is_busy(exc):
        return exc
    return ConflictError(
        "the store is busy: another job held the write lock longer than busy_timeout_ms; "
        "nothing was written, try again"
    )


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction, opened with ``BEGIN IMMEDIATE``.

        Everything done inside commits together or not at all. Nesting is
        not supported: a write inside a write is a bug.

        Example:
            >>> with store.write() as db:  # doctest: +SKIP
            ...     db.table("settings").upsert({"name": "x", "value": "1"}, pk="name")
        """
        if self.conn.in_transaction:
            raise RuntimeError("Store.write() does not nest; a transaction is already open")
        with disk_full_as_error(self.path):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _busy(exc) from None
            try:
                yield self.db
                # A COMMIT that fails (a full disk, a lock) may leave the
                # transaction open: it is rolled back below like any error.
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                    raise _busy(exc) from None
                raise

    def settings(self) -> Settings:
        """The engine settings with this store's overrides applied."""
        rows = self.db.query("select name, value from settings")
        return Settings({r["name"]: json.loads(r["value"]) for r in rows})

    def count(self, table: str) -> int:
        """Exact row count of a table."""
        return int(self.conn.execute(f"select count(*) from [{table}]").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    path: str | Path, *, create: bool = True, busy_timeout_ms: int | None = None
) -> Store:
    """Open (and if needed create and migrate) the store at ``path``.

    Args:
        path: the SQLite file.
        create: when False, a missing file is an error instead of a new store.
        busy_timeout_ms: how long to wait for another writer's lock; by
            default the store's ``busy_timeout_ms`` setting.

    Returns:
        An open :class:`Store` with the schema up to date.

    Raises:
        InputError: ``create`` is False and the file does not exist, or the
            file is not a SQLite database.
    """
    path = Path(path)
    if not create and not path.exists():
        raise InputError(f"{path}: no such database; create it with `python -m core import` first")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite_utils.Database(path)
        db.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms or _DEFAULT_BUSY_MS)}")
        with db.ensure_autocommit_on():
            db.conn.execute("PRAGMA journal_mode = WAL")
        db.conn.execute("PRAGMA synchronous = NORMAL")
        db.conn.execute("PRAGMA foreign_keys = ON")
        store = Store(db, path)
        if MIGRATIONS.pending(db):
            with store.write():
                MIGRATIONS.apply(db)
        if busy_timeout_ms is None:
            stored = store.settings()["busy_timeout_ms"]
            if stored != _DEFAULT_BUSY_MS:
                db.conn.execute(f"PRAGMA busy_timeout = {int(stored)}")
    except sqlite3.DatabaseError as exc:
        if disk_full(exc):
            raise _disk_full_error(path, exc) from None
        raise InputError(f"{path}: not a usable SQLite database ({exc})") from None
    return store
