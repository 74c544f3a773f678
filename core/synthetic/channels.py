"""The six capture channels and how a person becomes a record in each.

A channel is a way customers enter the CRM: a website form, a shop's
membership desk, business cards from a trade show, a service hotline, a
pay-per-lead vendor, a WeChat campaign. Each has its own columns, its own
completeness and its own formatting habits, which is where most of the
variation between one person's records comes from.

A record is a ``dict`` from a key to a cell value. Keys are canonical field
names from :mod:`core.fields` (``name``, ``mobile`` …) or, for columns the
importer deliberately leaves unmapped, the header itself (``会员等级``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.synthetic import formats, vocab
from core.synthetic.people import (
    REFERENCE_DATE,
    WINDOW_SECONDS,
    WINDOW_START,
    Address,
    Person,
    Weighted,
)

Record = dict[str, str]


@dataclass(frozen=True)
class Channel:
    """One capture channel and the file it exports.

    Attributes:
        key: File stem and internal key, e.g. ``store_registration``.
        name: Chinese channel name, used as the import's source name.
        file_name: Name of the exported file.
        encoding: Text encoding of the file, or ``"xlsx"`` for a workbook.
        id_column: Header of the channel's own record-id column.
        id_format: ``str.format`` pattern for the n-th record id.
        columns: (header, record key) pairs after the id column.
        extras: Headers deliberately left unmapped (extra attributes).
        delimiter: Field separator of a text file.
    """

    key: str
    name: str
    file_name: str
    encoding: str
    id_column: str
    id_format: str
    columns: tuple[tuple[str, str], ...]
    extras: tuple[str, ...] = ()
    delimiter: str = ","

    @property
    def headers(self) -> list[str]:
        """All headers in file order, the id column first."""
        return [self.id_column] + [header for header, _ in self.columns]


def _same(*headers: str) -> tuple[tuple[str, str], ...]:
    """Columns whose record key is the header itself (extra attributes)."""
    return tuple((h, h) for h in headers)


WEBSITE = Channel(
    key="website_form",
    name="官网表单",
    file_name="website_form.csv",
    encoding="utf-8",
    id_column="Lead ID",
    id_format="WEB{:06d}",
    columns=(
        ("Name", "name"),
        ("Mobile", "mobile"),
        ("Email", "email"),
        ("Company", "company"),
        ("Job Title", "title"),
        ("City", "city"),
        ("Created", "created_at"),
        *_same("Campaign"),
    ),
    extras=("Campaign",),
)
STORE = Channel(
    key="store_registration",
    name="门店登记",
    file_name="store_registration.csv",
    encoding="gbk",
    id_column="会员号",
    id_format="88{:08d}",
    columns=(
        ("姓名", "name"),
        ("手机号", "mobile"),
        ("身份证号", "id_number"),
        ("生日", "birth_date"),
        ("地址", "address"),
        ("省份", "province"),
        ("城市", "city"),
        ("区县", "district"),
        ("创建时间", "created_at"),
        ("更新时间", "updated_at"),
        *_same("会员等级", "积分"),
    ),
    extras=("会员等级", "积分"),
)
TRADE_SHOW = Channel(
    key="trade_show",
    name="展会名片",
    file_name="trade_show.xlsx",
    encoding="xlsx",
    id_column="名片编号",
    id_format="BC{:05d}",
    columns=(
        ("姓名", "name"),
        ("公司", "company"),
        ("职位", "title"),
        ("手机", "mobile"),
        ("电话", "phone"),
        ("邮箱", "email"),
        ("地址", "address"),
        ("录入时间", "created_at"),
        *_same("展会"),
    ),
    extras=("展会",),
)
HOTLINE = Channel(
    key="service_hotline",
    name="客服热线",
    file_name="service_hotline.csv",
    encoding="utf-8-sig",
    id_column="工单号",
    id_format="GD{:07d}",
    columns=(
        ("客户名称", "name"),
        ("联系电话", "phone"),
        ("客户类型", "customer_type"),
        ("最近联系", "last_contact_at"),
        ("跟进人", "owner"),
        ("备注", "notes"),
    ),
)
VENDOR = Channel(
    key="lead_vendor",
    name="线索供应商",
    file_name="lead_vendor.tsv",
    encoding="utf-8",
    id_column="lead_id",
    id_format="1{:06d}",
    columns=(
        ("姓名", "name"),
        ("mobile", "mobile"),
        ("E-mail", "email"),
        ("公司名称", "company"),
        ("职务", "title"),
        ("city", "city"),
        ("线索来源", "source"),
        ("Create Date", "created_at"),
        ("备注", "notes"),
    ),
    delimiter="\t",
)
WECHAT = Channel(
    key="wechat_campaign",
    name="微信活动",
    file_name="wechat_campaign.csv",
    encoding="utf-8",
    id_column="报名编号",
    id_format="WX{:06d}",
    columns=(
        ("微信号", "wechat"),
        ("姓名", "name"),
        ("手机", "mobile"),
        ("城市", "city"),
        ("创建时间", "created_at"),
        *_same("活动名称"),
    ),
    extras=("活动名称",),
)
CHANNELS: tuple[Channel, ...] = (WEBSITE, STORE, TRADE_SHOW, HOTLINE, VENDOR, WECHAT)
EXTRA_COLUMNS: frozenset[str] = frozenset(h for c in CHANNELS for h in c.extras)
"""Headers that are deliberately not aliases of a canonical field."""

# Where customers come from. Business cards only exist for people with an
# employer, so they get their own weights.
_PICK_EMPLOYED = Weighted(CHANNELS, [0.2, 0.16, 0.22, 0.14, 0.14, 0.14])
_PICK_PRIVATE = Weighted(CHANNELS, [0.22, 0.28, 0.0, 0.18, 0.12, 0.2])
# How many records one person leaves: ~30% have two or more, tail up to 6.
RECORDS_PER_PERSON = Weighted([1, 2, 3, 4, 5, 6], [0.695, 0.17, 0.075, 0.035, 0.015, 0.01])
MEAN_RECORDS_PER_PERSON = 1.535
JUNK_RATE = 0.005
"""Share of all records that carry no identifying field (quarantine cases)."""

_HOURS = Weighted(list(range(24)), [0.2] * 7 + [1, 2, 3, 3, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 2, 1])
_WINDOW_DAYS = WINDOW_SECONDS // 86400


def pick_channel(person: Person, rng: random.Random) -> Channel:
    """The channel of one of ``person``'s records."""
    return (_PICK_EMPLOYED if person.company is not None else _PICK_PRIVATE).pick(rng)


