"""Tests for the synthetic organisations (core.synthetic.orgs and friends)."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter, defaultdict

import pytest
from stdnum.au import acn
from stdnum.cn import uscc
from stdnum.de import handelsregisternummer
from stdnum.fr import siren
from stdnum.it import iva
from stdnum.jp import cn as jp_corporate
from stdnum.us import ein

from core.synthetic import regids
from core.synthetic.org_names import CnName, LatinName, english, registered
from core.synthetic.org_records import (
    ORG_CHANNELS,
    ORG_FIELDS,
    RECORDS_PER_ORG,
    make_org_record,
    pick_org_channel,
)
from core.synthetic.orgs import Org, OrgPopulation
from core.synthetic.people import Population

ORGS = 4000
VALIDATORS = {
    "DE": handelsregisternummer.is_valid,
    "US": ein.is_valid,
    "FR": siren.is_valid,
    "IT": iva.is_valid,
    "AU": acn.is_valid,
    "JP": jp_corporate.is_valid,
    "NL": lambda n: bool(re.fullmatch(r"\d{8}", n)),
    "GB": lambda n: bool(re.fullmatch(r"(\d{8}|SC\d{6})", n)),
}
# Well-known real companies (and the Chinese names of some) that syllable
# brands could spell; the generator must never produce them.
REAL_COMPANIES = (
    "philips", "siemens", "huawei", "tencent", "alibaba", "apple", "google", "microsoft",
    "samsung", "sony", "toyota", "unilever", "shell", "heineken", "bosch", "nestle", "xiaomi",
    "lenovo", "bayer", "basf", "polaris", "solaris", "radeon",
)  # fmt: skip
REAL_CHINESE_BRANDS = {
    "华为",
    "腾讯",
    "小米",
    "联想",
    "思科",
    "汇丰",
    "万科",
    "中信",
    "海信",
    "中兴",
    "华润",
}


@pytest.fixture(scope="module")
def orgs() -> list[Org]:
    return list(itertools.islice(OrgPopulation(random.Random(17)), ORGS))


@pytest.fixture(scope="module")
def records(orgs: list[Org]) -> list[tuple[Org, dict[str, str]]]:
    rng = random.Random(18)
    return [
        (org, make_org_record(org, pick_org_channel(rng), rng))
        for org in orgs
        for _ in range(RECORDS_PER_ORG.pick(rng))
    ]


def test_the_uscc_check_character_agrees_with_python_stdnum() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        number = regids.uscc(rng, "440305")
        assert uscc.is_valid(number), number
        assert regids.org_code_check(number[8:16]) == number[16]  # GB 11714 inside
    assert regids.uscc_check("91110000600037341") == "L"


def test_every_chinese_company_has_a_valid_uscc_of_its_own(orgs: list[Org]) -> None:
    chinese = [o for o in orgs if o.country == "CN"]
    assert len(chinese) > ORGS // 2
    assert all(uscc.is_valid(o.reg_id) for o in chinese)
    assert len({o.reg_id for o in chinese}) == len(chinese)
    assert all(o.reg_id.startswith("91") for o in chinese)


@pytest.mark.parametrize("country", sorted(VALIDATORS))
def test_foreign_registration_numbers_have_the_registers_format(
    orgs: list[Org], country: str
) -> None:
    numbers = [o.reg_id for o in orgs if o.country == country]
    assert numbers, country
    assert all(VALIDATORS[country](n) for n in numbers), numbers[:5]


def test_most_uscc_in_records_are_valid_and_the_rest_are_one_slip_away(
    records: list[tuple[Org, dict[str, str]]],
) -> None:
    written = [(o, r["org_id"]) for o, r in records if o.country == "CN" and r.get("org_id")]
    compact = [(o, w.replace(" ", "").upper()) for o, w in written]
    valid = sum(uscc.is_valid(w) for _, w in compact)
    assert 0.95 <= valid / len(compact) < 1.0
    for org, w in compact:
        if w != org.reg_id:  # a typist's slip: one character off or two swapped
            assert len(w) == 18 and sum(a != b for a, b in zip(w, org.reg_id, strict=True)) <= 2


def test_branches_and_subsidiaries_are_different_entities_from_their_head(
    orgs: list[Org],
) -> None:
    by_id = {o.org_id: o for o in orgs}
    children = [o for o in orgs if o.parent_id]
    relations = Counter(o.relation for o in children)
    assert relations["branch"] >= 50 and relations["subsidiary"] >= 50
    for child in children:
        head = by_id[child.parent_id]
        assert head.relation == "head" and child.org_id != head.org_id
        assert child.reg_id != head.reg_id
        assert child.legal_name != head.legal_name
    branches = [o for o in children if o.relation == "branch"]
    assert all(o.legal_name.endswith("分公司") for o in branches)
    assert all(o.legal_name.startswith(by_id[o.parent_id].legal_name) for o in branches)
    # A branch is another city's office, mostly on the head's domain.
    assert sum(o.phone != by_id[o.parent_id].phone for o in branches) == len(branches)
    assert sum(o.domain == by_id[o.parent_id].domain for o in branches) / len(branches) > 0.7


def test_foreign_groups_have_chinese_and_foreign_subsidiaries_with_the_brand(
    orgs: list[Org],
) -> None:
    by_id = {o.org_id: o for o in orgs}
    subs = [o for o in orgs if o.relation == "subsidiary" and by_id[o.parent_id].country != "CN"]
    in_china = [o for o in subs if o.country == "CN"]
    abroad = [o for o in subs if o.country != "CN"]
    assert in_china and abroad
    for sub in in_china:
        assert isinstance(sub.name, CnName) and sub.name.bracket
        assert re.search(r"（.+）有限公司$", sub.legal_name)
        assert "(" in english(sub.name)  # Norvex Trading (Shanghai) Co., Ltd.
    assert any(isinstance(o.name, LatinName) and o.name.qualifier for o in abroad)


def test_unrelated_companies_share_brands_and_industry_words(orgs: list[Org]) -> None:
    entities_by_brand: dict[str, set[str]] = defaultdict(set)
    families_by_brand: dict[str, set[str]] = defaultdict(set)
    for o in orgs:
        entities_by_brand[o.name.brand].add(o.org_id)
        families_by_brand[o.name.brand].add(o.parent_id or o.org_id)
    assert sum(len(f) >= 2 for f in families_by_brand.values()) >= 50
    words = Counter(
        w for o in orgs for w in ("科技", "电子", "Technolog", "Holding") if w in o.legal_name
    )
    assert all(words[w] >= 10 for w in ("科技", "电子", "Technolog", "Holding")), words


def test_no_two_entities_share_a_registered_name_or_a_domain_outside_a_family(
    orgs: list[Org],
) -> None:
    assert len({o.legal_name for o in orgs}) == len(orgs)
    family_of_domain: dict[str, set[str]] = defaultdict(set)
    for o in orgs:
        if o.domain:
            family_of_domain[o.domain].add(o.parent_id or o.org_id)
    assert all(len(f) == 1 for f in family_of_domain.values())


def test_company_names_are_invented(orgs: list[Org]) -> None:
    names = " ".join(f"{o.legal_name} {english(o.name)} {o.domain}" for o in orgs).lower()
    assert not [real for real in REAL_COMPANIES if real in names]
    brands = {o.name.brand for o in orgs} | {o.name.brand.lower() for o in orgs}
    brands |= {o.name.brand_py for o in orgs if isinstance(o.name, CnName)}
    assert not brands & (REAL_CHINESE_BRANDS | {"huawei", "huarun", "wanke", "sike", "huifeng"})


def test_duplicate_records_of_one_organisation_are_written_differently(
    records: list[tuple[Org, dict[str, str]]],
) -> None:
    by_org: dict[str, list[dict[str, str]]] = defaultdict(list)
    for org, record in records:
        by_org[org.org_id].append(record)
    pairs = [p for recs in by_org.values() for p in itertools.combinations(recs, 2)]
    differ = sum(a["company"] != b["company"] for a, b in pairs)
    assert differ / len(pairs) >= 0.6
    phones = [(a["phone"], b["phone"]) for a, b in pairs if a.get("phone") and b.get("phone")]
    assert sum(x != y for x, y in phones) / len(phones) >= 0.3
    written = {r["company"] for _, r in records}
    assert any(
        re.search(r"(Co\., ?Ltd|Limited|GmbH|B\.?V|N\.?V|Inc|LLC|株式会社)", w) for w in written
    )
    assert any(w.isupper() and w.isascii() for w in written)  # KONINKLIJKE … N.V. style
    assert any("（" in w for w in written) and any("(" in w for w in written)
    assert {r["customer_type"] for _, r in records} == {"企业", "company"}


def test_records_only_use_organisation_fields_and_every_channel_is_used(
    records: list[tuple[Org, dict[str, str]]],
) -> None:
    assert all(set(r) <= set(ORG_FIELDS) and r["company"] for _, r in records)
    channels_seen = Counter()
    rng = random.Random(2)
    for _ in range(500):
        channels_seen[pick_org_channel(rng)] += 1
    assert set(channels_seen) == set(ORG_CHANNELS)
    invoices = [
        r
        for _, r in records
        if r.get("address") and re.search(r" \+?[\d(][\d ()-]{7,}$", r["address"])
    ]
    assert invoices  # 发票抬头: address and phone in one field


def test_the_demo_employers_become_accounts_with_their_switchboard() -> None:
    population = Population(random.Random(4), 240)
    employers = population.companies[:10]
    orgs = list(itertools.islice(OrgPopulation(random.Random(5), employers), 40))
    heads = [o for o in orgs if not o.parent_id][:10]
    for company, org in zip(employers, heads, strict=True):
        assert org.legal_name == company.name
        assert org.phone.local == company.switchboard and org.domain == company.domain
    assert registered(heads[0].name) == population.companies[0].name
