"""How an organisation becomes a record in each B2B capture channel.

Five channels with their own habits: the CRM's account list typed by sales
reps (企业客户), invoice titles from finance (发票抬头: the exact legal name
and the USCC, address and phone run together), business cards (展会名片:
English names, extensions, a person's mailbox), the website's contact form
(官网表单: short names and typos typed by the customer) and a bought
business directory (线索供应商: complete but stale). Records use the
canonical keys of :data:`ORG_FIELDS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from core.synthetic import formats, intl, org_names, regids, typos, vocab
from core.synthetic.channels import later, moment
from core.synthetic.intl import ForeignAddress, Phone
from core.synthetic.org_names import CnName
from core.synthetic.orgs import Line, Org
from core.synthetic.people import Address, Weighted, make_mobile
from core.synthetic.vocab_world import CHINA_NAMES, COUNTRIES

Record = dict[str, str]
ORG_FIELDS: tuple[str, ...] = (
    "company", "phone", "fax", "website", "email", "address", "province", "city", "district",
    "postcode", "country", "org_id", "customer_type", "created_at", "updated_at",
)  # fmt: skip
"""Record keys of an organisation, in file order (no record id, no source)."""
ACCOUNTS, INVOICES, CARDS = "企业客户", "发票抬头", "展会名片"
WEB, DIRECTORY = "官网表单", "线索供应商"
ORG_CHANNELS: tuple[str, ...] = (ACCOUNTS, INVOICES, CARDS, WEB, DIRECTORY)
RECORDS_PER_ORG = Weighted([1, 2, 3, 4, 5, 6], [0.45, 0.25, 0.14, 0.08, 0.05, 0.03])
_PICK_CHANNEL = Weighted(ORG_CHANNELS, [30, 15, 20, 20, 15])


def _styles(spec: str) -> Weighted[str]:
    """``"full 40 bracket 8"`` → a weighted choice of name styles."""
    cells = spec.split()
    return Weighted(cells[::2], [float(w) for w in cells[1::2]])


_CN_NAME = {
    ACCOUNTS: _styles("full 40 no_region 12 bracket 8 short_region 6 abbrev 10 legal_variant 6 "
                      "english 5 english_brand 2 typo 6 spaced 3 bracket_ascii 2"),
    INVOICES: _styles("full 90 legal_variant 4 typo 3 bracket 3"),
    CARDS: _styles("full 30 bracket 15 english 20 no_region 10 abbrev 10 english_brand 10 "
                   "bracket_ascii 5"),
    WEB: _styles("full 25 no_region 15 abbrev 25 brand 5 typo 10 english_brand 8 short_region 12"),
    DIRECTORY: _styles("full 85 bracket 5 english 5 typo 5"),
}  # fmt: skip
_ZH_RATE = {ACCOUNTS: 0.15, INVOICES: 0.3, CARDS: 0.03, WEB: 0.0, DIRECTORY: 0.2}
_CN_PHONE = Weighted(["dashed", "spaced", "paren", "plain", "intl"], [50, 15, 10, 15, 10])
_INTL_PHONE = Weighted(list(intl.PHONE_STYLES), [25, 30, 15, 10, 15, 5])


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def org_name(org: Org, channel: str, rng: random.Random) -> str:
    """The organisation's name as ``channel`` writes it."""
    if isinstance(org.name, CnName):
        return org_names.cn_variant(org.name, _CN_NAME[channel].pick(rng), rng)
    if channel == INVOICES and _chance(rng, 0.7):
        return org.legal_name
    return org_names.latin_variant(org.name, rng, zh=_ZH_RATE[channel])


def phone_text(org: Org, line: Line, rng: random.Random, ext: str = "") -> str:
    """A switchboard or fax number in one of the writing styles of its country."""
    if org.country == "CN":
        return formats.landline(line.area, line.local, _CN_PHONE.pick(rng), ext)
    phone = Phone(COUNTRIES[org.country], line.area, line.local, False)
    text = intl.phone_text(phone, _INTL_PHONE.pick(rng))
    return f"{text} ext. {ext}" if ext else text


def _office(org: Org, when: datetime) -> Address | ForeignAddress:
    """Where the organisation was at ``when``."""
    if org.moved_on is not None and when < org.moved_on and org.old_address is not None:
        return org.old_address
    return org.address


