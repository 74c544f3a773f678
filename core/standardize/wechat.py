"""WeChat IDs (微信号).

A WeChat ID is 6-20 characters, starts with a letter and holds only letters,
digits, ``_`` and ``-`` (system-assigned ones look like ``wxid_abc123...``).
Many people use their mobile number as the ID. CRM WeChat columns also hold
labels (``微信：zhangwei_88``, ``WeChat ID: …``), nicknames (``小张🌸``) and
notes such as ``同手机号`` (same as the phone number).
"""

from __future__ import annotations

import functools
import re

from core.standardize.phone import normalize_phone
from core.standardize.result import MISSING, FieldResult
from core.standardize.text import fold, has_han, is_placeholder

_RULE_EN = (
    "a WeChat ID has 6-20 letters, digits, _ or -, starts with a letter, "
    "e.g. zhangwei_88 or wxid_abc123"
)
_RULE_ZH = "微信号为 6–20 位字母、数字、下划线或减号，以字母开头，例如 zhangwei_88 或 wxid_abc123"
# Every message names the value as typed and shows the correct form.
REASONS: dict[str, tuple[str, str]] = {
    "wechat.placeholder": (
        f"'{{value}}' is a placeholder, not a WeChat ID; {_RULE_EN}",
        f"“{{value}}”是占位内容，不是微信号；{_RULE_ZH}",
    ),
    "wechat.invalid": (
        f"'{{value}}' is not a WeChat ID; {_RULE_EN}, or a mobile number like 13812345678",
        f"“{{value}}”不是有效的微信号；{_RULE_ZH}，也可以是手机号，如 13812345678",
    ),
    "wechat.nickname": (
        f"'{{value}}' looks like a WeChat nickname, not an ID; nicknames change and are not "
        f"unique: {_RULE_EN}",
        f"“{{value}}”像是微信昵称而不是微信号；昵称可随时更改且不唯一，{_RULE_ZH}",
    ),
    "wechat.same_as_phone": (
        "'{value}' says the WeChat ID is the phone number; enter that mobile number here, "
        "e.g. 13812345678",
        "“{value}”表示微信号与手机号相同；请在此填写该手机号，例如 13812345678",
    ),
}

# Labels are peeled off repeatedly so that the result is a fixed point
# (idempotence). Latin labels need a colon or a space after them, because
# "wx" also starts real IDs such as "wxid_abc123".
_LABEL = re.compile(
    r"^(?:(?:微信号?|微信id|威信|薇信|v信|vx)(?:\s*:\s*|\s+|(?=[A-Za-z0-9+]))"
    r"|(?:wechat(?:\s*id)?|weixin(?:\s*id)?|wx|vx|v)(?:\s*:\s*|\s+))",
    re.IGNORECASE,
)
_WECHAT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{5,19}|wxid_[A-Za-z0-9]{6,30}")
_PHONE_LIKE = re.compile(r"\+?[0-9][0-9 \-]{9,17}")
_SAME_AS_PHONE = re.compile(
    r"(?:同|与|和|跟)?(?:手机|电话)(?:号码|号)?(?:同号|相同|一样|一致)?|(?:微信)?同号|同上"
)


def _strip_labels(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LABEL.sub("", text).strip()
    return text


@functools.lru_cache(maxsize=65536)
def normalize_wechat(raw: str) -> FieldResult:
    """Standardize a WeChat ID cell.

    Contract: pure, never raises, idempotent on ``value``. Case is kept as
    typed: WeChat's own case handling is not documented, so folding it could
    merge two different people. A mobile number used as the ID becomes its
    11 digits. Text with Chinese characters or emoji is a nickname: status
    ``suspect``, value the folded text.

    Args:
        raw: The cell as typed, e.g. ``"微信：zhangwei_88"`` or ``"138 1234 5678"``.

    Returns:
        A :class:`FieldResult` with the bare ID as ``value``.

    Example:
        >>> normalize_wechat("WeChat ID: Zhangwei_88").value
        'Zhangwei_88'
    """
    text = fold(raw)
    if not text:
        return MISSING
    if is_placeholder(text):
        return FieldResult(value="", status="invalid", reason="wechat.placeholder")
    text = _strip_labels(text)
    if not text or is_placeholder(text):  # "微信：", "WeChat: N/A"
        return FieldResult(value="", status="invalid", reason="wechat.placeholder")
    if _SAME_AS_PHONE.fullmatch(text.replace(" ", "")):
        return FieldResult(value="", status="invalid", reason="wechat.same_as_phone")
    if _WECHAT_ID.fullmatch(text):
        return FieldResult(value=text, status="valid")
    if _PHONE_LIKE.fullmatch(text):
        phone = normalize_phone(text)
        if phone.kind == "mobile" and phone.value.startswith("+86"):
            return FieldResult(value=phone.value.removeprefix("+86"), status="valid")
    # Anything outside ASCII that is not a plain ID: a nickname (小张, Zoe🌸).
    if has_han(text) or not text.isascii():
        return FieldResult(value=text, status="suspect", reason="wechat.nickname")
    return FieldResult(value="", status="invalid", reason="wechat.invalid")
