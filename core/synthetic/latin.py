"""Latin-script customers abroad (UK, US, DE, NL, FR, AU) with their households.

Each person has one ``person_id`` (``L0000001``) and true attributes; the
record builders in :mod:`core.synthetic.latin_records` then misspell them.
The hard negatives are the ones FEBRL and Splink users know: namesakes
(distinct people sharing a common name, sometimes in the same city), couples
sharing an address, a landline and a surname, twins sharing a birth date,
and fathers and sons of one name at one address (Jr.).

Persons are yielded one household at a time; only a bounded pool of recent
names (to borrow namesakes from) and the set of used e-mail addresses (which
are unique in reality) are kept.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.synthetic import intl, typos, vocab_latin
from core.synthetic.intl import ForeignAddress, Phone
from core.synthetic.people import WINDOW_SECONDS, WINDOW_START, Weighted, ranked
from core.synthetic.vocab_world import COUNTRIES

PERSON_COUNTRIES = Weighted(["GB", "US", "DE", "NL", "FR", "AU"], [28, 25, 15, 12, 10, 10])
NAMESAKE_RATE = 0.04
SAME_CITY_NAMESAKE = 0.5
COUPLE_RATE = 0.12
TWIN_RATE = 0.02
JUNIOR_RATE = 0.015
MOVED_RATE = 0.1
_FIRST = {
    (c, g): ranked(names) for c, by in vocab_latin.FIRST_NAMES.items() for g, names in by.items()
}
_LAST = {c: ranked(names) for c, names in vocab_latin.SURNAMES.items()}


@dataclass(frozen=True, slots=True)
class LatinPerson:
    """One customer abroad: the unit the ground truth identifies.

    Attributes:
        person_id: Entity id, ``L`` and seven digits.
        country: ISO code of the country of residence.
        gender: ``M`` or ``F``.
        first: Formal first name (Robert).
        short: The short forms the person also goes by (Bob, Rob).
        middle: Middle name, or "".
        last: Surname as registered (van den Berg, Müller, O'Brien).
        suffix: Jr. for a son named after his father, else "".
        birth: Date of birth.
        email: Current e-mail address; unique to the person.
        email_old: An address used before, or "".
        mobile: Mobile number.
        landline: Home landline, or None.
        address: Current home.
        old_address: Home before a move, or None.
        moved_on: When they moved, or None.
    """

    person_id: str
    country: str
    gender: str
    first: str
    short: tuple[str, ...]
    middle: str
    last: str
    suffix: str
    birth: date
    email: str
    email_old: str
    mobile: Phone
    landline: Phone | None
    address: ForeignAddress
    old_address: ForeignAddress | None
    moved_on: datetime | None


class LatinPopulation:
    """An endless stream of Latin-script persons, household by household.

    Args:
        rng: The random stream; the caller owns the seed.

    Example:
        >>> people = iter(LatinPopulation(random.Random(7)))
        >>> next(people).person_id
        'L0000001'
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._count = 0
        self._emails: set[str] = set()
        self._recent: deque[LatinPerson] = deque(maxlen=500)

    def __iter__(self) -> Iterator[LatinPerson]:
        while True:
            yield from self._household()

    def _household(self) -> Iterator[LatinPerson]:
        rng = self._rng
        country = PERSON_COUNTRIES.pick(rng)
        head = self._person(country, None, None)
        yield head
        r = rng.random()
        if r < COUPLE_RATE:
            gender = "F" if head.gender == "M" else "M"
            first, short = _FIRST[(country, gender)].pick(rng)
            last = head.last if rng.random() < 0.7 else _LAST[country].pick(rng)
            birth = head.birth + timedelta(days=rng.randint(-1500, 1500))
            yield self._person(country, head, (gender, first, short, last, birth, ""))
        elif r < COUPLE_RATE + TWIN_RATE:
            gender = rng.choice("MF")
            first, short = _FIRST[(country, gender)].pick(rng)
            if first != head.first:
                yield self._person(country, head, (gender, first, short, head.last, head.birth, ""))
        elif r < COUPLE_RATE + TWIN_RATE + JUNIOR_RATE and country in ("US", "GB", "AU"):
            birth = head.birth + timedelta(days=rng.randint(22 * 365, 35 * 365))
            if birth.year <= 2006 and head.gender == "M":
                junior = (head.gender, head.first, head.short, head.last, birth, "Jr.")
                yield self._person(country, head, junior)

    def _person(
        self,
        country: str,
        housemate: LatinPerson | None,
        given: tuple[str, str, tuple[str, ...], str, date, str] | None,
    ) -> LatinPerson:
        rng = self._rng
        self._count += 1
        where = COUNTRIES[country]
        if given is not None:
            gender, first, short, last, birth, suffix = given
        else:
            gender = rng.choice("MF")
            first, short = _FIRST[(country, gender)].pick(rng)
            last, suffix = _LAST[country].pick(rng), ""
            birth = date(int(rng.triangular(1945, 2006, 1985)), 1, 1)
            birth += timedelta(days=rng.randrange(365))
        city = intl.pick_city(rng, where)
        if given is None and self._recent and rng.random() < NAMESAKE_RATE:
            twin = rng.choice(self._recent)  # a namesake: another person, same name
            if twin.country == country:
                gender, first, short, last = twin.gender, twin.first, twin.short, twin.last
                if rng.random() < SAME_CITY_NAMESAKE:
                    city = twin.address.city
        if housemate is not None:
            address, landline = housemate.address, housemate.landline
        else:
            address = intl.random_address(rng, where, city)
            landline = intl.landline(rng, where, address.city) if rng.random() < 0.3 else None
        moved = housemate is None and rng.random() < MOVED_RATE
        middle = ""
        if country in ("US", "GB", "AU") and rng.random() < 0.3:
            middle = _FIRST[(country, gender)].pick(rng)[0]
        person = LatinPerson(
            person_id=f"L{self._count:07d}",
            country=country,
            gender=gender,
            first=first,
            short=short,
            middle=middle if middle != first else "",
            last=last,
            suffix=suffix,
            birth=birth,
            email=self._email(first, short, last, birth, country),
            email_old=self._email(first, short, last, birth, country) if rng.random() < 0.1 else "",
            mobile=intl.mobile(rng, where, address.city),
            landline=landline,
            address=address,
            old_address=intl.random_address(rng, where) if moved else None,
            moved_on=(
                WINDOW_START + timedelta(seconds=rng.randrange(WINDOW_SECONDS)) if moved else None
            ),
        )
        self._recent.append(person)
        return person

    def _email(
        self, first: str, short: tuple[str, ...], last: str, birth: date, country: str
    ) -> str:
        """A personal mailbox nobody else has (john.smith84@, jsmith@, bob.allen@)."""
        rng = self._rng
        f = _ascii(rng.choice(short) if short and rng.random() < 0.2 else first)
        s = _ascii(last)
        domains = vocab_latin.EMAIL_DOMAINS[country]
        locals_ = (f"{f}.{s}", f + s, f"{f[0]}{s}", f"{f}_{s}", f"{f}{s[0]}", f"{s}.{f}", f)
        local = rng.choice(locals_)
        for suffix in ("", str(birth.year), str(birth.year)[2:], f"{birth.day:02d}"):
            if rng.random() < 0.3 and suffix:
                continue
            address = f"{local}{suffix}@{rng.choice(domains)}"
            if address not in self._emails:
                break
        while address in self._emails:
            address = f"{local}{rng.randint(1, 9999)}@{rng.choice(domains)}"
        self._emails.add(address)
        return address


def _ascii(name: str) -> str:
    """Lower-case letters only: ``O'Brien`` → ``obrien``, ``Müller`` → ``mueller``."""
    return "".join(ch for ch in typos.fold_accents(name).lower() if ch.isascii() and ch.isalpha())
