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

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from typing import Any

from core.fields import FIELDS
from core.schema import STD_COLUMNS
from core.standardize.address import normalize_addresses
from core.standardize.codes import normalize_country, normalize_customer_type, normalize_postcode
from core.standardize.company import matching_tokens, normalize_company
from core.standardize.dates import date_columns, resolve_today
from core.standardize.email_address import normalize_email
from core.standardize.entity import entity_of
from core.standardize.idnumber import normalize_id_number
from core.standardize.name import normalize_name
from core.standardize.phone import phone_columns
from core.standardize.registration import normalize_org_id
from core.standardize.text import fold
from core.standardize.web import normalize_website
from core.standardize.wechat import normalize_wechat

STD_VERSION = 3

RawFields = Mapping[str, str | None]
"""A record's raw value per canonical field (missing key or None: unmapped)."""

RawValues = Sequence[str | None]
"""A record's raw values in :data:`core.fields.FIELDS` order (None: unmapped)."""

StdRow = tuple[Any, ...]
"""A row of the ``standardized`` table in :data:`core.schema.STD_COLUMNS` order
(without ``record_id`` and ``std_version``)."""

_AT = {f: i for i, f in enumerate(FIELDS)}
(_NAME, _FIRST, _LAST, _MOBILE, _PHONE, _EMAIL, _WECHAT, _COMPANY, _TITLE, _ADDRESS, _PROVINCE,
 _CITY, _DISTRICT, _POSTCODE, _COUNTRY, _BIRTH, _ID, _TYPE, _OWNER, _SOURCE, _CREATED, _UPDATED,
 _CONTACT, _NOTES, _WEBSITE, _FAX, _ORG_ID) = (_AT[f] for f in (
    "name", "first_name", "last_name", "mobile", "phone", "email", "wechat", "company", "title",
    "address", "province", "city", "district", "postcode", "country", "birth_date", "id_number",
    "customer_type", "owner", "source", "created_at", "updated_at", "last_contact_at", "notes",
    "website", "fax", "org_id"))  # fmt: skip

# Entries per cache. At 1,000,000 rows the caches of one process stay well
# under a few hundred MB; a value that falls out is simply recomputed.
_CACHE = 1 << 16


def standardize_records(
    records: Sequence[RawFields], *, region: str, today: str = "", entity: str = ""
) -> list[dict[str, Any]]:
    """Standardize a batch of records.

    Args:
        records: raw canonical field values, one mapping per record.
        region: the ISO 3166 region phones without a ``+`` are read in (the
            ``default_region`` setting).
        today: ISO date for "in the future" checks; '' means today.
        entity: 'person' or 'organisation' when the import says what every
            record describes; '' decides per record (:mod:`core.standardize.entity`).

    Returns:
        One dict per record, keyed by the columns of the ``standardized``
        table (see :data:`core.schema.STD_COLUMNS`), in input order. Never
        raises on customer data.

    Example:
        >>> row = standardize_records([{"name": "張偉", "mobile": "138 1234 5678"}], region="CN")[0]
        >>> row["name"], row["mobile"], row["mobile_status"]
        ('张伟', '+8613812345678', 'valid')
    """
    values = [tuple(record.get(f) for f in FIELDS) for record in records]
    rows = standardize_values(values, region=region, today=today, entity=entity)
    return [dict(zip(STD_COLUMNS, row, strict=True)) for row in rows]


def standardized_rows(
    ids: Sequence[int],
    records: Sequence[RawFields],
    *,
    region: str,
    today: str = "",
    entity: str = "",
) -> list[dict[str, Any]]:
    """Rows of the ``standardized`` table for the source records ``ids``:
    :func:`standardize_records` plus ``record_id`` and ``std_version``."""
    rows = standardize_records(records, region=region, today=today, entity=entity)
    for record_id, row in zip(ids, rows, strict=True):
        row["record_id"] = record_id
        row["std_version"] = STD_VERSION
    return rows


