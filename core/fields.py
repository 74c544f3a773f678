"""The canonical customer fields and the column headers that map onto them.

Every import maps a file's columns onto these fields. The header aliases
cover the Chinese and English forms found in real CRM exports; matching is
done on a folded form of the header (NFKC, lower case, no spaces,
underscores, dashes or dots, Traditional folded to Simplified), so
``E-Mail``, ``e_mail`` and ``电子邮件`` all meet their alias.
"""

from __future__ import annotations

from typing import Final, Literal

Field = Literal[
    "name",
    "first_name",
    "last_name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "company",
    "title",
    "address",
    "province",
    "city",
    "district",
    "postcode",
    "country",
    "birth_date",
    "id_number",
    "customer_type",
    "owner",
    "source",
    "created_at",
    "updated_at",
    "last_contact_at",
    "notes",
]

FIELDS: Final[tuple[Field, ...]] = (
    "name",
    "first_name",
    "last_name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "company",
    "title",
    "address",
    "province",
    "city",
    "district",
    "postcode",
    "country",
    "birth_date",
    "id_number",
    "customer_type",
    "owner",
    "source",
    "created_at",
    "updated_at",
    "last_contact_at",
    "notes",
)

IDENTIFYING_FIELDS: Final[tuple[Field, ...]] = (
    "name",
    "first_name",
    "last_name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "id_number",
    "company",
)
"""A row needs a non-blank value in at least one of these to be a usable
customer record; a row without any is quarantined."""

HEADER_ALIASES: Final[dict[Field, tuple[str, ...]]] = {
    "name": (
        "name", "fullname", "customername", "customer", "contactname", "contact",
        "姓名", "名字", "客户名称", "客户姓名", "客户名", "联系人", "联系人姓名", "称呼", "顾客姓名", "会员姓名",
    ),
    "first_name": ("firstname", "givenname", "forename", "名"),
    "last_name": ("lastname", "surname", "familyname", "姓", "姓氏"),
    "mobile": (
        "mobile", "mobilephone", "mobileno", "mobilenumber", "cell", "cellphone", "handphone",
        "手机", "手机号", "手机号码", "移动电话", "手机电话",
    ),
    "phone": (
        "phone", "tel", "telephone", "phonenumber", "phoneno", "landline", "workphone", "officephone",
        "电话", "联系电话", "固定电话", "座机", "办公电话", "电话号码", "联系方式",
    ),
    "email": ("email", "mail", "emailaddress", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址", "email地址"),
    "wechat": ("wechat", "wechatid", "weixin", "wx", "微信", "微信号", "微信id"),
    "company": (
        "company", "companyname", "organization", "organisation", "employer", "account", "accountname",
        "公司", "公司名称", "单位", "单位名称", "工作单位", "企业", "企业名称", "所在公司",
    ),
    "title": ("title", "jobtitle", "position", "role", "职位", "职务", "头衔", "岗位"),
    "address": (
        "address", "streetaddress", "street", "addressline", "mailingaddress",
        "地址", "联系地址", "详细地址", "通讯地址", "家庭住址", "住址", "公司地址", "收货地址",
    ),
    "province": ("province", "state", "region", "省", "省份", "所在省份", "省/直辖市"),
    "city": ("city", "town", "市", "城市", "所在城市", "地市"),
    "district": ("district", "county", "区", "区县", "县区", "区/县", "所在区县"),
    "postcode": ("postcode", "postalcode", "zip", "zipcode", "邮编", "邮政编码"),
    "country": ("country", "countryregion", "nation", "国家", "国家/地区", "国家地区"),
    "birth_date": ("birthdate", "birthday", "dateofbirth", "dob", "生日", "出生日期", "出生年月日"),
    "id_number": (
        "idnumber", "idno", "idcard", "nationalid", "身份证", "身份证号", "身份证号码", "证件号", "证件号码",
    ),
    "customer_type": (
        "customertype", "type", "category", "segment", "客户类型", "客户类别", "客户等级", "类型",
    ),
    "owner": (
        "owner", "accountowner", "salesrep", "salesperson", "assignedto",
        "负责人", "客户经理", "销售", "销售负责人", "跟进人", "归属人", "所属销售",
    ),
    "source": ("source", "leadsource", "channel", "来源", "客户来源", "线索来源", "渠道"),
    "created_at": (
        "createdat", "created", "createdate", "createdtime", "creationdate", "datecreated", "registeredat",
        "创建时间", "创建日期", "录入时间", "登记时间", "注册时间",
    ),
    "updated_at": (
        "updatedat", "updated", "modified", "lastmodified", "lastmodifieddate", "modifiedat",
        "更新时间", "修改时间", "最后修改时间", "最近更新",
    ),
    "last_contact_at": (
        "lastcontact", "lastcontactat", "lastcontacted", "lastcontactdate", "lastactivity",
        "最近联系", "最近联系时间", "最后联系时间", "上次联系", "最近跟进时间", "最后跟进",
    ),
    "notes": ("notes", "note", "remark", "remarks", "comment", "comments", "备注", "说明", "描述"),
}
