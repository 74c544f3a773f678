"""Company registration numbers with valid structure and check digits.

One function per register: the Chinese 统一社会信用代码 (USCC, GB 32100,
whose characters 9-17 are an organisation code with its own GB 11714 check
digit), the German Handelsregister, the Dutch KvK, UK Companies House, the
US EIN, the French SIREN, the Italian partita IVA, the Australian ACN and
the Japanese corporate number. Each returns the number in the form the
register prints it; :func:`written` gives the other ways CRM users type it.

Every number is random; a valid check digit only means it *could* exist.
"""

from __future__ import annotations

import random

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DE_COURTS = {
    "Berlin": "Berlin (Charlottenburg)",
    "Hamburg": "Hamburg",
    "München": "München",
    "Köln": "Köln",
    "Frankfurt am Main": "Frankfurt am Main",
    "Stuttgart": "Stuttgart",
    "Düsseldorf": "Düsseldorf",
}
# EIN prefixes the IRS assigns (python-stdnum's us/ein.dat), a few of each campus.
_EIN_PREFIXES = ("01", "04", "10", "12", "20", "26", "27", "30", "35", "45", "46", "47", "61",
                 "62", "68", "75", "81", "83", "84", "86", "88", "94", "95", "98")  # fmt: skip

# How a number is labelled when typed; T + corporate number is a Japanese
# invoice registration number.
_LABELS = {"NL": "KvK ", "GB": "Company No. ", "US": "EIN ", "FR": "SIREN ", "IT": "P.IVA ",
           "AU": "ACN ", "JP": "T"}  # fmt: skip


def uscc_check(first17: str) -> str:
    """GB 32100 check character of a USCC.

    Example:
        >>> uscc_check("91110000600037341")
        'L'
    """
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check(first8: str) -> str:
    """GB 11714 check character of an organisation code (digits only here).

    Example:
        >>> org_code_check("60003734")
        '1'
    """
    total = sum(int(d) * w for d, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def uscc(rng: random.Random, county: str) -> str:
    """A company's USCC: 9 (market regulator) + 1 (enterprise), the six-digit
    county code where it registered, an organisation code and the check."""
    body = f"{rng.randrange(10**8):08d}"
    first17 = f"91{county}{body}{org_code_check(body)}"
    return first17 + uscc_check(first17)


def luhn_check(digits: str) -> str:
    """The Luhn digit to append to ``digits``."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def german_hr(rng: random.Random, city: str, form: str) -> str:
    """``München HRB 123456``: court, section (HRA for a KG) and number."""
    section = "HRA" if form.endswith("KG") else "HRB"
    return f"{_DE_COURTS[city]} {section} {rng.randint(1000, 299_999)}"


def dutch_kvk(rng: random.Random) -> str:
    """An eight-digit Kamer van Koophandel number."""
    return f"{rng.randint(10_000_000, 99_999_999)}"


def uk_company(rng: random.Random, city: str) -> str:
    """A Companies House number: eight digits, ``SC`` + six in Scotland."""
    if city in ("Edinburgh", "Glasgow"):
        return f"SC{rng.randrange(10**6):06d}"
    return f"{rng.randrange(10**7):08d}"


def us_ein(rng: random.Random) -> str:
    """An EIN ``12-3456789`` with a prefix the IRS assigns."""
    return f"{rng.choice(_EIN_PREFIXES)}-{rng.randrange(10**7):07d}"


def french_siren(rng: random.Random) -> str:
    """A SIREN ``552 100 554``: eight digits and a Luhn check."""
    body = f"{rng.randint(30_000_000, 99_999_999)}"
    n = body + luhn_check(body)
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def italian_iva(rng: random.Random) -> str:
    """A partita IVA: seven digits, a province office code, a Luhn check."""
    body = f"{rng.randint(1, 9_999_999):07d}{rng.randint(1, 100):03d}"
    return body + luhn_check(body)


def australian_acn(rng: random.Random) -> str:
    """An ACN ``004 085 616``: eight digits weighted 8..1, complement mod 10."""
    body = f"{rng.randrange(10**8):08d}"
    check = (10 - sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True)) % 10) % 10
    n = body + str(check)
    return f"{n[:3]} {n[3:6]} {n[6:]}"


def japanese_corporate(rng: random.Random) -> str:
    """A 13-digit 法人番号: a leading check digit over twelve digits."""
    body = f"{rng.randrange(10**12):012d}"
    total = sum((1 if i % 2 == 0 else 2) * int(d) for i, d in enumerate(reversed(body)))
    return f"{9 - total % 9}{body}"


def registration(rng: random.Random, country: str, city: str, form: str) -> str:
    """The registration number of a foreign company, as its register prints it.

    Args:
        rng: The random stream.
        country: ISO code of the company's country (not CN; see :func:`uscc`).
        city: The seat, which picks the German court and the Scottish prefix.
        form: The registered legal form (HRA or HRB in Germany).

    Returns:
        The number, e.g. ``München HRB 123456`` or ``12345678``.
    """
    if country == "DE":
        return german_hr(rng, city, form)
    if country == "NL":
        return dutch_kvk(rng)
    if country == "GB":
        return uk_company(rng, city)
    if country == "US":
        return us_ein(rng)
    if country == "FR":
        return french_siren(rng)
    if country == "IT":
        return italian_iva(rng)
    if country == "AU":
        return australian_acn(rng)
    return japanese_corporate(rng)


def written(number: str, country: str, rng: random.Random) -> str:
    """One way a CRM user types a registration number.

    Chinese ids get lower case or spaces; foreign ones lose their court
    (``HRB 123456``), gain a label (``KvK 12345678``, ``P.IVA …``), lose
    their spaces, or lose a leading zero to a spreadsheet.
    """
    r = rng.random()
    if country == "CN":
        if r < 0.05:
            return number.lower()
        if r < 0.08:
            return f"{number[:6]} {number[6:12]} {number[12:]}"
        return number
    if country == "DE":
        court, _, rest = number.rpartition(" HR")
        if r < 0.4:
            return "HR" + rest
        if r < 0.6:
            return f"Amtsgericht {court.split(' (')[0]}, HR{rest}"
        return number
    if r < 0.25:
        return _LABELS[country] + number
    if r < 0.4:
        return number.replace(" ", "").replace("-", "")
    if r < 0.45 and number.startswith("0") and number.isdigit():
        return number.lstrip("0")
    return number