def standardize_values(
    records: Sequence[RawValues], *, region: str, today: str = "", entity: str = ""
) -> list[StdRow]:
    """Standardize a batch of records given as tuples (the import's form).

    Args:
        records: raw values in :data:`core.fields.FIELDS` order; None or ''
            for an unmapped or empty field.
        region: the ``default_region`` setting, for phone numbers.
        today: ISO date for plausibility checks; '' means today (resolved
            once for the whole batch).
        entity: the import's ``--entity`` ('person', 'organisation', or ''
            to decide per record).

    Returns:
        One tuple per record in :data:`core.schema.STD_COLUMNS` order, the
        same values :func:`standardize_records` puts in its dicts.
    """
    today = resolve_today(today)
    if not records:
        return []
    # Field by field, not record by record: running one standardizer over a
    # whole column keeps its code and caches hot, which measured about a
    # fifth faster than calling every standardizer on each record in turn.
    # The standardizers are pure, so the order of the calls cannot matter.
    v = list(zip(*records, strict=True))
    names = [
        _name(n or "", f or "", s or "") if n or f or s else _NAME_BLANK
        for n, f, s in zip(v[_NAME], v[_FIRST], v[_LAST], strict=True)
    ]
    countries = _column(v[_COUNTRY], lambda raw: _country(raw or ""), _country(""))
    # A number without a country code is read in the record's own country
    # when it names one (07758 954006 in the UK), else in the default region.
    regions = [c[0] if c[1] == "valid" else region for c in countries]
    postcodes = [
        _postcode(raw, country[0] or region) if raw else _POSTCODE_BLANK
        for raw, country in zip(v[_POSTCODE], countries, strict=True)
    ]
    companies = _column(v[_COMPANY], _company, _COMPANY_BLANK)
    columns = zip(
        names,
        _phones(v[_MOBILE], regions),
        _phones(v[_PHONE], regions),
        _column(v[_EMAIL], _email, _EMAIL_BLANK),
        _column(v[_WECHAT], _wechat, _WECHAT_BLANK),
        companies,
        _column(v[_TITLE], _fold, ("",)),
        _address_columns(v[_ADDRESS], v[_PROVINCE], v[_CITY], v[_DISTRICT]),
        postcodes,
        countries,
        _column(v[_BIRTH], lambda raw: _date(raw, today, True), _DATE_BLANK),
        _column(v[_ID], _id_number, _ID_BLANK),
        _column(v[_TYPE], _customer_type, _TYPE_BLANK),
        _column(v[_OWNER], _fold, ("",)),
        _column(v[_SOURCE], _fold, ("",)),
        # Notes are free text: keep line breaks, only trim the ends.
        _column(v[_NOTES], lambda raw: (raw.strip(),), ("",)),
        _column(v[_CREATED], lambda raw: _date(raw, today, False), _DATE_BLANK),
        _column(v[_UPDATED], lambda raw: _date(raw, today, False), _DATE_BLANK),
        _column(v[_CONTACT], lambda raw: _date(raw, today, False), _DATE_BLANK),
        _column(v[_WEBSITE], _website, _WEBSITE_BLANK),
        [columns[:5] for columns in _phones(v[_FAX], regions)],
        _column(v[_ORG_ID], _org_id, _ORG_ID_BLANK),
        strict=True,
    )
    tails = [
        (_tokens(company[3]), _entity(kind or "", name[0] != "", bool(company[3]), entity))
        for company, name, kind in zip(companies, names, v[_TYPE], strict=True)
    ]
    # One tuple display per record: unpacking into it is the cheapest way
    # to join the fields' columns (sum(parts, ()) measured slower).
    return [
        (*name, *mobile, *phone, *email, *wechat, *company, *title, *address, *postcode,
         *country, *birth, *id_number, *kind, *owner, *source, *notes, *created, *updated,
         *contact, *website, *fax, *org_id, *tail)
        for (name, mobile, phone, email, wechat, company, title, address, postcode, country,
             birth, id_number, kind, owner, source, notes, created, updated, contact, website,
             fax, org_id), tail in zip(columns, tails, strict=True)
    ]  # fmt: skip


def _phones(raws: Sequence[str | None], regions: Sequence[str]) -> Sequence[tuple[Any, ...]]:
    """The phone columns of each raw number, read in its record's region."""
    if not any(raws):
        return [_PHONE_BLANK] * len(raws)
    return [
        _phone(raw, where) if raw else _PHONE_BLANK
        for raw, where in zip(raws, regions, strict=True)
    ]


def _column(
    raws: Sequence[str | None], columns: Callable[[str], tuple[Any, ...]], blank: tuple[Any, ...]
) -> Sequence[tuple[Any, ...]]:
    """``columns(raw)`` for each non-blank raw value ('' or None: ``blank``)."""
    if not any(raws):  # an unmapped or empty field: no call at all
        return [blank] * len(raws)
    return [columns(raw) if raw else blank for raw in raws]