def moment(rng: random.Random) -> datetime:
    """A record time inside the three-year window, mostly in waking hours."""
    return WINDOW_START + timedelta(
        days=rng.randrange(_WINDOW_DAYS), hours=_HOURS.pick(rng), seconds=rng.randrange(3600)
    )


def later(when: datetime, rng: random.Random) -> datetime:
    """A time after ``when`` and before the reference date."""
    span = int((REFERENCE_DATE - when).total_seconds())
    return when + timedelta(seconds=rng.randrange(max(span, 1)))


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _address_at(person: Person, when: datetime) -> Address:
    """Where the person lived when the record was made."""
    if person.old_address is not None and person.moved_on and when < person.moved_on:
        return person.old_address
    return person.address


def _mobile_digits(person: Person, rng: random.Random) -> str:
    if person.mobile2 and rng.random() < 0.35:
        return person.mobile2
    return person.mobile


def _email(person: Person, rng: random.Random) -> str:
    if person.email_old and rng.random() < 0.4:
        return person.email_old
    return person.email


def _name(
    person: Person,
    rng: random.Random,
    *,
    pref: float,
    latin: float = 0.0,
    trad: float = 0.0,
    honor: float = 0.0,
    slip: float = 0.0,
) -> str:
    """The name as this channel writes it.

    Args:
        pref: Chance a Latin-name customer gives the Latin form here.
        latin: Chance anyone else is written in pinyin.
        trad: Chance of Traditional characters.
        honor: Chance of surname + honorific only (王先生).
        slip: Chance of a one-character homophone typo.
    """
    if rng.random() < (pref if person.latin_pref else latin):
        return formats.latin_name(person, rng)
    if honor and rng.random() < honor:
        return formats.honorific(person, rng)
    name = person.name
    if slip and rng.random() < slip:
        name = formats.typo(name, rng)
    if trad and rng.random() < trad:
        name = formats.traditional(name)
    return name


