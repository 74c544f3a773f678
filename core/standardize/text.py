"""Text folding shared by the standardizers.

Customer files mix full-width and half-width forms (``１３８``, ``（北京）``),
Traditional and Simplified characters (張偉 / 张伟), non-breaking and
ideographic spaces, and zero-width characters pasted from web pages. These
helpers fold all of that into one canonical form so that the field
standardizers only deal with the interesting cases.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Zero-width and bidi control characters that survive NFKC and carry no
# meaning in a CRM value (they do carry risk: an RTL override can disguise
# text on screen).
_INVISIBLE_CHARS = (
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"  # zero-width, marks, BOM
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi embeddings, isolates
)
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE_CHARS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold(raw: str) -> str:
    """NFKC-normalise, drop invisible characters, fold whitespace runs to one
    space and trim.

    Full-width digits, letters and punctuation become their ASCII forms
    (``１３８`` → ``138``, ``（`` → ``(``); the ideographic space becomes a
    normal space.

    Example:
        >>> fold("  １３８\u3000１２３４ ")
        '138 1234'
    """
    # str.split() and a regex \s both split on exactly the characters for
    # which str.isspace() is true, so " ".join(split()) folds every run of
    # whitespace to one space and trims the ends.
    if raw.isascii():  # NFKC and the invisible characters leave ASCII alone
        return " ".join(raw.split())
    # Invisible characters go before NFKC (so that a combining mark after a
    # zero-width space still composes) and after it; the result is stable.
    if _INVISIBLE_RE.search(raw) is not None:
        raw = raw.translate(_INVISIBLE)
    text = unicodedata.normalize("NFKC", raw)
    if _INVISIBLE_RE.search(text) is not None:
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified (張偉 → 张伟).

    Text without Han characters is returned unchanged (and cheaply). Lone
    surrogates (undecodable bytes) are dropped, since OpenCC cannot encode
    them. The conversion is repeated until stable, because a few
    characters convert in two steps (薴 → 苧 → 苎).
    """
    if not has_han(text):
        return text
    text = _SURROGATES.sub("", text)
    for _ in range(3):
        converted = str(_T2S.convert(text))
        if converted == text:
            break
        text = converted
    return text


def has_han(text: str) -> bool:
    """True when ``text`` contains at least one CJK ideograph."""
    return _HAN.search(text) is not None


def is_blank(raw: str | None) -> bool:
    """True for ``None``, the empty string and whitespace-only strings,
    including full-width and zero-width spaces."""
    if raw is None or not raw:
        return True
    if raw.isascii():
        return not raw.strip()
    return fold(raw) == ""


# Values people type when they have nothing to type. Compared after fold()
# and lower-casing; a cell made only of punctuation is a placeholder too.
_PLACEHOLDERS = frozenset(
    {
        "无",
        "没有",
        "暂无",
        "未知",
        "不详",
        "不知道",
        "空",
        "待定",
        "待补充",
        "保密",
        "测试",
        "n/a",
        "na",
        "nil",
        "null",
        "none",
        "unknown",
        "tbd",
        "test",
        "x",
        "xx",
        "xxx",
        "0",
    }
)
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def is_placeholder(text: str) -> bool:
    """True when a non-blank value only says "nothing here": 无, 未知, N/A,
    ``-``, ``/``, ``???`` and the like.

    Standardizers report these as ``invalid`` with a ``*.placeholder`` reason
    rather than ``missing``: the cell was not blank, and the steward should
    see what the channel put there.
    """
    folded = fold(text).lower()
    return folded in _PLACEHOLDERS or bool(_PUNCT_ONLY.match(folded))
