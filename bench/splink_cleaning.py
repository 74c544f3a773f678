"""Cleaning for the Splink side of bench/labelled.py: what a Splink user would write
for each labelled set before linking (bench/splink_labelled.py holds the settings).

Every cleaner returns one row per input record, the id first, and None wherever a
value is missing or unusable (Splink's null levels then give the comparison no
weight). Nothing here is tuned on the truth files. The Chinese-text helpers
(Traditional → Simplified, pinyin, CRM mobiles and addresses) are those of the CRM
configuration in bench/splink_runner.py.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pandas as pd

from bench.splink_runner import _CJK, _address, _city, _mobile, _name_parts, _simplified, _text

_PUNCTUATION = re.compile(r"[^\w\s]|_")
# Legal forms say nothing about which company it is.
_LEGAL_FORMS = re.compile(
    r"股份有限公司|有限责任公司|有限公司|分公司|集团|股份|公司|株式会社"
    r"|\b(co|ltd|limited|inc|llc|corp|corporation|company|group|gmbh|ag|kg|bv|nv|sarl|sas"
    r"|sa|spa|srl|plc|pty|kk)\b"
)
_LEADING_CITY = re.compile(r"^(\w{2,3}?)[省市](?=\w{2})")  # 天津市奥诚天 -> 天津 奥诚天
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "hr", "fr", "dhr", "mevr",
           "mevrouw", "meneer", "mme", "mlle", "monsieur", "madame", "sir"}  # fmt: skip
_PARTICLES = {"de", "den", "der", "van", "von", "du", "le", "la", "di", "da", "del", "ter"}
_US = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "美国"}
# An extension: after 转 / ext / x / #, or a short group hyphenated onto a full number.
_EXTENSION = re.compile(r"(转|ext\.?|x|#).*$|(?<=\d{7})-\d{1,5}$")


def _lower(value: object) -> str | None:
    """NFKC, lower-cased and trimmed text; None when empty or missing."""
    if not isinstance(value, str):
        return None
    s = unicodedata.normalize("NFKC", value).strip().lower()
    return s or None


def _folded(value: object) -> str | None:
    """Lower-cased, accents dropped (Schröder → schroder, Köln → koln)."""
    s = _lower(value)
    if s is None:
        return None
    s = unicodedata.normalize("NFKD", s.replace("ß", "ss"))
    return "".join(c for c in s if not unicodedata.combining(c)) or None


def _none_for_na(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (what Splink's DuckDB registration reads as NULL)."""
    out: pd.DataFrame = frame.astype(object).where(frame.notna(), None)
    return out


def phone_key(value: object, keep_extension: bool = False) -> str | None:
    """Digits only, the extension dropped, and the last nine of them: the same number
    with or without +86 / 0044 / a trunk 0 compares equal (national numbers in
    these countries have at least nine digits). None under seven digits. With
    `keep_extension`, ``-<extension>`` follows (a person's line at a switchboard)."""
    s = _lower(value)
    if s is None:
        return None
    extension = _EXTENSION.search(s)
    digits = re.sub(r"\D", "", s[: extension.start()] if extension else s)
    if len(digits) < 7:
        return None
    line = re.sub(r"\D", "", extension[0]) if extension and keep_extension else ""
    return f"{digits[-9:]}-{line}" if line else digits[-9:]


def domain(website: object, email: object) -> str | None:
    """The web site's host without scheme, www. and path; else the e-mail's domain."""
    site = _lower(website)
    if site:
        host = re.sub(r"^[a-z]+://", "", site).split("/")[0]
        host = re.sub(r"^www\d?\.", "", host)
        if "." in host:
            return host
    mail = _lower(email)
    return (mail.rsplit("@", 1)[1].strip() or None) if mail and "@" in mail else None


def registration(value: object) -> str | None:
    """A registration number without its labels: of the comma-separated parts the
    one with most digits, separators dropped, from its first digit (``EIN 61-929``,
    ``Amtsgericht Köln, HRB 96983``, ``912301 081252 67307H``)."""
    s = _folded(value)
    if s is None:
        return None
    part = max(s.upper().split(","), key=lambda p: sum(c.isdigit() for c in p))
    found = re.search(r"\d[0-9A-Z]*", re.sub(r"[^0-9A-Z]", "", part))
    return found[0] if found else None


def postcode(value: object) -> str | None:
    s = _lower(value)
    return (re.sub(r"[\s-]", "", s).upper() or None) if s else None


def city(value: object) -> str | None:
    """Accents dropped, then as for the CRM data (CJK as pinyin without 市: 天津市 →
    tianjin, like Tianjin; Latin letters only)."""
    return _city(_folded(value))


