"""Backups and restores of the store, checked before they count.

Contracts:

* :func:`backup` copies the live store with SQLite's online backup API
  while other processes keep writing. The copy is read from **one read
  transaction** on the source, so it is the store exactly as of one commit
  (a point in time), and in WAL mode that read never blocks a writer. The
  copy is made in steps of ``pages_per_step`` pages. (Without the held
  read, SQLite restarts a stepped backup whenever another process commits,
  and under steady writes it never finishes.)
* The copy is written to a hidden temporary file in the target folder,
  then opened again and checked: ``PRAGMA integrity_check``, the audit
  chain (:func:`core.trail.verify`), and its audit head and row counts must
  equal those of the snapshot it was read from. Only then is it given its
  final name, atomically, so a final name always holds a checked backup.
  A failed backup deletes its temporary file and leaves nothing behind.
* A successful backup is recorded in the *source* store's audit trail
  (action ``backup``, the file's name, size and the copy's audit head; no
  customer data). The copy itself does not hold that entry: it was taken
  before the entry was written.
* :func:`restore` never overwrites an existing database unless forced. It
  checks the backup file the same way first and refuses a bad one, copies
  it with the backup API into a temporary file beside the target and
  renames it into place. The target's stale ``-wal``/``-shm`` files are
  removed, so that an old write-ahead log can never be replayed onto the
  restored file.
* A restore rewrites history, so it is never silent. Before the copy gets
  its name, a ``restore`` entry is appended to the copy's own trail: the
  backup and its head, and what the restore undid (the replaced store's
  entries after that head, counted by action, and the erasures among
  them; or that the replaced store was not a later state of the backup,
  or unreadable). The same goes, as a JSON line, into the restore log
  outside the store (:func:`restore_log_path`, beside the database).
* Erasures survive restores: every erasure in the erasure register
  outside the store (:func:`core.privacy.erasure.register_path`), and in
  the replaced store's own ``erasures`` table, is applied again to the
  copy (:func:`core.privacy.erasure.reapply`, each with its tombstone),
  and the copy is vacuumed, before it is put in place. An unreadable
  register refuses the restore; nothing is changed.
* Backups and restores need the ``backup`` permission (admin, system).

Example:
    >>> from core.actors import SYSTEM
    >>> done = backup("data/crm.db", "/backups/steward", SYSTEM)  # doctest: +SKIP
    >>> rotate("/backups/steward", keep=14)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core import trail
from core.actors import Actor, require
from core.clock import utc_now
from core.errors import ConflictError, InputError, IntegrityError
from core.privacy.erasure import (
    Registered,
    compact,
    reapply,
    record_erasure,
    register_path,
    registered,
)
from core.privacy.subject import locate_records
from core.store import Store, open_store

PAGES_PER_STEP = 1024
"""Pages copied per step of the backup API (4 MiB with 4 KiB pages)."""

BACKUP_NAME = re.compile(r"steward-(\d{8})-(\d{6})(?:-(\d+))?\.db")
"""The name of a backup made into a folder: ``steward-YYYYmmdd-HHMMSS.db`` in
UTC, with ``-N`` added when two backups start in the same second. Only files
named so are ever deleted by :func:`rotate`."""

Progress = Callable[[int, int], None]
"""Called after each step with (pages copied, pages in all)."""

_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What :func:`check_file` found in a healthy database file."""

    path: Path
    pages: int
    entries: int
    """Entries of the audit trail (all verified)."""
    audit_head: str
    row_counts: Mapping[str, int]
    """Rows per table, by table name."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    """A finished, checked backup."""

    path: Path
    bytes: int
    pages: int
    seconds: float
    integrity_ok: bool
    """``PRAGMA integrity_check`` said ok and the audit chain verified."""
    audit_head: str
    """The hash of the newest audit entry in the copy."""
    entries: int
    row_counts: Mapping[str, int]
    audit_seq: int
    """The ``backup`` entry written into the source store."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "bytes": self.bytes, "pages": self.pages,
            "seconds": self.seconds, "integrity_ok": self.integrity_ok,
            "audit_head": self.audit_head, "entries": self.entries,
            "row_counts": dict(self.row_counts), "audit_seq": self.audit_seq,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """A database restored from a checked backup."""

    path: Path
    source: Path
    bytes: int
    pages: int
    seconds: float
    integrity_ok: bool
    audit_head: str
    entries: int
    row_counts: Mapping[str, int]
    """The backup's row counts (the copy had exactly these before the
    restore's own entries were appended)."""
    replaced: bool
    """An existing database was overwritten (``force``)."""
    audit_seq: int = 0
    """The ``restore`` entry in the restored store's trail."""
    undone: Mapping[str, Any] | None = None
    """What the restore undid in the replaced store (see :func:`restore`)."""
    erasures_reapplied: tuple[int, ...] = ()
    """The erasures applied again (their original tombstones' seqs)."""
    log: Path | None = None
    """The restore log outside the store that holds this restore."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path), "from": str(self.source), "bytes": self.bytes,
            "pages": self.pages, "seconds": self.seconds, "integrity_ok": self.integrity_ok,
            "audit_head": self.audit_head, "entries": self.entries,
            "row_counts": dict(self.row_counts), "replaced": self.replaced,
            "audit_seq": self.audit_seq, "undone": dict(self.undone or {}),
            "erasures_reapplied": list(self.erasures_reapplied),
            "log": str(self.log) if self.log else None,
        }  # fmt: skip


def backup(
    store_or_path: Store | str | Path,
    out: str | Path,
    actor: Actor,
    *,
    pages_per_step: int = PAGES_PER_STEP,
    pause: float = 0.0,
    progress: Progress | None = None,
) -> BackupResult:
    """Copy the store to a checked backup file while others keep writing.

    Args:
        store_or_path: an open store, or the path of its file.
        out: a folder (an existing one, or a path without a suffix, created
            if needed), where the copy is named ``steward-YYYYmmdd-HHMMSS.db``
            (UTC); or the path of a new file, e.g. ``crm-before-upgrade.db``.
        actor: who backs up (admin or system).
        pages_per_step: pages copied per step of the backup API.
        pause: seconds to sleep between steps, to spare the disk of a busy
            server (writers are never blocked either way).
        progress: called after each step with (pages copied, pages in all).

    Returns:
        The backup's path, size, pages, duration, audit head and entries
        and row counts; all as checked in the copy.

    Raises:
        PermissionDenied: the actor may not make backups.
        InputError: no such store; ``out`` exists as a file or is the store
            itself; the folder cannot be written.
        IntegrityError: the copy failed ``PRAGMA integrity_check`` or the
            audit chain does not verify (the copy was deleted; nothing
            exists under the final name).

    Example:
        >>> backup(store, "/backups/steward", SYSTEM).path.name  # doctest: +SKIP
        'steward-20260630-021500.db'
    """
    require(actor, "backup")
    _check_steps(pages_per_step, pause)
    if isinstance(store_or_path, Store):
        return _backup(store_or_path, Path(out), actor, pages_per_step, pause, progress)
    with open_store(store_or_path, create=False) as store:
        return _backup(store, Path(out), actor, pages_per_step, pause, progress)


def restore(
    from_path: str | Path,
    db_path: str | Path,
    actor: Actor,
    force: bool = False,
    *,
    pages_per_step: int = PAGES_PER_STEP,
    progress: Progress | None = None,
    register: str | Path | None = None,
    log: str | Path | None = None,
) -> RestoreResult:
    """Make ``db_path`` a copy of a checked backup file, with the restore
    recorded in its trail and in a log outside it, and every recorded
    erasure applied again.

    Stop the app and the cron jobs first: a process that still has the old
    file open keeps writing to it, not to the restored one.

    Args:
        from_path: a backup file (from :func:`backup`).
        db_path: the database to create, or with ``force`` to replace.
        actor: who restores (admin or system).
        force: replace an existing database.
        pages_per_step: pages copied per step of the backup API.
        progress: called after each step with (pages copied, pages in all).
        register: the erasure register to apply again (default: the one
            beside ``db_path``; name the live store's when restoring to a
            scratch path).
        log: the restore log (default: beside ``db_path``).

    Returns:
        The restored file's size and pages, the backup's audit head, entries
        and row counts, whether a database was replaced, the ``restore``
        entry, what was undone, the erasures applied again and the log.

    Raises:
        PermissionDenied: the actor may not restore.
        InputError: no such backup file; ``db_path`` exists and ``force``
            is not set; the two paths are one file; the copy, the log or
            the register could not be written (a full disk; nothing was
            changed).
        IntegrityError: the backup file is not a SQLite database, fails
            ``PRAGMA integrity_check`` or its audit chain does not verify;
            the erasure register is damaged (nothing was changed).
        ConflictError: another process holds a transaction open on the
            database being replaced.

    Example:
        >>> restore("/backups/steward/steward-20260630-021500.db", "data/crm.db", SYSTEM,
        ...         force=True).erasures_reapplied  # doctest: +SKIP
        (57,)
    """
    require(actor, "backup")
    _check_steps(pages_per_step, 0.0)
    started = time.perf_counter()
    source, target = Path(from_path), Path(db_path)
    if not source.is_file():
        raise InputError(
            f"{source}: no such backup file; give a file written by `python -m core backup`, "
            "e.g. --from /backups/steward/steward-20260630-021500.db"
        )
    exists = target.exists()
    if exists and target.is_dir():
        raise InputError(f"--db {target} is a folder; give the database file, e.g. data/crm.db")
    if exists and source.resolve() == target.resolve():
        raise InputError(f"{source} is the database itself; restore from a backup file")
    if exists and not force:
        raise InputError(
            f"{target} already exists; restore does not overwrite a database unless forced. "
            f"Stop the app and cron jobs, then use --force: python -m core restore "
            f"--from {source} --db {target} --force"
        )
    book = Path(register) if register is not None else register_path(target)
    journal = Path(log) if log is not None else restore_log_path(target)
    erasures = registered(book)  # a damaged register refuses the restore here
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--db {target}: cannot create its folder ({exc.strerror})") from None
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.restore.tmp"
    src = _open_read_only(source)
    try:
        src.execute("begin")  # the check and the copy read one and the same state
        checked = _check(src, source, f"{source} is not a usable backup, nothing was restored")
        replaced, theirs = _replaced(target, checked) if exists else ({"existed": False}, [])
        missing = _unregistered(erasures, theirs)
        try:
            _copy(src, tmp, pages_per_step, 0.0, progress)
            copied = _check_path(tmp, f"the copy of {source} cannot be read", full=False)
            if (copied.audit_head, copied.row_counts) != (checked.audit_head, checked.row_counts):
                raise IntegrityError(f"the copy of {source} differs from it; nothing was restored")
            seq, again, after = _record_restore(tmp, actor, source, target, checked, replaced,
                                                [*erasures, *missing])  # fmt: skip
            if exists:
                _quiesce(target)
            line = {"at": utc_now(), "actor": actor.username, "role": actor.role,
                    "from": str(source), "db": str(target),
                    "backup_head": {"entries": checked.entries, "audit_head": checked.audit_head},
                    "replaced": replaced, "erasures_reapplied": again, "restore_seq": seq,
                    "restored_head": {"entries": after.entries,
                                      "audit_head": after.audit_head}}  # fmt: skip
            _append_line(journal, line)
            for erasure in missing:  # so that they survive the next restore too
                record_erasure(book, erasure)
            _remove_side_files(target)
            _publish(tmp, target, overwrite=exists)
        except (OSError, sqlite3.OperationalError) as exc:
            _discard(tmp)
            raise InputError(
                f"--db {target}: the restored copy could not be written ({exc}); nothing was "
                "changed. Free some space or restore to another path"
            ) from None
        except BaseException:
            _discard(tmp)
            raise
        src.execute("commit")
    finally:
        src.close()
    _remove_side_files(target)
    _fsync_dir(target.parent)
    return RestoreResult(
        target, source, target.stat().st_size, checked.pages,
        round(time.perf_counter() - started, 3), True, checked.audit_head, checked.entries,
        checked.row_counts, exists, seq, replaced.get("undone"), tuple(again), journal,
    )  # fmt: skip


def restore_log_path(db_path: str | Path) -> Path:
    """The restore log of the database at ``db_path``: a file beside it,
    ``crm.db.restores.jsonl`` for ``crm.db``, one JSON line per restore,
    that restores never replace."""
    db = Path(db_path)
    return db.with_name(db.name + ".restores.jsonl")


def check_file(path: str | Path, *, full: bool = True) -> FileCheck:
    """Check a database file without changing it.

    Args:
        path: the file (opened read-only).
        full: run ``PRAGMA integrity_check`` and verify the audit chain;
            when False, only read the page count, audit head and row counts.

    Returns:
        The pages, audit entries and head and the row counts per table.

    Raises:
        IntegrityError: not a SQLite database, an integrity problem (the
            first few are quoted), or an audit chain that does not verify
            (naming the first bad entry).
    """
    return _check_path(Path(path), f"{path} failed its check", full=full)


def rotate(directory: str | Path, keep: int) -> list[Path]:
    """Delete the oldest backups in a folder beyond the newest ``keep``.

    Only files named like :data:`BACKUP_NAME` (the backups this module
    names) are counted and deleted; anything else in the folder is left
    alone. Age comes from the name (UTC time), not from file times, which
    copying can change.

    Returns:
        The deleted files, oldest first.

    Raises:
        InputError: ``keep`` is below 1, or the folder does not exist.

    Example:
        >>> rotate("/backups/steward", keep=14)  # doctest: +SKIP
        [PosixPath('/backups/steward/steward-20260601-021500.db')]
    """
    if keep < 1:
        raise InputError(f"--keep {keep}: keep at least one backup, e.g. --keep 14")
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such backup folder; give the folder of --out")
    found = []
    for path in folder.iterdir():
        match = BACKUP_NAME.fullmatch(path.name)
        if match and path.is_file():
            found.append(((match[1], match[2], int(match[3] or 0)), path))
    found.sort()
    doomed = [path for _, path in found[: max(len(found) - keep, 0)]]
    for path in doomed:
        path.unlink()
    return doomed


def backup_name(now: datetime | None = None) -> str:
    """The name of a backup made into a folder at ``now`` (UTC)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"steward-{moment:%Y%m%d-%H%M%S}.db"


