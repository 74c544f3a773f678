"""Matching runs: block, score, cluster and propose, fully or incrementally.

:func:`run_match` matches every record that has not been matched yet:

1. **Model.** The first run (or ``retrain=True``) trains a model on the
   whole store (:func:`core.matching.scoring.train`); later runs reuse the stored
   one, so a new batch is scored exactly as the records before it.
2. **Blocking.** A full run pairs everything; an incremental run pairs
   only the new records with everything already stored
   (:func:`core.matching.blocking.candidate_pairs` with ``new_ids``). Stored pairs
   between old records are rescored only where a new record shares one of
   their frequency-adjusted values (the value's count changed); nothing
   else is rescored.
3. **Clustering.** Only the components touched by new or rescored links
   are re-clustered (:func:`core.matching.clustering.cluster`), with must-links
   from approved merges and cannot-links from rejections.
4. **Proposals.** Each cluster of two or more records becomes a proposal
   in the auto or review band, unless an open proposal with the same
   members already exists; open proposals it replaces are superseded.

Everything is computed first and written in one transaction, so a failed
run leaves the store as it was. Re-running with nothing new is a no-op.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import sqlite_utils

from core import trail
from core.actors import SYSTEM, Actor, require
from core.clock import utc_now
from core.matching import reference
from core.matching.blocking import candidate_pairs
from core.matching.coding import Coded
from core.matching.comparisons import COMPARISONS, compare
from core.matching.evidence import anchored
from core.matching.frames import pd
from core.matching.model import Model
from core.matching.pairs import ScoredPairs, save_pairs
from core.matching.profiles import load_profiles
from core.matching.proposals import plan_proposals, write_proposals
from core.matching.scoring import (
    Scored,
    Scorer,
    kinds_of_evidence,
    records_with_values,
    same_name_prior,
    train,
    typical_frequency,
)
from core.settings import Settings
from core.store import Store

_TUNING = ("blocking_", "match_")
TF_COLUMNS = tuple(dict.fromkeys(c for comp in COMPARISONS for c in comp.tf_columns))

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What a run did (the CLI prints it as JSON)."""

    run_id: int | None
    mode: str
    model_version: str
    records: int
    new_records: int
    pairs_scored: int
    clusters_proposed: int
    auto_merge: int
    review: int
    seconds: float
    model_source: str = ""
    """Where the model's weights come from: ``store``, ``reference`` or
    ``reference+frequencies`` (see :class:`~core.matching.model.Model`)."""


