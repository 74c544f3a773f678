"""Flat CSVs of organisations, Latin-script persons, or everything mixed.

``crm`` is today's Chinese CRM file (:func:`core.synthetic.generate_flat_csv`,
unchanged byte for byte). ``orgs`` and ``latin`` write one kind each with
its canonical columns; ``mixed`` writes Chinese persons, Latin-script
persons and organisations in one file with the union of the columns, empty
where a field does not apply. Every kind writes ``<stem>_truth.csv`` with
``record_id,entity_id``; entity ids carry a letter per kind (``P``/``X``
Chinese persons and junk rows, ``L`` Latin-script persons, ``O``
organisations), so they never collide.

Each kind draws from its own random stream derived from the seed, so the
organisations of a mixed file are those of an ``orgs`` file of the same
seed and size, and changing one kind never shifts another.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from core.synthetic.latin import LatinPopulation
from core.synthetic.latin_records import (
    LATIN_FIELDS,
    RECORDS_PER_PERSON,
    make_latin_record,
    pick_latin_channel,
)
from core.synthetic.org_records import (
    ORG_FIELDS,
    RECORDS_PER_ORG,
    make_org_record,
    pick_org_channel,
)
from core.synthetic.orgs import OrgPopulation
from core.synthetic.writer import (
    DEFAULT_SEED,
    FLAT_FIELDS,
    Shuffler,
    crm_rows,
    generate_flat_csv,
    write_flat,
)

Row = tuple[dict[str, str], str, str]
"""A record, the channel (``source``) and the entity id."""

KINDS: tuple[str, ...] = ("crm", "orgs", "latin", "mixed")
DEFAULT_SHARES: tuple[float, float, float] = (0.7, 0.15, 0.15)
"""Row shares of Chinese persons, Latin-script persons and organisations."""
LATIN_HEADER: tuple[str, ...] = ("record_id", *LATIN_FIELDS, "source")
ORG_HEADER: tuple[str, ...] = ("record_id", *ORG_FIELDS, "source")
MIXED_HEADER: tuple[str, ...] = (
    "record_id", "name", "first_name", "last_name", "mobile", "phone", "fax", "email", "wechat",
    "website", "company", "title", "address", "province", "city", "district", "postcode",
    "country", "birth_date", "id_number", "org_id", "customer_type", "created_at", "updated_at",
    "last_contact_at", "source",
)  # fmt: skip
_CRM_FIELDS = frozenset(FLAT_FIELDS[1:-1])


def org_rows(rng: random.Random, records: int) -> Iterator[Row]:
    """Exactly ``records`` organisation records, organisation by organisation."""
    orgs = iter(OrgPopulation(rng))
    produced = 0
    while produced < records:
        org = next(orgs)
        count = min(RECORDS_PER_ORG.pick(rng), records - produced)
        for _ in range(count):
            channel = pick_org_channel(rng)
            yield make_org_record(org, channel, rng), channel, org.org_id
        produced += count


def latin_rows(rng: random.Random, records: int) -> Iterator[Row]:
    """Exactly ``records`` Latin-script person records, person by person."""
    people = iter(LatinPopulation(rng))
    produced = 0
    while produced < records:
        person = next(people)
        count = min(RECORDS_PER_PERSON.pick(rng), records - produced)
        for _ in range(count):
            channel = pick_latin_channel(rng)
            yield make_latin_record(person, channel, rng), channel, person.person_id
        produced += count


def _crm_only(rng: random.Random, records: int) -> Iterator[Row]:
    """Chinese CRM rows restricted to the columns of the ``crm`` kind."""
    for record, source, entity in crm_rows(rng, records):
        yield {k: v for k, v in record.items() if k in _CRM_FIELDS}, source, entity


def quotas(records: int, shares: tuple[float, float, float]) -> tuple[int, int, int]:
    """Split ``records`` by ``shares`` (largest remainder; sums to ``records``).

    Example:
        >>> quotas(10, (0.7, 0.15, 0.15))
        (7, 2, 1)
    """
    total = sum(shares)
    if total <= 0 or min(shares) < 0:
        raise ValueError(f"shares must be non-negative and not all zero, got {shares}")
    exact = [records * s / total for s in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(3), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: records - sum(counts)]:
        counts[i] += 1
    return counts[0], counts[1], counts[2]


def _stream(seed: int, kind: str) -> random.Random:
    # A string seed is hashed with SHA-512, so this is stable across runs.
    return random.Random(f"{seed}/{kind}")


def generate_kind_csv(
    out: Path,
    *,
    kind: str,
    records: int,
    seed: int = DEFAULT_SEED,
    shares: tuple[float, float, float] = DEFAULT_SHARES,
) -> Path:
    """Write exactly ``records`` rows of one kind, plus ``<stem>_truth.csv``.

    Args:
        out: Target CSV path (UTF-8, no BOM); its directory must exist.
        kind: One of :data:`KINDS`. ``crm`` is :func:`generate_flat_csv`.
        records: Exact number of data rows.
        seed: Random seed; the same arguments give byte-identical files.
        shares: For ``mixed``: relative row shares of Chinese persons,
            Latin-script persons and organisations.

    Returns:
        ``out``.

    Raises:
        ValueError: ``kind`` is unknown or ``shares`` are all zero.

    Example:
        >>> generate_kind_csv(Path("/tmp/mixed.csv"), kind="mixed", records=1000)  # doctest: +SKIP
        PosixPath('/tmp/mixed.csv')
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "crm":
        return generate_flat_csv(out, records=records, seed=seed)
    streams: list[Iterator[Row]]
    if kind == "orgs":
        header, streams = ORG_HEADER, [org_rows(_stream(seed, "orgs"), records)]
    elif kind == "latin":
        header, streams = LATIN_HEADER, [latin_rows(_stream(seed, "latin"), records)]
    else:
        crm, latin, orgs = quotas(records, shares)
        header = MIXED_HEADER
        streams = [
            _crm_only(_stream(seed, "crm"), crm),
            latin_rows(_stream(seed, "latin"), latin),
            org_rows(_stream(seed, "orgs"), orgs),
        ]
    fields = header[1:-1]
    with Shuffler(out.parent, records, _stream(seed, "shuffle")) as shuffler:
        for stream in streams:
            for record, source, entity in stream:
                shuffler.add([record.get(f, "") for f in fields] + [source, entity])
        write_flat(out, header, ("record_id", "entity_id"), shuffler.drain(), records)
    return out
