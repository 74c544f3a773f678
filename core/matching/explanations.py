"""Explanations: why a pair scored as it did, in words a steward can read.

Every scored pair keeps each comparison's level and its contribution in
bits (see :mod:`core.matching.model`). :func:`explanation` packs them; :func:`reason`
renders the strongest contributions as one sentence in Chinese or English::

    同一手机号；姓名相差一个字；不同城市
    same mobile; name differs by one character; different city

Evidence for a match comes first, then evidence against; contributions
smaller than half a bit are left out as noise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

import numpy as np

from core.matching.comparisons import COMPARISONS, NULL

Lang = Literal["en", "zh"]
Part = tuple[str, str, float] | tuple[str, str, float, float]
"""(comparison, level, bits[, similarity]) of one pair."""

PHRASES: dict[tuple[str, str], tuple[str, str]] = {
    ("name", "exact"): ("same name", "姓名相同"),
    ("name", "same_reading"): ("same name in another script, spelling or word order", "姓名读音相同（写法或顺序不同）"),
    ("name", "one_char"): ("name differs by one character", "姓名相差一个字"),
    ("name", "close"): ("names spelt alike", "姓名拼写相近"),
    ("name", "nickname_or_initial"): ("same surname; given name a short form or initial of the other (Bob, Robert; J., John)", "同姓，名字是对方的简称或首字母（如 Bob 与 Robert）"),
    ("name", "similar"): ("names somewhat alike", "姓名有些相似"),
    ("name", "surname_only"): ("same surname (one record has only the surname)", "同姓（一条记录只有姓氏）"),
    ("name", "pet_name"): ("one name is a pet form of the other", "一方是另一方名字的昵称（如 玲玲 与 秀玲）"),
    ("name", "same_nickname"): ("same nickname", "昵称相同"),
    ("name", "same_surname"): ("same surname, different given name", "同姓不同名"),
    ("name", "same_given"): ("same given name, different surname", "同名不同姓"),
    ("name", "different"): ("different name", "姓名不同"),
    ("mobile", "same"): ("same mobile", "同一手机号"),
    ("mobile", "same_digits"): ("same phone number, written for another country", "同一电话号码（按不同国家/地区书写）"),
    ("mobile", "one_digit"): ("mobile differs by one digit", "手机号相差一位"),
    ("mobile", "different"): ("different mobile", "手机号不同"),
    ("landline", "same"): ("same landline", "同一座机"),
    ("landline", "other_extension"): ("same switchboard, different extension", "同一总机、不同分机"),
    ("landline", "different"): ("different landline", "座机不同"),
    ("email", "same"): ("same e-mail", "同一邮箱"),
    ("email", "shared_mailbox"): ("same shared mailbox (e.g. info@)", "同一公共邮箱（如 info@）"),
    ("email", "one_typo"): ("e-mail differs by one character", "邮箱相差一个字符"),
    ("email", "two_typos"): ("e-mail differs by two characters", "邮箱相差两个字符"),
    ("email", "different"): ("different e-mail", "邮箱不同"),
    ("handle", "same_handle"): ("same user name in e-mail or WeChat", "邮箱或微信用户名相同"),
    ("handle", "spells_name"): ("e-mail or WeChat name spells the other's name", "邮箱或微信名是对方姓名的拼音"),
    ("handle", "different"): ("e-mail and WeChat names unrelated", "邮箱和微信用户名无关"),
    ("gender", "same"): ("same sex", "性别相同"),
    ("gender", "other_stated"): ("different sex (honorific or ID number)", "性别不同（称呼或证件号）"),
    ("gender", "other_likely"): ("probably different sex (given names)", "性别可能不同（从名字看）"),
    ("wechat", "same"): ("same WeChat ID", "同一微信号"),
    ("wechat", "different"): ("different WeChat ID", "微信号不同"),
    ("id_number", "same"): ("same ID number", "证件号相同"),
    ("id_number", "one_char"): ("ID number differs by one character", "证件号相差一位"),
    ("id_number", "different"): ("different ID number", "证件号不同"),
    ("birth_date", "same"): ("same birth date", "出生日期相同"),
    ("birth_date", "day_month_swapped"): ("day and month of birth swapped", "出生日期日月颠倒"),
    ("birth_date", "one_digit"): ("birth date one digit apart", "出生日期相差一位数字"),
    ("birth_date", "same_month"): ("born in the same month of the same year", "出生年月相同"),
    ("birth_date", "two_digits"): ("birth date two digits apart", "出生日期相差两位数字"),
    ("birth_date", "within_a_year"): ("born within a year of each other", "出生日期相差不到一年"),
    ("birth_date", "two_parts"): ("birth date differs in one part", "出生日期有一处不同"),
    ("birth_date", "different"): ("different birth date", "出生日期不同"),
    ("company", "same"): ("same company", "同一公司"),
    ("company", "close"): ("similar company name", "公司名称相近"),
    ("company", "different"): ("different company", "公司不同"),
    ("address", "same"): ("same address", "地址相同"),
    ("address", "close"): ("nearly the same address", "地址几乎相同"),
    ("address", "different"): ("different address", "地址不同"),
    ("location", "same_district"): ("same district", "同一区县"),
    ("location", "same_city"): ("same city", "同一城市"),
    ("location", "city_typo"): ("same city, misspelt (e.g. Lonon)", "同一城市（拼写有误）"),
    ("location", "same_province"): ("same province", "同一省份"),
    ("location", "different"): ("different city", "不同城市"),
    ("postcode", "same"): ("same postcode", "邮编相同"),
    ("postcode", "one_char"): ("postcode differs by one character", "邮编相差一位"),
    ("postcode", "same_area"): ("postcode of the same area", "邮编同一区域"),
    ("postcode", "different"): ("different postcode", "邮编不同"),
    ("org_name", "exact"): ("same organisation name", "机构名称相同"),
    ("org_name", "same_words"): ("same organisation name, words in another order", "机构名称相同（词序不同）"),
    ("org_name", "close"): ("organisation names spelt alike", "机构名称拼写相近"),
    ("org_name", "most_words"): ("organisation names share most distinctive words", "机构名称的主要字号相同"),
    ("org_name", "some_words"): ("organisation names share some words", "机构名称有部分字词相同"),
    ("org_name", "different"): ("different organisation name", "机构名称不同"),
    ("domain", "same"): ("same web domain", "同一网站域名"),
    ("domain", "different"): ("different web domain", "网站域名不同"),
    ("org_id", "same"): ("same registration number", "同一注册号（统一社会信用代码）"),
    ("org_id", "one_char"): ("registration number differs by one character", "注册号相差一位"),
    ("org_id", "different"): ("different registration number", "注册号不同"),
}  # fmt: skip
"""Phrase per (comparison, level): (English, 简体中文)."""

_NOISE_BITS = 0.5
_ALIKE = frozenset({"close", "similar", "nickname_or_initial"})
"""Levels whose phrase gives the similarity measured (Jaro-Winkler)."""


def explanation(
    levels: np.ndarray,
    bits: np.ndarray,
    score: float,
    similarity: dict[str, float] | None = None,
) -> str:
    """Pack one pair's evidence as compact JSON.

    Args:
        levels: the pair's level per comparison (``NULL`` skipped).
        bits: the pair's contribution per comparison.
        score: its match probability.
        similarity: per comparison, how alike the two values are (a
            Jaro-Winkler similarity), shown beside a level that says "alike".

    Returns:
        ``{"p": score, "c": [[comparison, level, bits(, similarity)], ...]}`` as text.
    """
    near = similarity or {}
    parts = [
        [comp.name, comp.levels[int(level)], round(float(b), 2)]
        + (
            [round(near[comp.name], 2)]
            if comp.levels[int(level)] in _ALIKE and comp.name in near
            else []
        )  # fmt: skip
        for comp, level, b in zip(COMPARISONS, levels, bits, strict=True)
        if level != NULL
    ]
    return json.dumps({"p": round(float(score), 6), "c": parts}, ensure_ascii=False,
                      separators=(",", ":"))  # fmt: skip


def reason(packed: str, lang: Lang = "en", *, limit: int = 4) -> str:
    """The plain-language reason of a packed explanation.

    Example:
        >>> packed = '{"p":0.9,"c":[["name","one_char",1.2],["mobile","same",13.0],' \\
        ...     '["location","different",-2.9]]}'
        >>> reason(packed, "zh")
        '同一手机号；姓名相差一个字；不同城市'
        >>> reason(packed, "en")
        'same mobile; name differs by one character; different city'
    """
    parts: Sequence[Sequence[object]] = json.loads(packed)["c"]
    read: list[Part] = []
    for p in parts:
        base = (str(p[0]), str(p[1]), float(str(p[2])))
        read.append((*base, float(str(p[3]))) if len(p) > 3 else base)
    return render(read, lang, limit=limit)


def _measured(part: Sequence[object], lang: Lang) -> str:
    if len(part) < 4:
        return ""
    value = float(str(part[3]))
    return f"（Jaro-Winkler {value:.2f}）" if lang == "zh" else f" (Jaro-Winkler {value:.2f})"


def render(
    parts: Sequence[Part],
    lang: Lang = "en",
    *,
    limit: int = 4,
) -> str:
    """Render (comparison, level, bits[, similarity]) parts: strongest
    evidence for a match first, then the strongest against, at most
    ``limit`` phrases; a similarity is shown as "(Jaro-Winkler 0.93)"."""
    strong = [p for p in parts if abs(p[2]) >= _NOISE_BITS]
    ordered = sorted((p for p in strong if p[2] > 0), key=lambda p: -p[2])
    ordered += sorted((p for p in strong if p[2] < 0), key=lambda p: p[2])
    index = 0 if lang == "en" else 1
    phrases = [PHRASES[(p[0], p[1])][index] + _measured(p, lang) for p in ordered[:limit]]
    if not phrases:
        return "no strong evidence either way" if lang == "en" else "无明显证据"
    return ("; " if lang == "en" else "；").join(phrases)
