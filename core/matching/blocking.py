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
  (for data without phones or e-mails, such as FEBRL);
* for names with typos (Alan, Allen, Alen): first and last names that
  sound alike (Soundex, in either order), the birth date alone or with
  either name's sound, either name with the birth year, the last name's
  sound with the birthday or the first initial, the given name (its pet
  forms read as one: Bob, Robert) with the last name's initial or the
  city, the postcode or the city with the last name's sound;
* the e-mail domain, when it is a family's or a firm's own;
* for organisations: each of the name's words (PHILIPS, ELECTRONICS: a
  common word's block is windowed like any big block), the web domain and
  the registration number.

A person and an organisation are never paired.

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

from core.matching.coding import SPACE_OF, Coded
from core.matching.frames import pd
from core.matching.profiles import ORG_TOKENS
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
    BlockingKey("names_sound", (("ph_pair",),)),
    BlockingKey("birth_date", (("birth_date",),)),
    BlockingKey("birth_date_sound", (("birth_date", "first_ph"), ("birth_date", "last_ph"))),
    BlockingKey("name_birth_year", (("first", "b_year"), ("last", "b_year"))),
    BlockingKey("surname_birthday", (("last_ph", "b_month", "b_day"),)),
    BlockingKey("given_initial", (("first_canon", "l_init"),)),
    BlockingKey("surname_initial", (("last_ph", "f_init"),)),
    BlockingKey("given_city", (("first_canon", "city_key"),)),
    BlockingKey("postcode_sound", (("postcode", "last_ph"),)),
    BlockingKey("city_sound", (("city_key", "last_ph"),)),
    BlockingKey("email_domain", (("email_dom",),)),
    BlockingKey("phone_digits", (("tel_m",), ("tel_a",), ("tel_b",))),
    BlockingKey("org_word", tuple((c,) for c in ORG_TOKENS)),
    BlockingKey("domain", (("domain",),)),
    BlockingKey("org_id", (("org_id",),)),
)
"""The blocking keys; a pair's ``keys`` bit ``i`` means ``KEYS[i]`` matched."""

_SECONDARY = ("name_key", "org_sorted", "city", "mob_a", "email")
"""Sort order inside a block: near duplicates become neighbours."""

KEY_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        ["id", "entity", *_SECONDARY, *(c for k in KEYS for src in k.sources for c in src)]
    )
)
"""Profile columns blocking reads (see :mod:`core.matching.profiles`)."""


def candidate_pairs(
    coded: Coded, settings: Settings, new_ids: np.ndarray | None = None
) -> pd.DataFrame:
    """Candidate pairs over the coded profiles (see :class:`core.matching.coding.Coded`).

    Args:
        coded: one row per record.
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
        >>> candidate_pairs(Coded.of(f), Settings()).values.tolist()
        [[1, 3, 1]]
    """
    max_block = int(settings["blocking_max_block"])
    window = int(settings["blocking_window"])
    ids = coded.ids
    n = len(ids)
    fresh = None if new_ids is None else np.isin(ids, np.asarray(new_ids, dtype=np.int64))
    order = np.lexsort([coded.codes[c] for c in reversed(_SECONDARY)])  # secondary sort
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    by_id = np.argsort(ids, kind="stable")
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[by_id] = np.arange(n)
    entity = coded.codes["entity"]
    # Each pair found is packed into one int64: (lower id rank * n + higher
    # id rank) << _BITS | key index. One in-place sort then brings a pair's
    # rows together, in id order, at a fraction of the memory of sorting
    # separate columns (the peak of a million-record run).
    packed = []
    for bit, key in enumerate(KEYS):
        left, right = _pairs_for_key(coded, key, rank, max_block, window)
        keep = entity[left] == entity[right]  # never a person with an organisation
        if fresh is not None:
            keep &= fresh[left] | fresh[right]
        a, b = id_rank[left[keep]], id_rank[right[keep]]
        packed.append(((np.minimum(a, b) * n + np.maximum(a, b)) << _BITS) | bit)
    found = np.concatenate(packed) if packed else np.zeros(0, dtype=np.int64)
    del packed
    if len(found) == 0:
        return _no_pairs("keys")
    found.sort()
    pair = found >> _BITS
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    # A pair found by several keys keeps one row with all of their bits.
    keys = np.bitwise_or.reduceat(np.left_shift(1, found & ((1 << _BITS) - 1)), starts)
    del found
    pair = pair[starts]
    sorted_ids = ids[by_id]
    frame: pd.DataFrame = pd.DataFrame(
        {"id_l": sorted_ids[pair // n], "id_r": sorted_ids[pair % n], "keys": keys}
    )
    return frame


_BITS = max(1, (len(KEYS) - 1).bit_length())
"""Bits of a packed pair that hold the key's index (see :func:`candidate_pairs`)."""


def _pairs_for_key(
    coded: Coded, key: BlockingKey, rank: np.ndarray, max_block: int, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of all pairs inside blocks of at most ``max_block``
    records, and of the ``window`` nearest neighbours inside larger blocks.

    Records are sorted by (block, secondary attributes, id) — ``rank`` is
    the secondary order; pairs are then rows ``i`` and ``i + offset`` of the
    same block, for every offset below the block's size when it is small
    and up to ``window`` when it is large.
    """
    rows, values = [], []
    for source in key.sources:
        codes = [coded.codes[c].astype(np.int64) for c in source]
        present = np.logical_and.reduce([c > 0 for c in codes])
        value = codes[0]
        for column, c in zip(source[1:], codes[1:], strict=True):
            value = value * len(coded.values[SPACE_OF[column]]) + c
        rows.append(np.flatnonzero(present))
        values.append(value[present])
    row, value = np.concatenate(rows), np.concatenate(values)
    if len(key.sources) > 1:  # a record in a block once, whichever column put it there
        unique = np.unique(np.stack([value, row]), axis=1)
        value, row = unique[0], unique[1]
    _, block, sizes = np.unique(value, return_inverse=True, return_counts=True)
    keep = sizes[block] > 1
    if not keep.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    row, block = row[keep], block[keep]
    order = np.lexsort((rank[row], block))
    row, block = row[order], block[order]
    reach = np.where(sizes[block] <= max_block, sizes[block] - 1, window)
    lefts, rights = [], []
    for offset in range(1, int(reach.max(initial=0)) + 1):
        same = (block[offset:] == block[:-offset]) & (reach[:-offset] >= offset)
        if not same.any():
            break
        lefts.append(row[:-offset][same])
        rights.append(row[offset:][same])
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(lefts), np.concatenate(rights)


def _no_pairs(*extra: str) -> pd.DataFrame:
    empty: pd.DataFrame = pd.DataFrame({c: [] for c in ("id_l", "id_r", *extra)}, dtype=np.int64)
    return empty
