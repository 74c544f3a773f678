"""Several stewards at once: real OS processes, each with its own
connection, deciding proposals and picking values in one store file.

The workload and the checks live in ``tests/workloads/stewards.py`` (the
benchmark runs the same thing, larger). A conflict is a correct outcome;
"database is locked", a lost update, a decision taken twice or an audit
entry that does not match the operations committed is a bug.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.workloads.beside import Beside
from tests.workloads.stewards import (
    Figures,
    Outcome,
    build_store,
    copy_store,
    examine,
    free_plan,
    lockstep_plan,
    prepare,
    run,
)

pytestmark = pytest.mark.slow

WORKERS = 4
OPS = 25


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 2,000 generated records, imported and matched once."""
    return build_store(tmp_path_factory.mktemp("concurrency") / "template.db", 2000)


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    return copy_store(template, tmp_path / "store.db")


def assert_clean(figures: Figures) -> None:
    assert figures.locked == 0, "database is locked must never reach a steward"
    assert figures.typed_other == 0, figures.results
    assert figures.lost_updates == 0
    assert figures.violations == []
    assert figures.attempted == WORKERS * OPS
    # a claim the worker already holds is a third correct outcome (it writes nothing)
    held = figures.results["held"]
    assert figures.committed + figures.conflicts + held == figures.attempted


def test_free_running_stewards_never_see_a_lock_and_lose_no_update(db):
    workload = prepare(db, hot=10, pool=6)
    plans = free_plan(workload, WORKERS, OPS)
    outcomes, _ = run(db, plans, workload, lockstep=False, think=0.005)
    figures = examine(db, workload, outcomes, Figures(WORKERS, OPS, "free", 0))
    assert_clean(figures)
    assert figures.conflicts > 0, "the hot set is small enough for workers to collide"
    ops = {o.op for o in outcomes if o.result == "committed"}
    assert ops == {"approve", "reject", "claim", "pick"}


def test_stewards_beside_match_runs_and_password_guessers_see_no_lock_and_lose_nothing(db):
    # issue 14, findings 10 and 21: a match run beside stewards once failed
    # their merges with tracebacks, and bad logins stalled their writes
    workload = prepare(db, hot=10, pool=6)
    plans = free_plan(workload, WORKERS, OPS * 2)
    with Beside(db, matches=True, guessers=2) as beside:
        outcomes, _ = run(db, plans, workload, lockstep=False, think=0.05)
    figures = examine(db, workload, outcomes, Figures(WORKERS, OPS * 2, "free", 0), others=True)
    assert figures.locked == 0 and figures.typed_other == 0 and figures.lost_updates == 0
    assert figures.violations == []
    assert sum(beside.exits.values()) >= 1 and beside.clean(), (beside.exits, beside.guesses)
    assert beside.guesses["refused"] > 0, "the guessers did run meanwhile"


def test_when_all_stewards_act_on_the_same_version_exactly_one_succeeds(db):
    workload = prepare(db, hot=30, pool=6)
    plans = lockstep_plan(workload, WORKERS, OPS)
    outcomes, _ = run(db, plans, workload, lockstep=True)
    figures = examine(db, workload, outcomes, Figures(WORKERS, OPS, "lockstep", 0))
    assert_clean(figures)
    rounds: dict[int, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        rounds[o.step].append(o)
    assert len(rounds) == OPS
    contested = 0
    for step, acts in sorted(rounds.items()):
        assert len(acts) == WORKERS and len({(o.target, o.op == "pick") for o in acts}) == 1
        seen = {(o.seen_version, o.seen_status) for o in acts}
        assert len(seen) == 1, f"round {step}: the workers read different versions {seen}"
        winners = [o for o in acts if o.result == "committed"]
        if next(iter(seen))[1] in ("open", "active"):
            contested += 1
            assert len(winners) == 1, f"round {step}: {[(o.op, o.result) for o in acts]}"
            winner = f"steward{winners[0].worker}"
            for loser in acts:
                if loser is winners[0] or (loser.op == "claim" and "already" in loser.message):
                    continue
                assert f" by {winner} " in loser.message, "the conflict names who was first"
        else:
            assert winners == [], f"round {step}: a decided proposal was decided again"
    assert contested >= OPS // 2