def _city(org: Org, when: datetime, rng: random.Random) -> str:
    addr = _office(org, when)
    if isinstance(addr, ForeignAddress):
        return intl.city_name(addr.city, rng, rng.choice(("name", "name", "alt", "zh", "upper")))
    r = rng.random()
    return addr.city.short if r < 0.4 else addr.city.name if r < 0.8 else addr.city.pinyin


def _address(org: Org, when: datetime, rng: random.Random, rec: Record, columns: float) -> str:
    """The office address at ``when``; fills province/city/district columns
    with probability ``columns`` and then writes only the street part."""
    addr = _office(org, when)
    if isinstance(addr, ForeignAddress):
        if _chance(rng, columns):
            rec["city"] = intl.city_name(addr.city, rng, rng.choice(("name", "name", "alt", "zh")))
            rec["postcode"] = addr.postcode
            return intl.address(addr, rng, "street")
        return intl.address(addr, rng, rng.choice(("full", "full", "country", "abbreviated")))
    if _chance(rng, columns):
        city = addr.city
        rec["province"] = city.province if _chance(rng, 0.8) else city.province_short
        rec["city"] = city.name if _chance(rng, 0.7) else city.short
        rec["district"] = addr.district
        return formats.address(addr, rng, "street")
    return formats.address(addr, rng, rng.choice(("full", "full", "no_province", "spaced")))


def _phone_line(org: Org, when: datetime) -> Line:
    if org.moved_on is not None and when < org.moved_on and org.old_phone is not None:
        return org.old_phone
    return org.phone


def _website(org: Org, rng: random.Random) -> str:
    forms = (
        f"www.{org.domain}",
        f"http://www.{org.domain}",
        org.domain,
        f"https://www.{org.domain}/",
        f"WWW.{org.domain.upper()}",
    )
    return Weighted(forms, [50, 15, 20, 10, 5]).pick(rng)


def _email(org: Org, rng: random.Random, person: float, slip: float = 0.0) -> str:
    address = rng.choice(org.contacts) if _chance(rng, person) else org.email
    return formats.email_typo(address, rng) if _chance(rng, slip) else address


def _org_id(org: Org, rng: random.Random, slip: float) -> str:
    """The registration number as typed, with a one-character slip now and then."""
    text = regids.written(org.reg_id, org.country, rng)
    if _chance(rng, slip):
        text = typos.digit_slip(text, rng)
    return text


def _country(org: Org, rng: random.Random) -> str:
    if org.country == "CN":
        return rng.choice(CHINA_NAMES)
    return rng.choice(COUNTRIES[org.country].names)


def _base(org: Org, channel: str, rng: random.Random, when: datetime) -> Record:
    rec = {"company": org_name(org, channel, rng), "created_at": formats.timestamp(when, "iso")}
    chinese = org.country == "CN" or _chance(rng, 0.5)
    rec["customer_type"] = "企业" if chinese else "company"
    if _chance(rng, 0.4):
        rec["updated_at"] = formats.timestamp(later(when, rng), "iso")
    return rec


def _accounts(org: Org, rng: random.Random, when: datetime) -> Record:
    rec = _base(org, ACCOUNTS, rng, when)
    if _chance(rng, 0.9):
        ext = str(rng.randint(800, 8999)) if _chance(rng, 0.1) else ""
        rec["phone"] = phone_text(org, _phone_line(org, when), rng, ext)
    if org.fax is not None and _chance(rng, 0.6):
        rec["fax"] = phone_text(org, org.fax, rng)
    if org.domain and _chance(rng, 0.55):
        rec["website"] = _website(org, rng)
    if _chance(rng, 0.65):
        rec["email"] = _email(org, rng, 0.5, 0.02)
    if _chance(rng, 0.85):
        rec["address"] = _address(org, when, rng, rec, 0.6)
    if org.country == "CN" and _chance(rng, 0.35):
        rec["postcode"] = org.postcode
    if _chance(rng, 0.5):
        rec["country"] = _country(org, rng)
    if _chance(rng, 0.55):
        rec["org_id"] = _org_id(org, rng, 0.01)
    return rec


def _invoices(org: Org, rng: random.Random, when: datetime) -> Record:
    rec = _base(org, INVOICES, rng, when)
    rec["org_id"] = _org_id(org, rng, 0.02) if _chance(rng, 0.97) else ""
    phone = phone_text(org, _phone_line(org, when), rng)
    if _chance(rng, 0.9):
        address = _address(org, when, rng, rec, 0.2)
        if org.country == "CN" and _chance(rng, 0.5):  # 地址、电话 in one field
            rec["address"] = f"{address} {phone}"
        else:
            rec["address"], rec["phone"] = address, phone
    if _chance(rng, 0.1):
        rec["email"] = _email(org, rng, 0.8)
    return rec


