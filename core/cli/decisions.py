"""The commands that decide: merge, reject, unmerge, auto-merge, claim, pick,
edit, attach, detach; and what a steward reads: customer, history.

Each handler opens the store, resolves ``--actor`` to a user of the store
(its role comes from there, never from the command line), calls one core
function and returns the JSON summary :mod:`core.cli.main` prints.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from core.cli.common import Commands, actor, add_actor, add_db, open_db
from core.errors import InputError

if TYPE_CHECKING:
    from core.stewardship.decisions import Decided
    from core.store import Store


def register(commands: Commands) -> None:
    """Add the decisions and the steward's reads."""
    p = commands.add_parser("merge", help="approve a proposal: merge its records into a customer")
    add_db(p)
    add_actor(p, "the steward who decides")
    p.add_argument("--proposal", type=int, required=True, help="the proposal (cluster_id) id")
    p.add_argument("--exclude", action="append", default=[], metavar="RECORD_ID",
                   help="a record that does not belong (repeatable)")  # fmt: skip
    p.add_argument("--pick", action="append", default=[], metavar="FIELD=VALUE",
                   help="the value that must survive for a field (repeatable)")  # fmt: skip
    p.add_argument("--note", default="")
    p.set_defaults(func=merge)

    p = commands.add_parser("reject", help="reject a proposal: not the same customer")
    add_db(p)
    add_actor(p, "the steward who decides")
    p.add_argument("--proposal", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=reject)

    p = commands.add_parser("unmerge", help="undo the merge that created a customer")
    add_db(p)
    add_actor(p, "the steward who decides")
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=unmerge)

    p = commands.add_parser("auto-merge", help="merge every open proposal of the auto band")
    add_db(p)
    p.set_defaults(func=auto_merge)

    p = commands.add_parser("claim", help="claim a proposal for a while")
    add_db(p)
    add_actor(p, "the steward who claims")
    p.add_argument("--proposal", type=int, required=True)
    p.set_defaults(func=claim)

    for name, helptext in (("pick", "make one of the records' values survive"),
                           ("edit", "set a golden value by hand, with a reason")):  # fmt: skip
        p = commands.add_parser(name, help=helptext)
        add_db(p)
        add_actor(p, "the steward who decides")
        p.add_argument("--customer", type=int, required=True)
        p.add_argument("--field", required=True)
        p.add_argument("--value", required=True)
        p.add_argument("--reason" if name == "edit" else "--note", required=name == "edit",
                       default="")  # fmt: skip
        p.set_defaults(func=pick if name == "pick" else edit)

    p = commands.add_parser("attach", help="move a record into a customer")
    add_db(p)
    add_actor(p, "the steward who decides")
    p.add_argument("--record", type=int, required=True, help="the record's id in the store")
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--note", default="")
    p.set_defaults(func=attach)

    p = commands.add_parser("detach", help="take a record out of its customer")
    add_db(p)
    add_actor(p, "the steward who decides")
    p.add_argument("--record", type=int, required=True, help="the record's id in the store")
    p.add_argument("--note", default="")
    p.set_defaults(func=detach)

    p = commands.add_parser("customer", help="show a customer: values, provenance, conflicts")
    add_db(p)
    p.add_argument("--id", type=int, required=True)
    p.set_defaults(func=show_customer)

    p = commands.add_parser("history", help="a customer's history from the audit trail")
    add_db(p)
    p.add_argument("--customer", type=int, required=True)
    p.set_defaults(func=history)


def _summary(done: Decided) -> dict[str, Any]:
    return {
        "decision_id": done.decision_id,
        "kind": done.kind,
        "proposal_id": done.proposal_id,
        "customer_id": done.customer_id,
        "customer_ids": list(done.customer_ids),
        "notes": list(done.notes),
    }


def _record_ids(store: Store, proposal: int, given: list[str]) -> list[int]:
    """Records named by their id in the store or by their source record id,
    among the proposal's records."""
    rows = store.conn.execute(
        "select r.id, r.source_record_id from proposal_members m join source_records r "
        "on r.id = m.record_id where m.proposal_id = ?",
        (proposal,),
    ).fetchall()
    out = []
    for name in given:
        hits = [int(i) for i, source in rows if str(i) == name or str(source) == name]
        if len(hits) != 1:
            members = ", ".join(str(s) for _, s in rows)
            raise InputError(f"--exclude {name}: not one record of proposal {proposal} ({members})")
        out.append(hits[0])
    return out


