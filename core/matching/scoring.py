"""Scoring: candidate pairs in, match probabilities and their evidence out.

:class:`Scorer` binds a :class:`~core.matching.model.Model` to a set of coded
profiles and the value counts of the whole store, and scores any pairs of
those profiles in bulk (vectorised; see :mod:`core.matching.comparisons`).
:func:`train` fits a model on the data itself (see :mod:`core.matching.training`).

Scores are symmetric (scoring ``(a, b)`` or ``(b, a)`` gives the same
number), lie in [0, 1] and are rounded to 1e-6 as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from core.matching.coding import SPACE_OF, Coded
from core.matching.comparisons import CHUNK, COMPARISONS, NULL, compare
from core.matching.evidence import EXACT_LEVELS, GROUPS, anchored
from core.matching.model import Model, match_bits, probability, tf_shift
from core.matching.training import fit
from core.settings import Settings

Tally = Mapping[str, Mapping[str, float]]
"""Comparison name -> value -> how many records hold it (for one-off scoring)."""


@dataclass(frozen=True, slots=True)
class Scored:
    """Scored pairs: levels ``[n, k]``, contributions in bits ``[n, k]`` and
    match probability ``[n]``."""

    levels: np.ndarray
    bits: np.ndarray
    score: np.ndarray


class Scorer:
    """Scores pairs of profiles (rows addressed by record id).

    Args:
        coded: the coded profiles (see :class:`core.matching.coding.Coded`).
        model: the fitted model.
        tally: value counts to use instead of counting ``coded`` itself (the
            single-record check scores against a few loaded records, but
            counts over the whole store).
    """

    def __init__(self, coded: Coded, model: Model, tally: Tally | None = None):
        self.coded = coded
        self.model = model
        self.counts = value_counts(coded, tally)
        order = np.argsort(coded.ids, kind="stable")
        self._sorted_ids, self._order = coded.ids[order], order

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Row positions of record ``ids`` in the profiles."""
        where = np.searchsorted(self._sorted_ids, np.asarray(ids, dtype=np.int64))
        return np.asarray(self._order[where], dtype=np.int64)

    def score(self, id_l: np.ndarray, id_r: np.ndarray) -> Scored:
        """Score pairs given by record ids (any order within a pair)."""
        return self.score_positions(self.positions(id_l), self.positions(id_r))

    def score_positions(self, left: np.ndarray, right: np.ndarray) -> Scored:
        levels, values = compare(self.coded, left, right)
        return self.score_levels(levels, values)

    def similarity(self, id_l: np.ndarray, id_r: np.ndarray) -> dict[str, np.ndarray]:
        """How alike two records' names are (Jaro-Winkler of the name's
        reading, of an organisation's normalised name), for the reasons."""
        left, right = self.positions(id_l), self.positions(id_r)
        out = {}
        for comparison, column in (("name", "name_key"), ("org_name", "org_key")):
            a, b = self.coded.text(column, left), self.coded.text(column, right)
            out[comparison] = np.asarray(
                cpdist(a.tolist(), b.tolist(), scorer=JaroWinkler.normalized_similarity)
                if len(a)
                else np.zeros(0)
            )
        return out

    def score_levels(self, levels: np.ndarray, values: np.ndarray) -> Scored:
        """Score pairs already compared (see :func:`core.matching.comparisons.compare`);
        contributions are kept as float32, in chunks of :data:`CHUNK` pairs."""
        bits = np.empty(levels.shape, dtype=np.float32)
        score = np.empty(len(levels), dtype=np.float64)
        for start in range(0, len(levels), CHUNK):
            part = slice(start, start + CHUNK)
            counts = agreed_counts(values[part], self.counts)
            chunk = match_bits(self.model, levels[part], counts)
            bits[part], score[part] = chunk, probability(self.model, chunk)
        return Scored(levels, bits, np.round(score, 6))


