"""Training: the match model's parameters, learnt from the data itself.

:func:`fit` estimates a :class:`~core.matching.model.Model` from the candidate pairs
of a store and a sample of random record pairs, by expectation–maximisation
(EM). Nothing is tuned to one data source; steward labels, where they
exist, refine the estimate.

* ``m`` (how duplicates agree) and the prior ``λ`` come from EM over the
  candidate pairs: each round scores the pairs with the current parameters
  (frequency adjustment included, so agreeing on 王伟 is weighed as scoring
  will weigh it), takes the expected duplicates, and re-estimates ``m`` as
  their level shares and ``λ`` as their number over all record pairs.
* ``u`` (how *different* customers agree) comes from random record pairs,
  except where that sample would mislead:

  - **Exact levels are counted, not sampled.** Two records sharing a
    mobile are usually one customer, so a random sample of pairs holds
    about as many duplicates sharing a mobile as different customers doing
    so, and a sampled ``u`` makes a shared mobile look ten times weaker than
    it is (Splink's estimate has the same bias). For the levels of
    :data:`~core.matching.evidence.EXACT_LEVELS` every pair at the level is a
    candidate or is counted from value frequencies, so ``u`` is the
    different customers among them (all, less the expected duplicates) over
    all pairs of different customers.
  - **Name and sex in context.** Among different customers who share a
    mobile (a household) or a workplace, surnames agree far more often than
    between random records, and sexes differ more often (spouses). For the
    comparisons a context of :data:`~core.matching.evidence.CONTEXTS` conditions,
    the share of agreement among different customers is re-estimated in
    that context from the expected non-duplicates there (shrunk towards the
    random-pair share by :data:`_CONTEXT_PRIOR` pseudo-pairs).

* Labelled pairs (1 known duplicate, 0 known different) keep their label
  throughout.
* **What duplicates look like can come from elsewhere.** ``m`` may start
  from a prior (the reference model's, learnt from synthetic data of every
  kind; :mod:`core.matching.reference`) weighing ``prior_pairs`` duplicates:
  a level the store's duplicates rarely reach then keeps a sensible weight
  instead of one made of pseudo-counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.matching.comparisons import COMPARISONS
from core.matching.evidence import AGREEMENT, CONTEXTS, EXACT_LEVELS, pair_context
from core.matching.model import LEVELS, NAMES, Model, bits_tables, normalise, pool, raw_bits
from core.matching.model import to_probability as _probability


def fit(
    levels: np.ndarray,
    background: np.ndarray,
    record_count: int,
    tf_records: list[int],
    tf_mean: list[float] | None = None,
    *,
    shift: np.ndarray | None = None,
    unseen: dict[int, float] | None = None,
    labels: np.ndarray | None = None,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
    tf_max_bits: float = 8.0,
    prior_m: Sequence[Sequence[float] | np.ndarray] | None = None,
    prior_pairs: float = 0.0,
) -> Model:
    """Estimate a model.

    Args:
        levels: int8 ``[pairs, comparisons]`` of the candidate pairs.
        background: int8 ``[pairs, comparisons]`` of random record pairs.
        record_count: number of records (for the number of all pairs).
        tf_records: per comparison, records with a value (see :class:`Model`).
        tf_mean: per comparison, ``p̄`` of the frequency adjustment.
        shift: ``[pairs, comparisons]`` frequency adjustment of each
            candidate in bits (:func:`core.matching.model.tf_shift`), so that EM
            weighs agreeing on 王伟 as scoring will; None: no adjustment.
        unseen: per comparison index with an exact level, the pairs at that
            level that are not candidates (inside blocks too big to pair
            fully); comparisons left out keep a sampled ``u``.
        labels: optional int8 per candidate pair: 1 known duplicate, 0 known
            different, -1 unknown.
        max_iterations, tolerance: EM stops when λ moves by less than
            ``tolerance`` (relative) or after ``max_iterations``.
        tf_max_bits: cap of the frequency adjustment, stored in the model.
        prior_m: per comparison, the level shares of duplicates to start
            from (None: a neutral start, strongest level likeliest).
        prior_pairs: how many duplicates the prior weighs against the data's.

    Returns:
        The fitted :class:`Model`; deterministic for equal inputs.

    Raises:
        InputError: no candidate or background pairs to learn from.
    """
    if len(levels) == 0 or len(background) == 0:
        raise InputError("no record pairs to fit a match model on; import more records first")
    known = labels if labels is not None else np.full(len(levels), -1, dtype=np.int8)
    mean = list(tf_mean or [0.0] * len(COMPARISONS))
    if shift is None:
        shift = np.zeros(levels.shape, dtype=np.float32)
    patterns = _patterns(levels, shift, known)
    shifted = patterns.levels.astype(np.int64) + 1  # 0 = NULL
    times = patterns.times
    sampled = _sampled_frequencies(background)
    u = [normalise(f[1:]) for f in sampled]
    if prior_m is not None and len(prior_m) != len(LEVELS):
        raise InputError("the prior match model was made for other comparisons")
    start = [normalise(0.05 ** np.arange(n)) for n in LEVELS]
    m = [normalise(prior_m[k]) for k in range(len(LEVELS))] if prior_m is not None else start
    pseudo = [
        prior_pairs * np.asarray(m[k]) if prior_m is not None else np.zeros(n)
        for k, n in enumerate(LEVELS)
    ]
    conditioned = [[NAMES.index(name) for name in names] for _, _, names in CONTEXTS]
    context_u = [[u[k].copy() for k in ks] for ks in conditioned]
    context = pair_context(patterns.levels)
    all_pairs = max(record_count * (record_count - 1) / 2, 1.0)
    prior, iterations = min(len(levels) / all_pairs, 0.5), 0
    exact = {
        k: (EXACT_LEVELS[c.name][0], float(unseen[k]))
        for k, c in enumerate(COMPARISONS)
        if unseen and c.name in EXACT_LEVELS and k in unseen
    }
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        tables = bits_tables(m, u, context_u)
        bits = pool(raw_bits(tables, patterns.levels) + patterns.shift)
        weight = np.log2(prior / (1 - prior)) + bits.sum(axis=1)
        known = patterns.known
        r = np.where(known == 1, 1.0, np.where(known == 0, 0.0, _probability(weight)))
        m = [_level_shares(shifted[:, k], r * times, n, pseudo[k]) for k, n in enumerate(LEVELS)]
        matches = float((r * times).sum())
        for k, (level, outside) in exact.items():
            at = shifted[:, k] == level + 1
            different = float((times[at] * (1.0 - r[at])).sum()) + outside
            u[k] = _counted_u(sampled[k], level, different, all_pairs - matches)
        for c in range(len(CONTEXTS)):
            inside = context == c + 1
            for j, k in enumerate(conditioned[c]):
                sides = AGREEMENT[NAMES[k]]
                weights = (1.0 - r[inside]) * times[inside]
                context_u[c][j] = _context_u(shifted[inside, k], weights, u[k], sides)
        moved = float(np.clip(matches / all_pairs, 1e-12, 0.5))
        done = abs(moved - prior) <= tolerance * prior
        prior = moved
        if done:
            break
    return Model(
        prior=_round(prior),
        m=tuple(tuple(map(_round, a)) for a in m),
        u=tuple(tuple(map(_round, a)) for a in u),
        context_u=tuple(tuple(tuple(map(_round, a)) for a in c) for c in context_u),
        tf_records=tuple(int(x) for x in tf_records),
        tf_mean=tuple(map(_round, mean)),
        tf_max_bits=float(tf_max_bits),
        pairs=len(levels),
        iterations=iterations,
    )


def _sampled_frequencies(background: np.ndarray) -> list[np.ndarray]:
    """Level frequencies among random pairs, NULL (index 0) included, with a
    pseudo-count of one half per level."""
    base = background.astype(np.int64) + 1
    return [
        (np.bincount(base[:, k], minlength=n + 1) + 0.5) / (len(base) + 0.5 * (n + 1))
        for k, n in enumerate(LEVELS)
    ]


def _counted_u(sampled: np.ndarray, level: int, different: float, non_matches: float) -> np.ndarray:
    """``u`` of one comparison whose ``level`` is an exact agreement.

    Every pair at that level is a candidate or was counted from value
    frequencies, so the ``different`` customers among them (candidates at
    the level less their expected duplicates, plus the others) are known;
    one pseudo-pair keeps the level possible. The other levels keep their
    sampled frequencies: duplicates are too rare among random pairs to bias
    those.
    """
    freq = np.array(sampled, dtype=np.float64)
    freq[level + 1] = (different + 1.0) / max(non_matches, 1.0)
    return normalise(freq[1:])


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Distinct candidate rows and how many candidates share each."""

    levels: np.ndarray
    shift: np.ndarray
    known: np.ndarray
    times: np.ndarray


