"""Pairwise precision / recall / F1 of a clustering against a ground truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PairScores:
    """Pair counts and the derived scores; a score with a zero denominator is 1.0."""

    true_positive: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(
    predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]
) -> PairScores:
    """Score `predicted` (record → cluster) against `truth` (record → person).

    Only records present in `truth` count; a truth record missing from `predicted`
    is treated as a singleton. Runs in O(records) by counting group sizes, never
    enumerating pairs, so it is fine at millions of records.
    """
    clusters: Counter[Hashable] = Counter()
    persons: Counter[Hashable] = Counter()
    both: Counter[Hashable] = Counter()
    for record, person in truth.items():
        cluster = predicted.get(record, ("__singleton__", record))
        clusters[cluster] += 1
        persons[person] += 1
        both[(cluster, person)] += 1
    return PairScores(_pairs(both), _pairs(clusters), _pairs(persons))