_WEB_MOBILE = Weighted(["intl_spaced", "dashed", "plain", "intl"], [35, 25, 30, 10])
_WEB_COMPANY = Weighted(
    ["full", "no_region", "brand_industry", "english", "bracket"], [50, 20, 15, 10, 5]
)


def _website(person: Person, rng: random.Random, when: datetime) -> Record:
    rec = {
        "name": _name(person, rng, pref=0.85, latin=0.07, slip=0.02),
        "created_at": formats.timestamp(when, "iso"),
        "Campaign": rng.choice(vocab.WEB_CAMPAIGNS),
    }
    if _chance(rng, 0.97):
        rec["mobile"] = formats.mobile(_mobile_digits(person, rng), _WEB_MOBILE.pick(rng))
    email = _email(person, rng)
    if email and _chance(rng, 0.93):
        if _chance(rng, 0.03):
            email = formats.email_typo(email, rng)
        elif _chance(rng, 0.05):
            email = email[0].upper() + email[1:]
        rec["email"] = email
    comp = person.company
    if comp is not None and person.title is not None and _chance(rng, 0.7):
        rec["company"] = formats.company(comp, _WEB_COMPANY.pick(rng))
        if _chance(rng, 0.4):
            rec["title"] = person.title[1] if _chance(rng, 0.3) else person.title[0]
    if _chance(rng, 0.85):
        city = _address_at(person, when).city
        r = rng.random()
        rec["city"] = city.short if r < 0.4 else city.name if r < 0.8 else city.pinyin
    return rec


_STORE_ADDRESS = Weighted(["street", "full", "no_province"], [50, 30, 20])
_LEVELS = Weighted([lv for lv, _ in vocab.MEMBER_LEVELS], [w for _, w in vocab.MEMBER_LEVELS])


def _store(person: Person, rng: random.Random, when: datetime) -> Record:
    name = _name(person, rng, pref=0.4, trad=0.06, honor=0.04, slip=0.03)
    if "·" in name and _chance(rng, 0.3):  # the middle dot is hard to type
        name = name.replace("·", rng.choice((".", "", "．")))
    rec = {"name": name, "会员等级": _LEVELS.pick(rng), "积分": str(rng.randrange(20000))}
    if _chance(rng, 0.96):
        rec["mobile"] = _mobile_digits(person, rng)
    if _chance(rng, 0.25):
        id_number = person.id_number
        rec["id_number"] = id_number.lower() if _chance(rng, 0.3) else id_number
    if _chance(rng, 0.6):
        rec["birth_date"] = formats.birthday(person.birth, "slash")
    addr = _address_at(person, when)
    if _chance(rng, 0.85):
        rec["address"] = formats.address(addr, rng, _STORE_ADDRESS.pick(rng))
    if _chance(rng, 0.8):
        province = addr.city.province
        rec["province"] = province if _chance(rng, 0.8) else addr.city.province_short
    if _chance(rng, 0.85):
        rec["city"] = addr.city.name if _chance(rng, 0.7) else addr.city.short
    if _chance(rng, 0.8):
        rec["district"] = addr.district
    rec["created_at"] = formats.timestamp(when, "slash" if _chance(rng, 0.6) else "slash_min")
    if _chance(rng, 0.5):
        rec["updated_at"] = formats.timestamp(later(when, rng), "slash_min")
    return rec