def _patterns(levels: np.ndarray, shift: np.ndarray, known: np.ndarray) -> _Patterns:
    """Candidates grouped by (levels, frequency adjustment to 1/64 bit,
    label): EM's work is per distinct row, weighted by its count."""
    step = np.round(shift * 64).astype(np.int16)
    key = np.ascontiguousarray(
        np.concatenate([levels.astype(np.int16), step, known.astype(np.int16)[:, None]], axis=1)
    )
    rows = key.view(np.dtype((np.void, key.dtype.itemsize * key.shape[1]))).ravel()
    _, first, times = np.unique(rows, return_index=True, return_counts=True)
    return _Patterns(levels[first], step[first] / 64.0, known[first], times.astype(np.float64))


_CONTEXT_PRIOR = 20.0
"""Pseudo-pairs at the random-pair rate in each context's estimate: a store
with thousands of households learns their rate; one with a handful of
different customers sharing an e-mail keeps close to the random rate
instead of reading its namesakes as a household's rule."""


def _context_u(
    shifted: np.ndarray,
    weight: np.ndarray,
    random_u: np.ndarray,
    sides: tuple[tuple[int, ...], tuple[int, ...]],
) -> np.ndarray:
    """``u`` of a conditioned comparison in one context: the random-pair
    ``u`` with its agreeing and disagreeing levels rescaled so that they
    share the context's own agreement rate among expected non-duplicates
    (``weight``), shrunk towards the random rate by one pseudo-pair.

    One rate per context, not one ``u`` per level: pairs with little other
    evidence (王先生 and a full name on one mobile) could otherwise be
    explained away as a level of their own."""
    agree, disagree = list(sides[0]), list(sides[1])
    counts = np.bincount(shifted, weights=weight, minlength=len(random_u) + 1)[1:]
    base = float(random_u[agree].sum()) / float(random_u[agree + disagree].sum())
    rate = (float(counts[agree].sum()) + _CONTEXT_PRIOR * base) / (
        float(counts[agree + disagree].sum()) + _CONTEXT_PRIOR
    )
    out = np.array(random_u, dtype=np.float64)
    out[agree] *= rate / base
    out[disagree] *= (1.0 - rate) / (1.0 - base)
    return normalise(out)


def _level_shares(
    column: np.ndarray, weight: np.ndarray, size: int, prior: np.ndarray
) -> np.ndarray:
    counts = np.bincount(column, weights=weight, minlength=size + 1)[1:]
    # the prior's pseudo-duplicates, and a Jeffreys-style half: no level is impossible
    return normalise(counts + prior + 0.5)


def _round(x: float) -> float:
    return float(f"{x:.6g}")
