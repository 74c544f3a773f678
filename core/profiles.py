"""Match profiles: the few columns of a record that blocking and scoring use.

A profile is derived from a record's standardized row (and, where the
standardizer found nothing it recognises, from the folded raw value: a
foreign suburb, state or postcode is still evidence). One derivation,
:func:`derive`, serves records loaded from the store and records that only
exist in memory (the single-record check), so both are compared alike.

Profile columns (all text, ``''`` when unknown):

* ``name``, ``name_key`` (sorted reading tokens, script-independent),
  ``name_kind``, ``skey`` (the surname's reading), ``han`` ('1' for a name
  in Chinese characters);
* ``mob_a``, ``mob_b``: the record's mobile numbers, whichever column they
  were typed into; ``land_a``, ``land_b``, ``land_ext``: its landlines;
* ``email``, ``email_role`` ('1' for shared mailboxes such as ``info@``),
  ``wechat``, ``id_number``, ``birth_date``;
* ``company_key``, ``address_key``, ``district``, ``city``, ``province``,
  ``postcode``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

import numpy as np
import pandas as pd

from core.standardize import surnames as sn
from core.standardize.text import fold
from core.store import Store

PROFILE_COLUMNS: tuple[str, ...] = (
    "id", "name", "name_key", "name_kind", "skey", "han", "mob_a", "mob_b", "land_a", "land_b",
    "land_ext", "email", "email_role", "wechat", "id_number", "birth_date", "company_key",
    "address_key", "district", "city", "province", "postcode",
)  # fmt: skip

_BASE = (
    "name", "name_kind", "name_surname", "name_key", "mobile", "mobile_kind", "mobile_ext",
    "phone", "phone_kind", "phone_ext", "email", "email_status", "email_role", "wechat",
    "wechat_status", "id_number", "birth_date", "company_key", "address_key", "district",
    "city", "province", "postcode",
)  # fmt: skip
"""Standardized columns a profile is derived from."""

_RAW_FALLBACK = ("city", "province", "postcode")
"""Fields whose folded raw text stands in when the standardizer left them empty."""

_SELECT = (
    "select s.record_id as id, "
    + ", ".join(f"s.[{c}] as [{c}]" for c in _BASE)
    + ", "
    + ", ".join(f"coalesce(r.[{c}], '') as [raw_{c}]" for c in _RAW_FALLBACK)
    + " from standardized s join source_records r on r.id = s.record_id"
)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def load_profiles(store: Store, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Profiles of every standardized record, or of the records ``ids``.

    Returns:
        One row per record (columns :data:`PROFILE_COLUMNS`, ``id`` int64),
        sorted by id. Unknown ids are skipped.
    """
    if ids is None:
        frame = pd.read_sql_query(_SELECT + " order by s.record_id", store.conn, dtype=str)
    else:
        wanted = sorted({int(i) for i in ids})
        parts = [
            pd.read_sql_query(
                _SELECT + f" where s.record_id in ({','.join('?' * len(chunk))})",
                store.conn,
                params=chunk,
                dtype=str,
            )
            for chunk in (wanted[i : i + 900] for i in range(0, len(wanted), 900))
        ]
        frame = pd.concat(parts, ignore_index=True) if parts else _empty_base()
    return derive(frame.fillna(""))


def profiles_from_rows(
    rows: Sequence[Mapping[str, Any]], raw: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """Profiles of records that are not in the store (standardized ``rows``
    with their ``raw`` fields); ids are 0, -1, -2, ... so that they never
    collide with stored records."""
    frame = pd.DataFrame(
        [
            {
                "id": str(-i),
                **{c: str(row.get(c, "") or "") for c in _BASE},
                **{f"raw_{c}": str(src.get(c, "") or "") for c in _RAW_FALLBACK},
            }
            for i, (row, src) in enumerate(zip(rows, raw, strict=True))
        ],
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FALLBACK)],
    )
    return derive(frame)


def derive(base: pd.DataFrame) -> pd.DataFrame:
    """The profile columns from standardized columns (+ ``raw_*`` fallbacks)."""
    b = base
    out = pd.DataFrame({"id": b["id"].astype(np.int64)})
    out["name"] = b["name"].str.casefold()
    out["name_key"] = b["name_key"]
    out["name_kind"] = b["name_kind"]
    out["skey"] = [
        _surname_key(k, s, n)
        for k, s, n in zip(b["name_kind"], b["name_surname"], b["name_key"], strict=True)
    ]
    out["han"] = np.where(b["name"].str.contains(_HAN, regex=True), "1", "")
    mob = _kind_slots(b, "mobile")
    out["mob_a"], out["mob_b"] = mob[0], mob[1]
    land = _kind_slots(b, "fixed_line")
    out["land_a"], out["land_b"] = land[0], land[1]
    out["land_ext"] = np.where(
        b["mobile_kind"] == "fixed_line", b["mobile_ext"], np.where(
            b["phone_kind"] == "fixed_line", b["phone_ext"], "")
    )  # fmt: skip
    usable = b["email_status"].isin(["valid", "suspect"])
    out["email"] = np.where(usable, b["email"].str.casefold(), "")
    out["email_role"] = np.where(usable & (b["email_role"] == "1"), "1", "")
    out["wechat"] = np.where(b["wechat_status"] == "valid", b["wechat"].str.casefold(), "")
    out["id_number"] = b["id_number"].str.upper()
    for column in ("birth_date", "company_key", "address_key", "district"):
        out[column] = b[column]
    for column in _RAW_FALLBACK:
        fallback = [_fold_key(v) for v in b[f"raw_{column}"]]
        out[column] = np.where(b[column] != "", b[column], fallback)
    return cast(pd.DataFrame, out.sort_values("id", kind="stable").reset_index(drop=True))


def _kind_slots(b: pd.DataFrame, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The first and second number of ``kind`` among the mobile and phone
    columns (people type mobiles into the phone column and vice versa)."""
    first = np.where(b["mobile_kind"] == kind, b["mobile"], "")
    other = np.where(b["phone_kind"] == kind, b["phone"], "")
    a = np.where(first != "", first, other)
    second = np.where((first != "") & (other != first), other, "")
    return a.astype(object), second.astype(object)


@lru_cache(maxsize=65536)
def _surname_key(kind: str, surname: str, key: str) -> str:
    if kind == "surname_only":
        return key
    if not surname:
        return ""
    if _HAN.search(surname):
        return sn.surname_pinyin(surname)
    return fold(surname).casefold()


@lru_cache(maxsize=65536)
def _fold_key(text: str) -> str:
    return " ".join(fold(text).casefold().split())


def _empty_base() -> pd.DataFrame:
    empty: pd.DataFrame = pd.DataFrame(
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FALLBACK)], dtype=str
    )
    return empty
