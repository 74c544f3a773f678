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
* ``given`` (the given name as written), ``given_last`` (its last
  character), ``pet`` (the character a doubled pet name such as 玲玲
  repeats), ``full`` ('1' for a whole name: Chinese, or two words or more);
* ``key_first``, ``key_mid``, ``key_last``: the reading's words of a whole
  name, ``word``: the one word of a single-word name (Coco);
* ``spell``, ``spell_rev``: a two-word name's reading run together in both
  orders (黄娟: ``huangjuan`` and ``juanhuang``), to recognise the name
  inside an e-mail or WeChat handle;
* ``gender`` ('M', 'F' or ''), ``gender_src`` ('s' stated by an honorific
  or the id number, 'l' likely from the given name; see
  :mod:`core.standardize.gender`);
* ``email``, ``email_role`` ('1' for shared mailboxes such as ``info@``),
  ``wechat``, ``id_number``, ``birth_date``;
* ``wh``, ``eh``: the WeChat id and the e-mail's local part, lower-case
  letters and digits only, if at least 5 long; ``wl``, ``el``: the same,
  letters only, if at least 4 long (``huangjuan_9858`` → ``huangjuan9858``,
  ``huangjuan``);
* ``b_year``, ``b_month``, ``b_day``: the parts of a full birth date;
* ``company_key`` (a person's employer), ``address_key``, ``district``,
  ``city``, ``province``, ``postcode``; ``city_key`` (the city's reading:
  东莞市 and Dongguan both ``dongguan``, typos left to the comparison) and
  ``pc_prefix`` (a postcode's outward part or first three characters);
* Latin names' parts, for typo-tolerant comparison: ``first`` and ``last``
  (ASCII letters), ``first_canon`` (the name a pet form stands for: Bob →
  robert, :mod:`core.standardize.nicknames`), ``f_init``, ``l_init`` (their
  initials), ``first_ph``, ``last_ph`` (Soundex codes, for blocking) and
  ``ph_pair`` (the two codes in a fixed order: swapped names meet);
* ``email_dom``: the e-mail's domain unless it is a free mail service or a
  shared mailbox (a family's or a small firm's own domain);
* ``tel_m``, ``tel_a``, ``tel_b``: the last nine digits of the mobile and
  of the two landlines;
* ``entity`` ('o' for an organisation, :mod:`core.standardize.entity`) and,
  for organisations only, ``org_key`` (the normalised name), ``org_sorted``
  (its matching words, sorted: word order does not matter), ``org_t1`` …
  ``org_t8`` (those words one per column, for weighing how common each is
  and for blocking), ``domain`` (the website's domain, else a non-free
  e-mail domain) and ``org_id`` (a registration number).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast, overload

import numpy as np
from pypinyin import lazy_pinyin

from core.matching.frames import pd
from core.standardize import surnames as sn
from core.standardize.gender import given_name_gender, honorific_gender, id_gender
from core.standardize.nicknames import canonical
from core.standardize.text import fold
from core.store import Store

ORG_TOKENS: tuple[str, ...] = tuple(f"org_t{i}" for i in range(1, 9))
"""The columns holding an organisation name's matching words, one each."""

PROFILE_COLUMNS: tuple[str, ...] = (
    "id", "name", "name_key", "name_kind", "skey", "han", "given", "full", "key_first", "key_mid",
    "key_last", "word", "spell", "spell_rev", "pet", "given_last", "gender", "gender_src", "mob_a",
    "mob_b", "land_a", "land_b", "land_ext", "email", "email_role", "wechat", "wh", "eh", "wl",
    "el", "id_number", "birth_date", "b_year", "b_month", "b_day", "company_key", "address_key",
    "district", "city", "province", "postcode", "city_key", "pc_prefix", "first", "last",
    "first_canon", "f_init", "l_init", "first_ph", "last_ph", "ph_pair", "email_dom", "tel_m",
    "tel_a", "tel_b", "entity",
    "org_key", "org_sorted", *ORG_TOKENS, "domain", "org_id",
)  # fmt: skip

FULL_NAME_KINDS = ("chinese", "latin", "mixed", "other")
"""Name kinds that can be a whole name (a Latin or other name needs two words)."""

_BASE = (
    "name", "name_kind", "name_surname", "name_given", "name_key", "mobile", "mobile_kind",
    "mobile_ext", "phone", "phone_kind", "phone_ext", "email", "email_status", "email_role",
    "wechat", "wechat_status", "id_number", "birth_date", "company_key", "address_key", "district",
    "city", "province", "postcode", "email_free", "company_tokens", "entity", "website",
    "website_status", "fax", "fax_kind", "org_id", "org_id_status",
)  # fmt: skip
"""Standardized columns a profile is derived from."""

_RAW_FALLBACK = ("city", "province", "postcode")
"""Fields whose folded raw text stands in when the standardizer left them empty."""
_RAW_FIELDS = ("name", *_RAW_FALLBACK)
"""Raw fields a profile reads: the fallbacks, and the name as typed (its honorific)."""

_SELECT = (
    "select s.record_id as id, "
    + ", ".join(f"cast(coalesce(s.[{c}], '') as text) as [{c}]" for c in _BASE)
    + ", cast(coalesce(r.name, '') as text) as raw_name, "
    + ", ".join(f"cast(coalesce(r.[{c}], '') as text) as [raw_{c}]" for c in _RAW_FALLBACK)
    + " from standardized s join source_records r on r.id = s.record_id"
)
"""Every column but the id as text, never NULL: pandas then has nothing to
convert or fill (a third of the time of reading a million profiles)."""
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
        frame = pd.read_sql_query(_SELECT + " order by s.record_id", store.conn)
    else:
        wanted = sorted({int(i) for i in ids})
        parts = [
            pd.read_sql_query(
                _SELECT + f" where s.record_id in ({','.join('?' * len(chunk))})",
                store.conn,
                params=chunk,
            )
            for chunk in (wanted[i : i + 900] for i in range(0, len(wanted), 900))
        ]
        frame = pd.concat(parts, ignore_index=True) if parts else _empty_base()
    return derive(frame)


def profiles_from_rows(
    rows: Sequence[Mapping[str, Any]], raw: Sequence[Mapping[str, Any]]
) -> pd.DataFrame:
    """Profiles of records that are not in the store (standardized ``rows``
    with their ``raw`` fields), in input order; their ids are ``-n .. -1``,
    so that they never collide with stored records."""
    frame = pd.DataFrame(
        [
            {
                "id": str(i - len(rows)),
                **{c: str(row.get(c, "") or "") for c in _BASE},
                **{f"raw_{c}": str(src.get(c, "") or "") for c in _RAW_FIELDS},
            }
            for i, (row, src) in enumerate(zip(rows, raw, strict=True))
        ],
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FIELDS)],
    )
    return derive(frame)


