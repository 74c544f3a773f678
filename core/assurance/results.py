"""What an audit session found, and its sign-off.

:func:`results` turns the verdicts into estimates: for each stratum, and
for merges (auto-merges and stewards' merges together) and rejects, the
share judged correct among those judged correct or incorrect (``unsure``
is counted apart, not as either), with a Wilson 95% interval. With the
proportional allocation of :mod:`core.assurance.sessions` the pooled sample is
close to self-weighting, so pooling strata is a fair estimate.

:func:`sign` closes a session in one transaction:

1. every item must have a verdict;
2. ``audit verify`` runs over the whole trail and its result is kept;
3. each incorrect merge that is still in force becomes **cannot-links**
   between the customers it joined (so no later match run proposes it
   again) and is listed by :func:`flagged_for_unmerge` until a steward
   unmerges it;
4. the sign-off is appended to the trail; its sequence number and hash
   (the head of the trail at sign-off) are stored with the session and
   printed in the report, so a later reader can check with
   ``python -m core audit verify`` that nothing before it was altered.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from core import trail
from core.actors import Actor, require
from core.assurance.precision import Estimate, wilson
from core.assurance.sessions import STRATA, Session, ensure_open, get_session
from core.errors import InputError
from core.stewardship.decisions import record_decision, set_detail, set_links
from core.store import Store

MERGE_STRATA = ("auto_merge", "merge")


@dataclass(frozen=True, slots=True)
class StratumResult:
    """The verdicts in one stratum and its estimated precision."""

    population: int
    sampled: int
    correct: int
    incorrect: int
    unsure: int
    unjudged: int
    precision: Estimate


@dataclass(frozen=True, slots=True)
class Finding:
    """An item judged incorrect or unsure, with what it is about now."""

    decision_id: int
    stratum: str
    verdict: str
    note: str
    judged_by: str
    customer_id: int | None
    undone: bool


@dataclass(frozen=True, slots=True)
class Results:
    session: Session
    strata: dict[str, StratumResult]
    merges: Estimate
    rejects: Estimate
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "strata": {s: asdict(r) for s, r in self.strata.items()},
            "merges": asdict(self.merges),
            "rejects": asdict(self.rejects),
            "findings": [asdict(f) for f in self.findings],
        }


def results(conn: sqlite3.Connection, session_id: int) -> Results:
    """The session's verdicts, counted and estimated (open or signed)."""
    session = get_session(conn, session_id)
    strata = {}
    for name in STRATA:
        if name not in session.strata:
            continue
        mine = [i for i in session.items if i.stratum == name]
        counts = {v: sum(1 for i in mine if i.verdict == v) for v in ("correct", "incorrect")}
        strata[name] = StratumResult(
            population=int(session.strata[name]["population"]),
            sampled=len(mine),
            correct=counts["correct"],
            incorrect=counts["incorrect"],
            unsure=sum(1 for i in mine if i.verdict == "unsure"),
            unjudged=sum(1 for i in mine if i.verdict is None),
            precision=wilson(counts["correct"], counts["correct"] + counts["incorrect"]),
        )
    decisions = {
        int(d): (c, u is not None)
        for d, c, u in conn.execute(
            "select d.id, d.customer_id, d.undone_by from decisions d join audit_session_items i "
            "on i.decision_id = d.id where i.session_id = ?",
            (session_id,),
        )
    }
    findings = tuple(
        Finding(
            i.decision_id,
            i.stratum,
            str(i.verdict),
            i.note,
            str(i.judged_by),
            decisions[i.decision_id][0],
            decisions[i.decision_id][1],
        )  # fmt: skip
        for i in session.items
        if i.verdict in ("incorrect", "unsure")
    )
    return Results(session, strata, _pooled(strata, MERGE_STRATA), _pooled(strata, ("reject",)),
                   findings)  # fmt: skip


def _pooled(strata: dict[str, StratumResult], names: tuple[str, ...]) -> Estimate:
    correct = sum(strata[s].correct for s in names if s in strata)
    incorrect = sum(strata[s].incorrect for s in names if s in strata)
    return wilson(correct, correct + incorrect)


