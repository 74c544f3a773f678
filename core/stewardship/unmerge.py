"""Unmerge: bring back exactly the customers a merge joined.

A merge retired the customers it joined, their stored values untouched,
and recorded which records each held (:mod:`core.stewardship.merge`). Unmerging the
customer it created revives them, moves their records back and retires
the merged customer, so their members, surviving values and provenance are
as they were before the merge, however long ago it was.

Changes made to the merged customer afterwards are kept where they can be,
and explained where they cannot:

* a record attached to it after the merge goes back to a customer of its
  own (it was never part of the customers being restored);
* a record detached from it after the merge stays where it is now; the
  customer it came from is revived without it and its values recomputed;
* picks and edits made on the merged customer retire with it.

If the merged customer was itself merged again, that later merge must be
undone first. The merge's links are removed and the links it replaced put
back; then the restored customers are cannot-linked to each other, so the
next matching run does not propose the same merge again.
"""

from __future__ import annotations

import json
from itertools import combinations

from core import trail
from core.actors import Actor, require
from core.errors import ConflictError, InputError, NotFoundError
from core.settings import Settings
from core.stewardship.customers import members_of, stored_rows
from core.stewardship.decisions import (
    Decided,
    check_version,
    move,
    new_customer,
    record_decision,
    refresh_values,
    retire,
    revive,
    set_detail,
    set_links,
    undo_links,
    validate,
)
from core.store import Store


def unmerge(
    store: Store,
    customer_id: int,
    actor: Actor,
    *,
    note: str = "",
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Undo the merge that created ``customer_id``.

    Returns:
        The decision; ``customer_ids`` are the customers brought back and
        ``notes`` explain any later change that could not be kept as it was.

    Raises:
        PermissionDenied: the actor may not unmerge.
        NotFoundError: no such customer.
        InputError: the customer was not made by a merge (an imported
            record's own customer has nothing to undo).
        ConflictError: it was changed meanwhile, or merged again later
            (naming the decision to undo first).
    """
    require(actor, "unmerge")
    settings = settings or store.settings()
    with store.write() as db:
        conn = db.conn
        check_version(conn, "customers", customer_id, expected_version)
        row = conn.execute(
            "select c.status, c.retired_by_decision, d.id, d.kind, d.detail, d.undone_by "
            "from customers c left join decisions d on d.id = c.created_by_decision "
            "where c.id = ?",
            (customer_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"customer {customer_id} does not exist")
        status, retired_by, merge_id, kind, detail_text, undone = row
        if kind != "merge":
            raise InputError(f"customer {customer_id} was not made by a merge; nothing to unmerge")
        if undone:
            by = conn.execute("select actor, at from decisions where id = ?", (undone,)).fetchone()
            raise ConflictError(
                f"customer {customer_id} was already unmerged by {by[0]} at {by[1]} "
                f"(decision {undone})"
            )
        if status != "active":
            later = conn.execute(
                "select kind, actor, at from decisions where id = ?", (retired_by,)
            ).fetchone()
            raise ConflictError(
                f"customer {customer_id} was {later[0]}d again by {later[1]} at {later[2]} "
                f"(decision {retired_by}); undo that first"
            )
        detail = json.loads(detail_text)
        held = {int(c): [int(r) for r in rs] for c, rs in detail["members"].items()}
        now_members = set(members_of(conn, customer_id))
        before = stored_rows(conn, customer_id)
        decision = record_decision(
            conn, "unmerge", actor, customer_id=customer_id, customer_ids=sorted(held), note=note
        )
        notes: list[str] = []
        created: list[int] = []
        back = {old: [r for r in records if r in now_members] for old, records in held.items()}
        revived = sorted(old for old, records in back.items() if records)
        revive(conn, revived, actor)
        for old, records in held.items():
            gone = sorted(set(records) - now_members)
            if not back[old]:
                notes.append(
                    f"customer {old} is not brought back: its records {gone} were detached "
                    f"from customer {customer_id} after the merge"
                )
                continue
            move(conn, back[old], old, decision)
            if gone:
                notes.append(
                    f"records {gone} were detached from customer {customer_id} after the "
                    f"merge and stay where they are; customer {old} is back without them"
                )
                refresh_values(conn, old, settings)
        restored = {r for rs in held.values() for r in rs}
        for record in sorted(now_members - restored):
            alone = new_customer(conn, decision, actor)
            move(conn, [record], alone, decision)
            refresh_values(conn, alone, settings)
            created.append(alone)
            notes.append(
                f"record {record} was attached to customer {customer_id} after the merge; "
                f"it is now customer {alone} of its own"
            )
        retire(conn, [customer_id], decision, actor)
        undo_links(conn, merge_id, detail.get("links_replaced", []))
        groups = [back[old] for old in revived]
        pairs = [(a, b) for g, h in combinations(groups, 2) for a in g for b in h]
        replaced = set_links(conn, pairs, "cannot", decision)
        conn.execute("update decisions set undone_by = ? where id = ?", (decision, merge_id))
        if detail.get("excluded"):
            notes.append("the records left out of the merge are no longer cannot-linked to it")
        set_detail(
            conn,
            decision,
            {
                "merge": merge_id,
                "revived": revived,
                "created": created,
                "links_replaced": replaced,
                "notes": notes,
                "members": {str(customer_id): sorted(now_members)},
            },
        )
        validate(conn, [customer_id, *revived, *created])
        trail.append(
            conn,
            actor,
            "unmerge",
            {
                "customer": [customer_id, *revived, *created],
                "record": sorted(now_members | restored),
                "decision": [decision, merge_id],
            },
            reason=note,
            payload={
                "before": {str(customer_id): before},
                "after": {str(c): stored_rows(conn, c) for c in [*revived, *created]},
                "notes": notes,
            },
        )
    return Decided(decision, "unmerge", None, customer_id, tuple(revived), tuple(notes))
