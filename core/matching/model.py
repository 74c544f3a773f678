"""The Fellegi–Sunter match model: how much each comparison level says.

For each comparison level the model holds ``m`` (how often true duplicates
land on that level) and ``u`` (how often two *different* customers do),
and a prior ``λ``: the probability that two random records are the same
customer. A pair's match weight in bits is::

    log2(λ / (1 - λ)) + Σ_k log2(m_k / u_k)

and its score is the match probability ``1 / (1 + 2^-weight)``. How the
parameters are learnt from the data is :mod:`core.matching.training`'s business;
this module holds them and applies them.

**Frequency adjustment.** Agreeing on 王伟 (hundreds of records) says less
than agreeing on 欧阳娜娜, and a switchboard shared by 300 says little. For
frequency-adjusted levels the weight moves by ``log2(p̄ / p_v)`` bits, where
``p_v`` is the agreed value's share of records and ``p̄ = Σ_w p_w²`` the
chance that two random records agree at all: different customers agree on
``v`` in proportion to ``p_v²`` and duplicates in proportion to ``p_v``. The
shift is capped at ``± tf_max_bits``; shares divide by the record count at
training time, so a stored pair's score does not drift as unrelated records
arrive.

**Dependent evidence.** Colleagues share a company, its address, its
switchboard and its district all at once; a name and the e-mail built from
it say one thing twice. The comparisons of one group
(:data:`core.matching.evidence.GROUPS`) count as one piece of evidence: of their
agreements only the strongest counts, while every disagreement still
counts. And different customers who share a mobile are mostly one
household, where a shared surname and address are the rule: ``u`` of
some comparisons is held per context (:data:`~core.matching.evidence.CONTEXTS`),
so that P(evidence | different) is the chain ``P(contact | different) ·
P(name, place | contact, different)``.

A model is immutable and versioned; proposals record the version that
scored them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from core.errors import InputError
from core.matching.comparisons import COMPARISONS
from core.matching.evidence import CONTEXTS, GROUPS, MONOTONE, pair_context

LEVELS = [len(c.levels) for c in COMPARISONS]
"""Number of levels of each comparison, in :data:`COMPARISONS` order."""
WIDTH = max(LEVELS)
NAMES = [c.name for c in COMPARISONS]
FLOOR = 1e-7
"""No level is impossible: a probability of 0 would veto a pair."""

Vector = tuple[float, ...]
_GROUP_COLUMNS = [[NAMES.index(c) for c in members] for members in GROUPS.values()]


@dataclass(frozen=True, slots=True)
class Model:
    """Estimated parameters (probabilities per level, in
    :data:`core.matching.comparisons.COMPARISONS` order).

    Attributes:
        prior: λ, the probability that two random records match.
        m: P(level | same customer).
        u: P(level | different customers), in no particular context.
        context_u: per context of :data:`~core.matching.evidence.CONTEXTS`, per
            comparison it conditions, P(level | different customers in that
            context).
        tf_records: per comparison, the number of records with a value at
            training time (the denominator of ``p_v``; 0: no adjustment).
        tf_mean: per comparison, ``p̄``, the chance that two random records
            agree on a value (0: no adjustment).
        tf_max_bits: cap of the frequency adjustment.
        pairs: candidate pairs the model was fitted on.
        iterations: EM iterations run.
    """

    prior: float
    m: tuple[Vector, ...]
    u: tuple[Vector, ...]
    context_u: tuple[tuple[Vector, ...], ...]
    tf_records: tuple[int, ...]
    tf_mean: tuple[float, ...]
    tf_max_bits: float
    pairs: int
    iterations: int
    source: str = "store"
    """Where the weights come from: ``store`` (learnt from the store's own
    pairs, leaning on the reference model's picture of duplicates),
    ``reference`` (the reference model: too few pairs to learn from) or
    ``reference+frequencies`` (the reference model with the store's own
    value frequencies: its records carry a single kind of evidence, from
    which EM cannot learn how duplicates differ)."""

    @property
    def version(self) -> str:
        """A short content hash: equal parameters give equal versions."""
        return "fs2-" + hashlib.sha256(self.to_json().encode()).hexdigest()[:12]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Model:
        """Load a stored model.

        Raises:
            InputError: the model was made for other comparison levels.
        """
        data = json.loads(text)
        shape = [len(conditioned) for _, _, conditioned in CONTEXTS]
        if [len(x) for x in data["m"]] != LEVELS or [
            len(c) for c in data.get("context_u", [])
        ] != shape:
            raise InputError(
                "the stored match model was made by an older version of the engine; "
                "retrain it with: python -m core match --db DB --retrain"
            )
        return cls(
            prior=float(data["prior"]),
            m=_vectors(data["m"]),
            u=_vectors(data["u"]),
            context_u=tuple(_vectors(c) for c in data["context_u"]),
            tf_records=tuple(map(int, data["tf_records"])),
            tf_mean=tuple(map(float, data["tf_mean"])),
            tf_max_bits=float(data["tf_max_bits"]),
            pairs=int(data["pairs"]),
            iterations=int(data["iterations"]),
            source=str(data.get("source", "store")),
        )

    def level_bits(self) -> np.ndarray:
        """``[comparisons, 1 + max levels]`` weights in bits outside any
        context; column 0 is the NULL level (always 0), column ``1 + l`` is
        level ``l``."""
        table: np.ndarray = bits_tables(self.m, self.u, self.context_u)[0]
        return table

    @property
    def prior_bits(self) -> float:
        return float(np.log2(self.prior / (1 - self.prior)))


def bits_tables(
    m: Sequence[Sequence[float] | np.ndarray],
    u: Sequence[Sequence[float] | np.ndarray],
    context_u: Sequence[Sequence[Sequence[float] | np.ndarray]],
) -> np.ndarray:
    """``[1 + contexts, comparisons, 1 + max levels]`` level weights in bits:
    table 0 outside any context, table ``c`` in context ``c``."""
    tables = np.zeros((1 + len(CONTEXTS), len(COMPARISONS), WIDTH + 1))
    for k, (mk, uk) in enumerate(zip(m, u, strict=True)):
        tables[:, k, 1 : len(mk) + 1] = np.log2(np.asarray(mk) / np.asarray(uk))
    for c, per_context in enumerate(context_u, start=1):
        for name, uk in zip(CONTEXTS[c - 1][2], per_context, strict=True):
            k = NAMES.index(name)
            tables[c, k, 1 : len(uk) + 1] = np.log2(np.asarray(m[k]) / np.asarray(uk))
    for name, chains in MONOTONE.items():  # closer agreement never weighs less
        k = NAMES.index(name)
        mass = np.asarray(m[k], dtype=np.float64)
        for table in tables:
            _monotone(table[k], chains, mass)
    return tables


def _monotone(row: np.ndarray, chains: Sequence[Sequence[int]], mass: np.ndarray) -> None:
    """Make ``row`` (column 0 NULL, ``1 + level``) non-increasing along every
    chain. Chains share levels (the exact level heads several), so pooling
    one chain can upset another: the passes repeat until none moves a value,
    and a last running minimum, which only ever lowers a level, settles any
    order the averages leave."""
    for _ in range(10):
        before = row.copy()
        for chain in chains:
            at = [level + 1 for level in chain]
            row[at] = decreasing(row[at], mass[list(chain)])
        if np.allclose(before, row, rtol=0, atol=1e-12):
            break
    moved = True
    while moved:
        moved = False
        for chain in chains:
            for before_level, after_level in zip(chain, chain[1:], strict=False):
                if row[after_level + 1] > row[before_level + 1]:
                    row[after_level + 1] = row[before_level + 1]
                    moved = True


def decreasing(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The non-increasing sequence nearest to ``values`` in weighted least
    squares (pool adjacent violators): a level that outweighs a closer one
    is averaged with it, the better-observed level (more weight) moving less.

    Example:
        >>> decreasing(np.array([5.0, 8.0, 1.0]), np.array([1.0, 1.0, 1.0])).tolist()
        [6.5, 6.5, 1.0]
    """
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value, weight in zip(values.tolist(), np.maximum(weights, 1e-12).tolist(), strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            mean, w, n = blocks.pop()
            prev = blocks[-1]
            total = prev[1] + w
            prev[0] = (prev[0] * prev[1] + mean * w) / total
            prev[1], prev[2] = total, prev[2] + n
    return np.array([mean for mean, _, n in blocks for _ in range(int(n))])


def raw_bits(tables: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Each pair's level weights ``[pairs, comparisons]`` from
    :func:`bits_tables`, read in the pair's own context; no frequency
    adjustment, no pooling."""
    k = np.arange(len(COMPARISONS))
    context = pair_context(levels).astype(np.int64)
    picked: np.ndarray = tables[context[:, None], k[None, :], levels.astype(np.int64) + 1]
    return picked


def match_bits(model: Model, levels: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each comparison's contribution in bits, ``[pairs, comparisons]``.

    The level weight in the pair's context, plus the frequency adjustment
    where ``counts`` (how many records carry the agreed value) is positive,
    with the pooling of :data:`core.matching.evidence.GROUPS` applied: within a
    group, agreements other than the strongest contribute 0. The row sums
    plus :attr:`Model.prior_bits` are the pairs' match weights.
    """
    tables = bits_tables(model.m, model.u, model.context_u)
    shift = tf_shift(levels, counts, model.tf_records, model.tf_mean, model.tf_max_bits)
    return pool(raw_bits(tables, levels) + shift)


def probability(model: Model, bits: np.ndarray) -> np.ndarray:
    """Match probability of each pair from its contributions ``[pairs, comparisons]``."""
    return to_probability(model.prior_bits + bits.sum(axis=1))


def to_probability(weight: np.ndarray) -> np.ndarray:
    """Match probability from a match weight in bits."""
    return np.asarray(1.0 / (1.0 + np.exp2(-np.clip(weight, -60, 60))))


def tf_shift(
    levels: np.ndarray,
    counts: np.ndarray,
    records: Sequence[int],
    mean: Sequence[float],
    cap: float,
) -> np.ndarray:
    """The frequency adjustment in bits, ``log2(p̄ / p_v)`` capped at ``± cap``
    (see the module docstring); 0 where no value is adjusted."""
    out = np.zeros(levels.shape, dtype=np.float64)
    for k, comp in enumerate(COMPARISONS):
        if not comp.tf_levels or mean[k] <= 0:
            continue
        column = counts[:, k]
        adjusted = np.flatnonzero(np.isin(levels[:, k], comp.tf_levels) & (column > 0))
        ratio = mean[k] * max(records[k], 1) / column[adjusted]
        out[adjusted, k] = np.clip(np.log2(ratio), -cap, cap)
    return out


def pool(bits: np.ndarray) -> np.ndarray:
    """Within each group of dependent comparisons, zero every agreement but
    the strongest (disagreements all count)."""
    bits = np.array(bits, dtype=np.float64)
    for cols in _GROUP_COLUMNS:
        block = bits[:, cols]
        positive = np.maximum(block, 0.0)
        strongest = positive.argmax(axis=1)[:, None]
        pooled = np.minimum(block, 0.0)
        np.put_along_axis(pooled, strongest, np.take_along_axis(block, strongest, axis=1), axis=1)
        bits[:, cols] = pooled
    return bits


def normalise(x: np.ndarray | Sequence[float]) -> np.ndarray:
    """A probability vector from non-negative weights, no entry below :data:`FLOOR`."""
    p = np.maximum(np.asarray(x, dtype=np.float64), 0)
    p = np.maximum(p / p.sum(), FLOOR)
    return np.asarray(p / p.sum())


def _vectors(rows: Sequence[Sequence[float]]) -> tuple[Vector, ...]:
    return tuple(tuple(map(float, row)) for row in rows)
