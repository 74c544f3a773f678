"""Per-batch aggregates: computed once, reused, and never stale."""

from __future__ import annotations

import json

from core.actors import Actor
from core.ingest.importer import import_file
from core.ingest.recompute import restandardize
from core.ingest.tallies import FORMAT, Tally, batch_tallies, tally_where
from core.ops.config import set_setting
from tests.conftest import write_csv

ROWS = [["id", "姓名", "手机"], ["1", "张伟", "13812345678"], ["2", "李娜", "2345678"],
        ["3", "王芳", ""]]  # fmt: skip


def imported(store, tmp_path, rows=ROWS, name="a.csv"):
    result = import_file(store, write_csv(tmp_path / name, rows), source="官网表单",
                         actor=Actor("t", "system"), id_column="id")  # fmt: skip
    return result.batch_id


def cached(store):
    return dict(store.conn.execute("select batch_id, metrics from kpi_batch_cache").fetchall())


def test_a_batch_is_tallied_once_and_then_read_from_the_cache(store, tmp_path):
    batch = imported(store, tmp_path)
    first = batch_tallies(store, [batch])[batch]
    assert set(cached(store)) == {batch}
    # a forged cache entry is what the next call returns: proof it is not recomputed
    forged = json.loads(cached(store)[batch])
    forged["fields"]["mobile"][0] = 99
    with store.write() as db:
        db.execute("update kpi_batch_cache set metrics = ?", [json.dumps(forged)])
    assert batch_tallies(store, [batch])[batch].fields["mobile"]["present"] == 99
    assert first.fields["mobile"]["present"] == 2 and first.records == 3


def test_an_import_leaves_its_batch_tallied_so_no_reader_pays_for_it(store, tmp_path):
    batch = imported(store, tmp_path)
    assert Tally.from_json(cached(store)[batch]) == tally_where(store, "r.batch_id = ?", [batch])


def test_the_cached_tally_equals_a_live_count(store, tmp_path):
    batch = imported(store, tmp_path)
    again = tally_where(store, "r.batch_id = ?", [batch])
    assert batch_tallies(store, [batch])[batch] == again
    assert Tally.from_json(again.to_json()) == again


def test_restandardizing_drops_the_cache_so_new_values_are_counted(store, tmp_path):
    batch = imported(store, tmp_path)
    before = batch_tallies(store, [batch])[batch].fields["mobile"]["valid"]
    # read as Hong Kong numbers, the 7-digit one is still not a mobile, and the
    # mainland one (no +86) is not a Hong Kong number either
    set_setting(store, "default_region", "HK", actor=Actor("ops", "system"))
    restandardize(store, everything=True)
    assert cached(store) == {}
    after = batch_tallies(store, [batch])[batch].fields["mobile"]["valid"]
    assert (before, after) == (1, 0)


def test_an_entry_of_another_format_or_size_is_recomputed(store, tmp_path):
    batch = imported(store, tmp_path)
    batch_tallies(store, [batch])
    stale = json.loads(cached(store)[batch])
    stale["format"] = FORMAT - 1
    with store.write() as db:
        db.execute("update kpi_batch_cache set metrics = ?", [json.dumps(stale)])
    assert Tally.from_json(json.dumps(stale)) is None
    assert batch_tallies(store, [batch])[batch].records == 3
    assert json.loads(cached(store)[batch])["format"] == FORMAT


def test_a_batch_records_its_id_range_for_locating_records(store, tmp_path):
    one = imported(store, tmp_path)
    two = imported(store, tmp_path, [ROWS[0], ["9", "赵敏", "13711112222"]], name="b.csv")
    tallies = batch_tallies(store, [one, two])
    ids = [r for (r,) in store.conn.execute("select id from source_records order by id")]
    assert (tallies[one].first_id, tallies[one].last_id) == (ids[0], ids[2])
    assert (tallies[two].first_id, tallies[two].last_id) == (ids[3], ids[3])
