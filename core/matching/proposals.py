"""Proposals: clusters of likely duplicates, banded, for a steward to decide.

:func:`plan_proposals` re-clusters the components a run touched and turns
every cluster of two or more records into a :class:`Proposal`:

* its **score** is the cluster's cohesion, the weakest average-linkage merge
  that built it (see :mod:`core.matching.clustering`);
* its **band** is ``auto`` from ``match_auto_threshold``, else ``review``
  (a cluster only forms from ``match_review_threshold``);
* its **pairs** carry each pair's score and explanation.

An open proposal with exactly the same members is kept as it is (a steward
may have claimed it); other open proposals over the touched records are
superseded. Clusters that an approved proposal already covers are not
proposed again. :func:`write_proposals` stores the plan inside the caller's
transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import numpy as np
import sqlite_utils

from core.clock import utc_now
from core.matching.clustering import cluster, components
from core.matching.comparisons import COMPARISONS
from core.matching.explanations import explanation
from core.matching.frames import pd
from core.matching.pairs import ScoredPairs
from core.matching.scoring import Scorer
from core.settings import Settings
from core.store import Store


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed cluster: sorted members, band, cohesion and explained pairs
    ``(id_l, id_r, score, explanation)``."""

    members: tuple[int, ...]
    band: str
    score: float
    pairs: tuple[tuple[int, int, float, str], ...]


@dataclass(slots=True)
class Plan:
    """What a run will write: new proposals, open proposals to supersede, and
    pairs scored while clustering (to be stored with the others)."""

    proposals: list[Proposal] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    refreshed: dict[int, Proposal] = field(default_factory=dict)
    extra: ScoredPairs = field(default_factory=lambda: ScoredPairs.empty(len(COMPARISONS)))


