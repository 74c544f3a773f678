"""Blocking: which pairs of records are worth scoring.

Comparing every record with every other is quadratic. Blocking pairs up
only records that share something strong. Several keys are used, so that
true duplicates sharing *anything* strong meet at least once:

* the same mobile (E.164), e-mail, WeChat id or resident id number;
* the same name key in the same city, or at the same company;
* the same street address (district + normalized remainder);
* the same landline with the same surname (a switchboard alone is weak).

**Frequent keys.** A company switchboard shared by 300 people, or 王伟 in
Beijing, would yield tens of thousands of pairs that say little. A block
larger than ``blocking_max_block`` is not paired all-to-all: its records
are sorted by a secondary attribute (the name key, then the mobile) and
each is paired with its ``blocking_window`` nearest neighbours. Near
duplicates sort next to each other, so recall is kept where it matters and
the pair count stays linear in the block size.

Invariants (tested): every candidate pair has ``id_l < id_r`` and occurs
at most once; ``keys`` is the bitmask of the blocking keys that produced it
(see :data:`KEYS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from core.settings import Settings
from core.store import Store


@dataclass(frozen=True, slots=True)
class BlockingKey:
    """One way for two records to meet: the key columns that must all be
    non-empty and equal."""

    name: str
    columns: tuple[str, ...]


KEYS: tuple[BlockingKey, ...] = (
    BlockingKey("mobile", ("mobile_key",)),
    BlockingKey("email", ("email",)),
    BlockingKey("wechat", ("wechat",)),
    BlockingKey("id_number", ("id_number",)),
    BlockingKey("name_city", ("name_key", "city")),
    BlockingKey("name_company", ("name_key", "company_key")),
    BlockingKey("address", ("district", "address_key")),
    BlockingKey("landline_surname", ("phone_key", "name_surname")),
)
"""The blocking keys; a pair's ``keys`` bit ``i`` means ``KEYS[i]`` matched."""

KEY_COLUMNS = ("id", "mobile_key", "phone_key", "email", "wechat", "id_number", "name_key",
               "name_surname", "city", "company_key", "district", "address_key")  # fmt: skip

_SELECT = """
select s.record_id as id,
       case when s.mobile_kind = 'mobile' then s.mobile
            when s.phone_kind = 'mobile' then s.phone else '' end as mobile_key,
       case when s.phone_kind = 'fixed_line' then s.phone
            when s.mobile_kind = 'fixed_line' then s.mobile else '' end as phone_key,
       case when s.email_status in ('valid', 'suspect') then s.email else '' end as email,
       case when s.wechat_status = 'valid' then s.wechat else '' end as wechat,
       case when s.id_number_status = 'valid' then s.id_number else '' end as id_number,
       s.name_key, s.name_surname, s.city, s.company_key, s.district, s.address_key
from standardized s
"""


def load_keys(store: Store) -> pd.DataFrame:
    """The blocking columns of every standardized record, one row each."""
    frame = pd.read_sql_query(_SELECT, store.conn, dtype=str)
    return cast(pd.DataFrame, frame.astype({"id": np.int64}))


def candidate_pairs(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Candidate pairs over ``frame`` (columns :data:`KEY_COLUMNS`).

    Args:
        frame: one row per record, as returned by :func:`load_keys`.
        settings: ``blocking_max_block`` and ``blocking_window``.

    Returns:
        A frame with ``id_l < id_r`` (int64), unique pairs, and ``keys`` (the
        bitmask of the blocking keys that produced each pair), sorted by
        ``(id_l, id_r)``.

    Example:
        >>> f = pd.DataFrame({c: [""] * 3 for c in KEY_COLUMNS})
        >>> f["id"] = [3, 1, 2]; f["mobile_key"] = ["+8613812345678"] * 2 + [""]
        >>> candidate_pairs(f, Settings()).values.tolist()
        [[1, 3, 1]]
    """
    frame = frame.reset_index(drop=True)
    max_block = int(settings["blocking_max_block"])
    window = int(settings["blocking_window"])
    parts = []
    for bit, key in enumerate(KEYS):
        pairs = _pairs_for_key(frame, key.columns, max_block, window)
        if len(pairs):
            pairs["keys"] = np.int64(1 << bit)
            parts.append(pairs)
    if not parts:
        return _no_pairs("keys")
    every = pd.concat(parts, ignore_index=True)
    # A pair found by several keys keeps one row with all of their bits.
    merged = every.groupby(["id_l", "id_r"], sort=True, as_index=False)["keys"].agg(
        np.bitwise_or.reduce
    )
    return cast(pd.DataFrame, merged.astype(np.int64))


def _pairs_for_key(
    frame: pd.DataFrame, columns: tuple[str, ...], max_block: int, window: int
) -> pd.DataFrame:
    present = frame[(frame[list(columns)] != "").all(axis=1)][
        ["id", *columns, "name_key", "mobile_key"]
    ]
    present = present.loc[:, ~present.columns.duplicated()]
    if present.empty:
        return _no_pairs()
    block = present.groupby(list(columns), sort=False)["id"].transform("size")
    small = present[(block > 1) & (block <= max_block)]
    large = present[block > max_block]
    found = [_all_pairs(small, columns), _windowed_pairs(large, columns, window)]
    return pd.concat(found, ignore_index=True)


def _all_pairs(records: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    if records.empty:
        return _no_pairs()
    joined = records[["id", *columns]].merge(
        records[["id", *columns]], on=list(columns), suffixes=("_l", "_r")
    )
    joined = joined[joined["id_l"] < joined["id_r"]]
    return cast(pd.DataFrame, joined[["id_l", "id_r"]].reset_index(drop=True))


def _windowed_pairs(records: pd.DataFrame, columns: tuple[str, ...], window: int) -> pd.DataFrame:
    """Sorted neighbourhood inside each oversized block."""
    if records.empty or window < 1:
        return _no_pairs()
    secondary = [c for c in ("name_key", "mobile_key") if c not in columns]
    ordered = records.sort_values([*columns, *secondary, "id"], kind="stable")
    ids = ordered["id"].to_numpy(np.int64)
    group = ordered.groupby(list(columns), sort=False).ngroup().to_numpy()
    lefts, rights = [], []
    for offset in range(1, window + 1):
        same = group[offset:] == group[:-offset]
        a, b = ids[:-offset][same], ids[offset:][same]
        lefts.append(np.minimum(a, b))
        rights.append(np.maximum(a, b))
    pairs: pd.DataFrame = pd.DataFrame(
        {"id_l": np.concatenate(lefts), "id_r": np.concatenate(rights)}
    )
    return pairs


def _no_pairs(*extra: str) -> pd.DataFrame:
    empty: pd.DataFrame = pd.DataFrame({c: [] for c in ("id_l", "id_r", *extra)}, dtype=np.int64)
    return empty