def _cards(org: Org, rng: random.Random, when: datetime) -> Record:
    rec = _base(org, CARDS, rng, when)
    rec["created_at"] = formats.timestamp(when, "date")
    if _chance(rng, 0.85):
        ext = str(rng.randint(8000, 8999)) if _chance(rng, 0.5) else ""
        rec["phone"] = phone_text(org, _phone_line(org, when), rng, ext)
    if org.fax is not None and _chance(rng, 0.4):
        rec["fax"] = phone_text(org, org.fax, rng)
    if _chance(rng, 0.85):
        rec["email"] = _email(org, rng, 0.9, 0.01)
    if org.domain and _chance(rng, 0.6):
        rec["website"] = _website(org, rng)
    if _chance(rng, 0.7):
        rec["address"] = _address(org, when, rng, rec, 0.0)
    if _chance(rng, 0.4):
        rec["country"] = _country(org, rng)
    return rec


def _web(org: Org, rng: random.Random, when: datetime) -> Record:
    rec = _base(org, WEB, rng, when)
    if _chance(rng, 0.8):  # the person filling in the form often gives a mobile
        if org.country == "CN" and _chance(rng, 0.25):
            rec["phone"] = make_mobile(rng)
        else:
            rec["phone"] = phone_text(org, _phone_line(org, when), rng)
    if _chance(rng, 0.8):
        rec["email"] = _email(org, rng, 0.85, 0.05)
    if org.domain and _chance(rng, 0.2):
        rec["website"] = _website(org, rng)
    if _chance(rng, 0.7):
        rec["city"] = _city(org, when, rng)
    if _chance(rng, 0.6):
        rec["country"] = _country(org, rng)
    if _chance(rng, 0.05):
        rec["org_id"] = _org_id(org, rng, 0.05)
    return rec


def _directory(org: Org, rng: random.Random, when: datetime) -> Record:
    rec = _base(org, DIRECTORY, rng, when)
    stale = _chance(rng, 0.3)  # directories lag behind moves
    if stale and org.moved_on is not None:
        when = min(when, org.moved_on - timedelta(days=1))
    if _chance(rng, 0.8):
        rec["org_id"] = _org_id(org, rng, 0.01)
    r = rng.random()
    if r < 0.7:
        rec["phone"] = phone_text(org, _phone_line(org, when), rng)
    elif r < 0.78:
        rec["phone"] = rng.choice(vocab.PLACEHOLDERS)
    if _chance(rng, 0.85):
        rec["address"] = _address(org, when, rng, rec, 0.9)
    if org.country == "CN" and _chance(rng, 0.5):
        rec["postcode"] = org.postcode
    if _chance(rng, 0.3):
        rec["email"] = org.email
    if org.domain and _chance(rng, 0.4):
        rec["website"] = _website(org, rng)
    if _chance(rng, 0.7):
        rec["country"] = _country(org, rng)
    return rec


_BUILDERS: dict[str, Callable[[Org, random.Random, datetime], Record]] = {
    ACCOUNTS: _accounts,
    INVOICES: _invoices,
    CARDS: _cards,
    WEB: _web,
    DIRECTORY: _directory,
}


def pick_org_channel(rng: random.Random) -> str:
    """The channel of one of an organisation's records."""
    return _PICK_CHANNEL.pick(rng)


def make_org_record(org: Org, channel: str, rng: random.Random) -> Record:
    """One record of ``org`` as ``channel`` captures it.

    Args:
        org: The true organisation.
        channel: One of :data:`ORG_CHANNELS`.
        rng: The random stream.

    Returns:
        Cell values by :data:`ORG_FIELDS` key; missing keys are empty cells.
        ``company`` and ``customer_type`` are always filled.

    Example:
        >>> from core.synthetic.orgs import OrgPopulation
        >>> rng = random.Random(3)
        >>> org = next(iter(OrgPopulation(rng)))
        >>> make_org_record(org, ACCOUNTS, rng)["customer_type"] in ("企业", "company")
        True
    """
    return _BUILDERS[channel](org, rng, moment(rng))
