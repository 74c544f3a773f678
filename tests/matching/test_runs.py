"""Matching runs: proposals with explained pairs, steward feedback respected,
incremental runs equal to a full run, and nothing rescored twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.actors import Actor
from core.ingest.importer import import_file
from core.matching.blocking import candidate_pairs
from core.matching.coding import Coded
from core.matching.profiles import load_profiles
from core.matching.runs import current_model, run_match
from core.stewardship.customers import customer_of
from core.stewardship.merge import reject
from core.stewardship.moves import attach
from core.store import Store, open_store
from core.synthetic import generate_flat_csv
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """600 synthetic CRM rows with duplicates, split into two files."""
    folder = tmp_path_factory.mktemp("flat")
    whole = generate_flat_csv(folder / "all.csv", records=600, seed=3)
    lines = whole.read_text(encoding="utf-8").splitlines()
    first, second = folder / "a.csv", folder / "b.csv"
    first.write_text("\n".join(lines[:401]) + "\n", encoding="utf-8")
    second.write_text("\n".join([lines[0], *lines[401:]]) + "\n", encoding="utf-8")
    return first, second


def load(store: Store, *files: Path) -> None:
    for path in files:
        import_file(store, path, source="test", actor=Actor("t", "system"), id_column="record_id",
                    today=TODAY)  # fmt: skip


STEWARD = Actor("wang.fang", "steward")


def proposal_of(store: Store, members: tuple[int, ...]) -> int:
    """The open proposal whose members are exactly ``members``."""
    for (pid,) in store.conn.execute("select id from proposals where status = 'open'"):
        got = [r for (r,) in store.conn.execute(
            "select record_id from proposal_members where proposal_id = ? order by record_id",
            [pid])]  # fmt: skip
        if tuple(got) == tuple(members):
            return int(pid)
    raise AssertionError(f"no open proposal of {members}")


def open_proposals(store: Store) -> dict[tuple[int, ...], tuple[str, float]]:
    rows = store.conn.execute(
        "select p.id, p.band, p.score, m.record_id from proposals p join proposal_members m "
        "on m.proposal_id = p.id where p.status = 'open' order by p.id, m.record_id"
    ).fetchall()
    members: dict[int, list[int]] = {}
    info: dict[int, tuple[str, float]] = {}
    for pid, band, score, record in rows:
        members.setdefault(pid, []).append(record)
        info[pid] = (band, round(score, 6))
    return {tuple(m): info[p] for p, m in members.items()}


def test_a_first_run_trains_a_model_and_proposes_explained_clusters(tmp_path, halves):
    with open_store(tmp_path / "s.db") as store:
        load(store, *halves)
        summary = run_match(store)
        assert summary.mode == "full" and summary.new_records == store.count("source_records")
        proposals = open_proposals(store)
        assert len(proposals) == summary.clusters_proposed > 20
        assert summary.auto_merge + summary.review == summary.clusters_proposed
        assert {band for band, _ in proposals.values()} <= {"auto", "review"}
        pairs = store.conn.execute("select score, explanation from proposal_pairs").fetchall()
        assert pairs and all(0.0 <= s <= 1.0 for s, _ in pairs)
        assert all(json.loads(e)["c"] for _, e in pairs)
        version = store.conn.execute("select model_version from match_runs").fetchone()[0]
        assert version == current_model(store).version == summary.model_version


def test_a_second_run_with_nothing_new_changes_nothing(tmp_path, halves):
    with open_store(tmp_path / "s.db") as store:
        load(store, *halves)
        run_match(store)
        before = open_proposals(store)
        again = run_match(store)
        assert again.mode == "none" and again.pairs_scored == 0
        assert open_proposals(store) == before


def test_incremental_matching_equals_a_full_match_with_the_same_model(tmp_path, halves):
    with open_store(tmp_path / "full.db") as full:
        load(full, *halves)
        run_match(full)
        model = current_model(full)
        expected = open_proposals(full)
    with open_store(tmp_path / "inc.db") as inc:
        load(inc, halves[0])
        run_match(inc, model=model)
        before = inc.count("source_records")
        load(inc, halves[1])
        second = run_match(inc, model=model)
        assert second.mode == "incremental"
        assert second.new_records == inc.count("source_records") - before
        assert open_proposals(inc) == expected


def test_an_incremental_run_scores_only_pairs_that_involve_new_records(tmp_path, halves):
    with open_store(tmp_path / "s.db") as store:
        load(store, halves[0])
        run_match(store)
        last_old = store.count("source_records")
        old_pairs = store.count("match_pairs")
        load(store, halves[1])
        second = run_match(store)
        every_pair = len(candidate_pairs(Coded.of(load_profiles(store)), store.settings()))
        assert second.pairs_scored < every_pair
        rows = store.conn.execute(
            "select record_id_l, record_id_r from match_pairs where run_id = ?", [second.run_id]
        ).fetchall()
        rescored_old = [p for p in rows if max(p) <= last_old]
        # Old pairs are rescored only where a new record shares one of their values.
        assert len(rescored_old) < old_pairs


def test_a_cannot_link_splits_a_proposal_on_the_next_run(tmp_path, halves):
    with open_store(tmp_path / "s.db") as store:
        load(store, *halves)
        run_match(store)
        members = next(m for m in open_proposals(store) if len(m) == 2)
        reject(store, proposal_of(store, members), STEWARD)
        run_match(store, retrain=True)
        assert not any(set(members) <= set(m) for m in open_proposals(store))


def test_a_must_link_joins_records_that_share_nothing(tmp_path, halves):
    with open_store(tmp_path / "s.db") as store:
        load(store, *halves)
        run_match(store)
        grouped = {r for m in open_proposals(store) for r in m}
        ids = [r for (r,) in store.conn.execute("select id from source_records order by id")]
        loners = [r for r in ids if r not in grouped][:2]
        attach(store, loners[1], customer_of(store.conn, loners[0]), STEWARD)
        run_match(store, retrain=True)
        assert any(set(loners) <= set(m) for m in open_proposals(store))
