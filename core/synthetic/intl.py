"""Foreign addresses and telephone numbers, and the ways they get written.

Numbers follow each country's numbering plan (area code plus a local number
of the right length; mobiles with a mobile prefix) and are written in the
national format of that country (``020-1234567``, ``(212) 555-0123``,
``01 23 45 67 89``) or in one of the international forms a Chinese CRM
user meets: ``+31 20 123 4567``, ``+31 (0)20 1234567``, ``+31201234567``,
``0031-20-1234567``. Addresses put the house number where the country puts
it and the postcode where it belongs.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from core.synthetic.people import Weighted
from core.synthetic.typos import fold_accents
from core.synthetic.vocab_world import STREET_ABBREVIATIONS, Country, ForeignCity

PHONE_STYLES = ("national", "intl", "intl_trunk", "e164", "idd", "digits")


class Phone(NamedTuple):
    """A number as area code (or mobile prefix) and local part, digits only."""

    country: Country
    area: str
    local: str
    mobile: bool


class ForeignAddress(NamedTuple):
    """A street address abroad; formatting variants are :func:`address`."""

    country: Country
    city: ForeignCity
    street: str
    number: str
    unit: str
    postcode: str


_CITY_PICKERS: dict[str, Weighted[ForeignCity]] = {}


def pick_city(rng: random.Random, country: Country) -> ForeignCity:
    """A city of ``country``, weighted by its share of customers."""
    picker = _CITY_PICKERS.get(country.code)
    if picker is None:
        picker = Weighted(country.cities, [c.weight for c in country.cities])
        _CITY_PICKERS[country.code] = picker
    return picker.pick(rng)


def _digits(rng: random.Random, n: int) -> str:
    # Local numbers never start with 0 or 1 (those are trunk and service codes).
    return str(rng.randint(2, 9)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def landline(rng: random.Random, country: Country, city: ForeignCity) -> Phone:
    """A fixed-line number in ``city``."""
    return Phone(country, city.area, _digits(rng, city.local_len), False)


def mobile(rng: random.Random, country: Country, city: ForeignCity) -> Phone:
    """A mobile number; US mobiles carry the city's area code like landlines."""
    if not country.mobile_prefixes:
        return Phone(country, city.area, _digits(rng, 7), True)
    area = rng.choice(country.mobile_prefixes)
    if country.code in ("GB", "AU"):  # written 07700 900123 and 0412 345 678
        area += f"{rng.randrange(100):02d}"
    rest = country.mobile_len - len(area)
    return Phone(country, area, "".join(str(rng.randrange(10)) for _ in range(rest)), True)


def _grouped(phone: Phone) -> str:
    """The local part grouped the way the country writes it."""
    local, code = phone.local, phone.country.code
    if code == "US":
        return f"{local[:3]}-{local[3:]}"
    if code == "FR":
        return " ".join(local[i : i + 2] for i in range(0, len(local), 2))
    if code == "JP":
        return f"{local[:-4]}-{local[-4:]}"
    if code == "DE" or len(local) < 6 or (phone.mobile and code in ("GB", "NL")):
        return local
    if code == "AU" and phone.mobile:
        return f"{local[:3]} {local[3:]}"
    return f"{local[:-4]} {local[-4:]}"


def _national(phone: Phone) -> str:
    country, area, code = phone.country, phone.area, phone.country.code
    trunk_area = country.trunk + area if code != "US" else area
    if code == "US":
        return f"({area}) {_grouped(phone)}"
    if code == "NL":
        return f"0{area}-{phone.local}"
    if code == "FR":
        return " ".join([trunk_area, _grouped(phone)])
    if code == "AU" and not phone.mobile:
        return f"({trunk_area}) {_grouped(phone)}"
    if code == "JP":
        return f"{trunk_area}-{_grouped(phone)}"
    return f"{trunk_area} {_grouped(phone)}"


