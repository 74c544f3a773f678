"""Deterministic synthetic Chinese CRM data with ground truth.

A population of synthetic persons (households, colleagues, very common
names) is captured through six channels, each with its own file format and
habits, so that one person becomes several differently written records. The
ground truth (which record belongs to which person) is written next to the
data, never inside it, for measuring matching precision and recall.

Example:
    >>> from pathlib import Path
    >>> from core.synthetic import generate_demo, generate_flat_csv
    >>> files = generate_demo(Path("data/demo"), persons=2600)  # doctest: +SKIP
    >>> generate_flat_csv(Path("/tmp/bench.csv"), records=100_000)  # doctest: +SKIP

Nothing here describes a real person: names, numbers, ids, companies and
street addresses are generated; only province, city and district names and
telephone area codes are real.
"""

from __future__ import annotations

from core.synthetic.channels import CHANNELS, EXTRA_COLUMNS, Channel
from core.synthetic.people import Person, Population, id_check_digit
from core.synthetic.writer import (
    DEFAULT_SEED,
    FLAT_FIELDS,
    ChannelFile,
    generate_demo,
    generate_flat_csv,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_SEED",
    "EXTRA_COLUMNS",
    "FLAT_FIELDS",
    "Channel",
    "ChannelFile",
    "Person",
    "Population",
    "generate_demo",
    "generate_flat_csv",
    "id_check_digit",
]
