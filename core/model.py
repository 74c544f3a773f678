"""The Fellegi–Sunter match model: how much each comparison level says.

For each comparison level the model holds ``m`` (how often true duplicates
land on that level) and ``u`` (how often two random records do), and a
prior ``λ``: the probability that two random records are the same
customer. A pair's match weight in bits is::

    log2(λ / (1 - λ)) + Σ_k log2(m_k / u_k)

and its score is the match probability ``1 / (1 + 2^-weight)``.

**Estimation, on the data itself.** ``u`` is measured on random record
pairs (nearly all of them different customers). ``m`` and ``λ`` are
estimated by expectation–maximisation on the candidate pairs: each round
scores the pairs, takes the expected duplicates as the new ``m``, and sets
``λ`` to the expected number of duplicates over the number of all record
pairs. Pairs a steward has labelled keep their label during EM, so
feedback refines the parameters. Nothing is tuned to one data source.

**Frequency adjustment.** For frequency-adjusted levels the weight uses the
agreed value's own frequency ``p_v`` instead of the level's average ``u``:
``log2(m / p_v)``. Agreeing on 王伟 (thousands of records) says less than
agreeing on 欧阳娜娜, and a switchboard shared by 300 says little. The
shift is capped at ``± tf_max_bits``; ``p_v`` divides by the record count
at training time, so a stored pair's score does not drift as unrelated
records arrive.

**Dependent evidence.** Colleagues share a company, its address, its
switchboard and its district all at once; family members share an address
and a landline. Counting each as independent evidence would merge
colleagues. The comparisons of one group (:data:`core.comparisons.GROUPS`)
therefore count as one piece of evidence: of their agreements only the
strongest counts, while every disagreement still counts.

A model is immutable and versioned; proposals record the version that
scored them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np

from core.comparisons import COMPARISONS, GROUPS
from core.errors import InputError

_LEVELS = [len(c.levels) for c in COMPARISONS]
_WIDTH = max(_LEVELS)
_FLOOR = 1e-7  # no level is impossible: a probability of 0 would veto a pair
_NAMES = [c.name for c in COMPARISONS]


@dataclass(frozen=True, slots=True)
class Model:
    """Estimated parameters (probabilities per level, in
    :data:`core.comparisons.COMPARISONS` order).

    Attributes:
        prior: λ, the probability that two random records match.
        m: P(level | same customer).
        u: P(level | two random records).
        tf_records: per comparison, the number of records with a value at
            training time (the denominator of ``p_v``; 0: no adjustment).
        tf_max_bits: cap of the frequency adjustment.
        pairs: candidate pairs the model was fitted on.
        iterations: EM iterations run.
    """

    prior: float
    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    tf_records: tuple[int, ...]
    tf_max_bits: float
    pairs: int
    iterations: int

    @property
    def version(self) -> str:
        """A short content hash: equal parameters give equal versions."""
        return "fs1-" + hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Load a stored model.

        Raises:
            InputError: the model was made for other comparison levels.
        """
        data = json.loads(text)
        if [len(x) for x in data["m"]] != _LEVELS:
            raise InputError(
                "the stored match model was made for other comparison levels; "
                "retrain it with: python -m core match --db DB --retrain"
            )
        return cls(
            prior=float(data["prior"]),
            m=tuple(tuple(map(float, x)) for x in data["m"]),
            u=tuple(tuple(map(float, x)) for x in data["u"]),
            tf_records=tuple(map(int, data["tf_records"])),
            tf_max_bits=float(data["tf_max_bits"]),
            pairs=int(data["pairs"]),
            iterations=int(data["iterations"]),
        )

    def level_bits(self) -> np.ndarray:
        """``[comparisons, 1 + max levels]`` weights in bits; column 0 is the
        NULL level (always 0), column ``1 + l`` is level ``l``."""
        return _table(self.m, self.u)

    @property
    def prior_bits(self) -> float:
        return float(np.log2(self.prior / (1 - self.prior)))


