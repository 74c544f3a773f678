"""The single-record check finds the stored customer behind a new entry."""

from __future__ import annotations

import csv

import pytest

from core.actors import Actor
from core.errors import NotFoundError
from core.ingest.importer import import_file
from core.matching.check import check_record
from core.matching.runs import run_match
from core.synthetic import generate_flat_csv
from tests.conftest import TODAY


def test_a_retyped_customer_is_found_first_with_a_reason(store, tmp_path):
    source = generate_flat_csv(tmp_path / "f.csv", records=500, seed=4)
    import_file(
        store, source, source="web", actor=Actor("t", "system"), id_column="record_id", today=TODAY
    )
    run_match(store)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = next(r for r in rows if r["mobile"].strip() and len(r["name"]) == 3)
    digits = "".join(ch for ch in target["mobile"] if ch.isdigit())[-11:]
    typed = {"name": target["name"], "mobile": f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"}
    found = check_record(store, typed)
    assert found, "the stored record is a candidate"
    assert found[0].source_record_id == target["record_id"] or any(
        c.source_record_id == target["record_id"] and c.score == found[0].score for c in found
    )
    assert found[0].band in ("auto", "review")
    assert "mobile" in found[0].reason_en and "手机" in found[0].reason_zh
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_a_stranger_has_no_likely_match(store, tmp_path):
    source = generate_flat_csv(tmp_path / "f.csv", records=300, seed=6)
    import_file(
        store, source, source="web", actor=Actor("t", "system"), id_column="record_id", today=TODAY
    )
    run_match(store)
    found = check_record(store, {"name": "欧阳娜娜", "mobile": "19999999999"})
    assert all(c.band == "no_match" for c in found)


def test_checking_before_any_match_run_says_what_to_do(store):
    with pytest.raises(NotFoundError, match="python -m core match"):
        check_record(store, {"name": "张伟"})
