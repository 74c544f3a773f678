"""The synthetic organisations: companies, their branches and subsidiaries.

Every organisation is one legal entity with one ``org_id`` (``O0000001``):
the ground truth is about entities, so a 分公司 and a subsidiary are
*different* accounts from their parent even though they share the brand,
often the domain and sometimes the switchboard's area. Those families, and
unrelated companies that share a brand in another city (深圳市腾飞电子 /
广州市腾飞贸易), a near-identical brand in the same city (腾飞 / 腾辉) or just
an industry word (科技, Technology, Holdings), are the hard negatives.

Organisations are yielded one family at a time from one random stream and
never kept, apart from a bounded pool of recent names to borrow brands from
and the set of registered names and domains that keeps them unique.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from core.synthetic import intl, regids, vocab, vocab_orgs
from core.synthetic.intl import ForeignAddress
from core.synthetic.org_names import CnName, OrgName, registered
from core.synthetic.org_naming import NameBook
from core.synthetic.org_staff import staff_mailboxes
from core.synthetic.people import (
    WINDOW_SECONDS,
    WINDOW_START,
    Address,
    Company,
    Weighted,
    make_local_number,
    random_address,
)
from core.synthetic.vocab import City
from core.synthetic.vocab_world import COUNTRIES

HEAD_COUNTRIES = Weighted(
    ["CN", "US", "DE", "NL", "GB", "JP", "FR", "IT", "AU"], [72, 6, 5, 4, 4, 4, 2, 1.5, 1.5]
)
FAMILY_RATE = 0.2
MOVED_RATE = 0.12
NO_DOMAIN_RATE = 0.2  # small Chinese firms: a QQ mailbox and no website
_CHILDREN = Weighted([1, 2, 3, 4, 5], [0.45, 0.25, 0.15, 0.1, 0.05])


class Line(NamedTuple):
    """A telephone line: area code (with the 0 in China, without abroad) and
    the local number, digits only."""

    area: str
    local: str


@dataclass(frozen=True, slots=True)
class Org:
    """One organisation: the unit the ground truth identifies.

    Attributes:
        org_id: Entity id, ``O`` and seven digits.
        country: ISO code of the country of registration (CN for a foreign
            group's Chinese subsidiary).
        relation: ``standalone``, ``head`` (has branches or subsidiaries),
            ``branch`` (分公司) or ``subsidiary``.
        parent_id: The head's ``org_id`` for a branch or subsidiary, else "".
        name: Name parts; :func:`registered` gives the legal name.
        reg_id: USCC in China, the national register's number abroad.
        phone: Switchboard.
        fax: Fax line, or None.
        domain: Web and mail domain, or "" (no website).
        mailbox: Role mailbox at the domain (info, sales …), or a webmail
            address when there is no domain.
        contacts: Staff mailboxes that show up on cards and forms.
        address: Office address.
        postcode: Postcode of the office.
        old_address: Address before a move, or None.
        old_phone: Switchboard before the move, or None.
        moved_on: When it moved, or None.
    """

    org_id: str
    country: str
    relation: str
    parent_id: str
    name: OrgName
    reg_id: str
    phone: Line
    fax: Line | None
    domain: str
    mailbox: str
    contacts: tuple[str, ...]
    address: Address | ForeignAddress
    postcode: str
    old_address: Address | ForeignAddress | None
    old_phone: Line | None
    moved_on: datetime | None

    @property
    def legal_name(self) -> str:
        """The registered name."""
        return registered(self.name)

    @property
    def email(self) -> str:
        """The role mailbox as an address."""
        return f"{self.mailbox}@{self.domain}" if self.domain else self.mailbox


class OrgPopulation:
    """An endless stream of organisations, family by family (head first).

    Args:
        rng: The random stream; the caller owns the seed.
        adopt: Employers of the person population to start with, so that
            the B2B accounts of a demo are the companies on its business
            cards; each becomes a Chinese company with the same name, seat,
            switchboard and domain.

    Example:
        >>> orgs = iter(OrgPopulation(random.Random(7)))
        >>> next(orgs).org_id
        'O0000001'
    """

    def __init__(self, rng: random.Random, adopt: Sequence[Company] = ()) -> None:
        self._rng = rng
        # Employers are drawn from syllables too; leave out any that spell a famous brand.
        famous = vocab_orgs.FAMOUS_BRANDS
        self._adopt = [c for c in adopt if c.brand not in famous and c.brand_py not in famous]
        self._count = 0
        self._book = NameBook(rng)
        self._domains: set[str] = {c.domain for c in self._adopt}

    def __iter__(self) -> Iterator[Org]:
        for company in self._adopt:
            yield from self._family(self._book.adopt(company), company)
        while True:
            yield from self._family(self._book.head(HEAD_COUNTRIES.pick(self._rng)))

    def _family(self, name: OrgName, employer: Company | None = None) -> Iterator[Org]:
        rng = self._rng
        children = _CHILDREN.pick(rng) if rng.random() < FAMILY_RATE else 0
        head = self._org(name, "head" if children else "standalone", None, employer)
        yield head
        for _ in range(children):
            yield self._child(head)

    def _child(self, head: Org) -> Org:
        name = self._book.child(head.name)
        relation = "branch" if isinstance(name, CnName) and name.branch else "subsidiary"
        return self._org(name, relation, head)

    # --- the entity ----------------------------------------------------------

    def _org(
        self, name: OrgName, relation: str, head: Org | None, employer: Company | None = None
    ) -> Org:
        rng = self._rng
        self._count += 1
        org_id = f"O{self._count:07d}"
        if isinstance(name, CnName):
            city = name.branch or name.city
            county = rng.choice(vocab.ID_AREAS[city.id_prefix])
            reg_id = regids.uscc(rng, county)
            phone = self._cn_line(city)
            old_phone = self._cn_line(city)
            address: Address | ForeignAddress = random_address(rng, city, office=True)
            old: Address | ForeignAddress | None = random_address(rng, city, office=True)
            postcode = vocab_orgs.CN_POSTCODES[city.name] + f"{rng.randrange(100):03d}"
            stem, country = name.brand_py, "CN"
        else:
            country = name.country
            where = COUNTRIES[country]
            foreign_city = intl.pick_city(rng, where)
            reg_id = regids.registration(rng, country, foreign_city.name, name.legal.written[0])
            phone, old_phone = (
                Line(line.area, line.local)
                for line in (intl.landline(rng, where, foreign_city) for _ in range(2))
            )
            address = intl.random_address(rng, where, foreign_city, office=True)
            old = intl.random_address(rng, where, foreign_city, office=True)
            postcode = address.postcode
            stem = (name.brand_alt if country == "JP" else name.brand).lower()
        if employer is not None:  # the company on the demo's business cards
            phone = Line(employer.city.area_code, employer.switchboard)
            address, domain = employer.address, employer.domain
        else:
            domain = self._domain(name, stem, head, rng)
        fax = None
        if rng.random() < (0.45 if country == "CN" else 0.25):
            tail = int(phone.local[-2:]) + rng.choice((1, 1, 2, 10))
            fax = Line(phone.area, phone.local[:-2] + f"{tail % 100:02d}")
        mailbox, contacts = staff_mailboxes(rng, country, domain)
        moved = rng.random() < MOVED_RATE
        return Org(
            org_id=org_id,
            country=country,
            relation=relation,
            parent_id=head.org_id if head else "",
            name=name,
            reg_id=reg_id,
            phone=phone,
            fax=fax,
            domain=domain,
            mailbox=mailbox,
            contacts=contacts,
            address=address,
            postcode=postcode,
            old_address=old if moved else None,
            old_phone=old_phone if moved else None,
            moved_on=(
                WINDOW_START + timedelta(seconds=rng.randrange(WINDOW_SECONDS)) if moved else None
            ),
        )

    def _cn_line(self, city: City) -> Line:
        return Line(city.area_code, make_local_number(self._rng, city, pretty=True))

    def _domain(self, name: OrgName, stem: str, head: Org | None, rng: random.Random) -> str:
        """A unique domain; branches mostly share their head's (or its lack
        of one), subsidiaries sometimes; small Chinese firms have none."""
        if head is not None:
            branch = isinstance(name, CnName) and name.branch is not None
            if rng.random() < (0.9 if branch else 0.4) and (branch or head.domain):
                return head.domain
        elif isinstance(name, CnName) and rng.random() < NO_DOMAIN_RATE:
            return ""
        country = "CN" if isinstance(name, CnName) else name.country
        stem = "".join(ch for ch in stem if ch.isascii() and ch.isalnum())
        if country == "CN":
            stem += rng.choice(("", "", "tech", "group", "-china"))
        tld = rng.choice(vocab_orgs.TLDS[country])
        # Domains are unique in reality; a latecomer takes a longer one.
        for domain in (
            stem + tld,
            f"{stem}-{country.lower()}{tld}",
            f"{stem}group{tld}",
            f"{stem}-online{tld}",
            f"my{stem}{tld}",
        ):
            if domain not in self._domains:
                break
        else:
            n = 2
            while f"{stem}{n}{tld}" in self._domains:
                n += 1
            domain = f"{stem}{n}{tld}"
        self._domains.add(domain)
        return domain