def sign(store: Store, session_id: int, actor: Actor) -> Results:
    """Close and sign a session (see the module's contract).

    Raises:
        InputError: some items have no verdict yet (naming them).
        ConflictError: the session is already signed.
    """
    require(actor, "audit_session")
    with store.write() as db:
        conn = db.conn
        ensure_open(conn, session_id)
        found = results(conn, session_id)
        missing = [i.decision_id for i in found.session.items if i.verdict is None]
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
            raise InputError(
                f"{len(missing)} items of audit session {session_id} have no verdict yet "
                f"(decisions {shown}); judge them before signing"
            )
        check = trail.verify(conn)
        linked = _cannot_link_incorrect_merges(conn, found, actor)
        summary = {
            "merges": asdict(found.merges),
            "rejects": asdict(found.rejects),
            "findings": len(found.findings),
            "verify": {"ok": check.ok, "entries": check.entries, "head": check.head,
                       "bad_seq": check.bad_seq, "problem": check.problem},
            "cannot_linked": linked,
        }  # fmt: skip
        entry = trail.append(
            conn, actor, "audit_session_sign", {"audit_session": [session_id]}, payload=summary
        )
        conn.execute(
            "update audit_sessions set status = 'signed', signed_by = ?, signed_at = ?, "
            "head_seq = ?, head_hash = ?, verify_ok = ?, merge_precision = ?, results = ? "
            "where id = ?",
            (actor.username, entry.at, entry.seq, entry.hash, int(check.ok), found.merges.value,
             json.dumps(found.to_json(), ensure_ascii=False), session_id),
        )  # fmt: skip
    return results(store.conn, session_id)


def _cannot_link_incorrect_merges(
    conn: sqlite3.Connection, found: Results, actor: Actor
) -> list[int]:
    """Cannot-link the customers each incorrect, still standing merge
    joined; returns the merge decisions so treated."""
    done = []
    for finding in found.findings:
        if finding.verdict != "incorrect" or finding.stratum not in MERGE_STRATA:
            continue
        if finding.undone:
            continue
        detail = json.loads(
            conn.execute(
                "select detail from decisions where id = ?", (finding.decision_id,)
            ).fetchone()[0]
        )
        groups = [list(map(int, g)) for g in dict(detail.get("members", {})).values()]
        pairs = [(a, b) for g, h in combinations(groups, 2) for a in g for b in h]
        if not pairs:
            continue
        decision = record_decision(
            conn, "audit_finding", actor, customer_id=finding.customer_id,
            customer_ids=[finding.customer_id] if finding.customer_id else [],
            note=finding.note,
        )  # fmt: skip
        replaced = set_links(conn, pairs, "cannot", decision)
        set_detail(conn, decision, {"session": found.session.id, "merge": finding.decision_id,
                                    "links_replaced": replaced})  # fmt: skip
        done.append(finding.decision_id)
    return done


@dataclass(frozen=True, slots=True)
class Flagged:
    """A merge a signed audit found incorrect, not yet unmerged."""

    decision_id: int
    customer_id: int | None
    session_id: int
    period: str
    note: str
    judged_by: str


def flagged_for_unmerge(conn: sqlite3.Connection) -> list[Flagged]:
    """Merges judged incorrect in a signed session that still stand, oldest
    session first: the stewards' to-do list from the audits."""
    return [
        Flagged(int(d), c, int(s), p, n, by)
        for d, c, s, p, n, by in conn.execute(
            "select d.id, d.customer_id, a.id, a.period, i.note, i.judged_by "
            "from audit_session_items i join audit_sessions a on a.id = i.session_id "
            "join decisions d on d.id = i.decision_id "
            "where a.status = 'signed' and i.verdict = 'incorrect' "
            "and i.stratum in ('auto_merge', 'merge') and d.undone_by is null "
            "order by a.id, d.id"
        )
    ]
