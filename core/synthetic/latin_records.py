"""How a Latin-script customer becomes a record, with FEBRL-style mistakes.

Six channels: a cross-border web shop (海外电商), the website form (官网表单),
trade-show badge scans (展会名片), the hotline (客服热线), a loyalty sign-up
(会员注册) and the newsletter (邮件订阅). On top of each channel's
completeness, every field gets the mistakes of Splink's fake_1000 and FEBRL:
typos (insert, delete, substitute, transpose), nicknames, initials, first
and last name swapped, a birth date one digit off or with day and month
swapped, e-mail and city typos (Lonon), a postcode one character off and
missing values. Records use the canonical keys of :data:`LATIN_FIELDS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime

from core.synthetic import formats, intl, typos, vocab_latin
from core.synthetic.channels import later, moment
from core.synthetic.intl import ForeignAddress
from core.synthetic.latin import LatinPerson
from core.synthetic.people import Weighted
from core.synthetic.vocab_world import COUNTRIES

Record = dict[str, str]
LATIN_FIELDS: tuple[str, ...] = (
    "first_name", "last_name", "name", "birth_date", "email", "mobile", "phone", "address",
    "city", "postcode", "country", "created_at", "updated_at",
)  # fmt: skip
"""Record keys of a Latin-script person, in file order (no record id, no source)."""
SHOP, WEB, CARDS, HOTLINE, LOYALTY, NEWSLETTER = (
    "海外电商", "官网表单", "展会名片", "客服热线", "会员注册", "邮件订阅",
)  # fmt: skip
LATIN_CHANNELS: tuple[str, ...] = (SHOP, WEB, CARDS, HOTLINE, LOYALTY, NEWSLETTER)
RECORDS_PER_PERSON = Weighted([1, 2, 3, 4, 5], [0.55, 0.22, 0.12, 0.07, 0.04])
_PICK_CHANNEL = Weighted(LATIN_CHANNELS, [25, 20, 12, 13, 18, 12])
_MOBILE = Weighted(list(intl.PHONE_STYLES), [35, 30, 5, 15, 10, 5])
SWAP_RATE = 0.04
"""Chance that first and last name trade places in a record."""


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def first_name(person: LatinPerson, rng: random.Random) -> str:
    """The first name as given: formal, a short form, an initial or a typo."""
    r = rng.random()
    if person.short and r < 0.14:
        name = rng.choice(person.short)
    elif r < 0.19:
        return person.first[0] + rng.choice((".", "", "."))
    elif r < 0.27:
        name = typos.typo(person.first, rng)
    else:
        name = person.first
    return typos.fold_accents(name) if _chance(rng, 0.2) else name


def last_name(person: LatinPerson, rng: random.Random) -> str:
    """The surname as given: particles and apostrophes moved, accents
    folded, a typo now and then (van den Berg → Van den Berg, vandenBerg,
    Berg; O'Brien → OBrien; Müller → Mueller)."""
    last = person.last
    r = rng.random()
    particle = next((p for p in vocab_latin.TUSSENVOEGSELS if last.startswith(p)), "")
    if particle and r < 0.3:
        core = last[len(particle) :]
        last = rng.choice(
            (
                particle.title() + core,
                core,
                f"{core}, {particle.strip()}",
                particle.replace(" ", "") + core,
            )
        )
    elif "'" in last and r < 0.4:
        last = last.replace("'", rng.choice(("", " ", "’")))
    elif r < 0.09:
        last = typos.typo(last, rng)
    if _chance(rng, 0.3):
        last = typos.fold_accents(last)
    if person.suffix and _chance(rng, 0.6):
        last = f"{last} {rng.choice(vocab_latin.SUFFIXES)}"
    return last


def _case(text: str, rng: random.Random) -> str:
    r = rng.random()
    return text.upper() if r < 0.05 else text.lower() if r < 0.08 else text


def full_name(person: LatinPerson, rng: random.Random, title: float = 0.0) -> str:
    """One name field: ``Robert Allen``, ``ALLEN, Robert``, ``R. Allen``,
    ``Robert J. Allen``, ``Allen Robert`` (swapped) or ``Mr Allen``."""
    first, last = first_name(person, rng), last_name(person, rng)
    if _chance(rng, title):
        salutations = vocab_latin.TITLES[person.country][person.gender]
        return f"{rng.choice(salutations)} {last}"
    r = rng.random()
    if r < SWAP_RATE:
        return _case(f"{last} {first}", rng)
    if r < 0.12:
        return f"{last.upper()}, {first}" if _chance(rng, 0.5) else f"{last}, {first}"
    if person.middle and r < 0.25:
        return _case(f"{first} {person.middle[0]}. {last}", rng)
    return _case(f"{first} {last}", rng)


def birth_date(birth: date, country: str, rng: random.Random) -> str:
    """The birth date in ISO or the country's own order, sometimes wrong:
    one digit off (1971 → 1917, 24 → 25) or day and month swapped."""
    y, m, d = birth.year, birth.month, birth.day
    r = rng.random()
    if r < 0.03 and d <= 12 and d != m:
        m, d = d, m
    text = f"{y}-{m:02d}-{d:02d}"
    if _chance(rng, 0.55):
        if country == "US":
            text = f"{m:02d}/{d:02d}/{y}"
        elif country == "DE":
            text = f"{d:02d}.{m:02d}.{y}"
        elif country == "NL":
            text = f"{d:02d}-{m:02d}-{y}"
        else:
            text = f"{d:02d}/{m:02d}/{y}"
    return typos.digit_slip(text, rng) if 0.03 <= r < 0.07 else text


def _email(person: LatinPerson, rng: random.Random) -> str:
    email = person.email_old if person.email_old and _chance(rng, 0.4) else person.email
    r = rng.random()
    local, _, domain = email.partition("@")
    if r < 0.03:
        local = typos.typo(local, rng)
    elif r < 0.06:
        slips = vocab_latin.DOMAIN_SLIPS.get(domain)
        domain = rng.choice(slips) if slips else typos.typo(domain, rng)
    elif r < 0.09:
        return email.capitalize()
    return f"{local}@{domain}"


def _mobile(person: LatinPerson, rng: random.Random) -> str:
    text = intl.phone_text(person.mobile, _MOBILE.pick(rng))
    return typos.digit_slip(text, rng) if _chance(rng, 0.02) else text


def _home(person: LatinPerson, when: datetime) -> ForeignAddress:
    if person.old_address is not None and person.moved_on and when < person.moved_on:
        return person.old_address
    return person.address


def _place(
    person: LatinPerson,
    when: datetime,
    rng: random.Random,
    rec: Record,
    street: float,
    postcode: float,
) -> None:
    """Street, city and postcode with their typos (Lonon, 1015 CK, sw1a 2ab)."""
    home = _home(person, when)
    if _chance(rng, street):
        rec["address"] = intl.address(
            home, rng, Weighted(["street", "abbreviated", "upper"], [80, 15, 5]).pick(rng)
        )
    r = rng.random()
    if r < 0.06:
        rec["city"] = typos.typo(home.city.name, rng)
    elif r < 0.13:
        rec["city"] = intl.city_name(home.city, rng, "alt")
    elif r < 0.17:
        rec["city"] = intl.city_name(home.city, rng, "upper")
    else:
        rec["city"] = home.city.name
    if _chance(rng, postcode):
        code = home.postcode
        r = rng.random()
        if r < 0.05:
            code = typos.typo(code, rng, "substitute")
        elif r < 0.12:
            code = code.replace(" ", "")
        elif r < 0.16:
            code = code.lower()
        rec["postcode"] = code


def _country(person: LatinPerson, rng: random.Random) -> str:
    return rng.choice(COUNTRIES[person.country].names)


def _split_name(person: LatinPerson, rng: random.Random, rec: Record) -> None:
    first, last = _case(first_name(person, rng), rng), _case(last_name(person, rng), rng)
    if _chance(rng, SWAP_RATE):
        first, last = last, first
    rec["first_name"], rec["last_name"] = first, last


def _shop(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec: Record = {"created_at": formats.timestamp(when, "iso")}
    _split_name(person, rng, rec)
    if _chance(rng, 0.95):
        rec["email"] = _email(person, rng)
    if _chance(rng, 0.85):
        rec["mobile"] = _mobile(person, rng)
    _place(person, when, rng, rec, 0.95, 0.95)
    if _chance(rng, 0.9):
        rec["country"] = _country(person, rng)
    if _chance(rng, 0.1):
        rec["birth_date"] = birth_date(person.birth, person.country, rng)
    if _chance(rng, 0.3):
        rec["updated_at"] = formats.timestamp(later(when, rng), "iso")
    return rec


def _web(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec = {"name": full_name(person, rng), "created_at": formats.timestamp(when, "iso")}
    if _chance(rng, 0.95):
        rec["email"] = _email(person, rng)
    if _chance(rng, 0.7):
        rec["mobile"] = _mobile(person, rng)
    if _chance(rng, 0.6):
        _place(person, when, rng, rec, 0.0, 0.0)
    if _chance(rng, 0.7):
        rec["country"] = _country(person, rng)
    return rec


def _cards(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec = {"name": full_name(person, rng), "created_at": formats.timestamp(when, "date")}
    if _chance(rng, 0.85):
        rec["email"] = _email(person, rng)
    if _chance(rng, 0.6):
        rec["mobile"] = _mobile(person, rng)
    if person.landline is not None and _chance(rng, 0.3):
        rec["phone"] = intl.phone_text(person.landline, rng.choice(intl.PHONE_STYLES))
    if _chance(rng, 0.4):
        _place(person, when, rng, rec, 0.0, 0.0)
    if _chance(rng, 0.5):
        rec["country"] = _country(person, rng)
    return rec


def _hotline(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec = {"name": full_name(person, rng, title=0.4), "created_at": formats.timestamp(when, "iso")}
    if person.landline is not None and _chance(rng, 0.3):
        rec["phone"] = intl.phone_text(person.landline, rng.choice(intl.PHONE_STYLES))
    elif _chance(rng, 0.95):
        rec["phone"] = _mobile(person, rng)
    if _chance(rng, 0.3):
        _place(person, when, rng, rec, 0.0, 0.0)
    return rec


def _loyalty(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec: Record = {"created_at": formats.timestamp(when, "iso")}
    _split_name(person, rng, rec)
    if _chance(rng, 0.9):
        rec["birth_date"] = birth_date(person.birth, person.country, rng)
    if _chance(rng, 0.8):
        rec["email"] = _email(person, rng)
    if _chance(rng, 0.8):
        rec["mobile"] = _mobile(person, rng)
    _place(person, when, rng, rec, 0.8, 0.85)
    if _chance(rng, 0.6):
        rec["country"] = _country(person, rng)
    if _chance(rng, 0.4):
        rec["updated_at"] = formats.timestamp(later(when, rng), "iso")
    return rec


def _newsletter(person: LatinPerson, rng: random.Random, when: datetime) -> Record:
    rec = {"email": _email(person, rng), "created_at": formats.timestamp(when, "iso")}
    if _chance(rng, 0.7):
        rec["first_name"] = first_name(person, rng)
    if _chance(rng, 0.5):
        rec["country"] = _country(person, rng)
    return rec


_BUILDERS: dict[str, Callable[[LatinPerson, random.Random, datetime], Record]] = {
    SHOP: _shop,
    WEB: _web,
    CARDS: _cards,
    HOTLINE: _hotline,
    LOYALTY: _loyalty,
    NEWSLETTER: _newsletter,
}


def pick_latin_channel(rng: random.Random) -> str:
    """The channel of one of a Latin-script person's records."""
    return _PICK_CHANNEL.pick(rng)


def make_latin_record(person: LatinPerson, channel: str, rng: random.Random) -> Record:
    """One record of ``person`` as ``channel`` captures it.

    Args:
        person: The true customer.
        channel: One of :data:`LATIN_CHANNELS`.
        rng: The random stream.

    Returns:
        Cell values by :data:`LATIN_FIELDS` key; missing keys are empty cells.
        Every record carries a name or an e-mail address.

    Example:
        >>> from core.synthetic.latin import LatinPopulation
        >>> rng = random.Random(3)
        >>> person = next(iter(LatinPopulation(rng)))
        >>> "email" in make_latin_record(person, NEWSLETTER, rng)
        True
    """
    return _BUILDERS[channel](person, rng, moment(rng))
