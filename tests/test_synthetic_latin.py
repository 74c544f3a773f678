"""Tests for the Latin-script persons (core.synthetic.latin, latin_records)."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter, defaultdict

import phonenumbers
import pytest

from core.synthetic import intl, typos
from core.synthetic.latin import LatinPerson, LatinPopulation
from core.synthetic.latin_records import (
    LATIN_CHANNELS,
    LATIN_FIELDS,
    RECORDS_PER_PERSON,
    make_latin_record,
    pick_latin_channel,
)
from core.synthetic.vocab_latin import FIRST_NAMES, SURNAMES
from core.synthetic.vocab_world import COUNTRIES

PERSONS = 5000


@pytest.fixture(scope="module")
def people() -> list[LatinPerson]:
    return list(itertools.islice(LatinPopulation(random.Random(21)), PERSONS))


@pytest.fixture(scope="module")
def records(people: list[LatinPerson]) -> list[tuple[LatinPerson, dict[str, str]]]:
    rng = random.Random(22)
    return [
        (person, make_latin_record(person, pick_latin_channel(rng), rng))
        for person in people
        for _ in range(RECORDS_PER_PERSON.pick(rng))
    ]


def test_names_come_from_the_tables_and_nobody_is_a_real_record(
    people: list[LatinPerson],
) -> None:
    firsts = {n for by in FIRST_NAMES.values() for names in by.values() for n, _ in names}
    lasts = {n for names in SURNAMES.values() for n in names}
    assert all(p.first in firsts and p.last in lasts for p in people)
    assert {p.country for p in people} == {"GB", "US", "DE", "NL", "FR", "AU"}


def test_every_mobile_is_a_possible_number_of_its_country(people: list[LatinPerson]) -> None:
    for person in people[:1000]:
        for style in intl.PHONE_STYLES:
            text = intl.phone_text(person.mobile, style)
            region = "CN" if style == "idd" else person.country  # 00-prefixed, dialled from China
            number = phonenumbers.parse(text, region)
            assert phonenumbers.is_possible_number(number), (person.country, style, text)
            assert number.country_code == int(COUNTRIES[person.country].dial)


def test_e_mail_addresses_belong_to_one_person_each(people: list[LatinPerson]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in people:
        for email in (p.email, p.email_old):
            if email:
                owners[email].add(p.person_id)
    assert all(len(o) == 1 for o in owners.values())


def test_namesakes_couples_and_twins_are_different_people(people: list[LatinPerson]) -> None:
    by_name: dict[tuple[str, str], list[LatinPerson]] = defaultdict(list)
    for p in people:
        by_name[(p.first, p.last)].append(p)
    namesakes = [group for group in by_name.values() if len(group) >= 2]
    assert len(namesakes) >= 100
    same_city = [g for g in namesakes if len({p.address.city.name for p in g}) < len(g)]
    assert len(same_city) >= 30
    by_home: dict[tuple[str, str], list[LatinPerson]] = defaultdict(list)
    for p in people:
        by_home[(p.address.street, p.address.postcode)].append(p)
    housemates = [g for g in by_home.values() if len(g) >= 2]
    assert len(housemates) >= 200
    assert any(
        len({p.birth for p in g}) == 1 and len({p.first for p in g}) == 2 for g in housemates
    )
    assert any(p.suffix == "Jr." for p in people)


def test_typos_are_one_edit_and_keep_the_first_letter() -> None:
    rng = random.Random(3)
    for kind in typos.KINDS:
        for _ in range(200):
            word = rng.choice(("London", "Robert", "Manchester", "Williams", "Amsterdam"))
            slipped = typos.typo(word, rng, kind)
            assert slipped[0] == word[0]
            assert abs(len(slipped) - len(word)) <= 1
    assert typos.typo("Al", rng) == "Al"


def test_duplicates_carry_febrl_style_variation(
    records: list[tuple[LatinPerson, dict[str, str]]],
) -> None:
    by_person: dict[str, list[dict[str, str]]] = defaultdict(list)
    for person, record in records:
        by_person[person.person_id].append(record)
    pairs = [p for recs in by_person.values() for p in itertools.combinations(recs, 2)]
    split = [(a, b) for a, b in pairs if a.get("first_name") and b.get("last_name")]
    swapped = [
        (a, b)
        for a, b in split
        if a["first_name"] == b.get("last_name") and a.get("last_name") == b["first_name"]
    ]
    assert len(swapped) >= 5
    shown = Counter()
    for person, record in records:
        first = record.get("first_name", "")
        if first and first in person.short:
            shown["nickname"] += 1
        if re.fullmatch(r"[A-Z]\.?", first):
            shown["initial"] += 1
        if record.get("city") and record["city"] != person.address.city.name:
            shown["city"] += 1
        if record.get("birth_date") and str(person.birth.year) not in record["birth_date"]:
            shown["birth year"] += 1
        if record.get("email") and record["email"] not in (person.email, person.email_old):
            shown["email"] += 1
    assert all(shown[k] >= 10 for k in ("nickname", "initial", "city", "birth year", "email")), (
        shown
    )
    differ = sum(
        (a.get("first_name"), a.get("last_name"), a.get("name"))
        != (b.get("first_name"), b.get("last_name"), b.get("name"))
        for a, b in pairs
    )
    assert differ / len(pairs) >= 0.5


def test_records_use_person_fields_and_always_carry_a_name_or_an_email(
    records: list[tuple[LatinPerson, dict[str, str]]],
) -> None:
    for _, record in records:
        assert set(record) <= set(LATIN_FIELDS)
        assert record.get("name") or record.get("first_name") or record.get("email")
    rng = random.Random(5)
    assert {pick_latin_channel(rng) for _ in range(500)} == set(LATIN_CHANNELS)
