"""Scoring with a model: frequency adjustment, pooled evidence, contexts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.matching.comparisons import COMPARISONS, NULL
from core.matching.evidence import CONTEXTS, MONOTONE
from core.matching.model import bits_tables, match_bits, probability
from core.matching.reference import load as load_reference
from tests.matching.test_scoring import NAMES, toy_model

K = len(NAMES)


def one_pair(**levels: int) -> np.ndarray:
    out = np.full((1, K), NULL, dtype=np.int8)
    for name, lv in levels.items():
        out[0, NAMES.index(name)] = lv
    return out


def test_a_common_value_says_less_than_a_rare_one():
    model = toy_model()
    levels = np.concatenate([one_pair(name=0), one_pair(name=0)])
    counts = np.zeros(levels.shape)
    counts[:, NAMES.index("name")] = [2, 60]  # 欧阳娜娜 vs 王伟
    rare, common = probability(model, match_bits(model, levels, counts))
    assert rare > common


def test_a_value_as_common_as_usual_keeps_the_level_weight():
    model = toy_model()  # p̄ = 0.05 over 100 records: a value 5 records hold
    k = NAMES.index("name")
    counts = np.zeros((1, K))
    counts[0, k] = 5
    adjusted = match_bits(model, one_pair(name=0), counts)[0, k]
    plain = match_bits(model, one_pair(name=0), np.zeros((1, K)))[0, k]
    assert np.isclose(adjusted, plain)


def test_colleagues_sharing_every_workplace_field_count_it_once():
    model = toy_model()
    bits = match_bits(model, one_pair(company=0, address=0, landline=0, location=0),
                      np.zeros((1, K)))[0]  # fmt: skip
    place = [bits[NAMES.index(n)] for n in ("company", "address", "landline", "location")]
    assert sum(b > 0 for b in place) == 1


def test_a_name_and_the_handle_spelling_it_count_once_but_a_clash_of_sexes_counts():
    model = toy_model()
    spells = COMPARISONS[NAMES.index("handle")].levels.index("spells_name")
    other = COMPARISONS[NAMES.index("gender")].levels.index("other_stated")
    bits = match_bits(model, one_pair(name=0, handle=spells, gender=other), np.zeros((1, K)))[0]
    assert (bits[NAMES.index("name")] > 0) != (bits[NAMES.index("handle")] > 0)
    assert bits[NAMES.index("gender")] < 0


def test_the_context_of_a_shared_mobile_changes_how_a_name_is_weighed():
    model = toy_model()
    k = NAMES.index("name")
    flat = tuple(1 / len(COMPARISONS[k].levels) for _ in COMPARISONS[k].levels)
    contact = (flat, *model.context_u[0][1:])  # the contact context's name u
    changed = replace(model, context_u=(contact, *model.context_u[1:]))
    alone = match_bits(changed, one_pair(name=0), np.zeros((1, K)))[0, k]
    sharing = match_bits(changed, one_pair(name=0, mobile=0), np.zeros((1, K)))[0, k]
    assert sharing < alone  # same names are common among those sharing a mobile
    assert np.isclose(match_bits(model, one_pair(name=0), np.zeros((1, K)))[0, k], alone)


# --- closer agreement never weighs less (evidence.MONOTONE) ----------------------------


def assert_monotone(tables: np.ndarray) -> None:
    """Along every chain of MONOTONE, in every context's table, no level
    weighs more than the closer one before it."""
    for name, chains in MONOTONE.items():
        k = NAMES.index(name)
        for chain in chains:
            for context, table in enumerate(tables):
                weights = table[k, [level + 1 for level in chain]]
                assert (np.diff(weights) <= 0).all(), (name, chain, context, weights.tolist())


def test_every_monotone_chain_runs_from_closer_to_farther_levels_of_its_comparison():
    for name, chains in MONOTONE.items():
        levels = COMPARISONS[NAMES.index(name)].levels
        for chain in chains:
            assert list(chain) == sorted(set(chain)) and len(chain) >= 2, (name, chain)
            assert 0 <= chain[0] and chain[-1] < len(levels), (name, chain)


def test_the_reference_model_never_weighs_a_farther_level_above_a_closer_one():
    model = load_reference()[0]
    assert_monotone(bits_tables(model.m, model.u, model.context_u))


def vector(size: int) -> st.SearchStrategy[tuple[float, ...]]:
    """A probability vector over ``size`` levels, none of them impossible."""
    weights = st.lists(st.floats(1e-4, 1.0), min_size=size, max_size=size)
    return weights.map(lambda w: tuple(float(x) for x in np.asarray(w) / sum(w)))


SIZES = [len(c.levels) for c in COMPARISONS]
CONDITIONED = [[NAMES.index(n) for n in conditioned] for _, _, conditioned in CONTEXTS]
vectors = st.tuples(*(vector(size) for size in SIZES))
context_vectors = st.tuples(*(st.tuples(*(vector(SIZES[k]) for k in ks)) for ks in CONDITIONED))


def flat(size: int) -> tuple[float, ...]:
    return tuple(1 / size for _ in range(size))


FLAT = tuple(flat(size) for size in SIZES)
FLAT_CONTEXTS = tuple(tuple(flat(SIZES[k]) for k in ks) for ks in CONDITIONED)
# Duplicates land on the name's 'similar' level (5) eight times as often as on any
# other, different customers evenly: 'similar' outweighs 'close' (3), so their chain
# (3, 5, 11) pools the two, and a chain put in order before, (0, 1, 3, 4, 9, 11),
# must not end with 'close' above 'same_reading' (1): chains sharing levels are
# settled together (the bug this example found).
SIMILAR_HEAVY = tuple(
    tuple(np.asarray([8.0 if i == 5 else 1.0 for i in range(size)]) / (size + 7))
    if name == "name" else flat(size)
    for name, size in zip(NAMES, SIZES, strict=True)
)  # fmt: skip


def test_a_level_outweighing_a_closer_one_is_pooled_with_it_the_better_observed_moving_less():
    k = NAMES.index("mobile")
    same, digits, typo, other = (COMPARISONS[k].levels.index(x) for x in
                                 ("same", "same_digits", "one_digit", "different"))  # fmt: skip
    m, u = [list(v) for v in FLAT], [list(v) for v in FLAT]
    m[k] = [0.0] * 4
    u[k] = [0.0] * 4
    m[k][same], m[k][digits], m[k][typo], m[k][other] = 0.6, 0.05, 0.3, 0.05
    u[k][same], u[k][digits], u[k][typo], u[k][other] = 0.01, 0.2, 0.2, 0.59
    raw = np.log2(np.asarray(m[k]) / np.asarray(u[k]))
    assert raw[typo] > raw[digits]  # a one-digit typo outweighs the same digits: out of order
    table = bits_tables(m, u, FLAT_CONTEXTS)[0, k, 1:5]
    pooled = (0.05 * raw[digits] + 0.3 * raw[typo]) / 0.35
    assert np.isclose(table[digits], pooled) and np.isclose(table[typo], pooled)
    assert table[same] == raw[same] and table[other] == raw[other]
    assert pooled - raw[digits] > raw[typo] - pooled  # the better-observed typo moves less


ONE_CHAIN = [name for name, chains in MONOTONE.items() if len(chains) == 1]


@settings(max_examples=50, deadline=None)
@given(m=vectors, u=vectors, context_u=context_vectors)
def test_along_a_comparisons_only_chain_closer_levels_never_weigh_less_whatever_the_estimates(
    m, u, context_u
):
    tables = bits_tables(m, u, context_u)
    for name in ONE_CHAIN:
        k = NAMES.index(name)
        levels = [level + 1 for level in MONOTONE[name][0]]
        for context, table in enumerate(tables):
            assert (np.diff(table[k, levels]) <= 0).all(), (name, context, table[k, levels])


@settings(max_examples=50, deadline=None)
@given(m=vectors, u=vectors, context_u=context_vectors)
def test_weights_already_in_order_are_left_as_they_are(m, u, context_u):
    """Duplicates likelier the closer the level, different customers likelier
    the farther: every chain is in order, and nothing is pooled."""
    m = tuple(tuple(sorted(v, reverse=True)) for v in m)
    u = tuple(tuple(sorted(v)) for v in u)
    context_u = tuple(tuple(tuple(sorted(v)) for v in per) for per in context_u)
    tables = bits_tables(m, u, context_u)
    for k, size in enumerate(SIZES):
        raw = np.log2(np.asarray(m[k]) / np.asarray(u[k]))
        assert np.array_equal(tables[0, k, 1 : size + 1], raw), NAMES[k]
    for c, ks in enumerate(CONDITIONED, start=1):
        for k, uk in zip(ks, context_u[c - 1], strict=True):
            raw = np.log2(np.asarray(m[k]) / np.asarray(uk))
            assert np.array_equal(tables[c, k, 1 : SIZES[k] + 1], raw), (c, NAMES[k])


@settings(max_examples=60, deadline=None)
@given(m=vectors, u=vectors, context_u=context_vectors)
@example(m=SIMILAR_HEAVY, u=FLAT, context_u=FLAT_CONTEXTS)
def test_closer_levels_never_weigh_less_whatever_the_estimates(m, u, context_u):
    assert_monotone(bits_tables(m, u, context_u))