def fit(
    levels: np.ndarray,
    background: np.ndarray,
    record_count: int,
    tf_records: list[int],
    *,
    labels: np.ndarray | None = None,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
    tf_max_bits: float = 8.0,
) -> Model:
    """Estimate a model.

    Args:
        levels: int8 ``[pairs, comparisons]`` of the candidate pairs.
        background: int8 ``[pairs, comparisons]`` of random record pairs.
        record_count: number of records (for the number of all pairs).
        tf_records: per comparison, records with a value (see :class:`Model`).
        labels: optional int8 per candidate pair: 1 known duplicate, 0 known
            different, -1 unknown. Known pairs keep their label during EM.
        max_iterations, tolerance: EM stops when λ moves by less than
            ``tolerance`` (relative) or after ``max_iterations``.
        tf_max_bits: cap of the frequency adjustment, stored in the model.

    Returns:
        The fitted :class:`Model`; deterministic for equal inputs.

    Raises:
        InputError: no candidate or background pairs to learn from.
    """
    if len(levels) == 0 or len(background) == 0:
        raise InputError("no record pairs to fit a match model on; import more records first")
    shifted = levels.astype(np.int64) + 1  # 0 = NULL
    known = labels if labels is not None else np.full(len(levels), -1, dtype=np.int8)
    base = background.astype(np.int64) + 1
    u = [_normalise(np.bincount(base[:, k], minlength=n + 1)[1:] + 0.5)
         for k, n in enumerate(_LEVELS)]  # fmt: skip
    m = [_normalise(0.25 ** np.arange(n)) for n in _LEVELS]
    all_pairs = max(record_count * (record_count - 1) / 2, 1.0)
    prior, iterations = min(len(levels) / all_pairs, 0.5), 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007
        r = _responsibility(shifted, _table(m, u), prior, known)
        m = [_estimate(shifted[:, k], r, n) for k, n in enumerate(_LEVELS)]
        moved = float(np.clip(r.sum() / all_pairs, 1e-12, 0.5))
        done = abs(moved - prior) <= tolerance * prior
        prior = moved
        if done:
            break
    return Model(
        prior=float(f"{prior:.6g}"),
        m=tuple(tuple(float(f"{x:.6g}") for x in a) for a in m),
        u=tuple(tuple(float(f"{x:.6g}") for x in a) for a in u),
        tf_records=tuple(int(x) for x in tf_records),
        tf_max_bits=float(tf_max_bits),
        pairs=len(levels),
        iterations=iterations,
    )


def match_bits(model: Model, levels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each comparison's contribution in bits, ``[pairs, comparisons]``.

    The level weight, with the frequency adjustment where ``counts`` (how
    many records carry the agreed value) is positive, and with the pooling
    of :data:`core.comparisons.GROUPS` applied: within a group, agreements
    other than the strongest contribute 0. The row sums plus
    :attr:`Model.prior_bits` are the pairs' match weights.
    """
    table = model.level_bits()
    k = np.arange(len(COMPARISONS))
    shifted = levels.astype(np.int64) + 1
    bits = table[k[None, :], shifted]
    adjusted = _tf_mask(levels) & (counts > 0)
    if adjusted.any():
        u = np.zeros(table.shape)
        for j, row in enumerate(model.u):
            u[j, 1 : len(row) + 1] = row
        level_u = u[k[None, :], shifted]
        n = np.maximum(np.asarray(model.tf_records, dtype=np.float64), 1.0)[None, :]
        p_v = np.where(adjusted, counts / n, 1.0)
        shift = np.clip(np.log2(np.where(adjusted, level_u / p_v, 1.0)), -model.tf_max_bits,
                        model.tf_max_bits)  # fmt: skip
        bits = bits + np.where(adjusted, shift, 0.0)
    return _pool(bits)


def probability(model: Model, bits: np.ndarray) -> np.ndarray:
    """Match probability of each pair from its contributions ``[pairs, comparisons]``."""
    total = model.prior_bits + bits.sum(axis=1)
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60))))


def _pool(bits: np.ndarray) -> np.ndarray:
    """Within each group of dependent comparisons, zero every agreement but
    the strongest (disagreements all count)."""
    bits = np.array(bits, dtype=np.float64)
    for members in GROUPS.values():
        cols = [_NAMES.index(c) for c in members]
        block = bits[:, cols]
        strongest = np.where(block > 0, block, 0.0).argmax(axis=1)
        keep = np.zeros(block.shape, dtype=bool)
        keep[np.arange(len(block)), strongest] = True
        bits[:, cols] = np.where((block > 0) & ~keep, 0.0, block)
    return bits


def _tf_mask(levels: np.ndarray) -> np.ndarray:
    mask = np.zeros(levels.shape, dtype=bool)
    for k, comp in enumerate(COMPARISONS):
        for level in comp.tf_levels:
            mask[:, k] |= levels[:, k] == level
    return mask


def _table(m: list[np.ndarray] | tuple[tuple[float, ...], ...], u: object) -> np.ndarray:
    table = np.zeros((len(COMPARISONS), _WIDTH + 1))
    for k, (mk, uk) in enumerate(zip(m, u, strict=True)):  # type: ignore[call-overload]
        table[k, 1 : len(mk) + 1] = np.log2(np.asarray(mk) / np.asarray(uk))
    return table


def _responsibility(
    shifted: np.ndarray, table: np.ndarray, prior: float, known: np.ndarray
) -> np.ndarray:
    contributions = _pool(table[np.arange(len(table))[None, :], shifted])
    bits = np.log2(prior / (1 - prior)) + contributions.sum(axis=1)
    r = 1.0 / (1.0 + np.exp2(-np.clip(bits, -60, 60)))
    return np.where(known == 1, 1.0, np.where(known == 0, 0.0, r))


def _estimate(column: np.ndarray, weight: np.ndarray, size: int) -> np.ndarray:
    counts = np.bincount(column, weights=weight, minlength=size + 1)[1:]
    return _normalise(counts + 0.5)  # Jeffreys-style pseudo-count: no level is impossible


def _normalise(x: np.ndarray) -> np.ndarray:
    p = np.maximum(np.asarray(x, dtype=np.float64), 0)
    p = np.maximum(p / p.sum(), _FLOOR)
    return np.asarray(p / p.sum())
