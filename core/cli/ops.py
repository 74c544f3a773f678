"""The operations commands: ``backup`` and ``restore`` (meant for cron),
``export`` of records, quarantine or customers, ``settings``, ``users``
(``add``, ``list``, ``disable``, ``unlock``) and ``demo``.

Without ``--actor`` the operator running the command on the server acts as
the system, recorded under their OS user name. With ``--actor`` the user
and role come from the store: for ``restore`` from the backup being
restored (the database it replaces may be missing or broken). A restore is
recorded in the restored store's trail and in ``DB.restores.jsonl``, and
re-applies the erasures of ``DB.erasures.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.cli.common import Commands, actor, add_actor, add_db, open_db, os_user, progress
from core.errors import InputError

if TYPE_CHECKING:
    from core.ops.backup import Progress


def register(commands: Commands) -> None:
    """Add ``backup``, ``restore``, ``export``, ``settings``, ``users`` and ``demo``."""
    p = commands.add_parser("backup", help="copy the live store to a checked backup file")
    add_db(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE_OR_DIR",
                   help="a folder (each backup is named steward-YYYYmmdd-HHMMSS.db, UTC) "
                        "or a new file")  # fmt: skip
    p.add_argument("--keep", type=int, metavar="N",
                   help="then delete the folder's oldest backups beyond the newest N")  # fmt: skip
    add_actor(p, required=False)
    p.set_defaults(func=backup)

    p = commands.add_parser("restore", help="replace or create a database from a backup file")
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE",
                   help="the backup file")  # fmt: skip
    add_db(p)
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    p.add_argument("--erasures", type=Path, metavar="FILE",
                   help="the erasure register whose erasures are applied again to the restored "
                        "copy (default: the one beside --db, DB.erasures.jsonl); name the live "
                        "store's when restoring to a scratch path")  # fmt: skip
    add_actor(p, required=False)
    p.set_defaults(func=restore)

    p = commands.add_parser("export", help="export records or quarantined rows to CSV or XLSX")
    add_db(p)
    p.add_argument("--what", choices=["records", "quarantine", "customers"], required=True)
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument(
        "--actor",
        default=None,
        metavar="USER",
        help="the user the file is for: a manager's or an auditor's export has phones, "
        "e-mails, id numbers, WeChat ids and addresses masked (raw cells too) and notes and "
        "quarantined raw text withheld; without --actor the server operator exports as the "
        "system, unmasked",
    )
    p.set_defaults(func=export)

    p = commands.add_parser("settings", help="list the settings, or set one")
    add_db(p)
    p.add_argument("--set", nargs=2, metavar=("NAME", "VALUE"), help="store an override")
    p.set_defaults(func=settings)

    p = commands.add_parser("users", help="manage users")
    sub = p.add_subparsers(dest="users_command", required=True)
    q = sub.add_parser(
        "add",
        help="add a user, or reset one's role and password (password from STEWARD_PASSWORD "
        "or stdin); a reset ends their open sessions",
    )
    add_db(q)
    q.add_argument("--username", required=True)
    q.add_argument("--role", required=True, choices=["steward", "manager", "auditor", "admin"])
    add_actor(q, required=False)
    q.set_defaults(func=add_user)
    q = sub.add_parser("list", help="list the users: role, active, since when")
    add_db(q)
    add_actor(q, required=False)
    q.set_defaults(func=list_users)
    q = sub.add_parser("disable", help="disable a user: no more logins, open sessions end")
    add_db(q)
    q.add_argument("--username", required=True)
    add_actor(q, required=False)
    q.set_defaults(func=disable_user)
    q = sub.add_parser("unlock", help="let a user name try to log in again at once")
    add_db(q)
    q.add_argument("--username", required=True)
    add_actor(q, required=False)
    q.set_defaults(func=unlock_user)

    p = commands.add_parser("demo", help="create the demo database from data/demo")
    add_db(p, default="data/demo.db")
    p.add_argument("--data", type=Path, default=Path("data/demo"), help="the demo files' folder")
    p.set_defaults(func=demo)


def backup(args: argparse.Namespace) -> dict[str, Any]:
    from core.ops.backup import backup as run_backup
    from core.ops.backup import rotate

    if args.keep is not None:
        if args.out.suffix and not args.out.is_dir():
            raise InputError(f"--keep needs --out to be a folder, not the file {args.out}")
        if args.keep < 1:
            raise InputError(f"--keep {args.keep}: keep at least one backup, e.g. --keep 14")
    with open_db(args) as store:
        done = run_backup(
            store,
            args.out,
            actor(store, args.actor),
            progress=progress("backed up", "pages", quiet_below=25_600, estimated=False),
        )
    summary = done.to_json()
    if args.keep is not None:
        summary["rotated"] = [p.name for p in rotate(done.path.parent, args.keep)]
    return summary


def restore(args: argparse.Namespace) -> dict[str, Any]:
    from core.actors import Actor
    from core.ops.backup import actor_in
    from core.ops.backup import restore as run_restore

    who = actor_in(args.source, args.actor) if args.actor else Actor(os_user(), "system")
    done = run_restore(args.source, args.db, who, force=args.force, register=args.erasures,
                       progress=_pages("restored"))  # fmt: skip
    return done.to_json()


def export(args: argparse.Namespace) -> dict[str, Any]:
    from core.masking import needs_mask
    from core.ops.export import export_customers, export_quarantine, export_records

    writers = {"records": export_records, "quarantine": export_quarantine,
               "customers": export_customers}  # fmt: skip
    with open_db(args) as store:
        viewer = actor(store, args.actor)
        rows = writers[args.what](store, args.out, viewer=viewer)
    shown = viewer.username if args.actor else "system"  # the operator exports as the system
    return {"what": args.what, "out": str(args.out), "rows": rows, "actor": shown,
            "masked": needs_mask(viewer)}  # fmt: skip


def settings(args: argparse.Namespace) -> dict[str, Any]:
    from core.ops.config import set_setting
    from core.settings import SETTINGS

    with open_db(args, create=True) as store:
        if args.set:
            set_setting(store, args.set[0], args.set[1], actor=actor(store, None))
        current = store.settings()
    for s in SETTINGS:
        sys.stdout.write(
            f"{s.name} = {json.dumps(current[s.name], ensure_ascii=False)}  # {s.help}\n"
        )
    return {s.name: current[s.name] for s in SETTINGS}


def add_user(args: argparse.Namespace) -> dict[str, Any]:
    from core.users import add_user as create

    password = os.environ.get("STEWARD_PASSWORD")
    if password is None:
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"password for {args.username}: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
    with open_db(args, create=True) as store:
        made = create(store, args.username, args.role, password, actor=actor(store, args.actor))
    return {"username": made.username, "role": made.role}


def list_users(args: argparse.Namespace) -> dict[str, Any]:
    from core.users import list_users as listed

    with open_db(args) as store:
        users = listed(store.conn, actor(store, args.actor))
    for u in users:
        state = "active" if u.active else "disabled"
        waits = f"\twaits until {u.waits_until}" if u.waits_until else ""
        sys.stdout.write(f"{u.username}\t{u.role}\t{state}\tsince {u.created_at}{waits}\n")
    return {"users": [{"username": u.username, "role": u.role, "active": u.active,
                       "created_at": u.created_at, "waits_until": u.waits_until}
                      for u in users]}  # fmt: skip


def disable_user(args: argparse.Namespace) -> dict[str, Any]:
    from core.users import disable_user as disable

    with open_db(args) as store:
        disable(store, args.username, actor=actor(store, args.actor))
    return {"username": args.username, "active": False}


def unlock_user(args: argparse.Namespace) -> dict[str, Any]:
    from core.users import unlock_user as unlock

    with open_db(args) as store:
        unlock(store, args.username, actor=actor(store, args.actor))
    return {"username": args.username, "unlocked": True}


def demo(args: argparse.Namespace) -> dict[str, Any]:
    from core.ops.demo import build_demo

    return build_demo(args.db, args.data)


def _pages(verb: str) -> Progress:
    """Progress of a copy on stderr, every 10% from 100 MB (25,600 pages)."""
    return progress(verb, "pages", quiet_below=25_600, estimated=False)