def actor_in(path: str | Path, username: str) -> Actor:
    """The actor of an active user of the store in ``path``, read-only.

    Used to authorise a restore by the users of the backup being restored
    (the store being replaced may be missing or broken).

    Raises:
        InputError: there is no such active user in that file.
        IntegrityError: the file is not a readable store.
    """
    conn = _open_read_only(Path(path))
    try:
        row = conn.execute(
            "select role from users where username = ? and active = 1", (username,)
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(f"{path}: not a readable store ({exc})") from None
    finally:
        conn.close()
    if row is None:
        raise InputError(
            f"no active user {username!r} in {path}; leave out --actor to restore as the "
            "operator of this server (recorded as the system)"
        )
    return Actor(username, row[0])


# -- internals -----------------------------------------------------------------


def _backup(
    store: Store,
    out: Path,
    actor: Actor,
    pages_per_step: int,
    pause: float,
    progress: Progress | None,
) -> BackupResult:
    started = time.perf_counter()
    source = store.path.resolve()
    folder, name, dated = _target(out, source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {out}: cannot create the folder ({exc.strerror})") from None
    tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        src = sqlite3.connect(source, isolation_level=None, timeout=30)
        try:
            src.execute("begin")
            # this first read fixes the snapshot the copy is taken from
            snapshot = _summary(src, source, f"{source} cannot be read")
            _copy(src, tmp, pages_per_step, pause, progress)
            src.execute("commit")
        finally:
            src.close()
        copied = _check_path(tmp, "the copy failed its check")
        if (copied.audit_head, copied.entries, copied.row_counts) != (
            snapshot.audit_head, snapshot.entries, snapshot.row_counts,
        ):  # fmt: skip
            raise IntegrityError(
                f"the copy of {source} does not match the state it was read from "
                f"(audit head {copied.audit_head[:12]} vs {snapshot.audit_head[:12]})"
            )
        final = _publish_new(tmp, folder, name, dated)
    except IntegrityError as exc:
        _discard(tmp)
        raise IntegrityError(
            f"backup refused, nothing was written to {folder / name}: {exc}"
        ) from None
    except (OSError, sqlite3.OperationalError) as exc:
        _discard(tmp)
        raise InputError(
            f"--out {out}: the backup could not be written ({exc}); nothing was left there. "
            "Free some space or choose another folder"
        ) from None
    except BaseException:
        _discard(tmp)
        raise
    _fsync_dir(folder)
    size = final.stat().st_size
    with store.write() as db:
        entry = trail.append(
            db.conn, actor, "backup", {"backup": [final.name]},
            payload={"path": str(final), "bytes": size, "pages": copied.pages,
                     "entries": copied.entries, "audit_head": copied.audit_head},
        )  # fmt: skip
    return BackupResult(
        final, size, copied.pages, round(time.perf_counter() - started, 3), True,
        copied.audit_head, copied.entries, copied.row_counts, entry.seq,
    )  # fmt: skip


def _replaced(target: Path, checked: FileCheck) -> tuple[dict[str, Any], list[Registered]]:
    """What replacing ``target`` with the backup ``checked`` undoes (ids and
    counts), and the erasures ``target`` records (to be applied again)."""
    try:
        conn = _open_read_only(target)
    except IntegrityError as exc:
        return {"existed": True, "readable": False, "problem": str(exc)}, []
    try:
        entries = int(conn.execute("select count(*) from audit_log").fetchone()[0])
        head = trail.head(conn)
        at = conn.execute("select hash from audit_log where seq = ?", (checked.entries,)).fetchone()
        later = checked.entries == 0 or (at is not None and at[0] == checked.audit_head)
        info: dict[str, Any] = {"existed": True, "readable": True, "entries": entries,
                                "audit_head": head, "later_state_of_backup": later}  # fmt: skip
        if later:
            actions = dict(conn.execute(
                "select action, count(*) from audit_log where seq > ? group by action order by 1",
                (checked.entries,),
            ).fetchall())  # fmt: skip
            info["undone"] = {
                "entries": entries - checked.entries,
                "seqs": [checked.entries + 1, entries] if entries > checked.entries else [],
                "actions": actions,
            }
        else:  # another store, or one that went another way since: all of it is replaced
            info["undone"] = {"entries": entries, "seqs": [1, entries] if entries else [],
                              "actions": dict(conn.execute(
                                  "select action, count(*) from audit_log group by action "
                                  "order by 1").fetchall())}  # fmt: skip
        try:
            rows = conn.execute(
                "select at, actor, customer_id, record_ids, reason, audit_seq from erasures "
                "order by audit_seq"
            ).fetchall()
        except sqlite3.OperationalError:  # a store from before erasures existed
            rows = []
    except sqlite3.DatabaseError as exc:
        return {"existed": True, "readable": False, "problem": str(exc)}, []
    finally:
        conn.close()
    theirs = [Registered(str(a), str(who), int(c), tuple(json.loads(r)), str(why), int(q))
              for a, who, c, r, why, q in rows]  # fmt: skip
    info["undone"]["erasures"] = [e.audit_seq for e in theirs if e.audit_seq > checked.entries]
    return info, theirs


def _unregistered(register: list[Registered], theirs: list[Registered]) -> list[Registered]:
    """The replaced store's erasures the register lacks (same records)."""
    known = {frozenset(e.records) for e in register}
    out = []
    for erasure in theirs:
        if frozenset(erasure.records) not in known:
            known.add(frozenset(erasure.records))
            out.append(erasure)
    return out


def _record_restore(
    tmp: Path,
    actor: Actor,
    source: Path,
    target: Path,
    checked: FileCheck,
    replaced: dict[str, Any],
    erasures: list[Registered],
) -> tuple[int, list[int], FileCheck]:
    """In the copy ``tmp``, before it gets its name: the ``restore`` entry,
    then each recorded erasure applied again (one transaction), then a
    vacuum if anything was erased. Returns the entry's seq, the erasures
    applied again and the copy's new summary."""
    with open_store(tmp, create=False) as copy:
        with copy.write() as db:
            conn = db.conn
            pending = sorted({e.audit_seq for e in erasures
                              if locate_records(conn, e.records) is not None})  # fmt: skip
            entry = trail.append(
                conn, actor, "restore", {"backup": [source.name]},
                payload={"from": str(source), "db": str(target),
                         "backup_head": {"entries": checked.entries,
                                         "audit_head": checked.audit_head},
                         "replaced": replaced, "erasures_to_reapply": pending},
            )  # fmt: skip
            again = [r.reapplies for r in reapply(conn, actor, erasures)]
        if again:
            done = compact(copy)
            if done.problem:
                raise InputError(
                    f"--db {target}: the restored copy could not be vacuumed after erasures "
                    f"were applied again ({done.problem}); nothing was changed. Free some space "
                    "and run the restore again"
                )
        copy.conn.execute("pragma journal_mode = delete")  # one self-contained file again
    return entry.seq, again, _check_path(tmp, f"the restored copy {tmp} cannot be read")


def _append_line(path: Path, data: dict[str, Any]) -> None:
    """One JSON line appended to a log outside the store, durably."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _target(out: Path, source: Path) -> tuple[Path, str, bool]:
    """(folder, file name, dated) for ``--out``."""
    if out.is_dir() or (not out.exists() and not out.suffix):
        return out, backup_name(), True
    if out.exists():
        if out.resolve() == source:
            raise InputError(f"--out {out} is the store itself; give a backup folder or new file")
        raise InputError(
            f"--out {out} already exists; give a new file name, or a folder (each backup "
            "is then named steward-YYYYmmdd-HHMMSS.db), e.g. --out /backups/steward"
        )
    return out.parent, out.name, False


def _copy(
    src: sqlite3.Connection, tmp: Path, pages_per_step: int, pause: float,
    progress: Progress | None,
) -> None:  # fmt: skip
    """Copy ``src`` (in its open read transaction) into the new file ``tmp``."""

    def step(status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)
        if pause and remaining:
            time.sleep(pause)

    dst = sqlite3.connect(tmp, isolation_level=None)
    try:
        src.backup(dst, pages=pages_per_step, progress=step)
        # the copy inherits WAL mode from the header; a backup is one self-contained file
        dst.execute("pragma journal_mode = delete")
    finally:
        dst.close()
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())


def _check_path(path: Path, failure: str, *, full: bool = True) -> FileCheck:
    conn = _open_read_only(path)
    try:
        conn.execute("begin")
        return _check(conn, path, failure) if full else _summary(conn, path, failure)
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, path: Path, failure: str) -> FileCheck:
    """Integrity check, audit verification and the summary, in ``conn``'s
    open read transaction."""
    try:
        problems = [str(r[0]) for r in conn.execute("pragma integrity_check(10)")]
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(f"{failure}: integrity_check could not run ({exc})") from None
    if problems != ["ok"]:
        raise IntegrityError(f"{failure}: integrity_check found {'; '.join(problems)}")
    try:
        verified = trail.verify(conn)
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(f"{failure}: it has no readable audit trail ({exc})") from None
    if not verified.ok:
        raise IntegrityError(
            f"{failure}: audit entry {verified.bad_seq}: {verified.problem} "
            "(run `python -m core audit verify` on it)"
        )
    return _summary(conn, path, failure)


def _summary(conn: sqlite3.Connection, path: Path, failure: str) -> FileCheck:
    try:
        tables = [
            str(r[0])
            for r in conn.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not like 'sqlite_%' order by name"
            )
        ]
        counts = {t: int(conn.execute(f"select count(*) from {_quote(t)}").fetchone()[0])
                  for t in tables}  # fmt: skip
        entries = int(conn.execute("select count(*) from audit_log").fetchone()[0])
        pages = int(conn.execute("pragma page_count").fetchone()[0])
        head = trail.head(conn)
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(f"{failure}: {exc}") from None
    return FileCheck(path, pages, entries, head, counts)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _open_read_only(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               isolation_level=None)  # fmt: skip
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(f"{path}: not a readable SQLite database ({exc})") from None
    return conn


def _quiesce(target: Path) -> None:
    """Empty the write-ahead log of the database about to be replaced, so
    that nothing of it can be replayed onto the restored file.

    Raises:
        ConflictError: another process holds a transaction open on it.
    """
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=2)
    except sqlite3.DatabaseError:
        return
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()  # rolls back a hot journal
        busy = conn.execute("pragma wal_checkpoint(truncate)").fetchone()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            busy = (1,)
        else:
            return  # a damaged database: it is being replaced, there is nothing to keep
    except sqlite3.DatabaseError:
        return
    finally:
        conn.close()
    if busy and busy[0]:
        raise ConflictError(
            f"{target} is in use: another process holds a transaction open on it. "
            "Stop the app and the cron jobs, then run the restore again"
        )


def _publish_new(tmp: Path, folder: Path, name: str, dated: bool) -> Path:
    """Give ``tmp`` its final name without ever replacing another file."""
    if not dated:
        final = folder / name
        if not _link(tmp, final):
            raise InputError(f"--out {final} appeared while the backup ran; choose another name")
        return final
    stem = name.removesuffix(".db")
    for n in range(1000):
        final = folder / (name if n == 0 else f"{stem}-{n}.db")
        if _link(tmp, final):
            return final
    raise InputError(f"{folder}: 1,000 backups in one second; use another folder")


def _publish(tmp: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, target)
    elif not _link(tmp, target):
        raise InputError(f"{target} appeared while the restore ran; run it again with --force")


def _link(tmp: Path, final: Path) -> bool:
    """Atomically name ``tmp`` ``final`` unless that exists; False if it does."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        if final.exists():
            return False
        os.replace(tmp, final)
        return True
    tmp.unlink()
    return True


def _discard(tmp: Path) -> None:
    for path in (tmp, *(Path(f"{tmp}{side}") for side in _SIDE_FILES)):
        path.unlink(missing_ok=True)


def _remove_side_files(db: Path) -> None:
    for side in _SIDE_FILES:
        Path(f"{db}{side}").unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every platform can sync a folder
    finally:
        os.close(fd)


def _check_steps(pages_per_step: int, pause: float) -> None:
    if pages_per_step < 1 and pages_per_step != -1:
        raise InputError(f"pages_per_step {pages_per_step}: use a positive number, e.g. 1024")
    if pause < 0:
        raise InputError(f"pause {pause}: use seconds of 0 or more, e.g. 0.01")