def derive(base: pd.DataFrame) -> pd.DataFrame:
    """The profile columns from standardized columns (+ ``raw_*`` fallbacks).

    Per-record work runs once per distinct value (:func:`_per_value`), so a
    million records with a few hundred thousand names cost what those cost.
    """
    b = base
    out: dict[str, Any] = {"id": b["id"].astype(np.int64).to_numpy()}
    out["name"] = _per_value(b["name"], str.casefold)
    key, kind = b["name_key"], b["name_kind"]
    out["name_key"], out["name_kind"] = key, kind
    out["skey"] = _per_value(kind + "\x1f" + b["name_surname"] + "\x1f" + key, _surname_key)
    out["han"] = _per_value(b["name"], lambda v: "1" if _HAN.search(v) else "")
    out["given"] = b["name_given"]
    spaced = kind.isin(FULL_NAME_KINDS) & key.str.contains(" ", regex=False)
    whole = kind.isin(("chinese", "mixed")) | (kind.isin(("latin", "other")) & spaced)
    out["full"] = np.where(whole, "1", "")
    first, middle, last = _per_value(key, _words, parts=3)
    out["key_first"] = np.where(spaced, first, "")
    out["key_mid"] = np.where(spaced, middle, "")
    out["key_last"] = np.where(spaced, last, "")
    out["word"] = np.where(kind.isin(("latin", "other")) & ~spaced, key, "")
    two = spaced & (middle == "")
    out["spell"] = np.where(two, first + last, "")
    out["spell_rev"] = np.where(two, last + first, "")
    given = b["name_given"]
    out["pet"] = np.where((kind == "nickname") & (given.str.len() == 1), given, "")
    out["given_last"] = given.str[-1:]
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
    out["email"] = np.where(usable, _per_value(b["email"], str.casefold), "")
    out["email_role"] = np.where(usable & (b["email_role"] == "1"), "1", "")
    out["wechat"] = wechat = pd.Series(
        np.where(b["wechat_status"] == "valid", _per_value(b["wechat"], str.casefold), ""),
        index=b.index,
        dtype=object,
    )
    local = _per_value(pd.Series(out["email"], index=b.index), lambda e: e.partition("@")[0])
    # Short handles (zw@, li88) are shared by chance; they are left out.
    out["wh"] = _per_value(wechat, _alnum_handle)
    out["eh"] = _per_value(local, _alnum_handle)
    out["wl"] = _per_value(wechat, _letter_handle)
    out["el"] = _per_value(local, _letter_handle)
    out["id_number"] = id_number = b["id_number"].str.upper()
    out["gender"], out["gender_src"] = _gender(b["raw_name"], given, id_number)
    for column in ("birth_date", "company_key", "address_key", "district"):
        out[column] = b[column]
    full_date = b["birth_date"].str.len() == 10
    for column, (start, stop) in {"b_year": (0, 4), "b_month": (5, 7), "b_day": (8, 10)}.items():
        out[column] = np.where(full_date, b["birth_date"].str[start:stop], "")
    for column in _RAW_FALLBACK:
        fallback = _per_value(b[f"raw_{column}"], _fold_key)
        out[column] = np.where(b[column] != "", b[column], fallback)
    out["city_key"] = _per_value(pd.Series(out["city"], index=b.index), _city_key)
    out["pc_prefix"] = _per_value(pd.Series(out["postcode"], index=b.index), _postcode_prefix)
    _latin_parts(out, b, kind)
    _organisation(out, b)
    _digits(out)
    frame = pd.DataFrame({c: _plain(v) for c, v in out.items()})
    return cast(pd.DataFrame, frame.sort_values("id", kind="stable").reset_index(drop=True))