_CARD_COMPANY = Weighted(
    ["full", "bracket", "english", "no_region", "brand_industry", "legal_variant", "bracket_ascii"],
    [35, 25, 10, 15, 8, 4, 3],
)
_CARD_MOBILE = Weighted(["spaced", "plain", "dashed", "intl_spaced"], [35, 25, 20, 20])
_CARD_PHONE = Weighted(["spaced", "dashed", "paren", "intl"], [40, 35, 15, 10])
_CARD_ADDRESS = Weighted(["full", "no_province", "spaced"], [60, 30, 10])


def _trade_show(person: Person, rng: random.Random, when: datetime) -> Record:
    comp = person.company
    if comp is None or person.title is None:  # only employed people hand out cards
        return _website(person, rng, when)
    if person.surname_py and _chance(rng, 0.03):  # bilingual card: 陈明 David Chen
        name = f"{person.name} {formats.latin_name(person, rng)}"
    else:
        name = _name(person, rng, pref=0.8, latin=0.02, trad=0.02, slip=0.01)
    style = "english" if comp.foreign and _chance(rng, 0.5) else _CARD_COMPANY.pick(rng)
    rec = {
        "name": name,
        "company": formats.company(comp, style),
        "title": person.title[1] if _chance(rng, 0.1) else person.title[0],
        "created_at": formats.timestamp(when, "date"),
        "展会": rng.choice(vocab.TRADE_SHOWS),
    }
    if _chance(rng, 0.92):
        mobile = formats.mobile(_mobile_digits(person, rng), _CARD_MOBILE.pick(rng))
        rec["mobile"] = formats.fullwidth(mobile) if _chance(rng, 0.08) else mobile
    if _chance(rng, 0.85):
        ext = person.extension if _chance(rng, 0.7) else ""
        rec["phone"] = formats.landline(
            comp.city.area_code, comp.switchboard, _CARD_PHONE.pick(rng), ext
        )
    if "mobile" in rec and "phone" in rec and _chance(rng, 0.04):  # typed into the wrong box
        rec["mobile"], rec["phone"] = rec["phone"], rec["mobile"]
    if _chance(rng, 0.88):
        if person.team_mailbox and _chance(rng, 0.4):
            rec["email"] = person.team_mailbox
        elif person.email:
            rec["email"] = (
                person.email if _chance(rng, 0.99) else formats.email_typo(person.email, rng)
            )
    if _chance(rng, 0.8):
        rec["address"] = formats.address(comp.address, rng, _CARD_ADDRESS.pick(rng))
    return rec


def _hotline(person: Person, rng: random.Random, when: datetime) -> Record:
    rec = {
        "name": _name(person, rng, pref=0.3, honor=0.45, slip=0.06),
        "last_contact_at": formats.timestamp(when, "iso_min"),
    }
    r = rng.random()
    if person.landline and r < 0.12:  # called from home
        area, local = formats.split_landline(person.landline)
        rec["phone"] = formats.landline(area, local, "dashed" if _chance(rng, 0.6) else "local")
    else:
        rec["phone"] = formats.mobile(_mobile_digits(person, rng), "spaced" if r < 0.7 else "plain")
    if _chance(rng, 0.7):
        rec["customer_type"] = person.customer_type
    if _chance(rng, 0.8):
        rec["owner"] = person.owner
    if _chance(rng, 0.9):
        rec["notes"] = rng.choice(vocab.HOTLINE_NOTES)
    return rec


_VENDOR_MOBILE = Weighted(["plain", "dashed", "intl"], [70, 15, 15])


