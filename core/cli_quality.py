"""The command line's quality and audit-session commands: ``kpi``,
``kpi snapshot``, and ``audit open|judge|sign|sessions|report``
(registered by :mod:`core.cli`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import InputError


def register(commands: Any, db: Any) -> None:
    """Add the commands to the CLI's subparsers (``db`` adds ``--db``)."""
    p = commands.add_parser("kpi", help="data-quality KPIs; 'kpi snapshot' stores today's")
    p.add_argument("action", nargs="?", choices=["show", "snapshot"], default="show")
    db(p)
    p.add_argument("--json", action="store_true", help="print only the JSON object")
    p.add_argument("--by", choices=["all", "channel", "batch"], default="all",
                   help="one object for the store (default), or per channel or batch")  # fmt: skip
    p.add_argument("--today", metavar="YYYY-MM-DD", help="compute as of this day")
    p.set_defaults(func=kpi)


def register_audit(sub: Any, db: Any) -> None:
    """Add the audit-session commands to the ``audit`` command."""
    from core.audit_sessions import STRATA, VERDICTS

    q = sub.add_parser("open", help="open an audit session on a sample of a period's decisions")
    db(q)
    _actor(q)
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
    db(q)
    _actor(q)
    q.add_argument("--session", type=int, required=True)
    q.add_argument("--decision", type=int, required=True, help="the sampled decision's id")
    q.add_argument("--verdict", choices=VERDICTS, required=True)
    q.add_argument("--note", default="", help="required unless the verdict is correct")
    q.set_defaults(func=judge_)
    q = sub.add_parser("sign", help="close and sign a session into the audit trail")
    db(q)
    _actor(q)
    q.add_argument("--session", type=int, required=True)
    q.set_defaults(func=sign_)
    q = sub.add_parser("sessions", help="list the audit sessions")
    db(q)
    q.set_defaults(func=sessions)
    q = sub.add_parser("report", help="write an audit session's report (.html or .xlsx)")
    db(q)
    q.add_argument("--session", type=int, required=True, help="the session's id")
    q.add_argument("--out", type=Path, required=True, help="REPORT.html or REPORT.xlsx")
    q.add_argument("--lang", choices=["en", "zh"], default="en")
    q.set_defaults(func=report)


def _actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actor", required=True, metavar="USER", help="the auditor")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--today {text!r}: write the day as YYYY-MM-DD, e.g. 2026-09-30"
        ) from None


def kpi(args: argparse.Namespace) -> dict[str, Any]:
    from core import kpis, snapshots, targets
    from core.store import open_store

    today = _day(args.today)
    with open_store(args.db, create=False) as store:
        if args.action == "snapshot":
            return snapshots.take(store, today=today)
        report = kpis.compute(store, today=today)
        goals = store.settings()["kpi_targets"]
    if args.by == "channel":
        return {c: k.to_json() for c, k in report.channels.items()}
    if args.by == "batch":
        return {str(b): k.to_json() for b, k in report.batches.items()}
    if not args.json:
        _print_table(report.all, targets.check(report.all, goals))
    return report.all.to_json()


def _print_table(k: Any, checks: list[Any]) -> None:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.1%}"

    out = sys.stdout
    out.write(f"KPIs as of {k.as_of}: {k.records:,} records, {k.customers:,} customers\n")
    out.write(f"{'field':<16}{'complete':>10}{'records':>10}{'valid':>10}{'invalid':>9}"
              f"{'suspect':>9}{'standard':>10}\n")  # fmt: skip
    for name, f in k.fields.items():
        out.write(f"{name:<16}{pct(f.completeness):>10}{pct(f.record_completeness):>10}"
                  f"{pct(f.validity):>10}{f.invalid:>9,}{f.suspect:>9,}"
                  f"{pct(f.consistency):>10}\n")  # fmt: skip
    out.write(f"duplicate rate {pct(k.duplicate_rate)}, dormant {pct(k.dormant_rate)}, "
              f"backlog {k.backlog:,}\n")  # fmt: skip
    for c in checks:
        state = "—" if c.met is None else "ok" if c.met else "OFF TARGET"
        out.write(f"target {c.target}: {c.target.format(c.value)} {state}\n")


def sessions(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit_sessions import list_sessions
    from core.store import open_store

    with open_store(args.db, create=False) as store:
        return {"sessions": list_sessions(store.conn)}


def report(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit_report import write_report
    from core.store import open_store

    with open_store(args.db, create=False) as store:
        path = write_report(store.conn, args.session, args.out, args.lang)
    return {"session": args.session, "out": str(path), "bytes": path.stat().st_size}


def open_(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit_sessions import get_session, open_session
    from core.store import open_store
    from core.users import actor_for

    with open_store(args.db, create=False) as store:
        actor = actor_for(store, args.actor)
        sid = open_session(store, actor, args.period, args.size, strata=args.strata,
                           seed=args.seed)  # fmt: skip
        session = get_session(store.conn, sid)
    return {"session": sid, "period": session.period.label, "seed": session.seed,
            "decisions": [i.decision_id for i in session.items]}  # fmt: skip


def judge_(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit_sessions import judge
    from core.store import open_store
    from core.users import actor_for

    with open_store(args.db, create=False) as store:
        judge(store, args.session, args.decision, args.verdict, actor_for(store, args.actor),
              args.note)  # fmt: skip
    return {"session": args.session, "decision": args.decision, "verdict": args.verdict}


def sign_(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit_results import sign
    from core.store import open_store
    from core.users import actor_for

    with open_store(args.db, create=False) as store:
        done = sign(store, args.session, actor_for(store, args.actor))
    s = done.session
    return {"session": s.id, "head_seq": s.head_seq, "head_hash": s.head_hash,
            "verify_ok": s.verify_ok, **done.to_json()}  # fmt: skip
