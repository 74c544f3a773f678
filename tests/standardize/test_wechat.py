"""normalize_wechat keeps a WeChat ID as typed, without its label, accepts a
mobile number used as the ID, and tells nicknames and notes apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize.result import STATUSES, FieldResult, Status
from core.standardize.text import is_blank
from core.standardize.wechat import REASONS, normalize_wechat

# (raw, value, status, reason)
CASES = [
    ("zhangwei_88", "zhangwei_88", "valid", ""),
    ("Zhangwei_88", "Zhangwei_88", "valid", ""),
    ("zhang-wei", "zhang-wei", "valid", ""),
    ("ｚｈａｎｇｗｅｉ＿８８", "zhangwei_88", "valid", ""),
    ("  zhangwei_88\u200b ", "zhangwei_88", "valid", ""),
    ("微信：zhangwei_88", "zhangwei_88", "valid", ""),
    ("微信号:zhangwei_88", "zhangwei_88", "valid", ""),
    ("微信号zhangwei_88", "zhangwei_88", "valid", ""),
    ("微信 zhangwei_88", "zhangwei_88", "valid", ""),
    ("wx: zhangwei_88", "zhangwei_88", "valid", ""),
    ("WX：zhangwei_88", "zhangwei_88", "valid", ""),
    ("WeChat: zhangwei_88", "zhangwei_88", "valid", ""),
    ("WeChat ID: Zhangwei_88", "Zhangwei_88", "valid", ""),
    ("weixin zhangwei_88", "zhangwei_88", "valid", ""),
    ("VX：zhangwei_88", "zhangwei_88", "valid", ""),
    ("V信:zhangwei_88", "zhangwei_88", "valid", ""),
    ("微信:微信:zhangwei_88", "zhangwei_88", "valid", ""),
    ("wxid_abc123def456", "wxid_abc123def456", "valid", ""),
    ("wxid_abcdefghijklmnopqrstuv12", "wxid_abcdefghijklmnopqrstuv12", "valid", ""),
    ("a12345", "a12345", "valid", ""),
    ("a1234567890123456789", "a1234567890123456789", "valid", ""),
    ("13812345678", "13812345678", "valid", ""),
    ("138 1234 5678", "13812345678", "valid", ""),
    ("+86 138-1234-5678", "13812345678", "valid", ""),
    ("微信：13812345678", "13812345678", "valid", ""),
    ("小张", "小张", "suspect", "wechat.nickname"),
    ("張偉", "張偉", "suspect", "wechat.nickname"),
    ("Zoe🌸", "Zoe🌸", "suspect", "wechat.nickname"),
    ("张伟 zhangwei88", "张伟 zhangwei88", "suspect", "wechat.nickname"),
    ("同手机号", "", "invalid", "wechat.same_as_phone"),
    ("手机同号", "", "invalid", "wechat.same_as_phone"),
    ("同电话", "", "invalid", "wechat.same_as_phone"),
    ("微信同号", "", "invalid", "wechat.same_as_phone"),
    ("zhang", "", "invalid", "wechat.invalid"),
    ("a123456789012345678901", "", "invalid", "wechat.invalid"),
    ("88zhangwei", "", "invalid", "wechat.invalid"),
    ("_zhangwei", "", "invalid", "wechat.invalid"),
    ("zhang wei 88", "", "invalid", "wechat.invalid"),
    ("zhang.wei", "", "invalid", "wechat.invalid"),
    ("12345678", "", "invalid", "wechat.invalid"),
    ("12012345678", "", "invalid", "wechat.invalid"),
    ("无", "", "invalid", "wechat.placeholder"),
    ("-", "", "invalid", "wechat.placeholder"),
    ("微信：", "", "invalid", "wechat.placeholder"),
    ("WeChat: N/A", "", "invalid", "wechat.placeholder"),
    ("", "", "missing", ""),
]


@pytest.mark.parametrize(("raw", "value", "status", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_cell_standardizes_to_the_expected_id(
    raw: str, value: str, status: Status, reason: str
) -> None:
    assert normalize_wechat(raw) == FieldResult(value=value, status=status, reason=reason)


def test_case_is_kept_because_two_ids_may_differ_only_in_case() -> None:
    assert normalize_wechat("ZhangWei88").value != normalize_wechat("zhangwei88").value


# --- properties ------------------------------------------------------------

_WECHATISH = st.text(alphabet="abcAB01_-. 微信号:wxidvV同手机138😀", max_size=30)
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=200)  # any text but surrogates


def _assert_contract(raw: str, result: FieldResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert result.value == ""
    else:
        assert result.value != ""
    if result.status not in ("valid", "missing"):
        assert result.reason != ""
    if result.status == "missing":
        assert result.reason == ""
    assert result.reason == "" or result.reason in REASONS


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _WECHATISH))
def test_any_text_gives_a_result_that_keeps_the_contract(raw: str) -> None:
    _assert_contract(raw, normalize_wechat(raw))


@settings(max_examples=300)
@given(st.one_of(_ANY_TEXT, _WECHATISH))
def test_standardizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_wechat(raw)
    if once.status != "missing":
        assert normalize_wechat(once.value).value == once.value


HOSTILE = {
    "nul": "\x00",
    "nul-inside": "zhang\x00wei",
    "emoji-only": "😀😀",
    "rtl-override": "\u202ezhangwei88",
    "10k-letters": "a" * 10_000,
    "many-labels": "微信:" * 3_000,
}


@pytest.mark.parametrize("raw", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_never_raises(raw: str) -> None:
    _assert_contract(raw, normalize_wechat(raw))


def test_every_reason_template_names_the_value_and_formats() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("wechat.")
        for template in templates:
            assert "{value}" in template
            assert template.format(value="小张", suggestion="")
