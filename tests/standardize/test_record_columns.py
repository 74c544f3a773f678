"""The record pipeline's memoised columns equal the standardizers' results.

``reference_row`` is the record pipeline as it was written before its
columns were cached and assembled as tuples: one call per field
standardizer, results copied into a dict. Both must agree on any record.
"""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.fields import FIELDS
from core.schema import STD_COLUMNS
from core.standardize.address import normalize_addresses
from core.standardize.codes import normalize_country, normalize_customer_type, normalize_postcode
from core.standardize.company import matching_tokens, normalize_company
from core.standardize.dates import parse_birth_date, parse_date
from core.standardize.email_address import normalize_email
from core.standardize.entity import entity_of
from core.standardize.idnumber import normalize_id_number
from core.standardize.name import normalize_name
from core.standardize.phone import normalize_phone
from core.standardize.record import fixed_columns, standardize_records, standardize_values
from core.standardize.registration import normalize_org_id
from core.standardize.text import fold
from core.standardize.web import normalize_website
from core.standardize.wechat import normalize_wechat

TODAY = "2026-06-30"


def reference_row(record: dict[str, str | None], region: str) -> dict[str, Any]:
    def get(field: str) -> str:
        value = record.get(field)
        return value if value is not None else ""

    row: dict[str, Any] = {}

    def put(field: str, result: Any) -> None:
        row[field], row[f"{field}_status"] = result.value, result.status
        row[f"{field}_reason"] = result.reason

    name = normalize_name(get("name"), get("first_name"), get("last_name"))
    put("name", name)
    row.update(name_kind=name.kind, name_surname=name.surname, name_given=name.given)
    row["name_key"] = name.key
    country = normalize_country(get("country"))
    here = country.value if country.status == "valid" else region  # the record's own country
    for field in ("mobile", "phone"):
        number = normalize_phone(get(field), here)
        put(field, number)
        row[f"{field}_kind"], row[f"{field}_ext"] = number.kind, number.extension
        row[f"{field}_others"] = " ".join(number.others)
    email = normalize_email(get("email"))
    put("email", email)
    row.update(email_suggestion=email.suggestion, email_role=int(email.role_account))
    row["email_free"] = int(email.free_provider)
    put("wechat", normalize_wechat(get("wechat")))
    company = normalize_company(get("company"))
    put("company", company)
    row.update(company_key=company.key, company_region=company.region)
    (where,) = normalize_addresses(
        [(get("address"), get("province"), get("city"), get("district"))]
    )
    put("address", where)
    row.update(province=where.province, city=where.city, district=where.district)
    row.update(address_key=where.key, adcode=where.adcode)
    country = normalize_country(get("country"))
    put("country", country)
    put("postcode", normalize_postcode(get("postcode"), country.value or region))
    put("birth_date", parse_birth_date(get("birth_date"), today=TODAY))
    number = normalize_id_number(get("id_number"))
    put("id_number", number)
    row["id_number_kind"] = number.kind
    put("customer_type", normalize_customer_type(get("customer_type")))
    for field in ("created_at", "updated_at", "last_contact_at"):
        put(field, parse_date(get(field), today=TODAY))
    for field in ("title", "owner", "source"):
        row[field] = fold(get(field))
    row["notes"] = get("notes").strip()
    put("website", normalize_website(get("website")))
    fax = normalize_phone(get("fax"), here)
    put("fax", fax)
    row["fax_kind"], row["fax_ext"] = fax.kind, fax.extension
    org_id = normalize_org_id(get("org_id"))
    put("org_id", org_id)
    row["org_id_kind"] = org_id.kind
    row["company_tokens"] = matching_tokens(company.key) if company.key else ""
    row["entity"] = entity_of(get("customer_type"), bool(name.value), bool(company.key))
    return row


REALISTIC = {
    "name": ["張偉", "ZHANG Wei", "王先生", "", "无", "  ", None],
    "first_name": ["Wei", "伟", "", None],
    "last_name": ["Zhang", "张", "", None],
    "mobile": ["138 1234 5678", "+86-13812345678", "12345", "", "010-62345678-8021"],
    "phone": ["(0755)8888 8888 转 8021", "0571-4709 8888", "+86 851 6158 0000", "400-810-8888"],
    "email": ["WZ@QQ.COM", "wz@qq.con", "info@example.cn", "postmaster@acme.com", ""],
    "wechat": ["wxid_abc123xyz", "138 1234 5678", "小张", ""],
    "company": ["北京字节跳动科技有限公司", "个人", ""],
    "address": ["北京市朝阳区建国路88号", "朝阳区建国路88号", "", "1 Main Street"],
    "province": ["广东", "", None],
    "city": ["深圳", "长春", "", None],
    "district": ["南山区", "", None],
    "postcode": ["518057", "10010", "SW1A 1AA", ""],
    "country": ["中国", "HK", "NA", "", None],
    "birth_date": ["1990/3/1", "2030-01-01", "1850-01-01", "0000-00-00", ""],
    "created_at": ["2024-03-01 14:05:06", "2024/3/1", "2026-07-01", "2026-07-02", "20240301"],
    "customer_type": ["VIP", "潜在客户", "", "foo"],
    "notes": ["  多行\n备注 ", "", None],
    "website": ["https://www.Acme.nl/x", "www.163.com", "not a site", ""],
    "fax": ["+31 20 123 4567", "010-62345678", ""],
    "org_id": ["91140107298337895P", "NL-8532.12.345.B01", "--", ""],
}
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
records = st.fixed_dictionaries(
    {},
    optional={
        f: st.one_of(st.sampled_from(REALISTIC.get(f, ["", None])), texts, st.none())
        for f in FIELDS
    },
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=6), st.sampled_from(["CN", "HK", "US", "ZZ"]))
def test_the_pipeline_equals_one_call_per_standardizer(batch, region):
    rows = standardize_records(batch, region=region, today=TODAY)
    assert rows == [reference_row(record, region) for record in batch]
    values = standardize_values(
        [tuple(r.get(f) for f in FIELDS) for r in batch], region=region, today=TODAY
    )
    assert [dict(zip(STD_COLUMNS, v, strict=True)) for v in values] == rows


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(records, min_size=1, max_size=6),
    st.sets(st.sampled_from(FIELDS)),
    st.sampled_from(["CN", "HK", "ZZ"]),
    st.sampled_from([TODAY, "2024-02-29"]),
)
def test_fixed_columns_are_what_every_record_without_the_other_fields_gets(
    batch, mapped, region, today
):
    values = [tuple(r.get(f) if f in mapped else None for f in FIELDS) for r in batch]
    fixed = fixed_columns(mapped)
    for row in standardize_values(values, region=region, today=today):
        stored = dict(zip(STD_COLUMNS, row, strict=True))
        assert {column: stored[column] for column in fixed} == fixed


def test_only_columns_of_unmapped_fields_are_fixed():
    assert not set(fixed_columns(FIELDS))
    assert set(fixed_columns([])) == set(STD_COLUMNS)
    fixed = fixed_columns(["mobile", "city"])
    assert "mobile_status" not in fixed and "province" not in fixed and "address" not in fixed
    assert fixed["phone_status"] == "missing" and fixed["email_role"] == 0
