"""Scoring: candidate pairs in, match probabilities and their evidence out.

:class:`Scorer` binds a :class:`~core.model.Model` to a set of profiles and
the value counts of the whole store, and scores any pairs of those profiles
in bulk (vectorised; see :mod:`core.comparisons`). :func:`train` fits a
model on the data itself: random record pairs for ``u``, EM over the
candidate pairs for ``m`` and the prior.

Scores are symmetric (scoring ``(a, b)`` or ``(b, a)`` gives the same
number) and lie in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.comparisons import COMPARISONS, EXACT_LEVELS, anchored, compare
from core.model import Model, match_bits, probability
from core.settings import Settings
from core.training import fit


def term_counts(profiles: pd.DataFrame) -> dict[str, pd.Series]:
    """How many records carry each value, per frequency-adjusted comparison.

    A record counts once per value even if it has it in two columns."""
    counts: dict[str, pd.Series] = {}
    for comp in COMPARISONS:
        if not comp.tf_columns:
            continue
        values = pd.concat(
            [profiles[["id", c]].set_axis(["id", "v"], axis=1) for c in comp.tf_columns]
        )
        values = values[values["v"] != ""].drop_duplicates()
        counts[comp.name] = values["v"].value_counts()
    return counts


def records_with_values(profiles: pd.DataFrame) -> list[int]:
    """Per comparison, how many records have a value to count (0 if none)."""
    return [
        int((profiles[list(c.tf_columns)] != "").any(axis=1).sum()) if c.tf_columns else 0
        for c in COMPARISONS
    ]


def typical_frequency(counts: dict[str, pd.Series], records: list[int]) -> list[float]:
    """Per comparison, ``Σ_v p_v²`` over its values (``p_v``: the share of
    records holding ``v``; ``p̄`` of :func:`core.model.match_bits`): the
    chance that two random records agree, which is what the level's own
    ``u`` stands for. 0 where nothing is frequency-adjusted.

    Why this normaliser: duplicates agree on ``v`` in proportion to ``p_v``
    and different customers in proportion to ``p_v²``, so agreeing on ``v``
    is worth ``Σ p_w² / p_v`` times the level's average.
    """
    out = []
    for comp, n in zip(COMPARISONS, records, strict=True):
        c = counts.get(comp.name)
        if c is None or n == 0:
            out.append(0.0)
            continue
        share = c.to_numpy(np.float64) / n
        out.append(float((share**2).sum()))
    return out


def unseen_agreements(
    profiles: pd.DataFrame, left: np.ndarray, right: np.ndarray
) -> dict[int, float]:
    """Per comparison with an exact level (:data:`EXACT_LEVELS`), how many
    record pairs agree there without being candidates: all pairs sharing a
    value, counted from value frequencies, less the candidate pairs (row
    positions ``left``/``right``) that share one."""
    out: dict[int, float] = {}
    for k, comp in enumerate(COMPARISONS):
        if comp.name not in EXACT_LEVELS:
            continue
        _, columns, (skip, value) = EXACT_LEVELS[comp.name]
        usable = profiles[profiles[skip] != value] if skip else profiles
        values = pd.concat([usable[["id", c]].set_axis(["id", "v"], axis=1) for c in columns])
        values = values[values["v"] != ""].drop_duplicates()
        c = values["v"].value_counts().to_numpy(np.float64)
        every = float((c * (c - 1) / 2).sum())
        keep = (
            np.ones(len(profiles), dtype=bool) if not skip else (profiles[skip] != value).to_numpy()
        )
        cols = {col: profiles[col].to_numpy(object) for col in columns}
        shared = np.zeros(len(left), dtype=bool)
        for a in columns:
            for b in columns:
                x, y = cols[a][left], cols[b][right]
                shared |= (x == y) & (x != "")
        shared &= keep[left] & keep[right]
        out[k] = max(every - float(shared.sum()), 0.0)
    return out


@dataclass(frozen=True, slots=True)
class Scored:
    """Scored pairs: levels ``[n, k]``, contributions in bits ``[n, k]`` and
    match probability ``[n]``."""

    levels: np.ndarray
    bits: np.ndarray
    score: np.ndarray


class Scorer:
    """Scores pairs of ``profiles`` (rows addressed by record id).

    Args:
        profiles: profile frame (see :mod:`core.profiles`).
        model: the fitted model.
        counts: value counts over the whole store (:func:`term_counts`).
    """

    def __init__(self, profiles: pd.DataFrame, model: Model, counts: dict[str, pd.Series]):
        self.profiles = profiles.reset_index(drop=True)
        self.model = model
        self.counts = counts
        self._position = pd.Series(
            np.arange(len(self.profiles)), index=self.profiles["id"].to_numpy()
        )

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Row positions of record ``ids`` in the profile frame."""
        return np.asarray(self._position.loc[ids].to_numpy(), dtype=np.int64)

    def score(self, id_l: np.ndarray, id_r: np.ndarray) -> Scored:
        """Score pairs given by record ids (any order within a pair)."""
        return self.score_positions(self.positions(id_l), self.positions(id_r))

    def score_positions(self, left: np.ndarray, right: np.ndarray) -> Scored:
        levels, values = compare(self.profiles, left, right)
        counts = agreed_counts(values, self.counts)
        bits = match_bits(self.model, levels, counts)
        # Rounded as stored, so that a score read back equals a fresh one.
        return Scored(levels, bits, np.round(probability(self.model, bits), 6))


def agreed_counts(values: np.ndarray, counts: dict[str, pd.Series]) -> np.ndarray:
    """``[pairs, comparisons]`` count of each agreed value (0 where none)."""
    out = np.zeros(values.shape, dtype=np.float64)
    for k, comp in enumerate(COMPARISONS):
        if comp.name in counts:
            column = pd.Series(values[:, k], dtype=object)
            out[:, k] = column.map(counts[comp.name]).fillna(0).to_numpy(np.float64)
    return out


def train(
    profiles: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    settings: Settings,
    labels: np.ndarray | None = None,
) -> Model:
    """Fit a model on candidate pairs (row positions ``left``/``right``).

    ``u`` comes from ``match_background_pairs`` random record pairs drawn with
    a fixed seed, so training is deterministic for equal data. EM runs over
    the candidates that agree on something besides the name
    (:func:`core.comparisons.anchored`) and over labelled pairs; the others
    count as different customers where exact levels are counted.
    """
    n = len(profiles)
    rng = np.random.default_rng(20261123)
    size = int(min(int(settings["match_background_pairs"]), max(n * (n - 1) // 2, 1)))
    a = rng.integers(0, max(n, 1), size)
    b = rng.integers(0, max(n, 1), size)
    keep = a != b
    background, _ = compare(profiles, a[keep], b[keep])
    levels, values = compare(profiles, left, right)
    chosen = anchored(levels) | (labels >= 0 if labels is not None else False)
    if not chosen.any():
        chosen[:] = True  # nothing but names to learn from
    records = records_with_values(profiles)
    counts = term_counts(profiles)
    return fit(
        levels[chosen],
        background,
        n,
        records,
        typical_frequency(counts, records),
        counts=agreed_counts(values[chosen], counts),
        unseen=unseen_agreements(profiles, left[chosen], right[chosen]),
        labels=labels[chosen] if labels is not None else None,
        max_iterations=int(settings["match_em_iterations"]),
        tf_max_bits=float(settings["match_tf_max_bits"]),
    )
