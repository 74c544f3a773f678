"""The canonical customer fields: one registry, and what each field is.

Every import maps a file's columns onto these fields. :data:`REGISTRY`
says, once, for each field: whether a row needs it to be a usable record
(identifying), whether a customer keeps a surviving value of it (golden),
whether quality KPIs are measured on it, whether it is masked for roles
that see masked data (sensitive), and the column headers that map onto it.
Every other list of fields in the engine is derived from this table.

The header aliases cover the Chinese and English forms found in real CRM
exports; matching is done on a folded form of the header (NFKC, lower
case, no spaces, underscores, dashes or dots, Traditional folded to
Simplified), so ``E-Mail``, ``e_mail`` and ``电子邮件`` all meet their alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

Field = str
"""A canonical field's name, one of :data:`FIELDS`."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One canonical field and what the engine does with it."""

    name: Field
    aliases: tuple[str, ...]
    """Folded column headers that map onto the field."""
    identifying: bool = False
    """A row needs a non-blank value in one identifying field to be imported."""
    golden: bool = False
    """A customer keeps a surviving value of it, with provenance."""
    measured: bool = False
    """Quality KPIs are measured on it (it has a standardized status)."""
    sensitive: bool = False
    """Masked for viewers who may not see personal data."""


REGISTRY: Final[tuple[FieldSpec, ...]] = (
    FieldSpec("name", (
        "name", "fullname", "customername", "customer", "contactname", "contact", "姓名", "名字",
        "客户名称", "客户姓名", "客户名", "联系人", "联系人姓名", "称呼", "顾客姓名", "会员姓名"
    ), identifying=True, golden=True, measured=True),
    FieldSpec("first_name", (
        "firstname", "givenname", "forename", "名"
    ), identifying=True),
    FieldSpec("last_name", (
        "lastname", "surname", "familyname", "姓", "姓氏"
    ), identifying=True),
    FieldSpec("mobile", (
        "mobile", "mobilephone", "mobileno", "mobilenumber", "cell", "cellphone", "handphone",
        "手机", "手机号", "手机号码", "移动电话", "手机电话"
    ), identifying=True, golden=True, measured=True, sensitive=True),
    FieldSpec("phone", (
        "phone", "tel", "telephone", "phonenumber", "phoneno", "landline", "workphone",
        "officephone", "switchboard", "companyphone", "mainphone", "电话", "联系电话", "固定电话",
        "座机", "办公电话", "电话号码", "联系方式", "总机", "总机号码", "公司电话"
    ), identifying=True, golden=True, measured=True, sensitive=True),
    FieldSpec("email", (
        "email", "mail", "emailaddress", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址", "email地址"
    ), identifying=True, golden=True, measured=True, sensitive=True),
    FieldSpec("wechat", (
        "wechat", "wechatid", "weixin", "wx", "微信", "微信号", "微信id"
    ), identifying=True, golden=True, measured=True, sensitive=True),
    FieldSpec("company", (
        "company", "companyname", "organization", "organisation", "employer", "account",
        "accountname", "公司", "公司名称", "单位", "单位名称", "工作单位", "企业", "企业名称", "所在公司"
    ), identifying=True, golden=True, measured=True),
    FieldSpec("title", (
        "title", "jobtitle", "position", "role", "职位", "职务", "头衔", "岗位"
    ), golden=True),
    FieldSpec("address", (
        "address", "streetaddress", "street", "addressline", "mailingaddress", "地址", "联系地址",
        "详细地址", "通讯地址", "家庭住址", "住址", "公司地址", "收货地址"
    ), golden=True, measured=True, sensitive=True),
    FieldSpec("province", (
        "province", "state", "region", "省", "省份", "所在省份", "省/直辖市"
    ), golden=True),
    FieldSpec("city", (
        "city", "town", "市", "城市", "所在城市", "地市"
    ), golden=True),
    FieldSpec("district", (
        "district", "county", "区", "区县", "县区", "区/县", "所在区县"
    ), golden=True),
    FieldSpec("postcode", (
        "postcode", "postalcode", "zip", "zipcode", "邮编", "邮政编码"
    ), golden=True, measured=True),
    FieldSpec("country", (
        "country", "countryregion", "nation", "国家", "国家/地区", "国家地区"
    ), golden=True),
    FieldSpec("birth_date", (
        "birthdate", "birthday", "dateofbirth", "dob", "生日", "出生日期", "出生年月日"
    ), golden=True, measured=True),
    FieldSpec("id_number", (
        "idnumber", "idno", "idcard", "nationalid", "身份证", "身份证号", "身份证号码", "证件号", "证件号码"
    ), identifying=True, golden=True, measured=True, sensitive=True),
    FieldSpec("customer_type", (
        "customertype", "type", "category", "segment", "客户类型", "客户类别", "客户等级", "类型"
    ), golden=True, measured=True),
    FieldSpec("owner", (
        "owner", "accountowner", "salesrep", "salesperson", "assignedto", "负责人", "客户经理", "销售",
        "销售负责人", "跟进人", "归属人", "所属销售"
    ), golden=True),
    FieldSpec("source", (
        "source", "leadsource", "channel", "来源", "客户来源", "线索来源", "渠道"
    )),
    FieldSpec("created_at", (
        "createdat", "created", "createdate", "createdtime", "creationdate", "datecreated",
        "registeredat", "创建时间", "创建日期", "录入时间", "登记时间", "注册时间"
    )),
    FieldSpec("updated_at", (
        "updatedat", "updated", "modified", "lastmodified", "lastmodifieddate", "modifiedat",
        "更新时间", "修改时间", "最后修改时间", "最近更新"
    )),
    FieldSpec("last_contact_at", (
        "lastcontact", "lastcontactat", "lastcontacted", "lastcontactdate", "lastactivity",
        "最近联系", "最近联系时间", "最后联系时间", "上次联系", "最近跟进时间", "最后跟进"
    ), golden=True, measured=True),
    FieldSpec("notes", (
        "notes", "note", "remark", "remarks", "comment", "comments", "备注", "说明", "描述"
    )),
    FieldSpec("website", (
        "website", "web", "url", "homepage", "site", "webaddress", "domain", "网址", "网站",
        "公司网址", "公司网站", "主页", "官网", "官方网站"
    ), identifying=True, golden=True),
    FieldSpec("fax", (
        "fax", "faxno", "faxnumber", "telefax", "传真", "传真号", "传真号码"
    ), golden=True, sensitive=True),
    FieldSpec("org_id", (
        "orgid", "registrationnumber", "registrationno", "regno", "companynumber",
        "companyregistrationnumber", "companyid", "businessid", "vat", "vatnumber", "vatno",
        "vatid", "taxid", "taxnumber", "ein", "uscc", "crn", "kvk", "kvknumber", "siren", "abn",
        "统一社会信用代码", "社会信用代码", "信用代码", "营业执照号", "营业执照号码", "注册号",
        "工商注册号", "税号", "纳税人识别号", "组织机构代码"
    ), identifying=True, golden=True),
)
"""Every canonical field, in the order of the store's columns."""

FIELDS: Final[tuple[Field, ...]] = tuple(s.name for s in REGISTRY)
"""The canonical fields, in registry order."""

SPEC: Final[dict[Field, FieldSpec]] = {s.name: s for s in REGISTRY}

IDENTIFYING_FIELDS: Final[tuple[Field, ...]] = tuple(s.name for s in REGISTRY if s.identifying)
"""A row needs a non-blank value in at least one of these to be a usable
customer record; a row without any is quarantined."""

GOLDEN_FIELDS: Final[tuple[Field, ...]] = tuple(s.name for s in REGISTRY if s.golden)
"""The fields a golden record keeps."""

QUALITY_FIELDS: Final[tuple[Field, ...]] = tuple(s.name for s in REGISTRY if s.measured)
"""The fields quality is measured on (each has a standardized status)."""

SENSITIVE_FIELDS: Final[frozenset[Field]] = frozenset(s.name for s in REGISTRY if s.sensitive)
"""Fields masked for viewers who may not see them."""

HEADER_ALIASES: Final[dict[Field, tuple[str, ...]]] = {s.name: s.aliases for s in REGISTRY}
"""Field -> the folded headers that map onto it."""