def iso_date(value: object, month_first: bool = False) -> str | None:
    """y-m-d, y/m/d, yyyymmdd, d.m.y, d/m/y as ISO; m/d/y when the day cannot be
    first or the record is American (`month_first`)."""
    s = _lower(value) or ""
    if m := re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|(\d\d)(\d\d))", s):
        y, mo, d = int(m[1]), int(m[2] or m[4]), int(m[3] or m[5])
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        d, mo = (b, a) if b > 12 or (month_first and a <= 12) else (a, b)
    else:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def is_us(country: object, *phones: object) -> bool:
    """An American record: by its country, or a +1 / 001 / (212) 555-0100 phone."""
    if (_lower(country) or "") in _US:
        return True
    return any(re.match(r"^(\+1\b|001\b|\(\d{3}\) ?\d{3}-\d{4}$)", _lower(p) or "") for p in phones)


def person_name(first: object, last: object, full: object) -> tuple[str | None, str | None]:
    """(forename, surname), folded. From first_name / last_name when given; else from
    the full name: ``Surname, Forename`` or ``Forename Surname``, titles dropped, the
    surname keeping its particles (de Jong, van der Berg)."""
    forename, surname = _folded(first), _folded(last)
    if forename or surname:
        return ((forename.strip(".") or None) if forename else None), surname
    s = _folded(full)
    if s is None:
        return None, None
    if "," in s:  # Surname, Forename (particles may trail: "Groot, de")
        head, _, tail = s.partition(",")
        after = [w for w in tail.replace(".", " ").split() if w not in _TITLES]
        given = [w for w in after if w not in _PARTICLES]
        family = [w for w in after if w in _PARTICLES]
        family += [w for w in head.replace(".", " ").split() if w not in _TITLES]
        words, cut = [*given, *family], len(given)
    else:  # Forename Surname; a title before a single word makes it a surname
        words = s.replace(".", " ").split()
        titled = bool(words) and words[0] in _TITLES
        words = [w for w in words if w not in _TITLES]
        cut = len(words) - 1 if len(words) > 1 or titled else len(words)
        while cut > 1 and words[cut - 1] in _PARTICLES:
            cut -= 1
    return " ".join(words[:cut]) or None, " ".join(words[cut:]) or None


def company(value: object) -> tuple[str | None, str | None]:
    """(cleaned name, its tokens sorted): lower-cased, Simplified, punctuation and
    legal forms dropped, a leading 天津市 or a bracketed (天津) its own token, so
    天津市奥诚天服饰有限公司 and 奥诚天服饰（天津）有限公司 share their sorted tokens."""
    s = _lower(value)
    if s is None:
        return None, None
    s = _LEGAL_FORMS.sub(" ", _PUNCTUATION.sub(" ", _simplified(s)))
    tokens = _LEADING_CITY.sub(r"\1 ", " ".join(s.split())).split()
    if not tokens:
        return None, None
    return " ".join(tokens), " ".join(sorted(tokens))


def _email(value: object) -> str | None:
    s = _lower(value)
    return s.replace(" ", "") if s and "@" in s else None


def clean_orgs(df: pd.DataFrame) -> pd.DataFrame:
    """gen-orgs: the cleaned company name and its sorted tokens, the switchboard
    number, the web / e-mail domain, the registration number, postcode and city."""
    out = pd.DataFrame({"record_id": df["record_id"].astype(str)})
    names = [company(v) for v in df["company"]]
    out["company"] = [n[0] for n in names]
    out["company_sorted"] = [n[1] for n in names]
    out["phone"] = [phone_key(v) for v in df["phone"]]
    out["domain"] = [domain(w, e) for w, e in zip(df["website"], df["email"], strict=True)]
    out["org_id"] = [registration(v) for v in df["org_id"]]
    out["postcode"] = [postcode(v) for v in df["postcode"]]
    out["city"] = [city(v) for v in df["city"]]
    return _none_for_na(out)


def clean_latin(df: pd.DataFrame) -> pd.DataFrame:
    """gen-latin: forename and surname (from the full name when not split), their
    concatenation for term frequencies, ISO birth date, e-mail, city, postcode, and
    the set of phone numbers: the mobile and phone columns both hold mobiles, so a
    number is compared with the other record's numbers in either column."""
    out = pd.DataFrame({"record_id": df["record_id"].astype(str)})
    rows = zip(df["first_name"], df["last_name"], df["name"], strict=True)
    names = [person_name(f, s, n) for f, s, n in rows]
    out["forename"] = [n[0] for n in names]
    out["surname"] = [n[1] for n in names]
    out["full_name"] = [f"{f} {s}" if f and s else None for f, s in names]
    us = [is_us(*r) for r in zip(df["country"], df["mobile"], df["phone"], strict=True)]
    out["dob"] = [iso_date(b, u) for b, u in zip(df["birth_date"], us, strict=True)]
    out["email"] = [_email(v) for v in df["email"]]
    out["city"] = [city(v) for v in df["city"]]
    out["postcode"] = [postcode(v) for v in df["postcode"]]
    numbers = zip(df["mobile"], df["phone"], strict=True)
    out["phones"] = [sorted({k for v in pair if (k := phone_key(v))}) or None for pair in numbers]
    return _none_for_na(out)