def _vendor(person: Person, rng: random.Random, when: datetime) -> Record:
    rec = {
        "name": _name(person, rng, pref=0.5, latin=0.03, honor=0.05, slip=0.05),
        "source": rng.choice(vocab.LEAD_SOURCES),
        "created_at": formats.timestamp(when, "compact" if _chance(rng, 0.5) else "cn"),
    }
    r = rng.random()
    if r < 0.06:
        rec["mobile"] = rng.choice(vocab.PLACEHOLDERS)
    elif r < 0.12:
        rec["mobile"] = formats.broken_mobile(person.mobile, rng)
    elif r < 0.15:
        rec["mobile"] = rng.choice(vocab.SERVICE_NUMBERS)
    else:
        rec["mobile"] = formats.mobile(_mobile_digits(person, rng), _VENDOR_MOBILE.pick(rng))
    email = _email(person, rng)
    if _chance(rng, 0.6):
        if not email or _chance(rng, 0.08):
            rec["email"] = rng.choice(vocab.PLACEHOLDERS)
        else:
            rec["email"] = formats.email_typo(email, rng) if _chance(rng, 0.12) else email
    if _chance(rng, 0.5):
        comp = person.company
        if comp is None or _chance(rng, 0.1):
            rec["company"] = rng.choice(vocab.PLACEHOLDERS)
        else:
            rec["company"] = formats.company(comp, _WEB_COMPANY.pick(rng))
    if person.title is not None and _chance(rng, 0.3):
        rec["title"] = person.title[0]
    if _chance(rng, 0.8):
        city = _address_at(person, when).city
        rec["city"] = city.short if _chance(rng, 0.5) else city.name
    if _chance(rng, 0.1):
        rec["notes"] = rng.choice(vocab.HOTLINE_NOTES)
    return rec


def _nickname(person: Person, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4 or not person.surname:
        return rng.choice(vocab.NICKNAMES)
    if r < 0.7:
        return rng.choice(("小", "老", "阿")) + person.surname
    return person.given[-1] * 2  # 娜娜, 伟伟


def _wechat(person: Person, rng: random.Random, when: datetime) -> Record:
    wechat = person.wechat
    if _chance(rng, 0.05):
        wechat = wechat.capitalize()
    rec = {
        "wechat": wechat,
        "name": (
            _nickname(person, rng)
            if _chance(rng, 0.35)
            else _name(person, rng, pref=0.6, latin=0.03, slip=0.02)
        ),
        "created_at": formats.timestamp(when, "iso"),
        "活动名称": rng.choice(vocab.WECHAT_ACTIVITIES),
    }
    if _chance(rng, 0.45):
        rec["mobile"] = _mobile_digits(person, rng)
    if _chance(rng, 0.7):
        city = _address_at(person, when).city
        rec["city"] = city.name if _chance(rng, 0.6) else city.short
    return rec


_BUILDERS: dict[str, Callable[[Person, random.Random, datetime], Record]] = {
    WEBSITE.key: _website,
    STORE.key: _store,
    TRADE_SHOW.key: _trade_show,
    HOTLINE.key: _hotline,
    VENDOR.key: _vendor,
    WECHAT.key: _wechat,
}


def make_record(person: Person, channel: Channel, rng: random.Random) -> Record:
    """One record of ``person`` as ``channel`` captures it.

    Args:
        person: The true customer.
        channel: The capture channel.
        rng: The random stream.

    Returns:
        Cell values by record key; missing keys are empty cells.

    Example:
        >>> from core.synthetic.people import Population
        >>> rng = random.Random(3)
        >>> person = next(iter(Population(rng, 10)))
        >>> "created_at" in make_record(person, WEBSITE, rng)
        True
    """
    return _BUILDERS[channel.key](person, rng, moment(rng))


def junk_record(rng: random.Random) -> Record:
    """A vendor row with no identifying field at all: a city and a note.

    The importer must quarantine these; the truth file gives each one its
    own ``X…`` person id so it never joins a cluster.
    """
    city = rng.choice(vocab.CITIES)
    return {
        "city": city.short,
        "notes": rng.choice(vocab.JUNK_NOTES),
        "source": rng.choice(vocab.LEAD_SOURCES),
        "created_at": formats.timestamp(moment(rng), "compact"),
    }
