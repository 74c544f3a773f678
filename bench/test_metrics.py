"""Hand-checked examples for bench.metrics: pairwise and B-cubed scores, pair completeness."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.metrics import bcubed_scores, pair_completeness, pairwise_scores


def test_perfect_clustering() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    s = pairwise_scores({"a": "x", "b": "x", "c": "y"}, truth)
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (1, 1, 1)
    assert s.f1 == 1.0


def test_overmerge_and_split() -> None:
    # truth: {a,b,c} {d,e} -> 3 + 1 = 4 true pairs
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    # predicted: {a,b} {c,d,e} -> 1 + 3 = 4 predicted pairs; correct: ab, de = 2
    s = pairwise_scores({"a": 0, "b": 0, "c": 9, "d": 9, "e": 9}, truth)
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (2, 4, 4)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5


def test_all_singletons_and_missing_records() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    s = pairwise_scores({"a": 0}, truth)  # b, c, d missing -> singletons
    assert (s.true_positive, s.predicted_pairs, s.true_pairs) == (0, 0, 3)
    assert s.precision == 1.0 and s.recall == 0.0 and s.f1 == 0.0


def test_one_big_cluster() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}  # 2 true pairs
    s = pairwise_scores(dict.fromkeys("abcd", 0), truth)  # 6 predicted pairs
    assert s.precision == pytest.approx(2 / 6) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))


# B-cubed, by hand. truth: {a,b,c} {d,e}.
#   predicted {a,b} {c,d,e}: precision a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15;
#                            recall    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15.
#   one cluster {a..e}:      precision a,b,c 3/5, d,e 2/5 -> 13/25; recall 1.
#   singletons:              precision 1; recall a,b,c 1/3, d,e 1/2 -> 2/5.
BCUBED_TRUTH = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}


def test_bcubed_overmerge_and_split() -> None:
    s = bcubed_scores({"a": 0, "b": 0, "c": 9, "d": 9, "e": 9}, BCUBED_TRUTH)
    assert s.precision == pytest.approx(11 / 15) and s.recall == pytest.approx(11 / 15)
    assert s.f1 == pytest.approx(11 / 15)


def test_bcubed_one_big_cluster() -> None:
    s = bcubed_scores(dict.fromkeys("abcde", 0), BCUBED_TRUTH)
    assert s.precision == pytest.approx(13 / 25) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * (13 / 25) / (13 / 25 + 1))


def test_bcubed_singletons_and_missing_records() -> None:
    s = bcubed_scores({"a": "x"}, BCUBED_TRUTH)  # the others missing -> singletons
    assert s.precision == 1.0 and s.recall == pytest.approx(2 / 5)


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 8), max_size=40), st.integers(1, 99))
def test_bcubed_perfect_clustering_is_one(truth: dict[int, int], shift: int) -> None:
    # the same partition under other cluster labels
    s = bcubed_scores({r: e + shift for r, e in truth.items()}, truth)
    assert s.precision == pytest.approx(1.0) and s.recall == pytest.approx(1.0)
    assert s.f1 == pytest.approx(1.0)


def test_pair_completeness() -> None:
    # true pairs: ab ac bc de = 4; candidates: ba (twice, both orders), de, ae, cc, ax
    candidates = [("b", "a"), ("a", "b"), ("d", "e"), ("a", "e"), ("c", "c"), ("a", "x")]
    c = pair_completeness(candidates, BCUBED_TRUTH)
    assert (c.found, c.true_pairs, c.candidates) == (2, 4, 4)
    assert c.share == 0.5
    assert pair_completeness([], {"a": 1}).share == 1.0  # no true pairs to find
