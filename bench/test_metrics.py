"""Hand-checked examples for bench.metrics.pairwise_scores."""

import pytest

from bench.metrics import pairwise_scores


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