def plan_proposals(
    store: Store,
    scorer: Scorer,
    fresh: ScoredPairs,
    stored: pd.DataFrame | None,
    links: pd.DataFrame,
    settings: Settings,
    *,
    explain: bool = True,
) -> Plan:
    """Cluster the components touched by ``fresh`` pairs into proposals.

    Args:
        store: read for open and approved proposals.
        scorer: scores missing pairs inside small components.
        fresh: the pairs this run scored.
        stored: previously stored pairs (``id_l, id_r, score``) on an
            incremental run; None on a full run.
        links: must/cannot links (``id_l, id_r, kind``).
        settings: thresholds and ``match_dense_limit``.
        explain: score and explain every member pair of each proposal
            (False: proposals carry their members and score only).
    """
    threshold = float(settings["match_review_threshold"])
    auto = float(settings["match_auto_threshold"])
    edges = pd.DataFrame({"id_l": fresh.id_l, "id_r": fresh.id_r, "score": fresh.score})
    if stored is not None and len(stored):
        edges = pd.concat([edges, stored]).drop_duplicates(["id_l", "id_r"], keep="first")
    must = links[links["kind"] == "must"]
    strong = edges[edges["score"] >= threshold]
    link_l = np.concatenate([strong["id_l"].to_numpy(np.int64), must["id_l"].to_numpy(np.int64)])
    link_r = np.concatenate([strong["id_r"].to_numpy(np.int64), must["id_r"].to_numpy(np.int64)])
    linked = np.unique(np.concatenate([link_l, link_r]))
    plan = Plan()
    if len(linked) == 0:
        plan.superseded = _open_over(store, None if stored is None else np.zeros(0, np.int64))
        return plan
    label = components(linked, link_l, link_r)
    touched = np.unique(np.concatenate([fresh.id_l, fresh.id_r]))
    if stored is None:
        members = linked
    else:
        hit = np.isin(linked, touched)
        members = linked[np.isin(label, label[hit])]
    inside = edges[edges["id_l"].isin(members) & edges["id_r"].isin(members)]
    extra: list[ScoredPairs] = []

    def rescore(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        scored = ScoredPairs.of(left, right, scorer.score(left, right))
        extra.append(scored)
        return np.asarray(scored.score, dtype=np.float64)

    result = cluster(
        members,
        inside["id_l"].to_numpy(np.int64),
        inside["id_r"].to_numpy(np.int64),
        inside["score"].to_numpy(np.float64),
        threshold=threshold,
        must=_pairs_of(links, "must", members),
        cannot=_pairs_of(links, "cannot", members),
        rescore=rescore,
        dense_limit=int(settings["match_dense_limit"]),
        dense_pairs=int(settings["match_dense_pairs"]),
    )
    for more in extra:
        plan.extra = plan.extra.merged(more)
    groups = result.members()
    # On an incremental run, the open proposals of every record a fresh pair
    # touched are reconsidered too: one whose pairs all fell below the
    # threshold has left the linked records, and must be superseded.
    open_sets, scores = _open_sets(store, None if stored is None else np.union1d(members, touched))
    approved = _approved_sets(store)
    kept = {s: pid for pid, s in open_sets.items()}
    new_clusters, refresh = [], []
    for key, group in sorted(groups.items()):
        members_key, cohesion = tuple(group), result.cohesion[key]
        if members_key in kept:
            if round(float(cohesion), 6) != scores[kept[members_key]]:
                refresh.append((members_key, cohesion))
        elif not any(set(group) <= a for a in approved):
            new_clusters.append((members_key, cohesion))
    wanted = {tuple(m) for m in groups.values()}
    plan.superseded = sorted(pid for pid, s in open_sets.items() if s not in wanted)
    plan.proposals = _explained(scorer, new_clusters, auto, explain)
    plan.refreshed = {kept[p.members]: p for p in _explained(scorer, refresh, auto, explain)}
    return plan


def _explained(
    scorer: Scorer, clusters: list[tuple[tuple[int, ...], float]], auto: float, explain: bool
) -> list[Proposal]:
    """Proposals with every member pair scored and explained (one batch)."""
    if not explain:
        return [Proposal(m, _band(c, auto), round(float(c), 6), ()) for m, c in clusters]
    lefts, rights = [], []
    for members, _ in clusters:
        ids = np.asarray(members, dtype=np.int64)
        i, j = np.triu_indices(len(ids), k=1)
        lefts.append(ids[i])
        rights.append(ids[j])
    if not clusters:
        return []
    left, right = np.concatenate(lefts), np.concatenate(rights)
    scored = scorer.score(left, right)
    alike = scorer.similarity(left, right)
    out, start = [], 0
    for members, cohesion in clusters:
        count = len(members) * (len(members) - 1) // 2
        pairs = tuple(
            (int(left[x]), int(right[x]), round(float(scored.score[x]), 6),
             explanation(scored.levels[x], scored.bits[x], float(scored.score[x]),
                         {name: float(v[x]) for name, v in alike.items()}))
            for x in range(start, start + count)
        )  # fmt: skip
        start += count
        out.append(Proposal(members, _band(cohesion, auto), round(float(cohesion), 6), pairs))
    return out


def _band(cohesion: float, auto: float) -> str:
    """The band of a cohesion as stored (to 6 places): a score shown as 0.95
    is in the auto band when the threshold is 0.95."""
    return "auto" if round(float(cohesion), 6) >= auto else "review"


def _pairs_of(links: pd.DataFrame, kind: str, members: np.ndarray) -> list[tuple[int, int]]:
    chosen = links[(links["kind"] == kind) & links["id_l"].isin(members)
                   & links["id_r"].isin(members)]  # fmt: skip
    return list(zip(chosen["id_l"].astype(int), chosen["id_r"].astype(int), strict=True))


def _open_sets(
    store: Store, members: np.ndarray | None
) -> tuple[dict[int, tuple[int, ...]], dict[int, float]]:
    """Open proposals (all, or those with a member among ``members``): their
    members and their scores, read in one statement, since a steward may
    decide a proposal between two reads."""
    rows = store.conn.execute(
        "select p.id, p.score, m.record_id from proposals p join proposal_members m "
        "on m.proposal_id = p.id where p.status = 'open' order by p.id, m.record_id"
    ).fetchall()
    sets: dict[int, list[int]] = {}
    scores: dict[int, float] = {}
    for pid, score, record in rows:
        sets.setdefault(pid, []).append(record)
        scores[pid] = round(float(score), 6)
    if members is not None:
        wanted = set(members.tolist())
        sets = {p: s for p, s in sets.items() if wanted.intersection(s)}
    return {p: tuple(s) for p, s in sets.items()}, scores


def _open_over(store: Store, members: np.ndarray | None) -> list[int]:
    return sorted(_open_sets(store, members)[0])


def _approved_sets(store: Store) -> list[set[int]]:
    return _approved_sets_of(store.conn)


def _approved_sets_of(conn: sqlite3.Connection) -> list[set[int]]:
    rows = conn.execute(
        "select p.id, m.record_id from proposals p join proposal_members m "
        "on m.proposal_id = p.id where p.status = 'approved'"
    ).fetchall()
    sets: dict[int, set[int]] = {}
    for pid, record in rows:
        sets.setdefault(pid, set()).add(record)
    return list(sets.values())


def write_proposals(db: sqlite_utils.Database, plan: Plan, run_id: int) -> None:
    """Store ``plan`` (inside the caller's write transaction).

    The plan was made from links and decisions read before the transaction
    began; stewards may have decided since. Inside the transaction they are
    read again: a new proposal that now holds a cannot-linked pair (a
    rejection), or lies inside an approved merge, is not written, and only
    proposals still open are refreshed or superseded."""
    now = utc_now()
    conn = db.conn
    cannot = {
        (int(a), int(b))
        for a, b in conn.execute("select record_id_l, record_id_r from links where kind = 'cannot'")
    }
    approved = _approved_sets_of(conn)
    proposals = [
        p for p in plan.proposals
        if not any((a, b) in cannot for i, a in enumerate(p.members) for b in p.members[i + 1 :])
        and not any(set(p.members) <= s for s in approved)
    ]  # fmt: skip
    still_open = {int(r[0]) for r in conn.execute("select id from proposals where status = 'open'")}
    refreshed = {pid: p for pid, p in plan.refreshed.items() if pid in still_open}
    db.conn.executemany(
        "update proposals set status = 'superseded', version = version + 1 "
        "where id = ? and status = 'open'",
        [(p,) for p in plan.superseded],
    )
    for pid, proposal in refreshed.items():
        # Same members, new evidence (a value's count changed): the proposal
        # keeps its id and claim; its score, band and pairs are brought up to date.
        db.execute(
            "update proposals set score = ?, band = ?, version = version + 1 where id = ?",
            [proposal.score, proposal.band, pid],
        )
        db.execute("delete from proposal_pairs where proposal_id = ?", [pid])
        _insert_pairs(db, pid, proposal)
    if not proposals:
        return
    # New proposals take the next ids, in plan order, in three statements.
    first = int(db.execute("select coalesce(max(id), 0) + 1 from proposals").fetchone()[0])
    ids = range(first, first + len(proposals))
    db.conn.executemany(
        "insert into proposals (id, run_id, band, score, size, created_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [(pid, run_id, p.band, p.score, len(p.members), now)
         for pid, p in zip(ids, proposals, strict=True)],
    )  # fmt: skip
    db.conn.executemany(
        "insert into proposal_members (proposal_id, record_id) values (?, ?)",
        [(pid, r) for pid, p in zip(ids, proposals, strict=True) for r in p.members],
    )
    db.conn.executemany(
        "insert into proposal_pairs (proposal_id, record_id_l, record_id_r, score, "
        "explanation) values (?, ?, ?, ?, ?)",
        [(pid, *pair) for pid, p in zip(ids, proposals, strict=True) for pair in p.pairs],
    )


def _insert_pairs(db: sqlite_utils.Database, pid: int, proposal: Proposal) -> None:
    db.conn.executemany(
        "insert into proposal_pairs (proposal_id, record_id_l, record_id_r, score, "
        "explanation) values (?, ?, ?, ?, ?)",
        [(pid, *pair) for pair in proposal.pairs],
    )
