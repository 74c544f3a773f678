"""Scoring with a model: frequency adjustment, pooled evidence, contexts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.matching.comparisons import COMPARISONS, NULL
from core.matching.model import match_bits, probability
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
