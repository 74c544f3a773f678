"""How one true value is written differently by different people and systems.

Each function takes a true value (a mobile number, a date, a name, a company)
and a *style* or a random stream, and returns one of the ways it shows up in
real CRM exports: ``+86 138 1234 5678`` and ``138-1234-5678``, ``2024/3/1``
and ``2024年3月1日``, 張偉 and 章伟 and ``ZHANG Wei``, 字节跳动科技（北京）有限公司
and 北京字节跳动科技有限公司. Channels pick styles with their own habits.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from core.synthetic import vocab
from core.synthetic.people import Address, Company, Person

_FULLWIDTH = str.maketrans("0123456789-+()", "０１２３４５６７８９－＋（）")
_TRADITIONAL = str.maketrans(vocab.TRADITIONAL)


def fullwidth(text: str) -> str:
    """Digits and phone punctuation in their full-width forms (１３８…), as
    typed with a Chinese IME in full-width mode."""
    return text.translate(_FULLWIDTH)


def traditional(text: str) -> str:
    """Traditional forms of the name characters (张伟 → 張偉)."""
    return text.translate(_TRADITIONAL)


def mobile(digits: str, style: str) -> str:
    """Format an 11-digit mobile.

    Styles: ``plain`` 13812345678, ``spaced`` 138 1234 5678, ``dashed``
    138-1234-5678, ``intl_spaced`` +86 138 1234 5678, ``intl`` +8613812345678,
    ``cc_dash`` 86-13812345678.

    Example:
        >>> mobile("13812345678", "intl_spaced")
        '+86 138 1234 5678'
    """
    a, b, c = digits[:3], digits[3:7], digits[7:]
    if style == "spaced":
        return f"{a} {b} {c}"
    if style == "dashed":
        return f"{a}-{b}-{c}"
    if style == "intl_spaced":
        return f"+86 {a} {b} {c}"
    if style == "intl":
        return "+86" + digits
    if style == "cc_dash":
        return "86-" + digits
    return digits


def landline(area: str, local: str, style: str, ext: str = "") -> str:
    """Format a landline; ``ext`` adds an extension the way cards print it.

    Styles: ``dashed`` 0755-86001234, ``spaced`` 0755-8600 1234, ``paren``
    (0755)86001234, ``plain`` 075586001234, ``intl`` +86 755 8600 1234,
    ``local`` 86001234 (area code left out, common in store data).

    Example:
        >>> landline("0755", "88888888", "spaced", ext="8021")
        '0755-8888 8888 转 8021'
    """
    split = f"{local[:-4]} {local[-4:]}"
    if style == "spaced":
        text = f"{area}-{split}"
    elif style == "paren":
        text = f"({area}){local}"
    elif style == "plain":
        text = area + local
    elif style == "intl":
        text = f"+86 {area[1:]} {split}"
    elif style == "local":
        text = local
    else:
        text = f"{area}-{local}"
    if not ext:
        return text
    if style == "spaced":
        return f"{text} 转 {ext}"
    if style == "paren":
        return f"{text}转{ext}"
    if style == "intl":
        return f"{text} ext. {ext}"
    return f"{text}-{ext}"


def split_landline(digits: str) -> tuple[str, str]:
    """Split area code + local number (3-digit codes are 010 and 02x)."""
    cut = 3 if digits[:2] in ("01", "02") else 4
    return digits[:cut], digits[cut:]


def timestamp(moment: datetime, style: str) -> str:
    """Format a date or date-time.

    Styles: ``iso`` 2024-03-01 14:05:06, ``iso_min`` 2024-03-01 14:05,
    ``date`` 2024-03-01, ``slash`` 2024/3/1, ``slash_min`` 2024/3/1 14:05,
    ``compact`` 20240301, ``cn`` 2024年3月1日.

    Example:
        >>> timestamp(datetime(2024, 3, 1, 14, 5, 6), "cn")
        '2024年3月1日'
    """
    y, m, d = moment.year, moment.month, moment.day
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    if style == "iso_min":
        return f"{y}-{m:02d}-{d:02d} {moment.hour:02d}:{moment.minute:02d}"
    if style == "slash":
        return f"{y}/{m}/{d}"
    if style == "slash_min":
        return f"{y}/{m}/{d} {moment.hour}:{moment.minute:02d}"
    if style == "compact":
        return f"{y}{m:02d}{d:02d}"
    if style == "cn":
        return f"{y}年{m}月{d}日"
    return f"{y}-{m:02d}-{d:02d}"


def birthday(day: date, style: str) -> str:
    """Format a birth date with the same styles as :func:`timestamp`."""
    return timestamp(datetime(day.year, day.month, day.day), style)


def latin_name(person: Person, rng: random.Random) -> str:
    """The name in Latin letters: ``Wei Zhang``, ``ZHANG Wei``, ``Zhang Wei``,
    ``zhangwei`` or, for customers with an English name, ``David Chen``.

    Minority names have no pinyin here and come back unchanged.
    """
    if not person.surname_py:
        return person.name
    surname = person.surname_py.capitalize()
    if person.english and rng.random() < 0.15:  # overseas spelling: Lee, Wong, Chan
        surname = vocab.CANTONESE_SPELLING.get(person.surname, surname)
    given = person.english or person.given_py.capitalize()
    r = rng.random()
    if r < 0.45:
        return f"{given} {surname}"
    if r < 0.7:
        return f"{surname.upper()} {given}"
    if r < 0.9:
        return f"{surname} {given}"
    return (surname + given).lower()


def honorific(person: Person, rng: random.Random) -> str:
    """Surname plus a form of address (王先生, 李女士, 张总), as call-centre
    agents and shop assistants write a name they did not ask for."""
    titles = vocab.HONORIFICS_MALE if person.gender == "M" else vocab.HONORIFICS_FEMALE
    if not person.surname:
        return person.name.split("·")[0] + titles[0]
    return person.surname + rng.choice(titles)


def typo(name: str, rng: random.Random) -> str:
    """Replace one character with a homophone (张伟 → 章伟, 李娜 → 李纳); names
    without a known homophone get a character dropped or doubled."""
    positions = [i for i, ch in enumerate(name) if ch in vocab.HOMOPHONES]
    if positions:
        i = rng.choice(positions)
        return name[:i] + vocab.HOMOPHONES[name[i]] + name[i + 1 :]
    if len(name) > 2:
        i = rng.randrange(1, len(name))
        return name[:i] + name[i + 1 :]
    return name + name[-1]


def company(comp: Company, style: str) -> str:
    """Write a company name.

    Styles: ``full`` 深圳市华信达科技有限公司, ``bracket`` 华信达科技（深圳）有限公司,
    ``bracket_ascii`` 华信达科技(深圳)有限公司, ``no_region`` 华信达科技有限公司,
    ``short`` 华信达, ``brand_industry`` 华信达科技, ``english`` Shenzhen Huaxinda
    Technology Co., Ltd., ``legal_variant`` with 有限责任公司 for 有限公司.
    """
    city = comp.city
    if style == "english" or (comp.foreign and style == "short"):
        if comp.foreign:
            if style == "short":
                return comp.foreign
            return f"{comp.foreign} {comp.industry_en} ({city.pinyin}) {comp.legal_en}"
        return f"{city.pinyin} {comp.brand_py.capitalize()} {comp.industry_en} {comp.legal_en}"
    if style == "bracket":
        return f"{comp.brand}{comp.industry}（{city.short}）{comp.legal}"
    if style == "bracket_ascii":
        return f"{comp.brand}{comp.industry}({city.short}){comp.legal}"
    if style == "no_region":
        return f"{comp.brand}{comp.industry}{comp.legal}"
    if style == "short":
        return comp.brand
    if style == "brand_industry":
        return comp.brand + comp.industry
    if style == "legal_variant":
        legal = "有限责任公司" if comp.legal == "有限公司" else "有限公司"
        return f"{city.name}{comp.brand}{comp.industry}{legal}"
    return comp.name


def street(addr: Address, rng: random.Random) -> str:
    """The part below the district: road, number and building, with the
    small variations people make (栋/幢/座, 室 or not, estate only)."""
    if addr.block == 0 and addr.room < 100:  # office tower: floor only
        return f"{addr.road}{addr.number}号{addr.place}{addr.room}楼"
    r = rng.random()
    if addr.room < 100:
        return f"{addr.road}{addr.number}号{addr.place}{addr.block}栋{addr.room}楼"
    if r < 0.5:
        return f"{addr.road}{addr.number}号{addr.place}{addr.block}栋{addr.room}室"
    if r < 0.65:
        return f"{addr.road}{addr.number}号{addr.place}{addr.block}幢{addr.room}"
    if r < 0.8:
        return f"{addr.place}{addr.block}栋{addr.room}"
    if r < 0.9:
        return f"{addr.road}{addr.number}号{addr.place}{addr.block}-{addr.room}"
    return f"{addr.road}{addr.number}号{addr.place}{addr.block}座{addr.room}室"


def address(addr: Address, rng: random.Random, style: str) -> str:
    """Write an address.

    Styles: ``full`` 广东省深圳市南山区…, ``no_province`` 深圳市南山区…,
    ``short_city`` 深圳南山区…, ``spaced`` 广东省 深圳市 南山区 …, ``street``
    the road part only (when province/city/district have their own columns).
    """
    city = addr.city
    rest = street(addr, rng)
    if style == "street":
        return rest
    municipality = city.name in vocab.MUNICIPALITIES
    province = "" if municipality else city.province
    if style == "no_province":
        return f"{city.name}{addr.district}{rest}"
    if style == "short_city":
        return f"{city.short}{addr.district}{rest}"
    if style == "spaced":
        return " ".join(p for p in (province, city.name, addr.district, rest) if p)
    return f"{province}{city.name}{addr.district}{rest}"


def email_typo(email: str, rng: random.Random) -> str:
    """A mistyped e-mail: a known domain slip (qq.con, 163.cm, gmial.com) or
    a dropped or swapped character in the local part."""
    local, _, domain = email.partition("@")
    slips = vocab.DOMAIN_TYPOS.get(domain)
    if slips and rng.random() < 0.7:
        return f"{local}@{rng.choice(slips)}"
    if len(local) > 3:
        i = rng.randrange(len(local) - 1)
        if rng.random() < 0.5:
            local = local[:i] + local[i + 1] + local[i] + local[i + 2 :]
        else:
            local = local[:i] + local[i + 1 :]
    return f"{local}@{domain}"


def broken_mobile(digits: str, rng: random.Random) -> str:
    """A mobile with a digit missing (10 digits) or one too many (12)."""
    i = rng.randrange(3, 11)
    if rng.random() < 0.5:
        return digits[:i] + digits[i + 1 :]
    return digits[:i] + str(rng.randrange(10)) + digits[i:]
