"""Mailboxes of an organisation: its role address and a few staff addresses.

Forms and business cards rarely carry ``info@``: they carry the address of
whoever filled them in (``zhang.wei@``, ``j.smith@``), so one company's
records show several addresses on one domain. A small Chinese firm without
a domain uses QQ or 163 mail for everything.
"""

from __future__ import annotations

import random

from core.synthetic import typos, vocab, vocab_latin, vocab_orgs
from core.synthetic.people import Weighted, corporate_email, given_name, personal_email

_SURNAMES = Weighted(vocab.SURNAMES, [w for _, _, w in vocab.SURNAMES])
_LANGUAGE = {"DE": "DE", "NL": "NL", "FR": "FR", "IT": "IT", "JP": "JP", "CN": "CN"}


def _latin_local(rng: random.Random, country: str) -> str:
    """``first.last``, ``flast``, ``first`` or ``first_last`` in lower case."""
    if country in vocab_orgs.CONTACT_NAMES:
        givens, surnames = vocab_orgs.CONTACT_NAMES[country]
        first, last = rng.choice(givens), rng.choice(surnames)
    else:
        names = vocab_latin.FIRST_NAMES[country if country in vocab_latin.FIRST_NAMES else "GB"]
        first = rng.choice(names[rng.choice("MF")])[0]
        last = rng.choice(vocab_latin.SURNAMES.get(country, vocab_latin.SURNAMES["GB"]))
    first, last = (
        "".join(ch for ch in typos.fold_accents(part).lower() if ch.isascii() and ch.isalpha())
        for part in (first, last)
    )
    forms = (f"{first}.{last}", f"{first}.{last}", first[0] + last, first, f"{first}_{last}")
    return rng.choice(forms)


def staff_mailboxes(rng: random.Random, country: str, domain: str) -> tuple[str, tuple[str, ...]]:
    """The role mailbox and one to three staff addresses of a company.

    Args:
        rng: The random stream.
        country: ISO code of the company's country.
        domain: Its mail domain, or "" for a firm without one.

    Returns:
        ``(mailbox, contacts)``: the role mailbox's local part (``info``) or,
        without a domain, a full webmail address; and full staff addresses.
    """
    count = rng.choice((1, 1, 2, 3))
    if country == "CN":
        staff = []
        for _ in range(count):
            _, surname_py, _ = _SURNAMES.pick(rng)
            _, given_py = given_name(rng, rng.choice("MF"))
            if domain:
                staff.append(corporate_email(rng, (surname_py, given_py), "", domain))
            else:
                staff.append(personal_email(rng, surname_py, given_py, "", rng.randint(1965, 2000)))
        if not domain:
            return staff[0], tuple(staff)
        return rng.choice(vocab_orgs.MAILBOXES["CN"]), tuple(staff)
    mailbox = rng.choice(vocab_orgs.MAILBOXES[_LANGUAGE.get(country, "EN")])
    return mailbox, tuple(f"{_latin_local(rng, country)}@{domain}" for _ in range(count))
