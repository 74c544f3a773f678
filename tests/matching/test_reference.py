"""The reference model: matching a store too small to learn from."""

from __future__ import annotations

import csv

import pytest

from core.matching import reference
from core.matching.dedupe import dedupe_file


@pytest.mark.slow
def test_the_shipped_reference_model_is_the_one_the_code_builds_today():
    built, records = reference.build()
    shipped, shipped_records = reference.load()
    assert (built.version, records) == (shipped.version, shipped_records), (
        "rebuild it: python -m core.matching.reference --out core/matching/reference_model.json"
    )


def test_a_three_row_file_links_the_traditional_spelling_of_a_name(tmp_path):
    source = tmp_path / "tiny.csv"
    source.write_text("姓名,手机\n张伟,\n張偉,\n李娜,13912345678\n", encoding="utf-8")
    out = tmp_path / "clusters.csv"
    dedupe_file(source, out)
    with out.open(encoding="utf-8") as handle:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    assert clusters == {"1": "1", "2": "1", "3": "3"}


def test_a_smaller_store_expects_the_same_duplicates_per_record():
    small, large = reference.for_store(10), reference.for_store(10_000)
    assert small.prior > large.prior
    # both priors are stored to 6 significant digits
    assert abs(small.prior * 9 - large.prior * 9_999) < 1e-5 * large.prior * 9_999
    assert set(small.tf_mean) == {0.0}
