"""Standardizing whole records: raw canonical fields in, one row of the
``standardized`` table out.

This is the only module that knows which field standardizer fills which
columns. It works on a batch because the address standardizer is much
faster on many addresses at once.

:func:`standardize_values` is the fast form used at import: records as
tuples in :data:`core.fields.FIELDS` order in, rows as tuples in
:data:`core.schema.STD_COLUMNS` order out. Values repeat a lot in CRM data
(company names, cities, dates, the same person across channels), so the
columns each standardizer fills are memoised on its raw input in bounded
caches; the standardizers are pure, so a cached row is the row.

Bump :data:`STD_VERSION` whenever a standardizer's output can change; the
store keeps each row's version so that ``python -m core standardize``
can recompute what is out of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from core.fields import FIELDS
from core.schema import STD_COLUMNS
from core.settings import Settings
from core.standardize.address import AddressResult, normalize_addresses
from core.standardize.codes import normalize_country, normalize_customer_type, normalize_postcode
from core.standardize.company import normalize_company
from core.standardize.dates import date_columns, resolve_today
from core.standardize.email_address import normalize_email
from core.standardize.idnumber import normalize_id_number
from core.standardize.name import normalize_name
from core.standardize.phone import normalize_phone
from core.standardize.text import fold
from core.standardize.wechat import normalize_wechat

STD_VERSION = 1

RawFields = Mapping[str, str | None]
"""A record's raw value per canonical field (missing key or None: unmapped)."""

RawValues = Sequence[str | None]
"""A record's raw values in :data:`core.fields.FIELDS` order (None: unmapped)."""

StdRow = tuple[Any, ...]
"""A row of the ``standardized`` table in :data:`core.schema.STD_COLUMNS` order
(without ``record_id`` and ``std_version``)."""

(_NAME, _FIRST, _LAST, _MOBILE, _PHONE, _EMAIL, _WECHAT, _COMPANY, _TITLE, _ADDRESS, _PROVINCE,
 _CITY, _DISTRICT, _POSTCODE, _COUNTRY, _BIRTH, _ID, _TYPE, _OWNER, _SOURCE, _CREATED, _UPDATED,
 _CONTACT, _NOTES) = range(len(FIELDS))  # fmt: skip
assert FIELDS[_NOTES] == "notes" and FIELDS[_CONTACT] == "last_contact_at"

# Entries per cache. At 1,000,000 rows the caches of one process stay well
# under a few hundred MB; a value that falls out is simply recomputed.
_CACHE = 1 << 16


def standardize_records(
    records: Sequence[RawFields], settings: Settings, *, today: str = ""
) -> list[dict[str, Any]]:
    """Standardize a batch of records.

    Args:
        records: raw canonical field values, one mapping per record.
        settings: engine settings (``default_region`` is used for phones).
        today: ISO date for "in the future" checks; '' means today.

    Returns:
        One dict per record, keyed by the columns of the ``standardized``
        table (see :data:`core.schema.STD_COLUMNS`), in input order. Never
        raises on customer data.

    Example:
        >>> row = standardize_records([{"name": "張偉", "mobile": "138 1234 5678"}], Settings())[0]
        >>> row["name"], row["mobile"], row["mobile_status"]
        ('张伟', '+8613812345678', 'valid')
    """
    values = [tuple(record.get(f) for f in FIELDS) for record in records]
    rows = standardize_values(values, region=str(settings["default_region"]), today=today)
    return [dict(zip(STD_COLUMNS, row, strict=True)) for row in rows]


def standardized_rows(
    ids: Sequence[int], records: Sequence[RawFields], settings: Settings, *, today: str = ""
) -> list[dict[str, Any]]:
    """Rows of the ``standardized`` table for the source records ``ids``:
    :func:`standardize_records` plus ``record_id`` and ``std_version``."""
    rows = standardize_records(records, settings, today=today)
    for record_id, row in zip(ids, rows, strict=True):
        row["record_id"] = record_id
        row["std_version"] = STD_VERSION
    return rows


def standardize_values(
    records: Sequence[RawValues], *, region: str, today: str = ""
) -> list[StdRow]:
    """Standardize a batch of records given as tuples (the import's form).

    Args:
        records: raw values in :data:`core.fields.FIELDS` order; None or ''
            for an unmapped or empty field.
        region: the ``default_region`` setting, for phone numbers.
        today: ISO date for plausibility checks; '' means today (resolved
            once for the whole batch).

    Returns:
        One tuple per record in :data:`core.schema.STD_COLUMNS` order, the
        same values :func:`standardize_records` puts in its dicts.
    """
    today = resolve_today(today)
    addresses = normalize_addresses(
        [
            (r[_ADDRESS] or "", r[_PROVINCE] or "", r[_CITY] or "", r[_DISTRICT] or "")
            for r in records
        ]
    )
    return [
        _standardize_one(record, address, region, today)
        for record, address in zip(records, addresses, strict=True)
    ]


