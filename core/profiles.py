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
  were typed into, or a WeChat id that is a mainland mobile number;
  ``land_a``, ``land_b``, ``land_ext``: its landlines;
* ``given`` (the given name as written), ``spell``, ``spell_rev``: a full
  name's reading run together in both orders (黄娟: ``huangjuan`` and
  ``juanhuang``), to recognise the name inside an e-mail or WeChat handle;
* ``gender`` ('M', 'F' or ''), ``gender_src`` ('s' stated by an honorific
  or the id number, 'l' likely from the given name; see
  :mod:`core.standardize.gender`);
* ``email``, ``email_role`` ('1' for shared mailboxes such as ``info@``),
  ``wechat``, ``id_number``, ``birth_date``;
* ``wh``, ``eh``: the WeChat id and the e-mail's local part, lower-case
  letters and digits only, if at least 5 long; ``wl``, ``el``: the same,
  letters only, if at least 4 long (``huangjuan_9858`` → ``huangjuan9858``,
  ``huangjuan``);
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
from core.standardize.gender import infer_gender
from core.standardize.text import fold
from core.store import Store

PROFILE_COLUMNS: tuple[str, ...] = (
    "id", "name", "name_key", "name_kind", "skey", "han", "given", "spell", "spell_rev", "gender",
    "gender_src", "mob_a",
    "mob_b", "land_a", "land_b", "land_ext", "email", "email_role", "wechat", "wh", "eh", "wl",
    "el", "id_number", "birth_date", "company_key", "address_key", "district", "city", "province",
    "postcode",
)  # fmt: skip

FULL_NAME_KINDS = ("chinese", "latin", "mixed", "other")
"""Name kinds that can be a whole name (a Latin or other name needs two words)."""

_BASE = (
    "name", "name_kind", "name_surname", "name_given", "name_key", "mobile", "mobile_kind",
    "mobile_ext", "phone", "phone_kind", "phone_ext", "email", "email_status", "email_role",
    "wechat", "wechat_status", "id_number", "birth_date", "company_key", "address_key", "district",
    "city", "province", "postcode",
)  # fmt: skip
"""Standardized columns a profile is derived from."""

_RAW_FALLBACK = ("city", "province", "postcode")
"""Fields whose folded raw text stands in when the standardizer left them empty."""
_RAW_FIELDS = ("name", *_RAW_FALLBACK)
"""Raw fields a profile reads: the fallbacks, and the name as typed (its honorific)."""

_SELECT = (
    "select s.record_id as id, "
    + ", ".join(f"s.[{c}] as [{c}]" for c in _BASE)
    + ", coalesce(r.name, '') as raw_name, "
    + ", ".join(f"coalesce(r.[{c}], '') as [raw_{c}]" for c in _RAW_FALLBACK)
    + " from standardized s join source_records r on r.id = s.record_id"
)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_NOT_ALNUM = re.compile("[^a-z0-9]")
_CN_MOBILE = re.compile("1[3-9][0-9]{9}")
_NOT_ALPHA = re.compile("[^a-z]")


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
                **{f"raw_{c}": str(src.get(c, "") or "") for c in _RAW_FIELDS},
            }
            for i, (row, src) in enumerate(zip(rows, raw, strict=True))
        ],
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FIELDS)],
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
    out["given"] = b["name_given"]
    first = b["name_key"].str.partition(" ")[0]
    second = b["name_key"].str.rpartition(" ")[2]
    two = (b["name_key"].str.count(" ") == 1) & b["name_kind"].isin(FULL_NAME_KINDS)
    out["spell"] = np.where(two, first + second, "")
    out["spell_rev"] = np.where(two, second + first, "")
    mob_a, mob_b = _kind_slots(b, "mobile")
    # Many people use their mobile number as their WeChat id.
    wechat_mobile = np.where(
        (b["wechat_status"] == "valid") & b["wechat"].str.fullmatch(_CN_MOBILE),
        "+86" + b["wechat"],
        "",
    )
    free_a = (mob_a == "") & (wechat_mobile != "")
    free_b = ~free_a & (mob_b == "") & (wechat_mobile != "") & (wechat_mobile != mob_a)
    out["mob_a"] = np.where(free_a, wechat_mobile, mob_a)
    out["mob_b"] = np.where(free_b, wechat_mobile, mob_b)
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
    local = out["email"].str.split("@").str[0].fillna("")
    # Short handles (zw@, li88) are shared by chance; they are left out.
    wh = out["wechat"].str.replace(_NOT_ALNUM, "", regex=True)
    eh = local.str.replace(_NOT_ALNUM, "", regex=True)
    wl, el = (h.str.replace(_NOT_ALPHA, "", regex=True) for h in (wh, eh))
    out["wh"], out["eh"] = (h.where(h.str.len() >= 5, "") for h in (wh, eh))
    out["wl"], out["el"] = (h.where(h.str.len() >= 4, "") for h in (wl, el))
    out["id_number"] = b["id_number"].str.upper()
    hints = [
        infer_gender(n, g, i)
        for n, g, i in zip(b["raw_name"], b["name_given"], out["id_number"], strict=True)
    ]
    out["gender"] = [g for g, _ in hints]
    out["gender_src"] = [s[:1] for _, s in hints]
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
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FIELDS)], dtype=str
    )
    return empty
