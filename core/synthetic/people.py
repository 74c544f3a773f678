"""The synthetic population: persons living in households, working at companies.

The population is what the ground truth is about: every person has one
``person_id`` and a set of true attributes. Channels (see
:mod:`core.synthetic.channels`) later turn a person into records with their
own habits and mistakes.

The population deliberately contains *hard negatives*, different people who
look alike: very common names (王伟, 张伟, 李娜) in the same city, household
members sharing an address, a landline and sometimes one mobile, and
colleagues sharing a company switchboard and a team mailbox.

Everything is drawn from one :class:`random.Random` passed in by the caller,
so a seed fixes the whole population. Persons are yielded one household at
a time and never kept, so memory does not grow with the population size.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, NamedTuple, TypeVar

from core.synthetic import vocab
from core.synthetic.vocab import City

T = TypeVar("T")

REFERENCE_DATE = datetime(2026, 6, 30, 23, 59, 59)
"""All dates are relative to this fixed instant so output never depends on
the day the generator runs."""
WINDOW_START = datetime(2023, 7, 1)
WINDOW_SECONDS = int((REFERENCE_DATE - WINDOW_START).total_seconds())

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Share of persons with each property; tuned so that the demo and the flat
# benchmark show each kind of hard case often enough to measure.
HOT_NAME_RATE = 0.012
LATIN_RATE = 0.05
MINORITY_RATE = 0.005
EMPLOYED_RATE = 0.6
BIG_COMPANY_SHARE = 0.0055
SHARED_MOBILE_RATE = 0.2


class Weighted(Generic[T]):
    """A weighted choice over a fixed list, O(log n) per draw.

    Example:
        >>> w = Weighted(["a", "b"], [9.0, 1.0])
        >>> w.pick(random.Random(1)) in ("a", "b")
        True
    """

    __slots__ = ("_items", "_cum", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self._items = list(items)
        self._cum = list(itertools.accumulate(weights))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        """Draw one item."""
        return self._items[bisect.bisect_right(self._cum, rng.random() * self._total)]


def ranked(items: Sequence[T], bias: float = 3.0) -> Weighted[T]:
    """Weight items listed by popularity with a Zipf-like 1/(rank+bias)."""
    return Weighted(items, [1.0 / (rank + bias) for rank in range(len(items))])


class Address(NamedTuple):
    """A street address; formatting variants live in :mod:`formats`."""

    city: City
    district: str
    road: str
    number: int
    place: str  # estate or office tower
    block: int  # building number, 0 when none
    room: int  # room or floor number


@dataclass(frozen=True, slots=True)
class Company:
    """A synthetic employer. ``brand`` is the 字号, ``foreign`` the English
    brand of a foreign-owned firm (empty for domestic ones)."""

    index: int
    brand: str
    brand_py: str
    industry: str
    industry_en: str
    legal: str
    legal_en: str
    city: City
    foreign: str
    domain: str
    switchboard: str  # local number without area code
    address: Address
    size: float  # relative head count among the company's city peers

    @property
    def name(self) -> str:
        """The registered name, e.g. 深圳市华信达科技有限公司."""
        if self.foreign:
            return f"{self.brand}{self.industry}（{self.city.short}）{self.legal}"
        return f"{self.city.name}{self.brand}{self.industry}{self.legal}"


@dataclass(frozen=True, slots=True)
class Person:
    """One real-world customer: the unit the ground truth identifies."""

    person_id: str
    household_id: int
    name: str  # Chinese (or minority) full name
    surname: str  # empty for minority names
    given: str
    surname_py: str
    given_py: str
    gender: str  # "M" or "F"
    english: str  # English given name, or ""
    latin_pref: bool  # writes the name in Latin letters by preference
    birth: date
    id_number: str
    mobile: str
    mobile2: str
    landline: str  # area code + local number, digits only, or ""
    email: str
    email_old: str
    wechat: str
    company: Company | None
    title: tuple[str, str] | None
    extension: str
    team_mailbox: str
    address: Address
    old_address: Address | None
    moved_on: datetime | None
    customer_type: str
    owner: str


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident id.

    Example:
        >>> id_check_digit("11010519491231002")
        'X'
    """
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def make_id_number(rng: random.Random, city: City, birth: date, gender: str) -> str:
    """An 18-digit resident id with a real county code of ``city``, the birth
    date and a sequence number whose parity matches the gender (odd = male)."""
    area = rng.choice(vocab.ID_AREAS[city.id_prefix])
    seq = rng.randrange(50) * 2 + (1 if gender == "M" else 0)
    first17 = f"{area}{birth:%Y%m%d}{rng.randrange(10)}{seq:02d}"
    return first17 + id_check_digit(first17)