def _standardize_one(v: RawValues, address: AddressResult, region: str, today: str) -> StdRow:
    name, first, last = v[_NAME] or "", v[_FIRST] or "", v[_LAST] or ""
    country = _country(v[_COUNTRY] or "")
    postcode = v[_POSTCODE]
    return (
        *(_name(name, first, last) if name or first or last else _NAME_BLANK),
        *(_phone(mobile, region) if (mobile := v[_MOBILE]) else _PHONE_BLANK),
        *(_phone(phone, region) if (phone := v[_PHONE]) else _PHONE_BLANK),
        *(_email(email) if (email := v[_EMAIL]) else _EMAIL_BLANK),
        *(_wechat(wechat) if (wechat := v[_WECHAT]) else _WECHAT_BLANK),
        *(_company(company) if (company := v[_COMPANY]) else _COMPANY_BLANK),
        _fold(title) if (title := v[_TITLE]) else "",
        address.value, address.status, address.reason, address.province, address.city,
        address.district, address.key, address.adcode,
        *(_postcode(postcode, country[0] or region) if postcode else _POSTCODE_BLANK),
        *country,
        *(_date(birth, today, True) if (birth := v[_BIRTH]) else _DATE_BLANK),
        *(_id_number(number) if (number := v[_ID]) else _ID_BLANK),
        *(_customer_type(kind) if (kind := v[_TYPE]) else _TYPE_BLANK),
        _fold(owner) if (owner := v[_OWNER]) else "",
        _fold(source) if (source := v[_SOURCE]) else "",
        # Notes are free text: keep line breaks, only trim the ends.
        (v[_NOTES] or "").strip(),
        *(_date(created, today, False) if (created := v[_CREATED]) else _DATE_BLANK),
        *(_date(updated, today, False) if (updated := v[_UPDATED]) else _DATE_BLANK),
        *(_date(contact, today, False) if (contact := v[_CONTACT]) else _DATE_BLANK),
    )  # fmt: skip


# --- the columns of each field, memoised on the raw value ------------------
# Each calls the standardizer's uncached function (``__wrapped__``): the
# column cache is the one cache of a value.


@lru_cache(maxsize=_CACHE)
def _name(raw: str, first: str, last: str) -> tuple[str, ...]:
    r = normalize_name.__wrapped__(raw, first, last)
    return (r.value, r.status, r.reason, r.kind, r.surname, r.given, r.key)


@lru_cache(maxsize=_CACHE)
def _phone(raw: str, region: str) -> tuple[str, ...]:
    r = normalize_phone.__wrapped__(raw, region)
    return (r.value, r.status, r.reason, r.kind, r.extension, " ".join(r.others))


@lru_cache(maxsize=_CACHE)
def _email(raw: str) -> tuple[Any, ...]:
    r = normalize_email.__wrapped__(raw)
    return (r.value, r.status, r.reason, r.suggestion, int(r.role_account), int(r.free_provider))


@lru_cache(maxsize=_CACHE)
def _wechat(raw: str) -> tuple[str, ...]:
    r = normalize_wechat.__wrapped__(raw)
    return (r.value, r.status, r.reason)


@lru_cache(maxsize=_CACHE)
def _company(raw: str) -> tuple[str, ...]:
    r = normalize_company.__wrapped__(raw)
    return (r.value, r.status, r.reason, r.key, r.region)


@lru_cache(maxsize=4096)
def _country(raw: str) -> tuple[str, ...]:
    r = normalize_country(raw)
    return (r.value, r.status, r.reason)


@lru_cache(maxsize=4096)
def _postcode(raw: str, country: str) -> tuple[str, ...]:
    r = normalize_postcode(raw, country)
    return (r.value, r.status, r.reason)


@lru_cache(maxsize=_CACHE)
def _date(raw: str, today: str, birth: bool) -> tuple[str, ...]:
    return date_columns(raw, today, birth)


@lru_cache(maxsize=_CACHE)
def _id_number(raw: str) -> tuple[str, ...]:
    r = normalize_id_number.__wrapped__(raw)
    return (r.value, r.status, r.reason, r.kind)


@lru_cache(maxsize=4096)
def _customer_type(raw: str) -> tuple[str, ...]:
    r = normalize_customer_type(raw)
    return (r.value, r.status, r.reason)


@lru_cache(maxsize=4096)
def _fold(raw: str) -> str:
    return fold(raw)


# A blank cell gives the same columns whatever the region or the day.
_NAME_BLANK = _name("", "", "")
_PHONE_BLANK = _phone("", "CN")
_EMAIL_BLANK = _email("")
_WECHAT_BLANK = _wechat("")
_COMPANY_BLANK = _company("")
_POSTCODE_BLANK = _postcode("", "CN")
_DATE_BLANK = _date("", "2000-01-01", False)
_ID_BLANK = _id_number("")
_TYPE_BLANK = _customer_type("")