def run_match(
    store: Store,
    settings: Settings | None = None,
    *,
    retrain: bool = False,
    model: Model | None = None,
    progress: Progress | None = None,
    keep_pairs: bool = True,
    actor: Actor = SYSTEM,
    candidates: Callable[[pd.DataFrame], None] | None = None,
) -> MatchSummary:
    """Match every record not matched yet (all of them on the first run).

    Args:
        store: the store.
        settings: engine settings; the store's own when omitted.
        retrain: train a new model on the whole store and rematch everything.
        model: use this model (and rematch everything if it is not the one
            the store last used); for reproducible runs and tests.
        progress: called with a short message per stage.
        keep_pairs: store the scored pairs and each proposal's explained
            pairs, which later incremental runs and the screens read. A
            one-shot run on a store that is thrown away afterwards
            (:mod:`core.matching.dedupe`) needs only the proposals' members.
        actor: who runs the match (recorded in the audit trail).
        candidates: called with the candidate pairs blocking produced
            (``id_l``, ``id_r``, ``keys``), before they are scored.

    Returns:
        A :class:`MatchSummary`.
    """
    require(actor, "match")
    started = time.perf_counter()
    settings = settings if settings is not None else store.settings()
    say = progress or (lambda _msg: None)
    profiles = load_profiles(store)
    matched = _ids(store, "select record_id from match_state")
    current = current_model(store)
    full = retrain or current is None or (model is not None and model != current)
    new_ids = profiles["id"].to_numpy(np.int64)
    records = len(profiles)
    if not full:
        new_ids = new_ids[~np.isin(new_ids, matched)]
    if len(new_ids) == 0 or records < 2:
        return MatchSummary(None, "none", current.version if current else "", records, 0,
                            0, 0, 0, 0, round(time.perf_counter() - started, 3))  # fmt: skip
    say(f"blocking {len(new_ids):,} records")
    coded = Coded.of(profiles)
    del profiles  # the codes hold all that follows needs; the text of every row need not stay
    pairs = candidate_pairs(coded, settings, None if full else new_ids)
    if candidates is not None:
        candidates(pairs)
    links = load_links(store)
    scorer_ids = coded.ids
    left = np.searchsorted(scorer_ids, pairs["id_l"].to_numpy(np.int64))
    right = np.searchsorted(scorer_ids, pairs["id_r"].to_numpy(np.int64))
    say(f"comparing {len(pairs):,} candidate pairs")
    compared = compare(coded, left, right)
    if model is None and full:
        model = _learn(coded, left, right, settings, _labels(pairs, links), compared, say)
    active = model if model is not None else current
    assert active is not None  # full or a stored model exists
    scorer = Scorer(coded, active)
    ids_l, ids_r = pairs["id_l"].to_numpy(np.int64), pairs["id_r"].to_numpy(np.int64)
    say(f"scoring {len(ids_l):,} pairs")
    scored = scorer.score_levels(*compared)
    # The comparison values, positions and candidate frame are done with:
    # at 1M records they hold about 1.2 GB that clustering need not carry.
    del compared, left, right, pairs
    if not full:
        old_l, old_r = _affected_pairs(store, coded, new_ids)
        ids_l, ids_r = np.concatenate([ids_l, old_l]), np.concatenate([ids_r, old_r])
        again = scorer.score(old_l, old_r)
        scored = Scored(
            np.concatenate([scored.levels, again.levels]),
            np.concatenate([scored.bits, again.bits]),
            np.concatenate([scored.score, again.score]),
        )
    fresh = ScoredPairs.of(ids_l, ids_r, scored)
    scored_count = len(ids_l)
    del scored, ids_l, ids_r
    say("clustering")
    stored = None if full else _stored_pairs(store, settings)
    plan = plan_proposals(store, scorer, fresh, stored, links, settings, explain=keep_pairs)
    mode = "full" if full else "incremental"
    with store.write() as db:
        model_id = _save_model(db, active)
        run = {
            "started_at": utc_now(), "finished_at": utc_now(), "model_version": active.version,
            "params": json.dumps({k: settings[k] for k in settings if k.startswith(_TUNING)}),
            "pairs_scored": scored_count, "clusters_proposed": len(plan.proposals),
            "model_id": model_id, "mode": mode, "new_records": len(new_ids),
        }  # fmt: skip
        run_id = int(db.table("match_runs").insert(run).last_pk or 0)
        if full:
            db.execute("delete from match_pairs")
            db.execute("delete from match_state")
        keep = float(settings["match_keep_score"])
        if keep_pairs:
            save_pairs(db, fresh.merged(plan.extra), run_id, keep)
        db.conn.executemany(
            "insert or replace into match_state (record_id, run_id) values (?, ?)",
            [(int(i), run_id) for i in new_ids],
        )
        write_proposals(db, plan, run_id)
        trail.append(
            db.conn, actor, "match", {"run": [run_id]},
            payload={"mode": mode, "model": active.version, "new_records": len(new_ids),
                     "pairs_scored": scored_count, "proposals": len(plan.proposals),
                     "superseded": len(plan.superseded)},
        )  # fmt: skip
    auto = sum(1 for p in plan.proposals if p.band == "auto")
    return MatchSummary(run_id, mode, active.version, records, len(new_ids), scored_count,
                        len(plan.proposals), auto, len(plan.proposals) - auto,
                        round(time.perf_counter() - started, 3), active.source)  # fmt: skip


