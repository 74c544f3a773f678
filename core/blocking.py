"""Blocking: which pairs of records are worth scoring.

Comparing every record with every other is quadratic. Blocking pairs up
only records that share something strong. Several keys are used, so that
true duplicates sharing *anything* strong meet at least once:

* the same mobile (whichever column it was typed into), e-mail, WeChat id
  or id number;
* the same handle (an e-mail local part at another domain, a WeChat id
  used as a mailbox name), or a handle that spells a name (WeChat
  ``huangjuan_9858`` and 黄娟);
* the same name reading in the same city, at the same company, with the
  same birth date, or anywhere (a windowed block when it is common);
* the same street address;
* the same landline with the same surname (a switchboard alone is weak);
* the same birth date with the same surname, or with the same postcode
  (for data without phones or e-mails, such as FEBRL).

**Frequent keys.** A company switchboard shared by 300 people, or 王伟 in
Beijing, would yield tens of thousands of pairs that say little. A block
larger than ``blocking_max_block`` is not paired all-to-all: its records
are sorted by secondary attributes (name reading, city, mobile, e-mail)
and each is paired with its ``blocking_window`` nearest neighbours. Near
duplicates sort next to each other, so recall is kept where it matters and
the pair count stays linear in the block size.

Invariants (tested): every candidate pair has ``id_l < id_r`` and occurs
at most once; ``keys`` is the bitmask of the blocking keys that produced it
(see :data:`KEYS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.settings import Settings


@dataclass(frozen=True, slots=True)
class BlockingKey:
    """One way for two records to meet.

    ``sources`` lists column tuples; a record joins one block per source
    whose columns are all non-empty, keyed by their values. Several sources
    let a number meet its twin whichever column each was typed into.
    """

    name: str
    sources: tuple[tuple[str, ...], ...]


KEYS: tuple[BlockingKey, ...] = (
    BlockingKey("mobile", (("mob_a",), ("mob_b",))),
    BlockingKey("email", (("email",),)),
    BlockingKey("wechat", (("wechat",),)),
    BlockingKey("handle", (("wh",), ("eh",))),
    BlockingKey("handle_name", (("spell",), ("spell_rev",), ("wl",), ("el",))),
    BlockingKey("id_number", (("id_number",),)),
    BlockingKey("name_city", (("name_key", "city"),)),
    BlockingKey("name_company", (("name_key", "company_key"),)),
    BlockingKey("name_birth_date", (("name_key", "birth_date"),)),
    BlockingKey("name", (("name_key",),)),
    BlockingKey("address", (("address_key",),)),
    BlockingKey("landline_surname", (("land_a", "skey"), ("land_b", "skey"))),
    BlockingKey("birth_date_surname", (("birth_date", "skey"),)),
    BlockingKey("birth_date_postcode", (("birth_date", "postcode"),)),
)
"""The blocking keys; a pair's ``keys`` bit ``i`` means ``KEYS[i]`` matched."""

_SECONDARY = ("name_key", "city", "mob_a", "email")
"""Sort order inside a block: near duplicates become neighbours."""

KEY_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(["id", *_SECONDARY, *(c for k in KEYS for src in k.sources for c in src)])
)
"""Profile columns blocking reads (see :mod:`core.profiles`)."""


def candidate_pairs(
    frame: pd.DataFrame, settings: Settings, new_ids: np.ndarray | None = None
) -> pd.DataFrame:
    """Candidate pairs over ``frame`` (profile columns :data:`KEY_COLUMNS`).

    Args:
        frame: one row per record (see :func:`core.profiles.load_profiles`).
        settings: ``blocking_max_block`` and ``blocking_window``.
        new_ids: when given, only pairs with at least one record among these
            ids (incremental matching of a new batch against everything).

    Returns:
        A frame with ``id_l < id_r`` (int64), unique pairs, and ``keys`` (the
        bitmask of the blocking keys that produced each pair), sorted by
        ``(id_l, id_r)``. Every pair of records sharing a key whose block
        holds at most ``blocking_max_block`` records is included.

    Example:
        >>> f = pd.DataFrame({c: [""] * 3 for c in KEY_COLUMNS})
        >>> f["id"] = [3, 1, 2]; f["mob_a"] = ["+8613812345678"] * 2 + [""]
        >>> candidate_pairs(f, Settings()).values.tolist()
        [[1, 3, 1]]
    """
    frame = frame.reset_index(drop=True)
    max_block = int(settings["blocking_max_block"])
    window = int(settings["blocking_window"])
    parts = []
    for bit, key in enumerate(KEYS):
        pairs = _pairs_for_key(frame, key, max_block, window)
        if len(pairs):
            pairs["keys"] = np.int64(1 << bit)
            parts.append(pairs)
    if not parts:
        return _no_pairs("keys")
    every = pd.concat(parts, ignore_index=True)
    if new_ids is not None:
        fresh = np.asarray(new_ids, dtype=np.int64)
        every = every[np.isin(every["id_l"], fresh) | np.isin(every["id_r"], fresh)]
    # A pair found by several keys keeps one row with all of their bits.
    merged: pd.DataFrame = every.groupby(["id_l", "id_r"], sort=True, as_index=False)["keys"].agg(
        np.bitwise_or.reduce
    )  # type: ignore[assignment]
    result: pd.DataFrame = merged.astype(np.int64).reset_index(drop=True)
    return result


def _pairs_for_key(
    frame: pd.DataFrame, key: BlockingKey, max_block: int, window: int
) -> pd.DataFrame:
    """All pairs inside blocks of at most ``max_block`` records, and the
    ``window`` nearest neighbours inside larger blocks.

    Records are sorted by (block, secondary attributes, id); pairs are then
    rows ``i`` and ``i + offset`` of the same block, for every offset below
    the block's size when it is small and up to ``window`` when it is large.
    """
    members = []
    for source in key.sources:
        present = frame[(frame[list(source)] != "").all(axis=1)]
        if present.empty:
            continue
        value = present[source[0]].astype(str)
        for column in source[1:]:
            value = value + "\x1f" + present[column].astype(str)
        members.append(pd.DataFrame({"row": present.index.to_numpy(), "value": value.to_numpy()}))
    if not members:
        return _no_pairs()
    stacked = pd.concat(members, ignore_index=True).drop_duplicates()
    codes, _ = pd.factorize(stacked["value"])
    sizes = np.bincount(codes)
    keep = sizes[codes] > 1
    if not keep.any():
        return _no_pairs()
    rows = stacked["row"].to_numpy()[keep]
    block = codes[keep]
    ordered = frame.loc[rows, [*_SECONDARY, "id"]].assign(_block=block)
    ordered = ordered.sort_values(["_block", *_SECONDARY, "id"], kind="stable")
    ids = ordered["id"].to_numpy(np.int64)
    block = ordered["_block"].to_numpy()
    reach = np.where(sizes[block] <= max_block, sizes[block] - 1, window)
    lefts, rights = [], []
    for offset in range(1, int(reach.max(initial=0)) + 1):
        same = (block[offset:] == block[:-offset]) & (reach[:-offset] >= offset)
        if not same.any():
            break
        a, b = ids[:-offset][same], ids[offset:][same]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
    if not lefts:
        return _no_pairs()
    pairs: pd.DataFrame = pd.DataFrame(
        {"id_l": np.concatenate(lefts), "id_r": np.concatenate(rights)}
    )
    return pairs


def _no_pairs(*extra: str) -> pd.DataFrame:
    empty: pd.DataFrame = pd.DataFrame({c: [] for c in ("id_l", "id_r", *extra)}, dtype=np.int64)
    return empty