def value_counts(coded: Coded, tally: Tally | None = None) -> dict[str, np.ndarray]:
    """Per frequency-adjusted comparison, how many records hold each code."""
    out = {}
    for comp in COMPARISONS:
        if comp.tf_columns:
            given = None if tally is None else tally.get(comp.name)
            out[comp.name] = (
                coded.counts(comp.tf_columns)
                if given is None
                else coded.counts_from(comp.tf_columns, given)
            )
    return out


def agreed_counts(values: np.ndarray, counts: Mapping[str, np.ndarray]) -> np.ndarray:
    """``[pairs, comparisons]`` count of each agreed value (0 where none)."""
    out = np.zeros(values.shape, dtype=np.float64)
    for k, comp in enumerate(COMPARISONS):
        if comp.name in counts:
            out[:, k] = counts[comp.name][values[:, k]]
            out[values[:, k] == 0, k] = 0.0
    return out


def typical_frequency(coded: Coded) -> list[float]:
    """Per comparison, ``Σ_v p_v²`` over its values (``p_v``: the share of
    records holding ``v``; ``p̄`` of :func:`core.matching.model.match_bits`): the
    chance that two random records agree, which is what the level's own
    ``u`` stands for. 0 where nothing is frequency-adjusted.

    Why this normaliser: duplicates agree on ``v`` in proportion to ``p_v``
    and different customers in proportion to ``p_v²``, so agreeing on ``v``
    is worth ``Σ p_w² / p_v`` times the level's average.
    """
    out = []
    for comp in COMPARISONS:
        n = coded.records_with(comp.tf_columns) if comp.tf_columns else 0
        if n == 0:
            out.append(0.0)
            continue
        share = coded.counts(comp.tf_columns)[1:] / n
        out.append(float((share**2).sum()))
    return out


def records_with_values(coded: Coded) -> list[int]:
    """Per comparison, how many records have a value to count (0 if none)."""
    return [coded.records_with(c.tf_columns) if c.tf_columns else 0 for c in COMPARISONS]


def unseen_agreements(coded: Coded, left: np.ndarray, right: np.ndarray) -> dict[int, float]:
    """Per comparison with an exact level (:data:`EXACT_LEVELS`), how many
    record pairs agree there without being among the pairs ``left``/``right``
    (row positions): all pairs sharing a value, counted from value
    frequencies, less those pairs that share one."""
    out: dict[int, float] = {}
    for k, comp in enumerate(COMPARISONS):
        if comp.name not in EXACT_LEVELS:
            continue
        _, columns, (skip, value) = EXACT_LEVELS[comp.name]
        keep = np.ones(len(coded.ids), dtype=bool)
        if skip:
            values = coded.values[SPACE_OF[skip]]
            keep = coded.codes[skip] != int(np.searchsorted(values, value))
        codes = [np.where(keep, coded.codes[c], 0) for c in columns]
        rows = np.concatenate([np.arange(len(keep))] * len(columns))
        stacked = np.concatenate(codes).astype(np.int64)
        size = len(coded.values[SPACE_OF[columns[0]]])
        distinct = np.unique(rows[stacked > 0] * size + stacked[stacked > 0]) % size
        c = np.bincount(distinct, minlength=size).astype(np.float64)
        every = float((c * (c - 1) / 2).sum())
        shared = np.zeros(len(left), dtype=bool)
        for a in codes:
            for b in codes:
                shared |= (a[left] == b[right]) & (a[left] > 0)
        out[k] = max(every - float(shared.sum()), 0.0)
    return out


