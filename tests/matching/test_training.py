"""The model is learnt from the data: exact levels are counted, households
are learnt in context, labels are kept, and training is deterministic."""

from __future__ import annotations

import numpy as np

from core.matching.comparisons import COMPARISONS, NULL
from core.matching.evidence import CONTEXTS
from core.matching.model import Model, match_bits
from core.matching.training import fit

NAMES = [c.name for c in COMPARISONS]
K = len(NAMES)


def level(comparison: str, name: str) -> int:
    return COMPARISONS[NAMES.index(comparison)].levels.index(name)


def pairs(n: int, **levels: str) -> np.ndarray:
    out = np.full((n, K), NULL, dtype=np.int8)
    for comparison, name in levels.items():
        out[:, NAMES.index(comparison)] = level(comparison, name)
    return out


def background(n: int, duplicates: int) -> np.ndarray:
    """Random pairs: most differ on everything; ``duplicates`` share a mobile."""
    out = np.full((n, K), NULL, dtype=np.int8)
    for c in ("name", "mobile", "location"):
        out[:, NAMES.index(c)] = len(COMPARISONS[NAMES.index(c)].levels) - 1
    out[:duplicates, NAMES.index("mobile")] = level("mobile", "same")
    return out


def test_a_shared_mobile_is_counted_not_sampled_so_duplicates_do_not_weaken_it():
    candidates = pairs(200, mobile="same")
    labels = np.ones(200, dtype=np.int8)  # every pair sharing a mobile is one customer
    sampled = fit(candidates, background(10_000, 5), 2_000, [0] * K, labels=labels)
    counted = fit(candidates, background(10_000, 5), 2_000, [0] * K, labels=labels,
                  unseen={NAMES.index("mobile"): 0.0})  # fmt: skip
    k, same = NAMES.index("mobile"), level("mobile", "same")
    # 5 of 10,000 random pairs share a mobile, but all of them are duplicates:
    # among the ~2 million pairs of different customers, none does.
    assert sampled.u[k][same] > 1e-4
    assert counted.u[k][same] < 1e-5
    bits = match_bits(counted, candidates[:1], np.zeros((1, K)))[0, k]
    assert bits > match_bits(sampled, candidates[:1], np.zeros((1, K)))[0, k] + 5


def test_a_household_sharing_a_mobile_makes_a_shared_surname_weak_evidence():
    # 300 duplicates share a mobile and a name; 100 household members share a
    # mobile and a surname only; elsewhere a shared surname is as rare as usual.
    dupes = pairs(300, mobile="same", name="exact")
    family = pairs(100, mobile="same", name="same_surname")
    strangers = pairs(2_000, name="same_surname", mobile="different")
    candidates = np.concatenate([dupes, family, strangers])
    labels = np.concatenate([np.ones(300), np.zeros(100), np.full(2_000, -1)]).astype(np.int8)
    model = fit(candidates, background(20_000, 0), 5_000, [0] * K, labels=labels)
    contact = [name for name, _, _ in CONTEXTS].index("contact")
    conditioned = CONTEXTS[contact][2]
    at = level("name", "same_surname")
    assert model.context_u[contact][conditioned.index("name")][at] > 10 * model.u[0][at]
    in_family = match_bits(model, family[:1], np.zeros((1, K)))[0, NAMES.index("name")]
    alone = match_bits(model, pairs(1, name="same_surname"), np.zeros((1, K)))[0, 0]
    assert in_family < alone - 2


def test_labelled_pairs_keep_their_label():
    candidates = pairs(50, name="exact", mobile="different")
    matches = fit(candidates, background(1_000, 0), 500, [0] * K,
                  labels=np.ones(50, dtype=np.int8))  # fmt: skip
    different = fit(candidates, background(1_000, 0), 500, [0] * K,
                    labels=np.zeros(50, dtype=np.int8))  # fmt: skip
    k, diff = NAMES.index("mobile"), level("mobile", "different")
    assert matches.m[k][diff] > 0.9  # the labelled duplicates all differ in mobile
    assert matches.prior > different.prior


def test_the_model_is_learnt_deterministically_and_round_trips():
    rng = np.random.default_rng(0)
    candidates = rng.integers(-1, 2, size=(500, K)).astype(np.int8)
    args = (candidates, background(2_000, 3), 1_000, [100] * K)
    first, second = fit(*args), fit(*args)
    assert first == second and first.version == second.version
    assert Model.from_json(first.to_json()) == first
    assert 0 < first.prior < 1
