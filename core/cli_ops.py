"""The command line's operations commands: ``backup``, ``restore`` and
``retention`` (registered by :mod:`core.cli`), meant for cron.

Without ``--actor`` the operator running the command on the server acts as
the system, recorded under their OS user name (as ``settings --set`` does).
With ``--actor`` the user and role come from the store: for ``backup`` and
``retention`` the store itself, for ``restore`` the backup being restored
(the database it replaces may be missing or broken).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.actors import Actor
    from core.backup import Progress
    from core.store import Store


def register(commands: Any, db: Any) -> None:
    """Add the commands to the CLI's subparsers (``db`` adds ``--db``)."""
    p = commands.add_parser("backup", help="copy the live store to a checked backup file")
    db(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE_OR_DIR",
                   help="a folder (each backup is named steward-YYYYmmdd-HHMMSS.db, UTC) "
                        "or a new file")  # fmt: skip
    p.add_argument("--keep", type=int, metavar="N",
                   help="then delete the folder's oldest backups beyond the newest N")  # fmt: skip
    _actor(p)
    p.set_defaults(func=backup)

    p = commands.add_parser("restore", help="replace or create a database from a backup file")
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE",
                   help="the backup file")  # fmt: skip
    db(p)
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    _actor(p)
    p.set_defaults(func=restore)

    p = commands.add_parser(
        "retention", help="anonymise or delete quarantined rows past quarantine_retention_days"
    )
    db(p)
    _actor(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="count the days from this day")
    p.set_defaults(func=retention)


def _actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actor", metavar="USER", default=None,
                   help="a user of the store (default: the OS user, as the system)")  # fmt: skip


def backup(args: argparse.Namespace) -> dict[str, Any]:
    from core.backup import backup as run_backup
    from core.backup import rotate
    from core.errors import InputError
    from core.store import open_store

    if args.keep is not None:
        if args.out.suffix and not args.out.is_dir():
            raise InputError(f"--keep needs --out to be a folder, not the file {args.out}")
        if args.keep < 1:
            raise InputError(f"--keep {args.keep}: keep at least one backup, e.g. --keep 14")
    with open_store(args.db, create=False) as store:
        done = run_backup(store, args.out, _who(store, args.actor), progress=_progress("backed up"))
    summary = done.to_json()
    if args.keep is not None:
        summary["rotated"] = [p.name for p in rotate(done.path.parent, args.keep)]
    return summary


def restore(args: argparse.Namespace) -> dict[str, Any]:
    from core.actors import Actor
    from core.backup import actor_in
    from core.backup import restore as run_restore

    who = actor_in(args.source, args.actor) if args.actor else Actor(_os_user(), "system")
    done = run_restore(args.source, args.db, who, force=args.force,
                       progress=_progress("restored"))  # fmt: skip
    return done.to_json()


def retention(args: argparse.Namespace) -> dict[str, Any]:
    from core.retention import purge_quarantine
    from core.store import open_store

    with open_store(args.db, create=False) as store:
        return purge_quarantine(store, _who(store, args.actor), today=args.today).to_json()


def _who(store: Store, username: str | None) -> Actor:
    from core.actors import Actor
    from core.users import actor_for

    return actor_for(store, username) if username else Actor(_os_user(), "system")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _progress(verb: str) -> Progress:
    """Progress on stderr every 10%, for copies of 100 MB (25,600 pages) or more."""
    shown = [-1]

    def show(done: int, total: int) -> None:
        step = done * 10 // total if total else 10
        if total >= 25_600 and step > shown[0]:
            shown[0] = step
            sys.stderr.write(f"{verb} {done:,} / {total:,} pages ({step * 10}%)\n")
            sys.stderr.flush()

    return show
