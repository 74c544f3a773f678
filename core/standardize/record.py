"""Standardizing whole records: raw canonical fields in, one row of the
``standardized`` table out.

:func:`standardize_records` is the only place that knows which field
standardizer fills which columns. It works on a batch because the address
standardizer is much faster on many addresses at once.

Bump :data:`STD_VERSION` whenever a standardizer's output can change; the
store keeps each row's version so that ``python -m core standardize``
can recompute what is out of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.settings import Settings
from core.standardize.address import normalize_addresses
from core.standardize.codes import normalize_country, normalize_customer_type, normalize_postcode
from core.standardize.company import normalize_company
from core.standardize.dates import parse_birth_date, parse_date
from core.standardize.email_address import normalize_email
from core.standardize.idnumber import normalize_id_number
from core.standardize.name import normalize_name
from core.standardize.phone import normalize_phone
from core.standardize.result import FieldResult
from core.standardize.text import fold
from core.standardize.wechat import normalize_wechat

STD_VERSION = 1

RawFields = Mapping[str, str | None]
"""A record's raw value per canonical field (missing key or None: unmapped)."""

_DATE_FIELDS = ("created_at", "updated_at", "last_contact_at")
_TEXT_FIELDS = ("title", "owner", "source")


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
    region = str(settings["default_region"])
    addresses = normalize_addresses(
        [
            (_get(r, "address"), _get(r, "province"), _get(r, "city"), _get(r, "district"))
            for r in records
        ]
    )
    return [
        _standardize_one(record, address, region, today)
        for record, address in zip(records, addresses, strict=True)
    ]


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


def _standardize_one(record: RawFields, address: Any, region: str, today: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    name = normalize_name(
        _get(record, "name"), _get(record, "first_name"), _get(record, "last_name")
    )
    _put(row, "name", name)
    row.update(name_kind=name.kind, name_surname=name.surname, name_given=name.given,
               name_key=name.key)  # fmt: skip
    for field in ("mobile", "phone"):
        phone = normalize_phone(_get(record, field), region)
        _put(row, field, phone)
        row[f"{field}_kind"] = phone.kind
        row[f"{field}_ext"] = phone.extension
        row[f"{field}_others"] = " ".join(phone.others)
    email = normalize_email(_get(record, "email"))
    _put(row, "email", email)
    row.update(email_suggestion=email.suggestion, email_role=int(email.role_account),
               email_free=int(email.free_provider))  # fmt: skip
    _put(row, "wechat", normalize_wechat(_get(record, "wechat")))
    company = normalize_company(_get(record, "company"))
    _put(row, "company", company)
    row.update(company_key=company.key, company_region=company.region)
    _put(row, "address", address)
    row.update(province=address.province, city=address.city, district=address.district,
               address_key=address.key, adcode=address.adcode)  # fmt: skip
    country = normalize_country(_get(record, "country"))
    _put(row, "country", country)
    _put(row, "postcode", normalize_postcode(_get(record, "postcode"), country.value or region))
    _put(row, "birth_date", parse_birth_date(_get(record, "birth_date"), today=today))
    id_number = normalize_id_number(_get(record, "id_number"))
    _put(row, "id_number", id_number)
    row["id_number_kind"] = id_number.kind
    _put(row, "customer_type", normalize_customer_type(_get(record, "customer_type")))
    for field in _DATE_FIELDS:
        _put(row, field, parse_date(_get(record, field), today=today))
    for field in _TEXT_FIELDS:
        row[field] = fold(_get(record, field))
    # Notes are free text: keep line breaks, only trim the ends.
    row["notes"] = _get(record, "notes").strip()
    return row


def _get(record: RawFields, field: str) -> str:
    value = record.get(field)
    return value if value is not None else ""


def _put(row: dict[str, Any], field: str, result: FieldResult) -> None:
    row[field] = result.value
    row[f"{field}_status"] = result.status
    row[f"{field}_reason"] = result.reason
