"""Scores of a clustering against a ground truth: pairwise and B-cubed precision /
recall / F1, and the pair completeness of a blocking."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
"""A record id (keys of the mappings are invariant, so the id type is generic)."""


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


def pairwise_scores(predicted: Mapping[K, Hashable], truth: Mapping[K, Hashable]) -> PairScores:
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


@dataclass(frozen=True)
class BCubedScores:
    """B-cubed precision and recall: per-record shares averaged over the records.

    For a record r in predicted cluster C and true entity T, precision(r) is
    |C ∩ T| / |C| and recall(r) is |C ∩ T| / |T|. Every record weighs the same,
    so one huge entity does not dominate as it does the pair counts.
    """

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def bcubed_scores(predicted: Mapping[K, Hashable], truth: Mapping[K, Hashable]) -> BCubedScores:
    """B-cubed scores of `predicted` (record → cluster) against `truth` (record → entity).

    Same conventions as :func:`pairwise_scores`: only records in `truth` count and a
    missing record is a singleton. O(records): the n records sharing a (cluster,
    entity) cell each have precision n / |cluster| and recall n / |entity|.
    """
    clusters: Counter[Hashable] = Counter()
    persons: Counter[Hashable] = Counter()
    both: Counter[tuple[Hashable, Hashable]] = Counter()
    for record, person in truth.items():
        cluster = predicted.get(record, ("__singleton__", record))
        clusters[cluster] += 1
        persons[person] += 1
        both[(cluster, person)] += 1
    if not truth:
        return BCubedScores(1.0, 1.0)
    precision = sum(n * n / clusters[c] for (c, _), n in both.items()) / len(truth)
    recall = sum(n * n / persons[p] for (_, p), n in both.items()) / len(truth)
    return BCubedScores(precision, recall)


@dataclass(frozen=True)
class Completeness:
    """How many of the true pairs a blocking generated as candidates."""

    found: int
    true_pairs: int
    candidates: int

    @property
    def share(self) -> float:
        return self.found / self.true_pairs if self.true_pairs else 1.0


def pair_completeness(
    candidates: Iterable[tuple[K, K]], truth: Mapping[K, Hashable]
) -> Completeness:
    """Share of the true pairs (same entity in `truth`) among `candidates`.

    A pair is unordered and counted once however often and in whichever order it
    is listed; pairs of a record with itself or with a record not in `truth` are
    candidates but never true.
    """
    seen: set[tuple[K, K]] = set()
    found = 0
    for a, b in candidates:
        if a == b:
            continue
        key = (a, b) if str(a) <= str(b) else (b, a)
        if key in seen:
            continue
        seen.add(key)
        if a in truth and b in truth and truth[a] == truth[b]:
            found += 1
    return Completeness(found, _pairs(Counter(truth.values())), len(seen))