def phone_text(phone: Phone, style: str) -> str:
    """Write a number.

    Styles: ``national`` (the country's own format), ``intl`` +31 20 123 4567,
    ``intl_trunk`` +31 (0)20 123 4567, ``e164`` +31201234567, ``idd``
    0031-20-1234567 (dialled from China), ``digits`` 0201234567.

    Example:
        >>> from core.synthetic.vocab_world import COUNTRIES
        >>> nl = COUNTRIES["NL"]
        >>> phone_text(Phone(nl, "20", "1234567", False), "intl")
        '+31 20 123 4567'
    """
    country = phone.country
    if style == "e164":
        return f"+{country.dial}{phone.area}{phone.local}"
    if style == "idd":
        return f"00{country.dial}-{phone.area}-{phone.local}"
    if style == "digits":
        trunk = "" if country.code == "US" else country.trunk
        return trunk + phone.area + phone.local
    if style == "intl_trunk" and country.trunk == "0":
        return f"+{country.dial} (0){phone.area} {_grouped(phone)}"
    if style in ("intl", "intl_trunk"):
        sep = "-" if country.code == "JP" else " "
        return f"+{country.dial} {phone.area}{sep}{_grouped(phone)}"
    return _national(phone)


def postcode(rng: random.Random, country: Country, city: ForeignCity) -> str:
    """A postcode of ``city`` in its country's shape (1015 CJ, SW1A 2AB, 80331)."""
    out = []
    for ch in rng.choice(city.postcodes):
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "@":
            out.append(rng.choice(country.letters))
        else:
            out.append(ch)
    return "".join(out)


def random_address(
    rng: random.Random, country: Country, city: ForeignCity | None = None, office: bool = False
) -> ForeignAddress:
    """A synthetic street address in a real city of ``country``."""
    city = city or pick_city(rng, country)
    number = str(rng.randint(1, 250 if country.code != "US" else 2999))
    if country.code == "JP":
        number = f"{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    elif rng.random() < 0.08 and country.code in ("DE", "NL", "FR", "IT"):
        number += rng.choice("abc")
    unit = ""
    if office and rng.random() < 0.5:
        floor = rng.randint(2, 30)
        unit = {"US": f"Suite {floor}00", "GB": f"Floor {floor}", "AU": f"Level {floor}"}.get(
            country.code, ""
        )
    # Japanese streets name their ward, so they belong to one city.
    local = [s.split(":", 1)[1] for s in country.streets if s.startswith(city.name + ":")]
    street = rng.choice(local or country.streets)
    return ForeignAddress(country, city, street, number, unit, postcode(rng, country, city))


def street_line(addr: ForeignAddress) -> str:
    """``Keizersgracht 123``, ``10 Station Road``, ``1-2-3 Marunouchi, Chiyoda-ku``."""
    if addr.country.number_first:
        line = f"{addr.number} {addr.street}"
    else:
        line = f"{addr.street} {addr.number}"
    return f"{addr.unit}, {line}" if addr.unit else line


def city_line(addr: ForeignAddress) -> str:
    """Postcode and city in the country's order (``1015 CJ Amsterdam``,
    ``New York, NY 10118``, ``Manchester M1 2AB``)."""
    city, code = addr.city, addr.country.code
    if code == "US":
        return f"{city.name}, {city.region} {addr.postcode}"
    if code in ("GB",):
        return f"{city.name} {addr.postcode}"
    if code == "AU":
        return f"{city.name} {city.region} {addr.postcode}"
    if code == "IT":
        return f"{addr.postcode} {city.name} {city.region}"
    if code == "JP":
        return f"{city.name} {addr.postcode}"
    return f"{addr.postcode} {city.name}"


def address(addr: ForeignAddress, rng: random.Random, style: str) -> str:
    """Write an address.

    Styles: ``street`` the street line only (postcode and city have their own
    columns), ``full`` street, postcode and city, ``country`` the same plus
    the country, ``abbreviated`` with St/Rd/str. and no accents, ``upper``.
    """
    street = street_line(addr)
    if style == "street":
        return street
    if style == "abbreviated":
        for long, short in STREET_ABBREVIATIONS:
            street = street.replace(long, short)
        return fold_accents(f"{street} {city_line(addr)}")
    text = f"{street}, {city_line(addr)}"
    if style == "country":
        return f"{text}, {rng.choice(addr.country.names[:3])}"
    if style == "upper":
        return text.upper()
    return text


def city_name(city: ForeignCity, rng: random.Random, style: str) -> str:
    """``name`` München, ``alt`` Munich or Muenchen, ``zh`` 慕尼黑, ``upper``."""
    if style == "alt" and city.alts:
        return rng.choice(city.alts)
    if style == "zh":
        return city.zh
    if style == "upper":
        return city.name.upper()
    return city.name
