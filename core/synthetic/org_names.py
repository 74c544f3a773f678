"""Company names: their parts, the registered form and the ways people write them.

A name is kept as parts (region, brand, line of business, legal form …) so
that every variant a CRM meets can be produced from the truth: the legal
form dropped, abbreviated or translated (有限公司 / Co., Ltd. / Ltd), the
region moved into brackets or dropped (深圳市… / …（深圳）… / …), the
English or pinyin name of a Chinese firm, upper case, ``&`` for ``and``,
honorific words (Koninklijke / Royal) and slips of the keyboard.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from core.synthetic import typos, vocab, vocab_orgs
from core.synthetic.vocab import City
from core.synthetic.vocab_orgs import LegalForm


class CnName(NamedTuple):
    """The name of a company registered in China.

    Attributes:
        city: The region in the name (深圳市), also its seat.
        brand: 字号 (腾飞, or 诺克斯 for a foreign group's subsidiary).
        brand_py: Pinyin of the brand, or the foreign brand in lower case.
        brand_en: English brand (Tengtron, Norvex), or "" to use the pinyin.
        industry: Line of business (电子科技).
        industry_en: Its English form.
        legal: Legal form (有限公司).
        legal_en: Its English form (Co., Ltd.).
        bracket: Registered as 腾飞电子（深圳）有限公司 rather than 深圳市腾飞….
        region_word: Bracketed region instead of the city (中国), or "".
        branch: The city of a 分公司, or None for the company itself.
    """

    city: City
    brand: str
    brand_py: str
    brand_en: str
    industry: str
    industry_en: str
    legal: str
    legal_en: str
    bracket: bool
    region_word: str = ""
    branch: City | None = None


class LatinName(NamedTuple):
    """The name of a company registered abroad.

    Attributes:
        country: ISO code of the country of registration.
        honorific: (registered word, English word), e.g. (Koninklijke, Royal).
        brand: The brand (Norvex, Baker & Finch; kanji for Japan).
        brand_alt: Romaji of a Japanese brand, else its Chinese transliteration.
        words: Line of business as (local, English, romaji) words.
        qualifier: Region of a subsidiary (North America), or "".
        legal: Legal form.
        legal_first: Legal form written first (株式会社北辰電機, N.V. Norvex).
    """

    country: str
    honorific: tuple[str, str]
    brand: str
    brand_alt: str
    words: tuple[str, str, str]
    qualifier: str
    legal: LegalForm
    legal_first: bool


OrgName = CnName | LatinName


def registered(name: OrgName) -> str:
    """The name as the register spells it.

    Example:
        >>> from core.synthetic.vocab import CITIES
        >>> sz = next(c for c in CITIES if c.name == "深圳市")
        >>> registered(CnName(sz, "腾飞", "tengfei", "", "电子", "Electronics", "有限公司",
        ...                   "Co., Ltd.", False))
        '深圳市腾飞电子有限公司'
    """
    if isinstance(name, LatinName):
        return _latin(name, name.legal.written[0], local=True)
    if name.region_word or name.bracket:
        region = name.region_word or name.city.short
        base = f"{name.brand}{name.industry}（{region}）{name.legal}"
    else:
        base = f"{name.city.name}{name.brand}{name.industry}{name.legal}"
    return f"{base}{name.branch.short}分公司" if name.branch else base


def english(name: OrgName) -> str:
    """The English name (Shenzhen Tengfei Electronics Co., Ltd.)."""
    if isinstance(name, LatinName):
        if name.country == "JP":
            return f"{name.brand_alt} {name.words[1]} Co., Ltd."
        return _latin(name, name.legal.written[0], local=False)
    brand = name.brand_en or name.brand_py.capitalize()
    if name.region_word or name.bracket:
        region = "China" if name.region_word else name.city.pinyin
        base = f"{brand} {name.industry_en} ({region}) {name.legal_en}"
    else:
        base = f"{name.city.pinyin} {brand} {name.industry_en} {name.legal_en}"
    return f"{base} {name.branch.pinyin} Branch" if name.branch else base


def _latin(name: LatinName, legal: str, *, local: bool) -> str:
    if name.country == "JP":
        core = name.brand + name.words[0]
        return f"{legal}{core}" if name.legal_first else f"{core}{legal}"
    honor = name.honorific[0] if local else name.honorific[1]
    words = name.words[0] if local else name.words[1]
    parts = [honor, name.brand, words, name.qualifier]
    core = " ".join(p for p in parts if p)
    if not legal:
        return core
    return f"{legal} {core}" if name.legal_first else f"{core} {legal}"


def cn_variant(name: CnName, style: str, rng: random.Random) -> str:
    """One way a person writes a Chinese company's name.

    Styles: ``full`` as registered; ``bracket`` the region moved into or out
    of brackets; ``bracket_ascii`` with ASCII brackets; ``no_region``;
    ``short_region`` 深圳腾飞…; ``abbrev`` 腾飞电子 (简称); ``brand`` 腾飞;
    ``legal_variant`` 有限责任公司 for 有限公司; ``english``; ``english_brand``
    Tengtron Electronics; ``typo`` one brand character replaced; ``spaced``
    深圳市 腾飞电子…. A branch keeps its 分公司 part in every style but
    ``brand`` (and loses it 5% of the time, as sales reps do).
    """
    city, brand, industry, legal = name.city, name.brand, name.industry, name.legal
    if style == "english":  # Shenzhen Tengfei … or Tengfei … (Shenzhen) …
        if not name.region_word and rng.random() < 0.3:
            return english(name._replace(bracket=not name.bracket))
        return english(name)
    if style == "english_brand":
        text = f"{name.brand_en or name.brand_py.capitalize()} {name.industry_en}"
        return f"{text} {name.branch.pinyin} Branch" if name.branch else text
    if style == "brand":
        return brand
    if style == "typo":
        brand = _brand_slip(brand, rng)
        style = "full"
    if style == "legal_variant":
        legal = "有限责任公司" if legal == "有限公司" else "有限公司"
    region = name.region_word or city.short
    if style in ("full", "typo", "legal_variant"):
        if name.bracket or name.region_word:
            base = f"{brand}{industry}（{region}）{legal}"
        else:
            base = f"{city.name}{brand}{industry}{legal}"
    elif style == "bracket":  # the region moved out of the brackets or into them
        if name.region_word:
            base = f"{brand}{industry}{legal}"
        elif name.bracket:
            base = f"{city.name}{brand}{industry}{legal}"
        else:
            base = f"{brand}{industry}（{region}）{legal}"
    elif style == "bracket_ascii":
        base = f"{brand}{industry}({region}){legal}"
    elif style == "no_region":
        base = f"{brand}{industry}{legal}"
    elif style == "short_region":
        base = f"{city.short}{brand}{industry}{legal}"
    elif style == "spaced":
        base = f"{city.name} {brand}{industry}{legal}"
    else:  # abbrev
        base = brand + industry[:2]
    if name.branch is None or rng.random() < 0.05:
        return base
    if rng.random() < 0.15:
        return f"{base}（{name.branch.short}分公司）"
    return f"{base}{name.branch.short}分公司"


def _brand_slip(brand: str, rng: random.Random) -> str:
    """A brand character swapped for a homophone or a look-alike brand char."""
    i = rng.randrange(len(brand))
    ch = brand[i]
    other = vocab.HOMOPHONES.get(ch) or rng.choice(vocab.BRAND_CHARS)[0]
    return brand[:i] + other + brand[i + 1 :]


def latin_variant(name: LatinName, rng: random.Random, *, zh: float = 0.0) -> str:
    """One way a person writes a foreign company's name.

    Each habit applies independently: the legal form spelled another way or
    dropped; the honorific dropped or translated; the business line
    translated to English, abbreviated or dropped; ``&``/``and`` swapped;
    upper case (as in patent and customs data); dots stripped; one typo.
    With probability ``zh`` the name is written in Chinese instead
    (诺克斯电子有限公司, 北辰电机株式会社), as Chinese sales reps do.
    """
    if name.brand_alt and rng.random() < zh:
        return _chinese(name, rng)
    if name.country == "JP":
        return _japanese(name, rng)
    r = rng.random()
    forms = name.legal.written
    legal = forms[0] if r < 0.5 else "" if r < 0.7 else rng.choice(forms)
    honor = name.honorific
    if honor[0]:
        r = rng.random()
        honor = ("", "") if r < 0.35 else (honor[1], honor[1]) if r < 0.5 else honor
    words = name.words
    r = rng.random()
    if r < 0.25:
        words = (words[1], words[1], words[2])
    elif r < 0.35:
        words = ("", "", "")
    varied = name._replace(honorific=honor, words=words)
    text = _latin(varied, legal, local=True)
    if rng.random() < 0.12:
        for long, short in vocab_orgs.ABBREVIATIONS:
            text = text.replace(long, short)
    if "&" in text and rng.random() < 0.4:
        local_and = {"NL": "en", "DE": "und", "FR": "et", "IT": "e"}.get(name.country, "and")
        text = text.replace("&", rng.choice(("and", "+", local_and)))
    if legal and rng.random() < 0.08 and not name.legal_first:
        text = text.replace(f" {legal}", f", {legal}")
    r = rng.random()
    if r < 0.15:
        text = text.upper()
    elif r < 0.2:
        text = text.lower()
    if rng.random() < 0.08:
        text = text.replace(".", "").replace(",", "")
    if rng.random() < 0.06:
        text = typos.typo(text, rng)
    return text


def _japanese(name: LatinName, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return registered(name)
    if r < 0.5:  # 前株 and 後株 get mixed up
        return _latin(name._replace(legal_first=not name.legal_first), "株式会社", local=True)
    if r < 0.8:
        legal = rng.choice(vocab_orgs.ENGLISH_LEGAL + ("Corporation",))
        return f"{name.brand_alt} {name.words[1]} {legal}"
    return f"{name.brand_alt} {name.words[2]} {rng.choice(('K.K.', 'KK', 'Kabushiki Kaisha'))}"


def _chinese(name: LatinName, rng: random.Random) -> str:
    if name.country == "JP":
        core = (name.brand + name.words[0]).translate(vocab_orgs.KANJI_SIMPLIFIED)
        return core + rng.choice(("株式会社", "有限公司", "株式会社"))
    words = vocab_orgs.DESCRIPTOR_ZH.get(name.words[1], "")
    qualifier = vocab_orgs.QUALIFIER_ZH.get(name.qualifier, "")
    legal = name.legal.zh if rng.random() < 0.6 else "公司"
    if qualifier and rng.random() < 0.5:
        return f"{name.brand_alt}{words}（{qualifier}）{legal}"
    return f"{name.brand_alt}{qualifier}{words}{legal}"