def _latin_parts(out: dict[str, Any], b: pd.DataFrame, kind: pd.Series) -> None:
    """First and last name of names not written in Chinese characters."""
    latin = ~pd.Series(out["han"], index=b.index).astype(bool) & kind.isin(
        ("latin", "other", "mixed", "surname_only")
    )
    if not latin.any():  # a store of Chinese names: nothing to derive
        for column in ("first", "last", "first_canon", "f_init", "l_init", "first_ph",
                       "last_ph", "ph_pair"):  # fmt: skip
            out[column] = np.full(len(b), "", dtype=object)
        return
    first = _per_value(b["name_given"], _letters)
    last = _per_value(b["name_surname"], _letters)
    out["first"] = np.where(latin, first, "")
    out["last"] = np.where(latin, last, "")
    out["first_canon"] = np.where(latin, _per_value(first, canonical), "")
    out["f_init"] = np.where(latin, first.str[:1], "")
    out["l_init"] = np.where(latin, last.str[:1], "")
    out["first_ph"] = np.where(latin, _per_value(first, soundex), "")
    out["last_ph"] = np.where(latin, _per_value(last, soundex), "")
    pair = pd.Series(out["first_ph"], index=b.index) + " " + out["last_ph"]
    out["ph_pair"] = np.where(latin, _per_value(pair, _sorted_pair), "")


