"""Mapping headers onto canonical fields, automatically and by --map."""

import pytest

from core.errors import InputError
from core.ingest.mapping import guess_field, map_columns, order_for_join, parse_overrides

REQUIRED = {
    "姓名": "name",
    "名字": "name",
    "客户名称": "name",
    "手机": "mobile",
    "手机号": "mobile",
    "电话": "phone",
    "联系电话": "phone",
    "邮箱": "email",
    "电子邮件": "email",
    "公司": "company",
    "单位": "company",
    "职位": "title",
    "地址": "address",
    "省份": "province",
    "城市": "city",
    "区县": "district",
    "邮编": "postcode",
    "创建时间": "created_at",
    "最近联系": "last_contact_at",
    "微信": "wechat",
    "Name": "name",
    "Full Name": "name",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Mobile": "mobile",
    "Mobile Phone": "mobile",
    "Phone": "phone",
    "Tel": "phone",
    "E-mail": "email",
    "Email Address": "email",
    "Company": "company",
    "Job Title": "title",
    "Address": "address",
    "Province": "province",
    "City": "city",
    "District": "district",
    "Zip Code": "postcode",
    "Country": "country",
    "Birthday": "birth_date",
    "ID Number": "id_number",
    "Customer Type": "customer_type",
    "Owner": "owner",
    "Lead Source": "source",
    "Created At": "created_at",
    "Last Modified": "updated_at",
    "Last Contact": "last_contact_at",
    "Notes": "notes",
    "WeChat ID": "wechat",
}


@pytest.mark.parametrize(("header", "field"), REQUIRED.items(), ids=list(REQUIRED))
def test_common_headers_map_to_their_field(header, field):
    assert guess_field(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("*手机号码（必填）", "mobile"),
        ("客户手机", "mobile"),
        ("手机2", "mobile"),
        ("電子郵件", "email"),
        ("  E_MAIL ", "email"),
        ("联系人姓名", "name"),
    ],
    ids=["required-mark", "prefix", "numbered", "traditional", "spaced", "contact-name"],
)
def test_decorated_headers_still_map(header, field):
    assert guess_field(header) == field


@pytest.mark.parametrize("header", ["会员等级", "积分", "Campaign", "", "备用字段1"])
def test_unknown_headers_map_to_nothing(header):
    assert guess_field(header) is None


def test_phones_may_take_several_columns_but_a_name_only_one():
    mapping = map_columns(["姓名", "客户名称", "手机", "手机2"])
    assert [m.field for m in mapping] == ["name", None, "mobile", "mobile"]


def test_an_explicit_map_replaces_the_automatic_one_for_that_field():
    headers = ["姓名", "称呼", "电话"]
    mapping = map_columns(headers, parse_overrides(["称呼=name", "电话=-"]))
    assert [(m.field, m.how) for m in mapping] == [
        (None, "none"),
        ("name", "manual"),
        (None, "none"),
    ]


def test_several_explicit_columns_join_in_the_order_given():
    headers = ["名", "姓", "手机"]
    overrides = parse_overrides(["姓=name", "名=name"])
    joins = order_for_join(map_columns(headers, overrides), overrides)
    assert joins["name"] == [1, 0]
    assert joins["mobile"] == [2]


def test_an_unknown_field_suggests_the_closest_one():
    with pytest.raises(InputError, match="unknown field 'mobil'; did you mean 'mobile'"):
        parse_overrides(["手机=mobil"])


def test_a_map_without_equals_shows_the_form():
    with pytest.raises(InputError, match="expected COLUMN=FIELD, e.g. --map 手机号码=mobile"):
        parse_overrides(["手机"])


def test_a_map_naming_a_missing_column_lists_the_columns():
    with pytest.raises(InputError, match="no column 'Handy'; its columns are: '姓名', '手机'"):
        map_columns(["姓名", "手机"], parse_overrides(["Handy=mobile"]))
