"""The commands that decide: merge, reject, unmerge, auto-merge, claim, pick,
edit, attach, detach; and users, customer, history, audit verify.

Each handler opens the store, resolves ``--actor`` to a user of the store
(its role comes from there, never from the command line), calls one core
function and returns the JSON summary :mod:`core.cli` prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from core.errors import InputError, IntegrityError
from core.merge import Decided
from core.store import Store, open_store


def _store(args: argparse.Namespace) -> Store:
    return open_store(args.db, create=False)


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
    from core.merge import approve
    from core.users import actor_for

    with _store(args) as store:
        actor = actor_for(store, args.actor)
        excluded = _record_ids(store, args.proposal, args.exclude)
        return _summary(
            approve(
                store,
                args.proposal,
                actor,
                exclude=excluded,
                picks=_picks(args.pick),
                note=args.note,
            )
        )


def reject(args: argparse.Namespace) -> dict[str, Any]:
    from core.merge import reject as reject_proposal
    from core.users import actor_for

    with _store(args) as store:
        return _summary(
            reject_proposal(store, args.proposal, actor_for(store, args.actor), note=args.note)
        )


def unmerge(args: argparse.Namespace) -> dict[str, Any]:
    from core.unmerge import unmerge as undo
    from core.users import actor_for

    with _store(args) as store:
        return _summary(undo(store, args.customer, actor_for(store, args.actor), note=args.note))


def auto_merge(args: argparse.Namespace) -> dict[str, Any]:
    from core.merge import auto_merge as run

    with _store(args) as store:
        done = run(store)
    ids = [d.decision_id for d in done]
    # a cron job's log line: how many, and the range of decision ids to look up
    return {"merged": len(done), "decisions": [min(ids), max(ids)] if ids else []}


def claim(args: argparse.Namespace) -> dict[str, Any]:
    from core.merge import claim as take
    from core.users import actor_for

    with _store(args) as store:
        until = take(store, args.proposal, actor_for(store, args.actor))
    return {"proposal_id": args.proposal, "claimed_by": args.actor, "claimed_until": until}


def pick(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship import pick as choose
    from core.users import actor_for

    with _store(args) as store:
        return _summary(
            choose(
                store,
                args.customer,
                args.field,
                args.value,
                actor_for(store, args.actor),
                note=args.note,
            )
        )


def edit(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship import edit as change
    from core.users import actor_for

    with _store(args) as store:
        return _summary(
            change(
                store,
                args.customer,
                args.field,
                args.value,
                actor_for(store, args.actor),
                reason=args.reason,
            )
        )


def attach(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship import attach as join
    from core.users import actor_for

    with _store(args) as store:
        return _summary(
            join(store, args.record, args.customer, actor_for(store, args.actor), note=args.note)
        )


def detach(args: argparse.Namespace) -> dict[str, Any]:
    from core.stewardship import detach as split
    from core.users import actor_for

    with _store(args) as store:
        return _summary(split(store, args.record, actor_for(store, args.actor), note=args.note))


def show_customer(args: argparse.Namespace) -> dict[str, Any]:
    from datetime import date

    from core.customers import dormancy, field_conflicts, get

    with _store(args) as store:
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
    from core.audit import entries_for

    with _store(args) as store:
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


def add_user(args: argparse.Namespace) -> dict[str, Any]:
    from core.users import add_user as create

    password = os.environ.get("STEWARD_PASSWORD")
    if password is None:
        if sys.stdin.isatty():
            import getpass

            password = getpass.getpass(f"password for {args.username}: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
    with open_store(args.db, create=True) as store:
        actor = create(store, args.username, args.role, password)
    return {"username": actor.username, "role": actor.role}


def verify(args: argparse.Namespace) -> dict[str, Any]:
    from core.audit import verify as check

    with _store(args) as store:
        result = check(store.conn)
    summary = {
        "ok": result.ok,
        "entries": result.entries,
        "head": result.head,
        "bad_entry": result.bad_seq,
        "problem": result.problem,
    }
    if not result.ok:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
        raise IntegrityError(f"audit entry {result.bad_seq}: {result.problem}")
    sys.stdout.write(f"{result.head}\n")
    return summary