def _organisation(out: dict[str, Any], b: pd.DataFrame) -> None:
    """An organisation's name, words, domain and registration number; a
    person's company stays their employer (``company_key``)."""
    org = (b["entity"] == "organisation").to_numpy()
    out["entity"] = np.where(org, "o", "")
    out["org_key"] = np.where(org, b["company_key"], "")
    out["company_key"] = np.where(org, "", b["company_key"])
    words = b["company_tokens"].where(org, "")
    out["org_sorted"] = words.to_numpy(object)
    parts = _per_value(words, _eight, parts=8) if org.any() else [words] * 8
    for column, part in zip(ORG_TOKENS, parts, strict=True):
        out[column] = part
    site = np.where(b["website_status"] == "valid", b["website"], "")
    mail = pd.Series(out["email"], index=b.index)
    mail_domain = _per_value(mail, lambda e: e.partition("@")[2])
    own_mail = (b["email_free"] != "1") & (pd.Series(out["email_role"], index=b.index) == "")
    out["email_dom"] = np.where(own_mail, mail_domain, "")
    # an organisation's info@ is still its own domain
    firm_mail = np.where(b["email_free"] != "1", mail_domain, "")
    out["domain"] = np.where(org, np.where(site != "", site, firm_mail), "")
    out["org_id"] = np.where(b["org_id_status"].isin(["valid", "suspect"]), b["org_id"], "")
    # A fax is the organisation's (or the person's) other landline.
    fax = np.where(b["fax_kind"] == "fixed_line", b["fax"], "")
    free = (out["land_b"] == "") & (fax != "") & (fax != out["land_a"])
    out["land_b"] = np.where(free, fax, out["land_b"])


def _digits(out: dict[str, Any]) -> None:
    """The last nine digits of the record's mobile and of its landlines: a
    mobile read in the wrong country (07758 954006 taken for a Chinese
    landline) still ends in its subscriber's digits."""

    def tail(column: str) -> np.ndarray:
        numbers = pd.Series(out[column], dtype=object)
        return np.where(numbers.str.len() >= 10, numbers.str[-9:], "").astype(object)

    out["tel_m"], out["tel_a"], out["tel_b"] = tail("mob_a"), tail("land_a"), tail("land_b")


def _sorted_pair(codes: str) -> str:
    """Two Soundex codes in a fixed order (a swapped entry meets itself)."""
    first, _, last = codes.partition(" ")
    return " ".join(sorted((first, last))) if first and last else ""


def _eight(words: str) -> tuple[str, ...]:
    parts = words.split()[:8]
    return (*parts, *([""] * (8 - len(parts))))


