"""The opt-in B2B part of the demo: company accounts and foreign customers.

``generate_demo(..., b2b=True)`` adds a seventh file, ``b2b_accounts.csv``
(channel 企业客户, the CRM's account list with Chinese export headers), and
Latin-script customers in the website form. Everything here draws from its
own random stream, so the six person files other than the website form are
byte-identical with and without ``b2b``, and the website form only gains
rows (its record ids are renumbered).

The first accounts are the employers of the demo's persons, so the
companies on the trade-show cards reappear as accounts, with their branches
and subsidiaries as separate accounts beside them.
"""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Sequence
from pathlib import Path

from core.synthetic import vocab
from core.synthetic.channels import WEBSITE, Channel, Record
from core.synthetic.latin import LatinPopulation
from core.synthetic.latin_records import RECORDS_PER_PERSON, make_latin_record
from core.synthetic.latin_records import WEB as LATIN_WEB
from core.synthetic.org_records import RECORDS_PER_ORG, make_org_record, pick_org_channel
from core.synthetic.orgs import OrgPopulation
from core.synthetic.people import Company

ACCOUNTS = Channel(
    key="b2b_accounts",
    name="企业客户",
    file_name="b2b_accounts.csv",
    encoding="utf-8-sig",
    id_column="客户编号",
    id_format="KH{:06d}",
    columns=(
        ("公司名称", "company"),
        ("统一社会信用代码", "org_id"),
        ("总机", "phone"),
        ("传真", "fax"),
        ("网址", "website"),
        ("邮箱", "email"),
        ("地址", "address"),
        ("省份", "province"),
        ("城市", "city"),
        ("区县", "district"),
        ("邮编", "postcode"),
        ("国家", "country"),
        ("客户类型", "customer_type"),
        ("创建时间", "created_at"),
        ("更新时间", "updated_at"),
    ),
)
"""The B2B channel file. 统一社会信用代码, 总机, 传真 and 网址 are meant for the
canonical fields ``org_id``, ``phone``, ``fax`` and ``website``."""

Tagged = tuple[Record, str]
"""A record and its entity id."""


class B2BDemo:
    """The B2B accounts and Latin-script website leads of one demo.

    Args:
        seed: The demo's seed; this part uses a stream derived from it.
        persons: The demo's person count; there is one organisation per ten
            persons (at least 20) and one Latin-script customer per twenty
            (at least 10).
        employers: The person population's companies; up to half of the
            organisations are these.
    """

    def __init__(self, seed: int, persons: int, employers: Sequence[Company]) -> None:
        self._rng = rng = random.Random(f"{seed}/b2b")
        self.organisations = max(20, persons // 10)
        self.latin_persons = max(10, persons // 20)
        adopt = employers[: self.organisations // 2]
        self.accounts: list[Tagged] = []
        for org in itertools.islice(OrgPopulation(rng, adopt), self.organisations):
            for _ in range(RECORDS_PER_ORG.pick(rng)):
                record = make_org_record(org, pick_org_channel(rng), rng)
                self.accounts.append((record, org.org_id))
        self.leads: list[Tagged] = []
        for person in itertools.islice(LatinPopulation(rng), self.latin_persons):
            for _ in range(RECORDS_PER_PERSON.pick(rng)):
                record = make_latin_record(person, LATIN_WEB, rng)
                record.pop("country", None)  # the form has no country field
                record["Campaign"] = rng.choice(vocab.WEB_CAMPAIGNS)
                self.leads.append((record, person.person_id))
        rng.shuffle(self.accounts)

    def merge(self, channel: Channel, rows: list[Tagged]) -> list[Tagged]:
        """``rows`` of ``channel`` with this part's leads spread among them."""
        if channel.key != WEBSITE.key:
            return rows
        merged = list(rows)
        for lead in self.leads:
            merged.insert(self._rng.randrange(len(merged) + 1), lead)
        return merged

    def write(self, out_dir: Path, truth: list[tuple[str, str, str]]) -> tuple[Path, int]:
        """Write ``b2b_accounts.csv`` and append its rows to ``truth``.

        Returns:
            The file's path and its row count.
        """
        path = out_dir / ACCOUNTS.file_name
        with open(path, "w", encoding=ACCOUNTS.encoding, newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(ACCOUNTS.headers)
            for n, (record, org_id) in enumerate(self.accounts, 1):
                record_id = ACCOUNTS.id_format.format(n)
                writer.writerow([record_id] + [record.get(k, "") for _, k in ACCOUNTS.columns])
                truth.append((ACCOUNTS.name, record_id, org_id))
        return path, len(self.accounts)
