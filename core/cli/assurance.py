"""The auditor's commands, under ``audit``: ``verify`` the trail, and
``open``, ``judge``, ``sign``, ``sessions`` and ``report`` for audit sessions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from core.cli.common import Commands, actor, add_actor, add_db, open_db
from core.errors import InputError, IntegrityError


def register(commands: Commands) -> None:
    """Add the ``audit`` command and its subcommands."""
    from core.assurance.sessions import STRATA, VERDICTS

    p = commands.add_parser("audit", help="the audit trail, and audit sessions on decisions")
    sub = p.add_subparsers(dest="audit_command", required=True)
    q = sub.add_parser("verify", help="recompute every hash of the chain; check the recorded heads")
    add_db(q)
    q.add_argument("--expect", action="append", default=[], metavar="SEQ:HASH",
                   help="a head kept outside the store (the 'anchor' an earlier verify "
                        "printed): entry SEQ must still be in the chain with hash HASH; "
                        "repeatable")  # fmt: skip
    q.set_defaults(func=verify)

    q = sub.add_parser("open", help="open an audit session on a sample of a period's decisions")
    add_db(q)
    add_actor(q, "the auditor")
    q.add_argument(
        "--period", required=True,
        help="2026-Q3, 2026-09, 2026-07-01..2026-09-30, this-quarter or last-quarter",
    )  # fmt: skip
    q.add_argument("--size", type=int, required=True, help="how many decisions to sample")
    q.add_argument("--seed", type=int, help="the sampling seed (recorded; random if left out)")
    q.add_argument("--strata", nargs="+", choices=STRATA, default=list(STRATA),
                   help="the kinds of decision to sample (default: all)")  # fmt: skip
    q.set_defaults(func=open_)
    q = sub.add_parser("judge", help="record a verdict on one sampled decision")
    add_db(q)
    add_actor(q, "the auditor")
    q.add_argument("--session", type=int, required=True)
    q.add_argument("--decision", type=int, required=True, help="the sampled decision's id")
    q.add_argument("--verdict", choices=VERDICTS, required=True)
    q.add_argument("--note", default="", help="required unless the verdict is correct")
    q.set_defaults(func=judge_)
    q = sub.add_parser("sign", help="close and sign a session into the audit trail")
    add_db(q)
    add_actor(q, "the auditor")
    q.add_argument("--session", type=int, required=True)
    q.set_defaults(func=sign_)
    q = sub.add_parser("sessions", help="list the audit sessions")
    add_db(q)
    q.set_defaults(func=sessions)
    q = sub.add_parser("report", help="write an audit session's report (.html or .xlsx)")
    add_db(q)
    q.add_argument("--session", type=int, required=True, help="the session's id")
    q.add_argument("--out", type=Path, required=True, help="REPORT.html or REPORT.xlsx")
    q.add_argument("--lang", choices=["en", "zh"], default="en")
    q.set_defaults(func=report)


def verify(args: argparse.Namespace) -> dict[str, Any]:
    from core.trail import verify as check

    expected = [_head(text) for text in args.expect]
    with open_db(args) as store:
        result = check(store.conn, expect=expected)
    summary = {
        "ok": result.ok,
        "entries": result.entries,
        "head": result.head,
        "bad_entry": result.bad_seq,
        "problem": result.problem,
        "heads_checked": result.heads_checked,
        "anchor": f"{result.entries}:{result.head}" if result.ok else None,
    }
    if not result.ok:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
        raise IntegrityError(f"audit entry {result.bad_seq}: {result.problem}")
    sys.stdout.write(f"{result.head}\n")
    return summary


def _head(text: str) -> tuple[int, str]:
    """``--expect SEQ:HASH`` as (seq, hash).

    Raises:
        InputError: not an entry number and a 64-digit hex hash.
    """
    seq, _, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not (seq.isdigit() and int(seq) > 0 and len(digest) == 64
            and all(c in "0123456789abcdef" for c in digest)):  # fmt: skip
        raise InputError(
            f"--expect {text[:80]!r}: give an entry number and its hash as an earlier "
            "`audit verify` printed them in 'anchor', e.g. --expect 540:9f86d081884c7d65…"
            " (all 64 hex digits)"
        )
    return int(seq), digest


def sessions(args: argparse.Namespace) -> dict[str, Any]:
    from core.assurance.sessions import list_sessions

    with open_db(args) as store:
        return {"sessions": list_sessions(store.conn)}


def report(args: argparse.Namespace) -> dict[str, Any]:
    from core.assurance.report import write_report

    with open_db(args) as store:
        path = write_report(store.conn, args.session, args.out, args.lang)
    return {"session": args.session, "out": str(path), "bytes": path.stat().st_size}


def open_(args: argparse.Namespace) -> dict[str, Any]:
    from core.assurance.sessions import get_session, open_session

    with open_db(args) as store:
        who = actor(store, args.actor)
        sid = open_session(store, who, args.period, args.size, strata=args.strata,
                           seed=args.seed)  # fmt: skip
        session = get_session(store.conn, sid)
    return {"session": sid, "period": session.period.label, "seed": session.seed,
            "decisions": [i.decision_id for i in session.items]}  # fmt: skip


def judge_(args: argparse.Namespace) -> dict[str, Any]:
    from core.assurance.sessions import judge

    with open_db(args) as store:
        judge(store, args.session, args.decision, args.verdict, actor(store, args.actor),
              args.note)  # fmt: skip
    return {"session": args.session, "decision": args.decision, "verdict": args.verdict}


def sign_(args: argparse.Namespace) -> dict[str, Any]:
    from core.assurance.results import sign

    with open_db(args) as store:
        done = sign(store, args.session, actor(store, args.actor))
    s = done.session
    return {"session": s.id, "head_seq": s.head_seq, "head_hash": s.head_hash,
            "verify_ok": s.verify_ok, **done.to_json()}  # fmt: skip