def _picks(given: list[str]) -> dict[str, str]:
    out = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(f"--pick {item!r}: write FIELD=VALUE, e.g. --pick name=张伟")
        out[name.strip()] = value
    return out


def merge(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.merge import approve

    with open_db(args) as store:
        who = actor(store, args.actor)
        excluded = _record_ids(store, args.proposal, args.exclude)
        return _summary(
            approve(
                store,
                args.proposal,
                who,
                exclude=excluded,
                picks=_picks(args.pick),
                note=args.note,
            )
        )


def reject(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.merge import reject as reject_proposal

    with open_db(args) as store:
        return _summary(
            reject_proposal(store, args.proposal, actor(store, args.actor), note=args.note)
        )


def unmerge(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.unmerge import unmerge as undo

    with open_db(args) as store:
        return _summary(undo(store, args.customer, actor(store, args.actor), note=args.note))


def auto_merge(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.merge import auto_merge as run

    with open_db(args) as store:
        done = run(store)
    ids = [d.decision_id for d in done]
    # a cron job's log line: how many, and the range of decision ids to look up
    return {"merged": len(done), "decisions": [min(ids), max(ids)] if ids else []}


def claim(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.merge import claim as take

    with open_db(args) as store:
        until = take(store, args.proposal, actor(store, args.actor))
    return {"proposal_id": args.proposal, "claimed_by": args.actor, "claimed_until": until}


def pick(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.picks import pick as choose

    with open_db(args) as store:
        return _summary(
            choose(
                store,
                args.customer,
                args.field,
                args.value,
                actor(store, args.actor),
                note=args.note,
            )
        )


def edit(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.picks import edit as change

    with open_db(args) as store:
        return _summary(
            change(
                store,
                args.customer,
                args.field,
                args.value,
                actor(store, args.actor),
                reason=args.reason,
            )
        )


def attach(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.moves import attach as join

    with open_db(args) as store:
        return _summary(
            join(store, args.record, args.customer, actor(store, args.actor), note=args.note)
        )


def detach(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship.moves import detach as split

    with open_db(args) as store:
        return _summary(split(store, args.record, actor(store, args.actor), note=args.note))


def show_customer(args: argparse.Namespace) -> dict[str, Any]:
    from datetime import date

    from core.stewardship.customers import dormancy, field_conflicts, get

    with open_db(args) as store:
        settings = store.settings()
        c = get(store.conn, args.id, settings)
        found = field_conflicts(store.conn, c.members, settings)
        dormant, last, why = dormancy(store.conn, c, date.today(), int(settings["dormant_days"]))
    return {
        "customer_id": c.id,
        "status": c.status,
        "version": c.version,
        "members": list(c.members),
        "values": [
            {
                "field": v.field,
                "value": v.value,
                "primary": v.is_primary,
                "record_id": v.record_id,
                "rule": v.rule,
                "chosen_by": v.chosen_by,
                "reason": v.reason,
            }
            for v in c.values
        ],
        "conflicts": [
            {
                "field": f.field,
                "chosen": f.chosen,
                "rule": f.rule,
                "values": [v for v, _ in f.values],
            }
            for f in found
        ],
        "dormant": dormant,
        "last_activity": last,
        "dormant_reason": why,
    }


def history(args: argparse.Namespace) -> dict[str, Any]:
    from core.trail import entries_for

    with open_db(args) as store:
        entries = entries_for(store.conn, "customer", args.customer)
    for e in entries:
        sys.stdout.write(f"{e.at}  {e.action:<8} {e.actor} ({e.role})  {e.reason}\n")
    return {
        "customer_id": args.customer,
        "entries": [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "role": e.role,
                "action": e.action,
                "objects": e.objects(),
                "reason": e.reason,
            }
            for e in entries
        ],
    }
