"""normalize_address splits a Chinese address into province, city, district
and a street key, refuses to guess an ambiguous district, lets explicit
region columns fill in and disambiguate, and keeps foreign addresses as
typed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.standardize.address import (
    REASONS,
    AddressResult,
    normalize_address,
    normalize_addresses,
)
from core.standardize.result import STATUSES
from core.standardize.text import is_blank

SZ = ("广东省", "深圳市", "南山区")
BJ = ("北京市", "北京市", "朝阳区")

# (raw, (province, city, district), key, value, status, reason)
CASES = [
    ("深圳市南山区科技园南路88号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("广东省深圳市南山区科技园南路88号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("广东深圳南山科技园南路88号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("廣東省深圳市南山區科技園南路88號", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("深圳市南山区科技园南路８８号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("深圳市 南山区，科技园南路 八十八号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("中国广东省深圳市南山区科技园南路88号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("深圳市南山区深圳市南山区科技园南路88号", SZ, "科技园南路88号",
     "广东省深圳市南山区科技园南路88号", "valid", ""),
    ("深圳市南山区科技园3#楼12F", SZ, "科技园3号楼12层", "广东省深圳市南山区科技园3号楼12层",
     "valid", ""),
    ("深圳市南山区海岸城二栋1203房", SZ, "海岸城2栋1203室", "广东省深圳市南山区海岸城2栋1203室",
     "valid", ""),
    ("深圳市南山区蛇口花园五幢3-101", SZ, "蛇口花园5栋3-101", "广东省深圳市南山区蛇口花园5栋3-101",
     "valid", ""),
    ("徐汇区虹漕路461号", ("上海市", "上海市", "徐汇区"), "虹漕路461号",
     "上海市徐汇区虹漕路461号", "valid", ""),
    ("北京市朝阳区建国路88号", BJ, "建国路88号", "北京市朝阳区建国路88号", "valid", ""),
    ("北京朝阳区建国路88号", BJ, "建国路88号", "北京市朝阳区建国路88号", "valid", ""),
    ("北京朝阳建国路88号", BJ, "建国路88号", "北京市朝阳区建国路88号", "valid", ""),
    ("东莞市长安镇振安路1号", ("广东省", "东莞市", ""), "长安镇振安路1号",
     "广东省东莞市长安镇振安路1号", "valid", ""),
    ("湖北省仙桃市钱沟路1号", ("湖北省", "仙桃市", ""), "钱沟路1号",
     "湖北省仙桃市钱沟路1号", "valid", ""),
    ("重庆市忠县忠州大道1号", ("重庆市", "重庆市", "忠县"), "忠州大道1号",
     "重庆市忠县忠州大道1号", "valid", ""),
    ("南京市鼓楼区中山路100号", ("江苏省", "南京市", "鼓楼区"), "中山路100号",
     "江苏省南京市鼓楼区中山路100号", "valid", ""),
    ("上海市黄浦区南京东路100号", ("上海市", "上海市", "黄浦区"), "南京东路100号",
     "上海市黄浦区南京东路100号", "valid", ""),
    ("朝阳区建国路88号", ("", "", "朝阳区"), "建国路88号", "朝阳区建国路88号",
     "partial", "address.ambiguous_district"),
    ("南山区科技园南路88号", ("", "", "南山区"), "科技园南路88号", "南山区科技园南路88号",
     "partial", "address.ambiguous_district"),
    ("江苏省鼓楼区中山路100号", ("江苏省", "", "鼓楼区"), "中山路100号",
     "江苏省鼓楼区中山路100号", "partial", "address.ambiguous_district"),
    ("深圳市南山区", SZ, "", "广东省深圳市南山区", "partial", "address.no_street"),
    ("北京", ("北京市", "北京市", ""), "", "北京市", "partial", "address.no_street"),
    ("科技园南路88号", ("", "", ""), "科技园南路88号", "科技园南路88号",
     "partial", "address.no_region"),
    ("中山路100号", ("", "", ""), "中山路100号", "中山路100号", "partial", "address.no_region"),
    ("长江西路48号", ("", "", ""), "长江西路48号", "长江西路48号", "partial", "address.no_region"),
    ("深圳市科技园南路88号", ("广东省", "深圳市", ""), "科技园南路88号",
     "广东省深圳市科技园南路88号", "partial", "address.no_district"),
    ("广州北京路100号", ("广东省", "广州市", ""), "北京路100号", "广东省广州市北京路100号",
     "partial", "address.no_district"),
    ("科技园南路88号(深圳市)", ("广东省", "深圳市", ""), "科技园南路88号",
     "广东省深圳市科技园南路88号", "partial", "address.no_district"),
    ("无", ("", "", ""), "", "", "invalid", "address.placeholder"),
    ("N/A", ("", "", ""), "", "", "invalid", "address.placeholder"),
    ("12345", ("", "", ""), "", "", "invalid", "address.junk"),
    ("啊", ("", "", ""), "", "", "invalid", "address.junk"),
    ("", ("", "", ""), "", "", "missing", ""),
    ("　", ("", "", ""), "", "", "missing", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "region", "key", "value", "status", "reason"),
    CASES,
    ids=[c[0] or "blank" for c in CASES],
)
def test_a_chinese_address_splits_into_region_and_street_key(
    raw: str, region: tuple[str, str, str], key: str, value: str, status: str, reason: str
) -> None:
    r = normalize_address(raw)
    assert ((r.province, r.city, r.district), r.key, r.value) == (region, key, value)
    assert (r.status, r.reason) == (status, reason)


@pytest.mark.parametrize(
    ("raw", "adcode"),
    [("深圳市南山区科技园南路88号", "440305"), ("北京市朝阳区建国路88号", "110105"),
     ("深圳市科技园南路88号", "440300"), ("北京", "110000"), ("朝阳区建国路88号", ""),
     ("科技园南路88号", "")],
    ids=["district", "municipality-district", "city", "municipality", "ambiguous", "none"],
)  # fmt: skip
def test_the_adcode_is_the_most_specific_region_found(raw: str, adcode: str) -> None:
    assert normalize_address(raw).adcode == adcode


# (raw, province col, city col, district col, (province, city, district), status, reason)
COLUMN_CASES = [
    ("朝阳区建国路88号", "", "北京", "", BJ, "valid", ""),
    ("朝阳区建国路88号", "北京市", "", "", BJ, "valid", ""),
    ("朝阳区人民大街1号", "吉林", "长春市", "", ("吉林省", "长春市", "朝阳区"), "valid", ""),
    ("科技园南路88号", "广东", "深圳", "南山区", SZ, "valid", ""),
    ("科技园南路88号", "廣東省", "深圳市", "南山", SZ, "valid", ""),
    ("深圳市科技园南路88号", "", "", "南山区", SZ, "valid", ""),
    ("南山区科技园南路88号", "广东省", "", "", SZ, "valid", ""),
    ("深圳市南山区科技园南路88号", "广东省", "深圳市", "南山区", SZ, "valid", ""),
    ("北京市朝阳区建国路88号", "广东省", "", "", BJ, "suspect", "address.region_conflict"),
    ("深圳市南山区科技园南路88号", "", "广州市", "", SZ, "suspect", "address.region_conflict"),
    ("科技园南路88号", "广东省", "北京市", "", ("北京市", "北京市", ""), "suspect",
     "address.region_conflict"),
    ("科技园南路88号", "未知", "", "", ("", "", ""), "partial", "address.no_region"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "province", "city", "district", "region", "status", "reason"),
    COLUMN_CASES,
    ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in COLUMN_CASES],
)
def test_explicit_region_columns_fill_in_and_disambiguate(
    raw: str, province: str, city: str, district: str,
    region: tuple[str, str, str], status: str, reason: str,
) -> None:  # fmt: skip
    r = normalize_address(raw, province, city, district)
    assert ((r.province, r.city, r.district), r.status, r.reason) == (region, status, reason)
    assert normalize_address(r.value).value == r.value


def test_a_blank_address_is_missing_but_still_reports_the_column_region() -> None:
    r = normalize_address("", "广东", "深圳", "南山区")
    assert (r.value, r.status, r.reason) == ("", "missing", "")
    assert (r.province, r.city, r.district, r.adcode) == (*SZ, "440305")


# (raw, key)
FOREIGN = [
    ("1600 Amphitheatre Pkwy, Mountain View, CA 94043",
     "1600 amphitheatre pkwy mountain view ca 94043"),
    ("1600 Amphitheatre Parkway, Mountain View, CA 94043",
     "1600 amphitheatre pkwy mountain view ca 94043"),
    ("10 Downing Street, London SW1A 2AA", "10 downing st london sw1a 2aa"),
    ("350 Fifth Avenue, Suite 3300, New York", "350 fifth ave ste 3300 new york"),
    ("Ｆｌａｔ Ａ, 10/F, 1 Queen's Road Central, Hong Kong", "flat a 10 f 1 queen s rd central hong kong"),
    ("Unter den Linden 77, 10117 Berlin", "unter den linden 77 10117 berlin"),
    ("서울특별시 중구 세종대로 110", "서울특별시 중구 세종대로 110"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "key"), FOREIGN, ids=[f[0][:30] for f in FOREIGN])
def test_a_foreign_address_is_kept_as_typed_with_a_token_key(raw: str, key: str) -> None:
    r = normalize_address(raw)
    assert (r.status, r.reason, r.key) == ("valid", "address.foreign", key)
    assert (r.province, r.city, r.district, r.adcode) == ("", "", "", "")
    assert r.value == " ".join(r.value.split()) and "Ｆ" not in r.value


def test_the_batch_gives_the_same_results_as_one_at_a_time_and_in_order() -> None:
    items = [
        ("深圳市南山区科技园南路88号", "", "", ""),
        ("朝阳区建国路88号", "", "北京", ""),
        ("", "", "", ""),
        ("深圳市南山区科技园南路88号", "", "", ""),
        ("1600 Amphitheatre Pkwy", "", "", ""),
        ("朝阳区建国路88号", "", "", ""),
    ]
    batch = normalize_addresses(items)
    assert batch == [normalize_address(*item) for item in items]
    assert [r.status for r in batch] == ["valid", "valid", "missing", "valid", "valid", "partial"]
    assert normalize_addresses([]) == []


def test_the_batch_tolerates_none_cells_from_a_dataframe() -> None:
    (r,) = normalize_addresses([("深圳市南山区科技园南路88号", None, float("nan"), None)])  # type: ignore[list-item]
    assert r.value == "广东省深圳市南山区科技园南路88号"


# --- properties ------------------------------------------------------------

_FRAGMENTS = [
    "广东省", "广东", "深圳市", "深圳", "南山区", "南山", "北京市", "北京", "朝阳区", "上海",
    "吉林", "长春", "鼓楼区", "江苏省", "中山", "中山路", "长江西路", "南京东路", "科技园",
    "建国路", "八十八号", "88号", "3#", "楼", "12F", "房", "室", "栋", "幢", "二〇一", "-",
    "1", "0", " ", "，", "(", ")", "廣東", "區", "號", "中国", "香港", "东莞市", "市辖区", "县",
    "路", "街", "大道", "村", "A", "b", "Room", "Street",
]  # fmt: skip
_ADDRESSISH = st.lists(st.sampled_from(_FRAGMENTS), max_size=8).map("".join)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)
_COLUMN = st.sampled_from(
    ["", "广东", "广东省", "北京", "深圳市", "南山区", "朝阳区", "长春", "未知"]
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_contract(raw: str, r: AddressResult) -> None:
    assert r.status in STATUSES
    assert (r.status == "missing") == is_blank(raw)
    if r.status in ("missing", "invalid"):
        assert r.value == "" and r.key == ""
    if r.status not in ("valid", "missing"):
        assert r.reason != ""
    if r.status == "missing":
        assert r.reason == ""
    assert r.reason == "" or r.reason in REASONS
    assert "市辖区" not in (r.city, r.district)
    assert r.adcode == "" or (len(r.adcode) == 6 and r.adcode.isdigit())


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _ADDRESSISH), _COLUMN, _COLUMN, _COLUMN)
def test_any_text_gives_a_result_that_keeps_the_contract(
    raw: str, province: str, city: str, district: str
) -> None:
    _assert_contract(raw, normalize_address(raw, province, city, district))


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _ADDRESSISH), _COLUMN, _COLUMN, _COLUMN)
def test_standardizing_twice_changes_nothing(
    raw: str, province: str, city: str, district: str
) -> None:
    once = normalize_address(raw, province, city, district)
    if once.status != "missing":
        assert normalize_address(once.value).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": "深圳市\x00南山区科技园南路88号",
    "emoji": "深圳市南山区😀88号",
    "emoji-only": "😀😀",
    "rtl-override": "深圳市\u202e南山区",
    "10k-han": "深" * 10_000,
    "10k-regions": "广东省深圳市南山区" * 1_200,
    "10k-latin": "a" * 10_000,
    "10k-roads": "中山路" * 3_000,
    "pipes": "中|山|路",
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_address(raw))


def test_every_emitted_reason_is_declared_and_every_template_formats() -> None:
    emitted = {c[5] for c in CASES} | {c[6] for c in COLUMN_CASES} | {"address.foreign"}
    assert emitted - {""} <= set(REASONS)
    for code, templates in REASONS.items():
        assert code.startswith("address.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="朝阳区建国路88号", suggestion="北京市朝阳区建国路88号")


def test_region_names_repeated_after_an_ambiguous_district_are_stripped_stably():
    # Found by hypothesis: the province typed again after the district.
    first = normalize_address("江苏鼓楼区鼓楼区江苏省")
    assert normalize_address(first.value).value == first.value