def make_mobile(rng: random.Random) -> str:
    """An 11-digit mobile number with a valid carrier prefix."""
    return rng.choice(vocab.MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def make_local_number(rng: random.Random, city: City, pretty: bool = False) -> str:
    """A landline's local part: 8 digits, 7 in the cities that still use 7."""
    length = 7 if city.area_code in vocab.SEVEN_DIGIT_AREA_CODES else 8
    head = str(rng.randint(2, 8))
    if pretty:  # switchboards like 8600 0000 or 2688 8888
        tail = rng.choice(("0000", "8888", "6666", "1234", "9999"))
        return head + f"{rng.randrange(10 ** (length - 5)):0{length - 5}d}" + tail
    return head + f"{rng.randrange(10 ** (length - 1)):0{length - 1}d}"


_CITIES = Weighted(vocab.CITIES, [c.weight for c in vocab.CITIES])
_SURNAMES = Weighted(vocab.SURNAMES, [w for _, _, w in vocab.SURNAMES])
_GIVEN = {
    "M": (ranked(vocab.MALE_FIRST), ranked(vocab.MALE_CHARS)),
    "F": (ranked(vocab.FEMALE_FIRST), ranked(vocab.FEMALE_CHARS)),
}
_PINYIN = dict(vocab.MALE_CHARS + vocab.FEMALE_CHARS + vocab.MALE_FIRST + vocab.FEMALE_FIRST)
_SURNAME_PY = {h: p for h, p, _ in vocab.SURNAMES}
_HOT = {
    g: [n for n in vocab.HOT_NAMES if (n[-1] in vocab.HOT_FEMALE_GIVEN) == (g == "F")]
    for g in ("M", "F")
}
_DOMAINS = Weighted([d for d, _ in vocab.PERSONAL_DOMAINS], [w for _, w in vocab.PERSONAL_DOMAINS])
_LEGAL = Weighted(vocab.LEGAL_FORMS, [w for _, _, w in vocab.LEGAL_FORMS])
_BIG_CITY = next(c for c in vocab.CITIES if c.name == "深圳市")
# Household sizes (households, not persons): most customers live alone or
# in couples; 3+ means children who are customers too.
_HOUSEHOLD_SIZES = Weighted([1, 2, 3, 4, 5], [0.6, 0.22, 0.12, 0.045, 0.015])


def random_address(rng: random.Random, city: City, office: bool = False) -> Address:
    """A synthetic street address in a real district of ``city``."""
    road = rng.choice(vocab.ROAD_STEMS) + rng.choice(vocab.ROAD_DIRECTIONS)
    road += rng.choice(vocab.ROAD_TYPES)
    if office:
        place = rng.choice(vocab.TOWER_STEMS) + rng.choice(vocab.TOWER_SUFFIXES)
        block, room = (rng.randint(1, 9) if place.endswith("园") else 0), rng.randint(2, 38)
    else:
        place = rng.choice(vocab.ESTATE_STEMS) + rng.choice(vocab.ESTATE_SUFFIXES)
        block, room = rng.randint(1, 30), rng.randint(1, 32) * 100 + rng.randint(1, 6)
    return Address(city, rng.choice(city.districts), road, rng.randint(1, 999), place, block, room)


def build_companies(rng: random.Random, count: int) -> list[Company]:
    """The employer pool; company 0 is the one big employer whose switchboard
    hundreds of employees share."""
    companies: list[Company] = []
    used_domains: set[str] = set()
    for index in range(count):
        # The big employer sits in a big city so its staff live there too.
        city = _BIG_CITY if index == 0 else _CITIES.pick(rng)
        industry, industry_en = rng.choice(vocab.INDUSTRIES)
        legal, legal_en, _ = _LEGAL.pick(rng)
        foreign = ""
        if index and rng.random() < 0.05:
            foreign, brand = rng.choice(vocab.FOREIGN_BRANDS)
            brand_py, legal, legal_en = foreign.lower(), "有限公司", "Co., Ltd."
        else:
            chars = [rng.choice(vocab.BRAND_CHARS) for _ in range(rng.choice((2, 2, 3)))]
            brand = "".join(h for h, _ in chars)
            brand_py = "".join(p for _, p in chars)
        domain = brand_py + rng.choice(("", "", "-tech", "group", "china"))
        domain += rng.choice((".com", ".com", ".cn", ".com.cn", ".net"))
        if domain in used_domains:  # corporate domains are unique in reality
            domain = f"{city.pinyin[:2].lower()}{index}{domain}"
        used_domains.add(domain)
        companies.append(
            Company(
                index=index,
                brand=brand,
                brand_py=brand_py,
                industry=industry,
                industry_en=industry_en,
                legal=legal,
                legal_en=legal_en,
                city=city,
                foreign=foreign,
                domain=domain,
                switchboard=make_local_number(rng, city, pretty=True),
                address=random_address(rng, city, office=True),
                # Heavy-tailed but capped: many small firms, some with dozens
                # of customers on staff, none rivalling the big employer.
                size=min(rng.paretovariate(1.2), 20.0),
            )
        )
    return companies


def given_name(rng: random.Random, gender: str) -> tuple[str, str]:
    """A one- or two-character given name and its pinyin.

    One-character names (伟, 娜) are common among adults and make the most
    collisions (王伟, 李娜); two-character names pair a first character
    (often a generation name: 建, 晓, 子) with a final one (国, 明, 轩).
    """
    if rng.random() < 0.05:  # unisex names borrow from the other list
        gender = "F" if gender == "M" else "M"
    firsts, finals = _GIVEN[gender]
    last, last_py = finals.pick(rng)
    if rng.random() < 0.25:
        return last, last_py
    if rng.random() < 0.02:  # reduplicated names: 婷婷, 冰冰
        return last + last, last_py + last_py
    first, first_py = firsts.pick(rng)
    if first == last:
        return last, last_py
    return first + last, first_py + last_py


def personal_email(
    rng: random.Random, surname_py: str, given_py: str, english: str, year: int
) -> str:
    """A private mailbox: numeric QQ, or a pinyin local part at a webmail domain."""
    if not surname_py or rng.random() < 0.35:
        return f"{rng.randint(10_000, 3_999_999_999)}@qq.com"
    r = rng.random()
    if english and r < 0.5:
        local = f"{english.lower()}{rng.choice(('.', '_', ''))}{surname_py}"
    elif r < 0.55:
        local = surname_py + given_py
    elif r < 0.7:
        local = f"{given_py}{rng.choice(('.', '_'))}{surname_py}"
    elif r < 0.85:
        local = surname_py[0] + "".join(s[0] for s in given_py.split()) + given_py[-2:]
    else:
        local = surname_py + given_py[:1]
    suffix = rng.choice(
        ("", str(year), str(year)[2:], f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    )
    return f"{local}{suffix}@{_DOMAINS.pick(rng)}"


def corporate_email(
    rng: random.Random, person_py: tuple[str, str], english: str, domain: str
) -> str:
    """A work mailbox at the employer's domain (zhangwei@, wei.zhang@, david.chen@)."""
    surname_py, given_py = person_py
    if not surname_py:
        return f"{rng.choice(('user', 'staff'))}{rng.randint(100, 9999)}@{domain}"
    if english and rng.random() < 0.7:
        local = f"{english.lower()}.{surname_py}"
    else:
        local = rng.choice(
            (
                surname_py + given_py,
                f"{given_py}.{surname_py}",
                f"{surname_py}.{given_py}",
                surname_py + given_py[:1],
                given_py + surname_py,
            )
        )
    return f"{local}@{domain}"


def make_wechat(
    rng: random.Random, surname_py: str, given_py: str, english: str, mobile: str
) -> str:
    """A WeChat id: auto-generated wxid_, pinyin + digits, the mobile itself,
    or an English handle."""
    r = rng.random()
    if r < 0.25 or not surname_py:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "wxid_" + "".join(rng.choice(alphabet) for _ in range(14))
    if r < 0.65:
        return f"{surname_py}{given_py}{rng.choice(('', '_', ''))}{rng.randint(1, 9999)}"
    if r < 0.8:
        return mobile
    handle = english or rng.choice(vocab.ENGLISH_FEMALE + vocab.ENGLISH_MALE)
    return f"{handle}_{surname_py}{rng.randint(0, 99):02d}"


class Population:
    """An endless stream of persons, household by household.

    Args:
        rng: The random stream; the caller owns the seed.
        expected_persons: How many persons the caller will draw; it sizes
            the employer pool so that companies keep a realistic head count
            (and the big employer about 0.55% of all persons).

    Example:
        >>> pop = Population(random.Random(7), expected_persons=100)
        >>> first = next(iter(pop))
        >>> first.person_id
        'P0000001'
    """

    def __init__(self, rng: random.Random, expected_persons: int) -> None:
        self._rng = rng
        self.companies = build_companies(rng, max(8, expected_persons // 12))
        by_city: dict[str, list[Company]] = {}
        for company in self.companies[1:]:
            by_city.setdefault(company.city.name, []).append(company)
        self._local = {
            city: Weighted(staff, [c.size for c in staff]) for city, staff in by_city.items()
        }
        self._anywhere = Weighted(self.companies[1:], [c.size for c in self.companies[1:]])
        city_share = _BIG_CITY.weight / sum(c.weight for c in vocab.CITIES)
        # Chance that an employed resident of the big employer's city works there.
        self._big_p = min(0.5, BIG_COMPANY_SHARE / (city_share * EMPLOYED_RATE))
        self._next_id = 0

    def __iter__(self) -> Iterator[Person]:
        for household_id in itertools.count(1):
            yield from self._household(household_id)

    def _household(self, hid: int) -> Iterator[Person]:
        rng = self._rng
        size = _HOUSEHOLD_SIZES.pick(rng)
        city = _CITIES.pick(rng)
        home = random_address(rng, city)
        landline = city.area_code + make_local_number(rng, city) if rng.random() < 0.35 else ""
        old_home: Address | None = None
        moved_on: datetime | None = None
        if rng.random() < 0.15:  # the household moved during the CRM's lifetime
            old_city = city if rng.random() < 0.7 else _CITIES.pick(rng)
            old_home = random_address(rng, old_city)
            moved_on = WINDOW_START + timedelta(seconds=rng.randrange(WINDOW_SECONDS))
        place = (city, home, landline, old_home, moved_on)
        gender = "M" if rng.random() < 0.5 else "F"
        if size >= 3:
            year = rng.randint(1955, 1982)
        else:
            year = int(rng.triangular(1956, 2005, 1988))
        head = self._person(hid, place, gender, year, None, "")
        yield head
        if size == 1:
            return
        shared = head.mobile if rng.random() < SHARED_MOBILE_RATE else ""
        other = "F" if gender == "M" else "M"
        spouse_year = min(2005, year + rng.randint(-4, 4))
        spouse = self._person(hid, place, other, spouse_year, None, shared)
        yield spouse
        father = head if gender == "M" else spouse
        mother_year = spouse_year if gender == "M" else year
        for _ in range(size - 2):
            child_year = min(2007, mother_year + rng.randint(22, 34))
            child_gender = "M" if rng.random() < 0.5 else "F"
            mobile = shared if shared and rng.random() < 0.5 else ""
            yield self._person(hid, place, child_gender, child_year, father, mobile)

    def _person(
        self,
        hid: int,
        place: tuple[City, Address, str, Address | None, datetime | None],
        gender: str,
        year: int,
        father: Person | None,
        mobile: str,
    ) -> Person:
        rng = self._rng
        city, home, landline, old_home, moved_on = place
        self._next_id += 1
        surname, given, surname_py, given_py = self._name(gender, city, father)
        name = surname + given if surname else given
        latin_pref = bool(surname) and rng.random() < LATIN_RATE
        english = ""
        if latin_pref and rng.random() < 0.6:
            english = rng.choice(vocab.ENGLISH_MALE if gender == "M" else vocab.ENGLISH_FEMALE)
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        born_in = city if rng.random() < 0.7 else _CITIES.pick(rng)
        mobile = mobile or make_mobile(rng)
        company = None
        if 22 <= 2026 - year <= 62 and rng.random() < EMPLOYED_RATE:
            company = self._employer(city)
        email = ""
        r = rng.random()
        if company is not None and r < 0.55:
            email = corporate_email(rng, (surname_py, given_py), english, company.domain)
        elif r < 0.92:
            email = personal_email(rng, surname_py, given_py, english, year)
        changed = bool(email) and rng.random() < 0.12
        return Person(
            person_id=f"P{self._next_id:07d}",
            household_id=hid,
            name=name,
            surname=surname,
            given=given,
            surname_py=surname_py,
            given_py=given_py,
            gender=gender,
            english=english,
            latin_pref=latin_pref,
            birth=birth,
            id_number=make_id_number(rng, born_in, birth, gender),
            mobile=mobile,
            mobile2=make_mobile(rng) if rng.random() < 0.12 else "",
            landline=landline,
            email=email,
            email_old=personal_email(rng, surname_py, given_py, english, year) if changed else "",
            wechat=make_wechat(rng, surname_py, given_py, english, mobile),
            company=company,
            title=rng.choice(vocab.TITLES) if company is not None else None,
            extension=str(rng.randint(8000, 8999) if rng.random() < 0.7 else rng.randint(100, 999)),
            team_mailbox=(
                f"{rng.choice(vocab.TEAM_MAILBOXES)}@{company.domain}"
                if company is not None and rng.random() < 0.15
                else ""
            ),
            address=home,
            old_address=old_home,
            moved_on=moved_on,
            customer_type=rng.choice(vocab.CUSTOMER_TYPES),
            owner=rng.choice(vocab.OWNERS),
        )

    def _name(self, gender: str, city: City, father: Person | None) -> tuple[str, str, str, str]:
        """Surname, given name and their pinyin (empty pinyin for minority names)."""
        rng = self._rng
        minority_rate = 0.3 if city.pinyin == "Urumqi" else MINORITY_RATE
        if (father is not None and not father.surname) or (
            father is None and rng.random() < minority_rate
        ):
            first = rng.choice(vocab.MINORITY_MALE if gender == "M" else vocab.MINORITY_FEMALE)
            return "", f"{first}·{rng.choice(vocab.MINORITY_SECOND)}", "", ""
        if father is None and rng.random() < HOT_NAME_RATE:
            hot = rng.choice(_HOT[gender])
            return hot[0], hot[1:], _SURNAME_PY[hot[0]], "".join(_PINYIN[c] for c in hot[1:])
        if father is not None:
            surname, surname_py = father.surname, father.surname_py
        else:
            surname, surname_py, _ = _SURNAMES.pick(rng)
        given, given_py = given_name(rng, gender)
        return surname, given, surname_py, given_py

    def _employer(self, city: City) -> Company:
        rng = self._rng
        if city is _BIG_CITY and rng.random() < self._big_p:
            return self.companies[0]
        # Most people work in the city they live in; some commute or work
        # for a branch of a company registered elsewhere.
        local = self._local.get(city.name)
        if local is not None and rng.random() < 0.85:
            return local.pick(rng)
        return self._anywhere.pick(rng)