def _mixed_name(name: object, first: object, last: object) -> tuple[str | None, ...]:
    """(Chinese name, surname, order-free name): pinyin for a Chinese name (as for the
    CRM data), folded words for a Latin one."""
    if _CJK.search(_text(name) or ""):
        return _name_parts(name)
    forename, surname = person_name(first, last, name)
    tokens = sorted(f"{forename or ''} {surname or ''}".split())
    return None, surname, " ".join(tokens) or None


def clean_mixed(df: pd.DataFrame) -> pd.DataFrame:
    """gen-mixed: the union of the CRM, Latin and organisation columns, each None
    where a record does not have it, plus whether the record is an organisation."""
    out = pd.DataFrame({"record_id": df["record_id"].astype(str)})
    names = [
        _mixed_name(*r) for r in zip(df["name"], df["first_name"], df["last_name"], strict=True)
    ]
    out["name"] = [n[0] for n in names]
    out["surname"] = [n[1] for n in names]
    out["name_tokens"] = [n[2] for n in names]
    # An organisation: a customer type (企业 / company), or a company and no person.
    org = [bool(_text(t)) or (bool(_text(c)) and not any(n))
           for t, c, n in zip(df["customer_type"], df["company"], names, strict=True)]  # fmt: skip
    out["record_type"] = ["organisation" if o else "person" for o in org]
    wechat = [_text(v) for v in df["wechat"]]
    phones = zip(df["mobile"], df["phone"], wechat, strict=True)
    out["mobile"] = [_mobile(m) or _mobile(p) or _mobile(w) or phone_key(m) for m, p, w in phones]
    # A person's landline keeps its extension (colleagues share the switchboard, as
    # for the CRM set); a firm's is the switchboard.
    lines = zip(df["phone"], org, strict=True)
    out["landline"] = [None if _mobile(v) else phone_key(v, not o) for v, o in lines]
    out["email"] = [_email(v) for v in df["email"]]
    out["wechat"] = [w if w and _mobile(w) is None else None for w in wechat]
    sites = zip(df["website"], df["email"], org, strict=True)
    out["domain"] = [domain(w, e) if o else None for w, e, o in sites]
    out["company"] = [company(v)[0] for v in df["company"]]
    out["address"] = [_address(v) for v in df["address"]]
    out["city"] = [city(c) or city(p) for c, p in zip(df["city"], df["province"], strict=True)]
    out["postcode"] = [postcode(v) for v in df["postcode"]]
    ids = [(_text(v) or "").replace(" ", "").upper() for v in df["id_number"]]
    out["id_number"] = [i if len(i) == 18 else None for i in ids]
    us = [is_us(*r) for r in zip(df["country"], df["mobile"], df["phone"], strict=True)]
    dates = zip(df["birth_date"], us, out["id_number"], strict=True)
    out["dob"] = [iso_date(b, u) or (iso_date(i[6:14]) if i else None) for b, u, i in dates]
    out["org_id"] = [registration(v) for v in df["org_id"]]
    return _none_for_na(out)


def clean_persons(df: pd.DataFrame) -> pd.DataFrame:
    """persons_fake_1000: id, first_name, surname, dob (ISO string), city, email,
    all lower-cased and trimmed, plus the full name for term frequencies."""
    out = pd.DataFrame({"id": df["id"].astype(str)})
    for column in ("first_name", "surname", "dob", "city", "email"):
        out[column] = [_lower(v) for v in df[column]]
    pairs = zip(out["first_name"], out["surname"], strict=True)
    out["full_name"] = [f"{f} {s}" if f and s else None for f, s in pairs]
    return _none_for_na(out)


def _company_name(value: object) -> str | None:
    s = _lower(value)
    if s is None:
        return None
    s = " ".join(_PUNCTUATION.sub(" ", s).split())
    return s or None


def _split(value: object) -> list[str] | None:
    """A ``**``-separated list (Coauthor, Class) as a sorted list of cleaned items."""
    if not isinstance(value, str):
        return None
    items = sorted({" ".join(_PUNCTUATION.sub(" ", v.lower()).split()) for v in value.split("**")})
    items = [i for i in items if i]
    return items or None


def clean_companies(df: pd.DataFrame) -> pd.DataFrame:
    """companies_patstat_nl: the applicant name without case or punctuation, its
    tokens sorted, the IPC classes (as given, and as a list) and the co-authors."""
    out = pd.DataFrame({"id": df["id"].astype(str)})
    out["name"] = [_company_name(v) for v in df["Name"]]
    out["name_sorted"] = [" ".join(sorted(n.split())) if n else None for n in out["name"]]
    out["name_first_token"] = [n.split()[0] if n else None for n in out["name_sorted"]]
    out["ipc"] = [_lower(v) for v in df["Class"]]
    out["ipc_list"] = [_split(v) for v in df["Class"]]
    out["coauthors"] = [_split(v) for v in df["Coauthor"]]
    return _none_for_na(out)
