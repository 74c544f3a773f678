"""The command line's data-subject commands: ``subject export`` (access
and portability) and ``subject erase`` (registered by :mod:`core.cli`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from core.errors import InputError


def register(commands: Any, db: Any) -> None:
    """Add ``subject export`` and ``subject erase`` to the CLI's subparsers."""
    p = commands.add_parser("subject", help="a person's data: export it, or erase it")
    sub = p.add_subparsers(dest="subject_command", required=True)
    q = sub.add_parser("export", help="everything held about one customer's person, as JSON")
    db(q)
    q.add_argument("--actor", required=True, metavar="USER", help="an admin")
    q.add_argument("--customer", type=int, required=True)
    q.add_argument("--out", type=Path, required=True, help="FILE.json")
    q.set_defaults(func=export)
    q = sub.add_parser("erase", help="erase one customer's personal data everywhere")
    db(q)
    q.add_argument("--actor", required=True, metavar="USER", help="an admin")
    q.add_argument("--customer", type=int, required=True)
    q.add_argument("--reason", required=True,
                   help="the request's reference, e.g. 'PIPL request 2026-118'")  # fmt: skip
    q.set_defaults(func=erase)


def export(args: argparse.Namespace) -> dict[str, Any]:
    from core.store import open_store
    from core.subject import export_subject
    from core.users import actor_for

    if args.out.suffix.lower() != ".json":
        raise InputError(f"--out {args.out}: the export is JSON; name it like subject-12.json")
    with open_store(args.db, create=False) as store:
        data = export_subject(store, actor_for(store, args.actor), args.customer)
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(args.out)
    return {"customer_id": args.customer, "out": str(args.out), "records": len(data["records"]),
            "decisions": len(data["decisions"]), "bytes": args.out.stat().st_size}  # fmt: skip


def erase(args: argparse.Namespace) -> dict[str, Any]:
    from core.erasure import erase_subject
    from core.store import open_store
    from core.users import actor_for

    with open_store(args.db, create=False) as store:
        done = erase_subject(store, actor_for(store, args.actor), args.customer, args.reason)
    return done.to_json()
