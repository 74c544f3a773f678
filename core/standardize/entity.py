"""What a record describes: a person or an organisation.

CRM exports mix consumer contacts and B2B accounts (Fxiaoke's 客户 are
companies). A record is an **organisation** when its import said so
(``--entity organisation``), when its customer type names one (企业, 公司,
单位, 机构, B2B, company, business, organisation …), or when it has a
company name and no person's name at all; otherwise it is a **person**.
Matching never pairs a person with an organisation, and each is compared
on the evidence that fits it (:mod:`core.matching.comparisons`).
"""

from __future__ import annotations

import re
from typing import Literal

from core.standardize.text import fold

Entity = Literal["person", "organisation"]

_ORGANISATION_WORDS = frozenset(
    "企业 企业客户 公司 公司客户 单位 单位客户 机构 机构客户 组织 法人 法人客户 团体 团体客户 "
    "对公 对公客户 商户 经销商 代理商 供应商 渠道商 集团客户 政府 政府客户 b2b b2g company "
    "companies corporate corporation business businesses enterprise organisation "
    "organization org account accounts firm institution reseller distributor dealer partner "
    "government legalentity".split()
)
_PERSON_WORDS = frozenset(
    "个人 个人客户 自然人 消费者 散客 会员 b2c person individual consumer private "
    "privateperson customerperson contact".split()
)
_SQUEEZE = re.compile(r"[\s_\-./()（）]+")


def entity_hint(customer_type: str) -> Entity | None:
    """The entity a customer-type cell names, or None when it names none
    (潜在客户, VIP and the like say nothing about it)."""
    word = _SQUEEZE.sub("", fold(customer_type).casefold()) if customer_type else ""
    if not word:
        return None
    if word in _ORGANISATION_WORDS:
        return "organisation"
    if word in _PERSON_WORDS:
        return "person"
    return None


def entity_of(
    customer_type: str, has_person_name: bool, has_company: bool, forced: str = ""
) -> Entity:
    """The entity of one record.

    Args:
        customer_type: the raw customer-type cell ('' when none).
        has_person_name: the record has a person's name (name, first or last).
        has_company: the record has a company name.
        forced: the import's ``--entity`` ('person', 'organisation' or ''
            for auto); it wins.

    Example:
        >>> entity_of("", False, True), entity_of("企业", True, True), entity_of("", True, True)
        ('organisation', 'organisation', 'person')
    """
    if forced in ("person", "organisation"):
        return forced  # type: ignore[return-value]
    hint = entity_hint(customer_type)
    if hint is not None:
        return hint
    return "organisation" if has_company and not has_person_name else "person"
