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

from core.comparisons import COMPARISONS, compare
from core.model import Model, fit, match_bits, probability
from core.settings import Settings


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
        return Scored(levels, bits, probability(self.model, bits))


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
    a fixed seed, so training is deterministic for equal data.
    """
    n = len(profiles)
    rng = np.random.default_rng(20261123)
    size = int(min(int(settings["match_background_pairs"]), max(n * (n - 1) // 2, 1)))
    a = rng.integers(0, max(n, 1), size)
    b = rng.integers(0, max(n, 1), size)
    keep = a != b
    background, _ = compare(profiles, a[keep], b[keep])
    levels, _ = compare(profiles, left, right)
    return fit(
        levels,
        background,
        n,
        records_with_values(profiles),
        labels=labels,
        max_iterations=int(settings["match_em_iterations"]),
        tf_max_bits=float(settings["match_tf_max_bits"]),
    )
