"""normalize_company keeps the company name as written and builds a matching
key without legal forms, regions, punctuation or script differences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.company import REASONS, CompanyResult, normalize_company
from core.standardize.result import STATUSES
from core.standardize.text import is_blank

# (raw, value, status, reason, key, region)
CASES = [
    ("北京字节跳动科技有限公司", "北京字节跳动科技有限公司", "valid", "", "字节跳动科技", "北京"),
    ("字节跳动科技（北京）有限公司", "字节跳动科技(北京)有限公司", "valid", "", "字节跳动科技", "北京"),
    ("字节跳动科技【北京】有限公司", "字节跳动科技【北京】有限公司", "valid", "", "字节跳动科技", "北京"),
    ("北京市字节跳动科技有限公司", "北京市字节跳动科技有限公司", "valid", "", "字节跳动科技", "北京"),
    ("深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统有限公司", "valid", "", "腾讯计算机系统", "深圳"),
    ("广东省深圳市腾讯计算机系统有限公司", "广东省深圳市腾讯计算机系统有限公司", "valid", "", "腾讯计算机系统", "深圳"),
    ("腾讯科技(深圳)有限公司", "腾讯科技(深圳)有限公司", "valid", "", "腾讯科技", "深圳"),
    ("內蒙古伊利實業集團股份有限公司", "內蒙古伊利實業集團股份有限公司", "valid", "", "伊利实业集团", "内蒙古"),
    ("伊利实业集团股份有限公司", "伊利实业集团股份有限公司", "valid", "", "伊利实业集团", ""),
    ("华为技术有限公司", "华为技术有限公司", "valid", "", "华为技术", ""),
    ("华为 技术 有限 公司", "华为 技术 有限 公司", "valid", "", "华为技术", ""),
    ("中国平安保险（集团）股份有限公司", "中国平安保险(集团)股份有限公司", "valid", "", "中国平安保险集团", ""),
    ("招商银行股份有限公司北京分行", "招商银行股份有限公司北京分行", "valid", "", "招商银行北京分行", ""),
    ("字节跳动科技有限公司上海分公司", "字节跳动科技有限公司上海分公司", "valid", "", "字节跳动科技上海分公司", ""),
    ("宁波梅山保税港区红杉投资管理合伙企业(有限合伙)", "宁波梅山保税港区红杉投资管理合伙企业(有限合伙)", "valid", "", "梅山保税港区红杉投资管理", "宁波"),
    ("苹果电脑贸易（上海）有限公司", "苹果电脑贸易(上海)有限公司", "valid", "", "苹果电脑贸易", "上海"),
    ("Apple Computer Trading (Shanghai) Co., Ltd.", "Apple Computer Trading (Shanghai) Co., Ltd.", "valid", "", "apple computer trading", "上海"),
    ("阿里巴巴网络技术有限公司", "阿里巴巴网络技术有限公司", "valid", "", "阿里巴巴网络技术", ""),
    ("大理石材有限公司", "大理石材有限公司", "valid", "", "大理石材", ""),
    ("上海市场研究有限公司", "上海市场研究有限公司", "valid", "", "上海市场研究", ""),
    ("北京大学", "北京大学", "valid", "", "北京大学", ""),
    ("南京大学", "南京大学", "valid", "", "南京大学", ""),
    ("北京科技有限公司", "北京科技有限公司", "valid", "", "北京科技", ""),
    ("科技（北京）有限公司", "科技(北京)有限公司", "valid", "", "北京科技", ""),
    ("延边朝鲜族自治州长白山旅游有限公司", "延边朝鲜族自治州长白山旅游有限公司", "valid", "", "长白山旅游", "延边"),
    ("トヨタ自動車株式会社", "トヨタ自動車株式会社", "valid", "", "トヨタ自动车", ""),
    ("株式会社ソニー", "株式会社ソニー", "valid", "", "ソニー", ""),
    ("Alibaba Group Holding Limited", "Alibaba Group Holding Limited", "valid", "", "alibaba group holding", ""),
    ("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.", "valid", "", "huawei technologies", ""),
    ("HUAWEI TECHNOLOGIES CO.,LTD", "HUAWEI TECHNOLOGIES CO.,LTD", "valid", "", "huawei technologies", ""),
    ("Siemens Ltd. (China)", "Siemens Ltd. (China)", "valid", "", "siemens", "中国"),
    ("Société Générale S.A.", "Société Générale S.A.", "valid", "", "societe generale", ""),
    ("The Coca-Cola Company", "The Coca-Cola Company", "valid", "", "coca cola", ""),
    ("Johnson & Johnson", "Johnson & Johnson", "valid", "", "johnson and johnson", ""),
    ("Apple Inc.", "Apple Inc.", "valid", "", "apple", ""),
    ("Acme GmbH", "Acme GmbH", "valid", "", "acme", ""),
    ("DBS Bank Pte Ltd", "DBS Bank Pte Ltd", "valid", "", "dbs bank", ""),
    ("Sony K.K.", "Sony K.K.", "valid", "", "sony", ""),
    ("Яндекс ООО", "Яндекс ООО", "valid", "", "яндекс", ""),
    ("삼성전자 주식회사", "삼성전자 주식회사", "valid", "", "삼성전자", ""),
    ("有限公司", "有限公司", "suspect", "company.generic", "有限公司", ""),
    ("北京有限公司", "北京有限公司", "suspect", "company.generic", "北京", ""),
    ("科技有限公司", "科技有限公司", "suspect", "company.generic", "科技", ""),
    ("Limited", "Limited", "suspect", "company.generic", "limited", ""),
    ("Trading Co., Ltd.", "Trading Co., Ltd.", "suspect", "company.generic", "trading", ""),
    ("腾讯 13812345678", "腾讯 13812345678", "suspect", "company.has_phone", "腾讯13812345678", ""),
    ("个人", "个人", "partial", "company.individual", "", ""),
    ("個人", "個人", "partial", "company.individual", "", ""),
    ("自由职业", "自由职业", "partial", "company.individual", "", ""),
    ("个体户", "个体户", "partial", "company.individual", "", ""),
    ("学生", "学生", "partial", "company.individual", "", ""),
    ("家庭主妇", "家庭主妇", "partial", "company.individual", "", ""),
    ("Self-employed", "Self-employed", "partial", "company.individual", "", ""),
    ("个人（自由职业）", "个人(自由职业)", "partial", "company.individual", "", ""),
    ("无", "", "invalid", "company.placeholder", "", ""),
    ("N/A", "", "invalid", "company.placeholder", "", ""),
    ("测试公司", "", "invalid", "company.placeholder", "", ""),
    ("test", "", "invalid", "company.placeholder", "", ""),
    ("单位", "", "invalid", "company.placeholder", "", ""),
    ("无 公司", "", "invalid", "company.placeholder", "", ""),
    ("未知有限公司", "", "invalid", "company.placeholder", "", ""),
    ("aaaa", "", "invalid", "company.placeholder", "", ""),
    ("123456", "", "invalid", "company.no_letters", "", ""),
    ("", "", "missing", "", "", ""),
    ("\u3000 ", "", "missing", "", "", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason", "key", "region"),
    CASES,
    ids=[repr(case[0]) for case in CASES],
)
def test_real_world_company_names_are_standardized(
    raw: str, value: str, status: str, reason: str, key: str, region: str
) -> None:
    result = normalize_company(raw)
    assert (result.value, result.status, result.reason) == (value, status, reason)
    assert (result.key, result.region) == (key, region)


SAME_COMPANY = ["北京字节跳动科技有限公司", "字节跳动科技（北京）有限公司", "字节跳动科技(北京)有限公司", "北京市字节跳动科技有限公司", "字节跳动科技有限公司", "北京 字节跳动 科技 有限公司", "北京字節跳動科技有限公司"]  # fmt: skip


@pytest.mark.parametrize("raw", SAME_COMPANY, ids=SAME_COMPANY)
def test_every_spelling_of_one_company_shares_one_key(raw: str) -> None:
    assert normalize_company(raw).key == "字节跳动科技"


def test_the_display_value_keeps_script_and_legal_form() -> None:
    assert normalize_company("  北京字節跳動科技有限公司\u200b").value == "北京字節跳動科技有限公司"


def test_a_branch_never_matches_its_head_office() -> None:
    head = normalize_company("招商银行股份有限公司")
    branch = normalize_company("招商银行股份有限公司北京分行")
    assert head.key == "招商银行"
    assert branch.key != head.key


def test_universities_in_different_cities_stay_apart() -> None:
    assert normalize_company("北京大学").key != normalize_company("南京大学").key


def test_none_and_nan_from_pandas_do_not_raise() -> None:
    assert normalize_company(None).status == "missing"  # type: ignore[arg-type]
    assert normalize_company(float("nan")).status == "invalid"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw",
    [
        "公司" * 5_000,
        "Co. " * 2_500,
        "\x00" * 100,
        "\u202e腾讯\u202c",
        "腾\ud800讯",
        "(" * 500 + "腾讯" + ")" * 500,
    ],
    ids=["10k-han", "10k-latin", "nul", "rtl-override", "lone-surrogate", "deep-brackets"],
)
def test_hostile_input_does_not_raise(raw: str) -> None:
    result = normalize_company(raw)
    assert result.status in STATUSES
    assert normalize_company(result.value).key == result.key


def test_every_reason_code_has_english_and_chinese_templates_that_format() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("company.")
        assert len(templates) == 2
        for template in templates:
            text = template.format(value="北京有限公司", suggestion="字节跳动科技有限公司")
            assert "北京有限公司" in text


def test_every_reason_code_is_exercised_by_the_cases() -> None:
    emitted = {normalize_company(case[0]).reason for case in CASES} - {""}
    assert emitted == set(REASONS)


def _check_invariants(raw: str, result: CompanyResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert result.value == "" and result.key == ""
    if result.status not in ("valid", "missing"):
        assert result.reason
    if result.reason:
        assert result.reason in REASONS
    if result.status in ("valid", "suspect"):
        assert result.key, "a key is never reduced to nothing"


COMPANYISH = st.lists(
    st.sampled_from(
        list("北京深圳字节跳动科技有限公司股份集团分行（）()【】 .,&-個人测试无")
        + ["Co.", "Ltd", "Inc", "GmbH", "S.A.", "(China)", "é", "\u0301", "\u200b", "\x00", "1"]
    ),
    max_size=12,
).map("".join)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), COMPANYISH))
def test_any_text_gives_a_result_that_keeps_the_invariants(raw: str) -> None:
    _check_invariants(raw, normalize_company(raw))


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), COMPANYISH))
def test_standardizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_company(raw)
    twice = normalize_company(once.value)
    assert (twice.value, twice.key, twice.region) == (once.value, once.key, once.region)


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(st.text(min_size=2_000, max_size=10_000))
def test_long_text_never_raises(raw: str) -> None:
    assert normalize_company(raw).status in STATUSES
