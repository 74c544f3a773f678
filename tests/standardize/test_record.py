"""The record-level pipeline: every field standardizer behind one call.

Properties over arbitrary records: it never raises, it fills exactly the
``standardized`` table's columns, every reason code it stores renders in
both languages, and feeding the standardized values back in changes
nothing (idempotence across the whole pipeline).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.schema import STD_COLUMNS
from core.standardize.reasons import CATALOG, explain
from core.standardize.record import standardize_records
from core.standardize.result import STATUSES

TODAY = "2026-06-30"
VALUE_FIELDS = (
    "name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "company",
    "address",
    "postcode",
    "country",
    "birth_date",
    "id_number",
    "customer_type",
    "created_at",
    "updated_at",
    "last_contact_at",
)
REALISTIC = {
    "name": ["張偉", "ZHANG Wei", "王先生", "欧阳娜娜", "", "无", "单雄信"],
    "mobile": ["138 1234 5678", "+86-13812345678", "12345", "0086 139 1234 5678", "", "abc"],
    "phone": ["(0755)8888 8888 转 8021", "400-810-8888", "010-62345678", ""],
    "email": ["WZ@QQ.COM", "wz@qq.con", "info@example.cn", "not-an-email", ""],
    "company": ["北京字节跳动科技有限公司", "字节跳动科技（北京）有限公司", "个人", ""],
    "address": [
        "北京市朝阳区建国路88号",
        "朝阳区建国路88号",
        "廣東省深圳市南山區科技園南路８８號",
        "",
    ],
    "birth_date": ["1990/3/1", "1990年3月1日", "19900301", "tomorrow", ""],
    "created_at": ["2024-03-01 14:05:06", "2024/3/1", "20240301", ""],
}
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
records = st.fixed_dictionaries(
    {},
    optional={f: st.one_of(st.sampled_from(REALISTIC.get(f, [""])), texts) for f in VALUE_FIELDS},
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=1, max_size=5))
def test_standardizing_never_raises_and_fills_exactly_the_table_columns(batch):
    rows = standardize_records(batch, region="CN", today=TODAY)
    assert len(rows) == len(batch)
    for row in rows:
        assert set(row) == set(STD_COLUMNS)
        for field in VALUE_FIELDS:
            assert row[f"{field}_status"] in STATUSES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_every_stored_reason_renders_in_both_languages(record):
    row = standardize_records([record], region="CN", today=TODAY)[0]
    for field in VALUE_FIELDS:
        code = row[f"{field}_reason"]
        if code:
            assert code in CATALOG, code
            raw = record.get(field, "")
            assert explain(code, raw, lang="zh") != code
            assert explain(code, raw, lang="en") != code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_the_pipeline_is_idempotent_on_its_own_output(record):
    first = standardize_records([record], region="CN", today=TODAY)[0]
    again = standardize_records([{f: first[f] for f in VALUE_FIELDS}], region="CN", today=TODAY)[0]
    for field in VALUE_FIELDS:
        if first[f"{field}_status"] not in ("missing", "invalid"):
            assert again[field] == first[field], field


def test_reason_codes_are_unique_across_modules():
    """CATALOG merges the modules' tables; a code declared twice would
    silently lose one module's message."""
    from core.standardize import reasons

    tables = [reasons.ROW_REASONS] + [
        module.REASONS
        for module in (
            reasons.address,
            reasons.codes,
            reasons.company,
            reasons.dates,
            reasons.email_address,
            reasons.idnumber,
            reasons.name,
            reasons.phone,
            reasons.wechat,
        )
    ]
    assert sum(len(t) for t in tables) == len(CATALOG)
    assert all(len(templates) == 2 for templates in CATALOG.values())
