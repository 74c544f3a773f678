"""Explanations render in Chinese and English, strongest evidence first."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.matching.comparisons import COMPARISONS, NULL
from core.matching.explanations import PHRASES, explanation, reason


def test_every_level_of_every_comparison_has_a_phrase_in_both_languages():
    for comp in COMPARISONS:
        for level in comp.levels:
            en, zh = PHRASES[(comp.name, level)]
            assert en.isascii() and en
            assert not zh.isascii()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "同一手机号；姓名相差一个字；不同城市"),
     ("en", "same mobile; name differs by one character; different city")],
)  # fmt: skip
def test_a_packed_explanation_renders_for_against_in_order(lang, expected):
    names = [c.name for c in COMPARISONS]
    levels = np.full(len(names), NULL, dtype=np.int8)
    bits = np.zeros(len(names))
    for name, level, b in (
        ("name", "one_char", 1.2),
        ("mobile", "same", 13.0),
        ("location", "different", -2.9),
        ("email", "different", -0.2),
    ):
        k = names.index(name)
        levels[k], bits[k] = COMPARISONS[k].levels.index(level), b
    packed = explanation(levels, bits, 0.93)
    assert json.loads(packed)["p"] == 0.93
    assert reason(packed, lang) == expected  # the -0.2 e-mail is noise and left out


def test_a_pair_without_strong_evidence_says_so():
    packed = explanation(np.full(len(COMPARISONS), NULL, dtype=np.int8),
                         np.zeros(len(COMPARISONS)), 0.5)  # fmt: skip
    assert reason(packed, "en") == "no strong evidence either way"
    assert reason(packed, "zh") == "无明显证据"