def background_levels(coded: Coded, settings: Settings) -> np.ndarray:
    """Levels of ``match_background_pairs`` random record pairs, drawn with a
    fixed seed, so training is deterministic for equal data."""
    n = len(coded.ids)
    rng = np.random.default_rng(20261123)
    size = int(min(int(settings["match_background_pairs"]), max(n * (n - 1) // 2, 1)))
    a = rng.integers(0, max(n, 1), size)
    b = rng.integers(0, max(n, 1), size)
    keep = a != b
    levels, _ = compare(coded, a[keep], b[keep])
    return levels


def train(
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    settings: Settings,
    labels: np.ndarray | None = None,
    compared: tuple[np.ndarray, np.ndarray] | None = None,
    prior: Model | None = None,
) -> Model:
    """Fit a model on candidate pairs (row positions ``left``/``right``).

    EM runs over the candidates that agree on something besides the name
    (:func:`core.matching.evidence.anchored`) and over labelled pairs; the others
    count as different customers where exact levels are counted.

    Args:
        coded: the coded profiles.
        left, right: the candidate pairs.
        settings: ``match_background_pairs``, ``match_em_iterations`` and
            ``match_tf_max_bits``.
        labels: per candidate, 1 known duplicate, 0 known different, -1 unknown.
        compared: the candidates' ``(levels, values)`` if already computed.
        prior: a model whose ``m`` the estimate starts from and leans on with
            ``match_prior_pairs`` duplicates (the reference model).
    """
    levels, values = compared if compared is not None else compare(coded, left, right)
    chosen = anchored(levels) | (labels >= 0 if labels is not None else False)
    if not chosen.any():
        chosen[:] = True  # nothing but names to learn from
    return fit(
        levels[chosen],
        background_levels(coded, settings),
        len(coded.ids),
        records_with_values(coded),
        typical_frequency(coded),
        shift=_shifts(levels[chosen], values[chosen], coded, settings),
        unseen=unseen_agreements(coded, left[chosen], right[chosen]),
        labels=labels[chosen] if labels is not None else None,
        max_iterations=int(settings["match_em_iterations"]),
        tf_max_bits=float(settings["match_tf_max_bits"]),
        prior_m=[np.asarray(v) for v in prior.m] if prior is not None else None,
        prior_pairs=float(settings["match_prior_pairs"]),
    )


def same_name_prior(coded: Coded) -> float:
    """The share of record pairs whose organisations carry the same
    normalised name: for a list of organisations and nothing else, how
    often two of its records are one organisation (an organisation's name,
    unlike a person's, is rarely shared by another). 0 without organisations.

    Example: 300 records of PHILIPS and 100 of AKZO NOBEL among 1,000 give
    (300·299 + 100·99) / (1,000·999) ≈ 0.10."""
    n = len(coded.ids)
    held = coded.counts(("org_key",))[1:]
    pairs = float((held * (held - 1)).sum()) / 2
    return float(f"{min(pairs / max(n * (n - 1) / 2, 1.0), 0.5):.6g}")


def kinds_of_evidence(levels: np.ndarray, coverage: float = 0.05) -> int:
    """How many independent kinds of evidence the pairs carry: the groups of
    :data:`~core.matching.evidence.GROUPS` (and the comparisons in none)
    that some comparison of fills for at least ``coverage`` of the pairs."""
    present = (levels != NULL).mean(axis=0) >= coverage if len(levels) else []
    seen = set()
    for k, comp in enumerate(COMPARISONS):
        if len(levels) and present[k]:
            seen.add(next((g for g, names in GROUPS.items() if comp.name in names), comp.name))
    return len(seen)


def _shifts(levels: np.ndarray, values: np.ndarray, coded: Coded, settings: Settings) -> np.ndarray:
    """The frequency adjustment of each pair, as scoring will apply it (float32, in chunks)."""
    counts = value_counts(coded)
    records, mean = records_with_values(coded), typical_frequency(coded)
    cap = float(settings["match_tf_max_bits"])
    out = np.empty(levels.shape, dtype=np.float32)
    for start in range(0, len(levels), CHUNK):
        part = slice(start, start + CHUNK)
        out[part] = tf_shift(levels[part], agreed_counts(values[part], counts), records, mean, cap)
    return out
