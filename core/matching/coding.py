"""Profiles as integer codes: what makes comparing millions of pairs cheap.

Comparing two text columns of half a million pairs costs a Python string
comparison per pair; comparing two integer columns costs a few nanoseconds
per pair. :class:`Coded` turns each profile column into integer codes once
per store, so that comparisons (:mod:`core.matching.comparisons`) and blocking
(:mod:`core.matching.blocking`) test equality on integers and touch text only for
the few pairs that need an edit distance.

Invariants:

* code 0 is the empty value; equal non-empty values have equal codes;
* columns of one *space* (:data:`SPACES`) share one dictionary, so a
  mobile in ``mob_a`` equals the same mobile in ``mob_b``;
* codes follow the values' sort order (a block sorted by codes is sorted by
  text), and depend only on the set of values, not on the row order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from core.matching.frames import pd

SPACES: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "word": ("name_key", "word", "key_first", "key_mid", "key_last", "skey"),
    "name_kind": ("name_kind",),
    "char": ("pet", "given_last"),
    "flag": ("han", "full", "email_role"),
    "gender": ("gender",),
    "gender_src": ("gender_src",),
    "mobile": ("mob_a", "mob_b"),
    "landline": ("land_a", "land_b"),
    "land_ext": ("land_ext",),
    "email": ("email",),
    "handle": ("wh", "eh"),
    "spell": ("spell", "spell_rev", "wl", "el"),
    "wechat": ("wechat",),
    "id_number": ("id_number",),
    "birth_date": ("birth_date",),
    "b_year": ("b_year",),
    "b_day": ("b_month", "b_day"),
    "company": ("company_key",),
    "address": ("address_key",),
    "district": ("district",),
    "city": ("city",),
    "province": ("province",),
    "postcode": ("postcode",),
    "city_key": ("city_key",),
    "pc_prefix": ("pc_prefix",),
    "part": ("first", "last", "first_canon"),
    "initial": ("f_init", "l_init"),
    "phonetic": ("first_ph", "last_ph"),
    "ph_pair": ("ph_pair",),
    "email_dom": ("email_dom",),
    "tel": ("tel_m", "tel_a", "tel_b"),
    "entity": ("entity",),
    "org_key": ("org_key",),
    "org_sorted": ("org_sorted",),
    "org_token": tuple(f"org_t{i}" for i in range(1, 9)),
    "domain": ("domain",),
    "org_id": ("org_id",),
}
"""Code spaces: columns whose values are compared with each other."""

SPACE_OF: dict[str, str] = {c: space for space, cols in SPACES.items() for c in cols}

DISTINCT_BY: dict[str, str] = {"org_token": "org_sorted"}
"""Spaces whose values are counted once per distinct value of another column
rather than once per record: a word of an organisation's name is common when
many *different* names hold it (ELECTRONICS), not when one company's name
was entered three hundred times (PHILIPS in a file of Philips patents)."""


@dataclass(slots=True, eq=False)
class Coded:
    """The codes of every profile column, and the text where it is needed.

    Attributes:
        ids: the record ids, in profile order.
        codes: column -> int32 codes (0 = empty), one per profile row.
        values: space -> its sorted distinct values (index 0 is '').
    """

    ids: np.ndarray
    codes: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    _counts: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _lengths: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, profiles: pd.DataFrame) -> Coded:
        """Code a profile frame (see :mod:`core.matching.profiles`)."""
        codes: dict[str, np.ndarray] = {}
        values: dict[str, np.ndarray] = {}
        n = len(profiles)
        for space, columns in SPACES.items():
            present = [c for c in columns if c in profiles.columns]
            if not present:
                continue
            # '' first: sorted factorizing gives it code 0.
            stacked = np.concatenate([[""], *(profiles[c].to_numpy(object) for c in present)])
            found, uniques = pd.factorize(stacked, sort=True)
            values[space] = np.asarray(uniques, dtype=object)
            for i, column in enumerate(present):
                codes[column] = found[1 + i * n : 1 + (i + 1) * n].astype(np.int32)
        return cls(profiles["id"].to_numpy(np.int64), codes, values)

    def text(self, column: str, rows: np.ndarray) -> np.ndarray:
        """The text of ``column`` at profile rows ``rows`` (object array)."""
        out: np.ndarray = self.values[SPACE_OF[column]][self.codes[column][rows]]
        return out

    def lengths(self, column: str) -> np.ndarray:
        """Length of each value of ``column``'s space; index = code."""
        space = SPACE_OF[column]
        if space not in self._lengths:
            self._lengths[space] = np.fromiter(
                (len(v) for v in self.values[space]), dtype=np.int64, count=len(self.values[space])
            )
        return self._lengths[space]

    def counts(self, columns: tuple[str, ...]) -> np.ndarray:
        """How many records hold each code of ``columns``' space in any of
        ``columns`` (a record counts once per value; for a space of
        :data:`DISTINCT_BY`, records with the same value of its column count
        once); index = code."""
        if columns not in self._counts:
            space = SPACE_OF[columns[0]]
            size = len(self.values[space])
            unit = self._units(space)
            rows = np.concatenate([unit] * len(columns))
            codes = np.concatenate([self.codes[c] for c in columns]).astype(np.int64)
            keep = codes > 0
            pairs = np.unique(rows[keep] * size + codes[keep])
            self._counts[columns] = np.bincount(pairs % size, minlength=size).astype(np.float64)
        return self._counts[columns]

    def counts_from(self, columns: tuple[str, ...], tally: Mapping[str, float]) -> np.ndarray:
        """Per-code counts given as ``value -> count`` (values not given: 0)."""
        space = self.values[SPACE_OF[columns[0]]]
        out = np.zeros(len(space), dtype=np.float64)
        if tally:
            found = np.searchsorted(space.astype(str), np.array(list(tally), dtype=str))
            ok = (found < len(space)) & (space[np.minimum(found, len(space) - 1)] == list(tally))
            out[found[ok]] = np.array(list(tally.values()), dtype=np.float64)[ok]
        return out

    def records_with(self, columns: tuple[str, ...]) -> int:
        """How many records hold a value in any of ``columns`` (counted as
        :meth:`counts` counts them)."""
        key = ("records_with", *columns)
        if key not in self._counts:
            held = np.logical_or.reduce([self.codes[c] > 0 for c in columns])
            units = self._units(SPACE_OF[columns[0]])[held]
            found = len(np.unique(units)) if SPACE_OF[columns[0]] in DISTINCT_BY else len(units)
            self._counts[key] = np.array([found], dtype=np.float64)
        return int(self._counts[key][0])

    def _units(self, space: str) -> np.ndarray:
        """What counts once, per profile row: the row itself, or for a space
        of :data:`DISTINCT_BY` the code of its column's value."""
        if space in DISTINCT_BY:
            return self.codes[DISTINCT_BY[space]].astype(np.int64)
        return np.arange(len(self.ids), dtype=np.int64)


def side(coded: Coded, rows: np.ndarray, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Codes of ``columns`` at profile rows ``rows`` (one side of many pairs)."""
    return {c: coded.codes[c][rows] for c in columns}