def _learn(
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    settings: Settings,
    labels: np.ndarray,
    compared: tuple[np.ndarray, np.ndarray],
    say: Progress,
) -> Model:
    """The store's own model, or the reference model where the store cannot
    teach one: too few pairs that agree on more than a name, or pairs that
    carry a single kind of evidence (a list of company names and nothing
    else: EM cannot tell how duplicates differ from how candidates differ)."""
    learnable = anchored(compared[0])
    if int(learnable.sum()) < int(settings["match_min_training_pairs"]):
        say("too few pairs to learn from: using the reference model")
        return reference.for_store(len(coded.ids))
    if kinds_of_evidence(compared[0][learnable]) <= 1:
        say("one kind of evidence: using the reference model with this store's frequencies")
        frequencies = (records_with_values(coded), typical_frequency(coded))
        model = reference.for_store(len(coded.ids), frequencies)
        return replace(model, prior=max(model.prior, same_name_prior(coded)))
    say(f"training on {len(left):,} candidate pairs")
    return train(coded, left, right, settings, labels, compared, prior=reference.prior())


def current_model(store: Store) -> Model | None:
    """The model of the store's latest match run, if any."""
    row = store.conn.execute(
        "select m.params from match_runs r join match_models m on m.id = r.model_id "
        "order by r.id desc limit 1"
    ).fetchone()
    return Model.from_json(row[0]) if row else None


def load_links(store: Store) -> pd.DataFrame:
    """Steward feedback: ``id_l < id_r`` and ``kind`` ('must' or 'cannot')."""
    return pd.read_sql_query(
        "select record_id_l as id_l, record_id_r as id_r, kind from links", store.conn
    )


def _ids(store: Store, sql: str) -> np.ndarray:
    return np.asarray([r[0] for r in store.conn.execute(sql)], dtype=np.int64)


def _labels(pairs: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """1 for must-linked, 0 for cannot-linked candidate pairs, -1 otherwise."""
    labels = np.full(len(pairs), -1, dtype=np.int8)
    if links.empty:
        return labels
    known = pairs[["id_l", "id_r"]].merge(links, how="left", on=["id_l", "id_r"])["kind"]
    labels[(known == "must").to_numpy()] = 1
    labels[(known == "cannot").to_numpy()] = 0
    return labels


def _affected_pairs(
    store: Store, coded: Coded, new_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Stored pairs of old records whose frequency-adjusted values a new
    record also carries: their value counts changed, so they are rescored."""
    new = np.isin(coded.ids, new_ids)
    hit = np.zeros(len(coded.ids), dtype=bool)
    for column in TF_COLUMNS:
        codes = coded.codes[column]
        values = np.unique(codes[new])
        hit |= np.isin(codes, values[values > 0])
    touched = coded.ids[hit & ~new]
    if len(touched) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    stored = pd.read_sql_query("select record_id_l, record_id_r from match_pairs", store.conn)
    both = stored["record_id_l"].isin(touched) & stored["record_id_r"].isin(touched)
    return (stored.loc[both, "record_id_l"].to_numpy(np.int64),
            stored.loc[both, "record_id_r"].to_numpy(np.int64))  # fmt: skip


def _stored_pairs(store: Store, settings: Settings) -> pd.DataFrame:
    """Previously scored pairs (for re-clustering the touched components)."""
    return pd.read_sql_query(
        "select record_id_l as id_l, record_id_r as id_r, score from match_pairs", store.conn
    )


def _save_model(db: sqlite_utils.Database, model: Model) -> int:
    row = db.execute("select id from match_models where version = ?", [model.version]).fetchone()
    if row:
        return int(row[0])
    record = {"version": model.version, "created_at": utc_now(), "record_count": model.pairs,
              "params": model.to_json()}  # fmt: skip
    return int(db.table("match_models").insert(record).last_pk or 0)
