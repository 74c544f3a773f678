"""normalize_email folds an e-mail cell into one canonical address, flags
domain typos with a suggestion it never applies, and marks shared and
free-mail mailboxes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.standardize.email_address import REASONS, EmailResult, normalize_email
from core.standardize.result import STATUSES
from core.standardize.text import is_blank

# (raw, value, status, reason)
CASES = [
    ("zhang.wei@qq.com", "zhang.wei@qq.com", "valid", ""),
    ("Zhang.Wei@QQ.COM", "zhang.wei@qq.com", "valid", ""),
    ("  zhang.wei@qq.com  ", "zhang.wei@qq.com", "valid", ""),
    ("Zhang.Wei＠QQ。COM", "zhang.wei@qq.com", "valid", ""),
    ("zhang.wei＠163．com", "zhang.wei@163.com", "valid", ""),
    ("ｚｈａｎｇｗｅｉ＠ｇｍａｉｌ．ｃｏｍ", "zhangwei@gmail.com", "valid", ""),
    ("zhangwei @ 163 . com", "zhangwei@163.com", "valid", ""),
    ("mailto:Zhang.Wei@QQ.COM", "zhang.wei@qq.com", "valid", ""),
    ("MAILTO:zw@126.com", "zw@126.com", "valid", ""),
    ("<zhangwei@163.com>", "zhangwei@163.com", "valid", ""),
    ('"zhangwei@163.com"', "zhangwei@163.com", "valid", ""),
    ("“zhangwei@163.com”", "zhangwei@163.com", "valid", ""),
    ("张伟 <zhangwei@163.com>", "zhangwei@163.com", "valid", ""),
    ('"Zhang Wei" <ZhangWei@Acme.COM.CN>', "ZhangWei@acme.com.cn", "valid", ""),
    ("邮箱：zw@sina.cn", "zw@sina.cn", "valid", ""),
    ("zhangwei@qq.com（工作）", "zhangwei@qq.com", "valid", ""),
    ("zhangwei@qq.com (home)", "zhangwei@qq.com", "valid", ""),
    ("E-mail: ZW@Acme.cn", "ZW@acme.cn", "valid", ""),
    ("ZhangWei@Company.com", "ZhangWei@company.com", "valid", ""),
    ("zw@sina.com", "zw@sina.com", "valid", ""),
    ("zw@vip.qq.com", "zw@vip.qq.com", "valid", ""),
    ("zw@xn--fiqs8s.cn", "zw@中国.cn", "valid", ""),
    ("张伟@公司.中国", "张伟@公司.中国", "valid", ""),
    ("zw@soho.com", "zw@soho.com", "valid", ""),
    ("info@acme.com", "info@acme.com", "valid", "email.role_account"),
    ("Sales@Acme.com", "sales@acme.com", "valid", "email.role_account"),
    ("kefu@acme.cn", "kefu@acme.cn", "valid", "email.role_account"),
    ("a@qq.com;b@163.com", "a@qq.com", "valid", "email.multiple"),
    ("a@qq.com，b@163.com", "a@qq.com", "valid", "email.multiple"),
    ("a@qq.com b@163.com", "a@qq.com", "valid", "email.multiple"),
    ("a@qq, b@163.com", "b@163.com", "valid", "email.multiple"),
    ("zhangwei@qq.con", "zhangwei@qq.con", "suspect", "email.domain_typo"),
    ("ZhangWei@QQ.CM", "ZhangWei@qq.cm", "suspect", "email.domain_typo"),
    ("zhangwei", "", "invalid", "email.no_at"),
    ("zhangwei163.com", "", "invalid", "email.missing_at"),
    ("zhangwei@", "", "invalid", "email.no_domain"),
    ("@qq.com", "", "invalid", "email.no_local"),
    ("a@@qq.com", "", "invalid", "email.two_at"),
    ("zhang wei@qq.com", "", "invalid", "email.space"),
    ("a..b@acme.com", "", "invalid", "email.bad_local"),
    (".a@acme.com", "", "invalid", "email.bad_local"),
    ("张伟@qq.com", "", "invalid", "email.bad_local"),
    ("a@qq..com", "", "invalid", "email.bad_domain"),
    ("a@qq.com.", "", "invalid", "email.bad_domain"),
    ("a@localhost", "", "invalid", "email.bad_domain"),
    ("a@qq_com.com", "", "invalid", "email.bad_domain"),
    ("a@x.test", "", "invalid", "email.reserved_domain"),
    ("a@" + "b" * 250 + ".com", "", "invalid", "email.too_long"),
    ("test@example.com", "", "invalid", "email.fake"),
    ("无", "", "invalid", "email.placeholder"),
    ("N/A", "", "invalid", "email.placeholder"),
    ("", "", "missing", ""),
]


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason"), CASES, ids=[c[0][:40] for c in CASES]
)
def test_a_cell_standardizes_to_the_expected_address(
    raw: str, value: str, status: str, reason: str
) -> None:
    result = normalize_email(raw)
    assert (result.value, result.status, result.reason) == (value, status, reason)


# (raw, value as typed but normalized, suggestion)
TYPOS = [
    ("zw@qq.con", "zw@qq.con", "zw@qq.com"),
    ("zw@qq.cm", "zw@qq.cm", "zw@qq.com"),
    ("zw@qq.co", "zw@qq.co", "zw@qq.com"),
    ("zw@163.cm", "zw@163.cm", "zw@163.com"),
    ("zw@163.con", "zw@163.con", "zw@163.com"),
    ("zw@126.con", "zw@126.con", "zw@126.com"),
    ("zw@gmial.com", "zw@gmial.com", "zw@gmail.com"),
    ("zw@gmai.com", "zw@gmai.com", "zw@gmail.com"),
    ("zw@gamil.com", "zw@gamil.com", "zw@gmail.com"),
    ("zw@gmaill.com", "zw@gmaill.com", "zw@gmail.com"),
    ("zw@hotmial.com", "zw@hotmial.com", "zw@hotmail.com"),
    ("zw@outlook.co", "zw@outlook.co", "zw@outlook.com"),
    ("zw@outlok.com", "zw@outlok.com", "zw@outlook.com"),
    ("zw@yaho.com", "zw@yaho.com", "zw@yahoo.com"),
    ("zw@yahoo.cm", "zw@yahoo.cm", "zw@yahoo.com"),
    ("zw@foxmai.com", "zw@foxmai.com", "zw@foxmail.com"),
    ("zw@iclod.com", "zw@iclod.com", "zw@icloud.com"),
    ("zw@acme.com.cm", "zw@acme.com.cm", "zw@acme.com.cn"),
    ("zw@acme.con", "zw@acme.con", "zw@acme.com"),
    ("ZhangWei@Acme.COMM", "ZhangWei@acme.comm", "ZhangWei@acme.com"),
    ("ZW@QQ.CON", "ZW@qq.con", "ZW@qq.com"),
]


@pytest.mark.parametrize(("raw", "value", "suggestion"), TYPOS, ids=[t[0] for t in TYPOS])
def test_a_domain_typo_is_flagged_with_a_suggestion_but_not_applied(
    raw: str, value: str, suggestion: str
) -> None:
    assert normalize_email(raw) == EmailResult(
        value=value, status="suspect", reason="email.domain_typo", suggestion=suggestion
    )


@pytest.mark.parametrize(
    "domain",
    [
        "sina.cn",
        "sina.com",
        "163.net",
        "yeah.net",
        "live.cn",
        "mail.com",
        "gmx.de",
        "acme.com.cn",
        "sino.com",
        "life.com",
        "tim.com",
        "me.com",
        "hotmail.fr",
    ],
)
def test_a_real_domain_near_a_provider_is_not_a_typo(domain: str) -> None:
    result = normalize_email("zw@" + domain)
    assert (result.status, result.suggestion) == ("valid", "")


@pytest.mark.parametrize("domain", ["orange.com", "sky.de", "free.com", "home.com"])
def test_an_isps_mail_domain_suggests_no_typo_for_its_namesakes(domain: str) -> None:
    # orange.fr is a consumer mailbox; orange.com is a company, not a typo of it
    result = normalize_email("jean@" + domain)
    assert (result.status, result.suggestion, result.free_provider) == ("valid", "", False)


def test_an_isps_mailbox_keeps_the_case_of_its_name() -> None:
    # only the providers known to fold case have their mailbox names folded
    assert normalize_email("Jean.Dupont@Orange.fr").value == "Jean.Dupont@orange.fr"


def test_a_missing_at_sign_suggests_the_address_it_probably_was() -> None:
    assert normalize_email("123456789qq.com").suggestion == "123456789@qq.com"
    assert normalize_email("zhangwei.163.com").suggestion == "zhangwei@163.com"


def test_the_local_part_keeps_its_case_outside_known_case_insensitive_providers() -> None:
    assert normalize_email("Zhang.Wei@Acme.CN").value == "Zhang.Wei@acme.cn"
    assert normalize_email("Zhang.Wei@Gmail.com").value == "zhang.wei@gmail.com"


@pytest.mark.parametrize(
    ("raw", "role", "free"),
    [
        ("info@acme.com", True, False),
        ("HR@acme.com", True, False),
        ("support+cn@acme.com", True, False),
        ("zhang.wei@acme.com", False, False),
        ("zhang.wei@qq.com", False, True),
        ("12345678@qq.com", False, True),
        ("service@163.com", True, True),
        ("zw@outlook.com", False, True),
        ("jean.dupont@orange.fr", False, True),  # an ISP's consumer mailbox
        ("p.jones@optusnet.com.au", False, True),
        ("jan@orange.com", False, False),  # Orange's own staff, a firm's domain
    ],
)
def test_role_and_free_provider_flags_are_informative(raw: str, role: bool, free: bool) -> None:
    result = normalize_email(raw)
    assert (result.status, result.role_account, result.free_provider) == ("valid", role, free)


# --- properties ------------------------------------------------------------

_EMAILISH = st.text(alphabet="abcAB01.@_-+ ＠。<>\"'mailto:qq.con163gmialcom,;张", max_size=40)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)  # any text but surrogates
# st.emails() builds its domain list on first use, which trips the slow-data check.
_SETTINGS = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])


def _assert_contract(raw: str, result: EmailResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert result.value == ""
    else:
        assert "@" in result.value
    if result.status not in ("valid", "missing"):
        assert result.reason != ""
    if result.status == "missing":
        assert result.reason == ""
    assert result.reason == "" or result.reason in REASONS
    if result.reason in ("email.domain_typo", "email.missing_at"):
        assert result.suggestion != "" and result.suggestion != result.value


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _EMAILISH, st.emails()))
def test_any_text_gives_a_result_that_keeps_the_contract(raw: str) -> None:
    _assert_contract(raw, normalize_email(raw))


@_SETTINGS
@given(st.one_of(_ANY_TEXT, _EMAILISH, st.emails()))
def test_standardizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_email(raw)
    if once.status != "missing":
        assert normalize_email(once.value).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": "a\x00@qq.com",
    "emoji-local": "😀@qq.com",
    "emoji-domain": "a@😀.com",
    "rtl-override": "zw@q\u202eq.com",
    "10k-local": "a" * 10_000 + "@qq.com",
    "10k-at": "@" * 10_000,
    "10k-labels": "a@" + "b." * 5_000 + "com",
    "many-mailto": "mailto:" * 1000,
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_email(raw))


def test_every_reason_template_names_the_value_and_formats() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("email.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="zw@qq.con", suggestion="zw@qq.com")
    assert "{suggestion}" in REASONS["email.domain_typo"][0]
    assert "{suggestion}" in REASONS["email.domain_typo"][1]
