"""Deterministic synthetic CRM data with ground truth.

A population of synthetic persons (households, colleagues, very common
names) is captured through six channels, each with its own file format and
habits, so that one person becomes several differently written records. The
ground truth (which record belongs to which person) is written next to the
data, never inside it, for measuring matching precision and recall.

Opt-in, two more populations: organisations (Chinese and foreign companies
with their branches and subsidiaries as separate entities, see
:mod:`core.synthetic.orgs`) and Latin-script customers abroad with
FEBRL-style mistakes (:mod:`core.synthetic.latin`). They reach files
through :func:`generate_kind_csv` (``orgs``, ``latin`` or ``mixed``) and
``generate_demo(..., b2b=True)``.

Example:
    >>> from pathlib import Path
    >>> from core.synthetic import generate_demo, generate_flat_csv, generate_kind_csv
    >>> files = generate_demo(Path("data/demo"), persons=2600)  # doctest: +SKIP
    >>> generate_flat_csv(Path("/tmp/bench.csv"), records=100_000)  # doctest: +SKIP
    >>> generate_kind_csv(Path("/tmp/mixed.csv"), kind="mixed", records=100_000)  # doctest: +SKIP

Nothing here describes a real person or company: names, numbers, ids,
companies and street addresses are generated; only place names, postcode
shapes, telephone area and country codes and legal forms are real.
"""

from __future__ import annotations

from core.synthetic.b2b_demo import ACCOUNTS
from core.synthetic.channels import CHANNELS, EXTRA_COLUMNS, Channel
from core.synthetic.kinds import KINDS, generate_kind_csv
from core.synthetic.latin import LatinPerson, LatinPopulation
from core.synthetic.orgs import Org, OrgPopulation
from core.synthetic.people import Person, Population, id_check_digit
from core.synthetic.writer import (
    DEFAULT_SEED,
    FLAT_FIELDS,
    ChannelFile,
    generate_demo,
    generate_flat_csv,
)

__all__ = [
    "ACCOUNTS",
    "CHANNELS",
    "DEFAULT_SEED",
    "EXTRA_COLUMNS",
    "FLAT_FIELDS",
    "KINDS",
    "Channel",
    "ChannelFile",
    "LatinPerson",
    "LatinPopulation",
    "Org",
    "OrgPopulation",
    "Person",
    "Population",
    "generate_demo",
    "generate_flat_csv",
    "generate_kind_csv",
    "id_check_digit",
]
