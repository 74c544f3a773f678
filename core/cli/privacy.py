"""The privacy commands: ``subject export`` (access and portability),
``subject erase`` (and ``subject compact``, which finishes an erasure whose
vacuum failed), and ``retention`` of quarantined rows (for cron)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from core.cli.common import Commands, actor, add_actor, add_db, open_db
from core.errors import IncompleteError, InputError


def register(commands: Commands) -> None:
    """Add ``subject export``, ``subject erase`` and ``retention``."""
    p = commands.add_parser("subject", help="a person's data: export it, or erase it")
    sub = p.add_subparsers(dest="subject_command", required=True)
    q = sub.add_parser("export", help="everything held about one customer's person, as JSON")
    add_db(q)
    add_actor(q, "an admin")
    q.add_argument("--customer", type=int, required=True)
    q.add_argument("--out", type=Path, required=True, help="FILE.json")
    q.set_defaults(func=export)
    q = sub.add_parser("erase", help="erase one customer's personal data everywhere")
    add_db(q)
    add_actor(q, "an admin")
    q.add_argument("--customer", type=int, required=True)
    q.add_argument("--reason", required=True,
                   help="the request's reference, e.g. 'PIPL request 2026-118'")  # fmt: skip
    q.add_argument("--include", type=int, action="append", default=[], metavar="ID",
                   help="another customer who is the same person: erased too "
                        "(repeatable)")  # fmt: skip
    q.add_argument("--exclude", type=int, action="append", default=[], metavar="ID",
                   help="a customer who shares a mobile, e-mail, id number or WeChat but is "
                        "another person: kept (repeatable). Without a decision on each such "
                        "customer the erasure is refused, listing them")  # fmt: skip
    q.set_defaults(func=erase)
    q = sub.add_parser("compact", help="vacuum the file and truncate its WAL (finishes "
                                       "an erasure whose vacuum failed: a full disk)")  # fmt: skip
    add_db(q)
    q.set_defaults(func=compact)

    p = commands.add_parser(
        "retention", help="anonymise or delete quarantined rows past quarantine_retention_days"
    )
    add_db(p)
    add_actor(p, required=False)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="count the days from this day")
    p.set_defaults(func=retention)


def export(args: argparse.Namespace) -> dict[str, Any]:
    from core.privacy.subject import export_subject

    if args.out.suffix.lower() != ".json":
        raise InputError(f"--out {args.out}: the export is JSON; name it like subject-12.json")
    with open_db(args) as store:
        data = export_subject(store, actor(store, args.actor), args.customer)
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(args.out)
    return {"customer_id": args.customer, "out": str(args.out), "records": len(data["records"]),
            "decisions": len(data["decisions"]), "bytes": args.out.stat().st_size}  # fmt: skip


def erase(args: argparse.Namespace) -> dict[str, Any]:
    from core.privacy.erasure import erase_subject

    with open_db(args) as store:
        done = erase_subject(store, actor(store, args.actor), args.customer, args.reason,
                             include=args.include, exclude=args.exclude)  # fmt: skip
    if done.compact_problem:  # committed, not vacuumed: say what stands and how to finish
        sys.stdout.write(json.dumps(done.to_json(), ensure_ascii=False) + "\n")
        raise IncompleteError(
            f"the erasure of customer {done.customer_id} was committed (audit entry "
            f"{done.audit_seq}: {done.records} records, {done.payloads_removed} payloads removed, "
            f"{done.payloads_redacted} redacted, {done.quarantine_rows_redacted} quarantined "
            f"rows), but the file could not be vacuumed ({done.compact_problem}), so erased "
            "values may remain in its free pages and WAL. Do not erase again: free some disk "
            f"space, then run python -m core subject compact --db {args.db}"
        )
    return done.to_json()


def compact(args: argparse.Namespace) -> dict[str, Any]:
    from core.privacy.erasure import compact as run_compact

    with open_db(args) as store:
        done = run_compact(store)
    if done.problem:
        sys.stdout.write(json.dumps(done.to_json(), ensure_ascii=False) + "\n")
        raise IncompleteError(f"{args.db} could not be vacuumed ({done.problem}); free some disk "
                              "space and run it again")  # fmt: skip
    return done.to_json()


def retention(args: argparse.Namespace) -> dict[str, Any]:
    from core.privacy.retention import purge_quarantine

    with open_db(args) as store:
        return purge_quarantine(store, actor(store, args.actor), today=args.today).to_json()
