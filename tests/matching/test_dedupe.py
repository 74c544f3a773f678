"""The one-shot `dedupe` and the `match`/`clusters` commands keep their contract."""

from __future__ import annotations

import csv
import json

import pytest

from core.synthetic import generate_flat_csv
from tests.conftest import run_cli, write_csv


def rows_of(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_dedupe_writes_every_record_and_clusters_true_duplicates(tmp_path):
    source = generate_flat_csv(tmp_path / "f.csv", records=400, seed=5)
    out = tmp_path / "clusters.csv"
    done = run_cli("dedupe", str(source), "--out", str(out), "--id-column", "record_id")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    rows = rows_of(out)
    ids = [r["record_id"] for r in rows_of(source)]
    assert [r["record_id"] for r in rows] == ids  # every record, in file order
    assert summary["records"] == 400
    truth = {r["record_id"]: r["person_id"] for r in rows_of(tmp_path / "f_truth.csv")}
    cluster = {r["record_id"]: r["cluster_id"] for r in rows}
    together = [(a, b) for a in ids for b in ids if a < b and cluster[a] == cluster[b]]
    assert together, "some duplicates are found"
    right = sum(truth[a] == truth[b] for a, b in together)
    assert right / len(together) > 0.9


@pytest.mark.slow
def test_dedupe_without_an_id_column_numbers_rows_and_keeps_quarantined_ones(tmp_path):
    source = write_csv(tmp_path / "a.csv", [
        ["姓名", "手机", "城市"],
        ["张伟", "138 1234 5678", "北京"],
        ["", "", "上海"],  # no identifier: quarantined, still written
        ["張偉", "+86-13812345678", "北京"],
        ["李娜", "13912345678", "上海"],
    ])  # fmt: skip
    out = tmp_path / "c.csv"
    done = run_cli("dedupe", str(source), "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = {r["record_id"]: r["cluster_id"] for r in rows_of(out)}
    assert list(rows) == ["1", "2", "3", "4"]
    assert rows["2"] == "2"  # the quarantined row is its own cluster
    assert set(rows.values()) <= set(rows)


@pytest.mark.slow
def test_min_band_auto_keeps_a_subset_of_the_default_clusters(tmp_path):
    source = generate_flat_csv(tmp_path / "f.csv", records=300, seed=8)
    both, auto = tmp_path / "both.csv", tmp_path / "auto.csv"
    assert (
        run_cli("dedupe", str(source), "--out", str(both), "--id-column", "record_id").returncode
        == 0
    )
    assert run_cli("dedupe", str(source), "--out", str(auto), "--id-column", "record_id",
                   "--min-band", "auto").returncode == 0  # fmt: skip
    full = {r["record_id"]: r["cluster_id"] for r in rows_of(both)}
    strict = {r["record_id"]: r["cluster_id"] for r in rows_of(auto)}
    for a in strict:
        for b in strict:
            if a < b and strict[a] == strict[b]:
                assert full[a] == full[b]


@pytest.mark.slow
def test_match_prints_its_summary_and_clusters_lists_each_member(tmp_path):
    source = generate_flat_csv(tmp_path / "f.csv", records=300, seed=9)
    db = tmp_path / "s.db"
    assert run_cli("import", str(source), "--db", str(db), "--source", "web",
                   "--id-column", "record_id").returncode == 0  # fmt: skip
    done = run_cli("match", "--db", str(db))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"pairs_scored", "clusters_proposed", "auto_merge", "review", "seconds"} <= set(summary)
    assert summary["auto_merge"] + summary["review"] == summary["clusters_proposed"] > 0
    out = tmp_path / "clusters.csv"
    listed = run_cli("clusters", "--db", str(db), "--out", str(out))
    assert listed.returncode == 0, listed.stderr
    rows = rows_of(out)
    assert list(rows[0]) == ["record_id", "cluster_id", "band", "score"]
    assert len({r["cluster_id"] for r in rows}) == summary["clusters_proposed"]
    assert all(r["band"] in ("auto", "review") and 0 <= float(r["score"]) <= 1 for r in rows)
    again = json.loads(run_cli("match", "--db", str(db)).stdout.strip().splitlines()[-1])
    assert again["pairs_scored"] == 0


def test_dedupe_names_a_missing_file(tmp_path):
    done = run_cli("dedupe", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"))
    assert done.returncode == 2
    assert "nope.csv" in done.stderr
