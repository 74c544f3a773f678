"""Scored pairs as columns, and their storage in ``match_pairs``.

Pairs are kept column-wise (numpy arrays), lower id first. The store keeps
each pair's score, its comparison levels as a short text (one character per
comparison, ``-`` where a side lacks the field) and its per-comparison
contributions in bits (float16), enough to explain it later without
rescoring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sqlite_utils

from core.matching.scoring import Scored


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Columns of scored pairs; ``id_l < id_r``, each pair at most once."""

    id_l: np.ndarray
    id_r: np.ndarray
    score: np.ndarray
    levels: np.ndarray
    bits: np.ndarray

    @classmethod
    def of(cls, id_l: np.ndarray, id_r: np.ndarray, scored: Scored) -> ScoredPairs:
        lo, hi = np.minimum(id_l, id_r), np.maximum(id_l, id_r)
        return cls(lo, hi, scored.score, scored.levels, scored.bits)

    @classmethod
    def empty(cls, comparisons: int) -> ScoredPairs:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0), np.zeros((0, comparisons), np.int8),
                   np.zeros((0, comparisons)))  # fmt: skip

    def __len__(self) -> int:
        return len(self.id_l)

    def merged(self, other: ScoredPairs) -> ScoredPairs:
        """Both sets; where a pair is in both, ``other`` wins."""
        if len(other) == 0:
            return self
        if len(self) == 0:
            return other
        id_l = np.concatenate([other.id_l, self.id_l])
        id_r = np.concatenate([other.id_r, self.id_r])
        _, first = np.unique(np.stack([id_l, id_r]), axis=1, return_index=True)
        first = np.sort(first)

        def cat(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return np.concatenate([a, b])[first]

        return ScoredPairs(id_l[first], id_r[first], cat(other.score, self.score),
                           cat(other.levels, self.levels), cat(other.bits, self.bits))  # fmt: skip


def level_codes(levels: np.ndarray) -> np.ndarray:
    """One short text per pair: its level per comparison ('-' for none)."""
    if len(levels) == 0:
        return np.zeros(0, dtype=object)
    chars = np.where(levels < 0, ord("-"), levels.astype(np.int64) + ord("0")).astype(np.uint8)
    as_bytes = np.ascontiguousarray(chars).view(f"S{levels.shape[1]}").ravel()
    return np.char.decode(as_bytes, "ascii").astype(object)


def save_pairs(db: sqlite_utils.Database, pairs: ScoredPairs, run_id: int, keep: float) -> int:
    """Upsert the pairs scoring at least ``keep``; delete the others' stored
    rows (a rescored pair may have fallen below). Returns the rows kept."""
    strong = pairs.score >= keep
    weak = ~strong
    db.conn.executemany(
        "delete from match_pairs where record_id_l = ? and record_id_r = ?",
        zip(pairs.id_l[weak].tolist(), pairs.id_r[weak].tolist(), strict=True),
    )
    codes = level_codes(pairs.levels[strong])
    blobs = np.ascontiguousarray(pairs.bits[strong].astype(np.float16))
    rows = zip(
        pairs.id_l[strong].tolist(),
        pairs.id_r[strong].tolist(),
        np.round(pairs.score[strong], 6).tolist(),
        codes.tolist(),
        [row.tobytes() for row in blobs],
        [run_id] * int(strong.sum()),
        strict=True,
    )
    db.conn.executemany(
        "insert or replace into match_pairs "
        "(record_id_l, record_id_r, score, levels, bits, run_id) values (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return int(strong.sum())