def _address_columns(
    raws: Sequence[str | None],
    provinces: Sequence[str | None],
    cities: Sequence[str | None],
    districts: Sequence[str | None],
) -> list[tuple[str, ...]]:
    """The eight address columns of each record (one batch call)."""
    results = normalize_addresses(
        [
            (raw or "", province or "", city or "", district or "")
            for raw, province, city, district in zip(
                raws, provinces, cities, districts, strict=True
            )
        ]
    )
    # Equal inputs share one result object: turn each object into columns once.
    seen: dict[int, tuple[str, ...]] = {}
    for r in results:
        if id(r) not in seen:
            seen[id(r)] = (
                r.value, r.status, r.reason, r.province, r.city, r.district, r.key, r.adcode
            )  # fmt: skip
    return [seen[id(r)] for r in results]


# Which raw fields each run of standardized columns is computed from, in
# STD_COLUMNS order (as standardize_values assembles them).
_GROUPS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("name", "first_name", "last_name"), 7), (("mobile", "country"), 6), (("phone", "country"), 6),
    (("email",), 6), (("wechat",), 3), (("company",), 5), (("title",), 1),
    (("address", "province", "city", "district"), 8), (("postcode",), 3), (("country",), 3),
    (("birth_date",), 3), (("id_number",), 4), (("customer_type",), 3), (("owner",), 1),
    (("source",), 1), (("notes",), 1), (("created_at",), 3), (("updated_at",), 3),
    (("last_contact_at",), 3), (("website",), 3), (("fax", "country"), 5), (("org_id",), 4),
    (("company",), 1), (("customer_type", "name", "first_name", "last_name", "company"), 1),
)  # fmt: skip
assert sum(width for _, width in _GROUPS) == len(STD_COLUMNS)


def fixed_columns(mapped: Collection[str], entity: str = "") -> dict[str, Any]:
    """The standardized columns that cannot vary within a batch whose only
    non-blank fields are ``mapped``: those computed from other fields alone.

    Args:
        mapped: the fields some column maps to.
        entity: the import's ``--entity`` ('' to decide per record).

    Returns:
        Column name → the value every record of such a batch gets there
        (the value of a blank field, whatever the region or the day). An
        import binds only the other columns for each row.
    """
    blank = standardize_values(
        [(None,) * len(FIELDS)], region="CN", today="2000-01-01", entity=entity
    )[0]
    fixed: dict[str, Any] = {}
    start = 0
    for inputs, width in _GROUPS:
        if not any(field in mapped for field in inputs):
            columns = STD_COLUMNS[start : start + width]
            fixed.update(zip(columns, blank[start : start + width], strict=True))
        start += width
    return fixed


# --- the columns of each field, memoised on the raw value ------------------
# Each calls the standardizer's uncached function (``__wrapped__``): the
# column cache is the one cache of a value.


@lru_cache(maxsize=_CACHE)
def _name(raw: str, first: str, last: str) -> tuple[str, ...]:
    r = normalize_name.__wrapped__(raw, first, last)
    return (r.value, r.status, r.reason, r.kind, r.surname, r.given, r.key)


@lru_cache(maxsize=_CACHE)
def _phone(raw: str, region: str) -> tuple[str, ...]:
    return phone_columns(raw, region)


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
def _fold(raw: str) -> tuple[str]:
    return (fold(raw),)


@lru_cache(maxsize=_CACHE)
def _website(raw: str) -> tuple[str, ...]:
    r = normalize_website.__wrapped__(raw)
    return (r.value, r.status, r.reason)


@lru_cache(maxsize=_CACHE)
def _org_id(raw: str) -> tuple[str, ...]:
    r = normalize_org_id.__wrapped__(raw)
    return (r.value, r.status, r.reason, r.kind)


@lru_cache(maxsize=_CACHE)
def _tokens(key: str) -> str:
    return matching_tokens(key) if key else ""


@lru_cache(maxsize=1024)
def _entity(customer_type: str, named: bool, company: bool, forced: str) -> str:
    return entity_of(customer_type, named, company, forced)


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
_WEBSITE_BLANK = _website("")
_ORG_ID_BLANK = _org_id("")