def _letters(text: str) -> str:
    """ASCII letters of a name part, lower case, accents off (O'Brien → obrien)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if "a" <= c <= "z")


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


def soundex(word: str) -> str:
    """The Soundex code of an ASCII word (Robert, Rupert → r163; '' for '').

    Blocking groups names that sound alike, so that a typo in one letter
    (Alan, Allen, Alen: a450) does not keep two records apart."""
    if not word:
        return ""
    digits = word.translate(_SOUNDEX)
    code, last = word[0], digits[0]
    for ch, digit in zip(word[1:], digits[1:], strict=True):
        if digit.isdigit() and digit != last:
            code += digit
        if ch not in "hw":
            last = digit
    return (code + "000")[:4]


def _city_key(city: str) -> str:
    """A city's reading: pinyin of a Chinese name without its 市/县/区 suffix,
    ASCII letters of any other (东莞市, Dongguan → dongguan)."""
    if not city:
        return ""
    if _HAN.search(city):
        short = re.sub("(?:市|地区|县|区|盟|自治州)$", "", city) or city
        return "".join(lazy_pinyin(short))
    return _letters(city)


def _postcode_prefix(code: str) -> str:
    """The outward part of a postcode written in two parts (SW1A 1AA →
    SW1A), else its first three characters (518057 → 518)."""
    if not code:
        return ""
    head, space, _ = code.partition(" ")
    return head if space and len(head) >= 2 else code[:3]


def _plain(column: Any) -> np.ndarray:
    """A column as a numpy array (one frame built at the end, not column by column)."""
    return column.to_numpy() if isinstance(column, pd.Series) else np.asarray(column)


@overload
def _per_value(column: pd.Series, fn: Callable[[str], str]) -> pd.Series: ...
@overload
def _per_value(
    column: pd.Series, fn: Callable[[str], tuple[str, ...]], parts: int
) -> list[pd.Series]: ...
def _per_value(column: pd.Series, fn: Callable[[str], Any], parts: int = 0) -> Any:
    """``fn`` applied to each value of ``column``, computed once per distinct
    value; with ``parts``, ``fn`` returns that many strings, one column each."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    results = [fn(str(v)) for v in uniques]
    if not parts:
        mapped = np.array(results, dtype=object)
        return pd.Series(mapped[codes] if len(codes) else [], index=column.index, dtype=object)
    table = np.array(results, dtype=object).reshape(len(results), parts)
    return [
        pd.Series(table[codes, i] if len(codes) else [], index=column.index, dtype=object)
        for i in range(parts)
    ]


def _words(key: str) -> tuple[str, str, str]:
    """First, middle and last word of a reading ("", "", "" for one word)."""
    first, _, rest = key.partition(" ")
    if not rest:
        return "", "", ""
    middle, _, last = rest.rpartition(" ")
    return first, middle, last


def _gender(raw_name: pd.Series, given: pd.Series, id_number: pd.Series) -> tuple[Any, Any]:
    """``gender`` and ``gender_src`` columns (see :func:`infer_gender`),
    each piece of evidence computed once per distinct value."""
    said = _per_value(raw_name, honorific_gender).to_numpy(object)
    coded = _per_value(id_number, id_gender).to_numpy(object)
    likely = _per_value(given, given_name_gender).to_numpy(object)
    clash = (said != "") & (coded != "") & (said != coded)
    stated = np.where(said != "", said, coded)
    stated = np.where(clash, "", stated)
    gender = np.where(stated != "", stated, np.where(clash, "", likely))
    source = np.where(stated != "", "s", np.where(gender != "", "l", ""))
    return gender, source


def _alnum_handle(text: str) -> str:
    handle = _NOT_ALNUM.sub("", text)
    return handle if len(handle) >= 5 else ""


def _letter_handle(text: str) -> str:
    handle = _NOT_ALPHA.sub("", text)
    return handle if len(handle) >= 4 else ""


def _kind_slots(b: pd.DataFrame, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The first and second number of ``kind`` among the mobile and phone
    columns (people type mobiles into the phone column and vice versa)."""
    first = np.where(b["mobile_kind"] == kind, b["mobile"], "")
    other = np.where(b["phone_kind"] == kind, b["phone"], "")
    a = np.where(first != "", first, other)
    second = np.where((first != "") & (other != first), other, "")
    return a.astype(object), second.astype(object)


def _surname_key(packed: str) -> str:
    """The surname's reading from ``kind \x1f surname \x1f key``."""
    kind, surname, key = packed.split("\x1f")
    if kind == "surname_only":
        return key
    if not surname:
        return ""
    if _HAN.search(surname):
        return sn.surname_pinyin(surname)
    return fold(surname).casefold()


def _fold_key(text: str) -> str:
    return " ".join(fold(text).casefold().split())


def _empty_base() -> pd.DataFrame:
    empty: pd.DataFrame = pd.DataFrame(
        columns=["id", *_BASE, *(f"raw_{c}" for c in _RAW_FIELDS)], dtype=str
    )
    return empty
