"""Blocking: candidate pairs are unique, lower id first, and complete
for every block within the size cap."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.actors import Actor
from core.ingest.importer import import_file
from core.matching.blocking import KEY_COLUMNS, KEYS, candidate_pairs
from core.matching.coding import Coded
from core.matching.profiles import load_profiles
from core.settings import Settings
from tests.conftest import TODAY, write_csv

SMALL = Settings({"blocking_max_block": 4, "blocking_window": 2})


def frame_of(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{c: "" for c in KEY_COLUMNS} | row for row in rows], columns=list(KEY_COLUMNS)
    )
    return frame.astype({"id": np.int64})


def blocks(frame: pd.DataFrame, key) -> dict[tuple[str, ...], set[int]]:
    """Key value -> ids, over every source of ``key`` (the oracle's view)."""
    found: dict[tuple[str, ...], set[int]] = {}
    for source in key.sources:
        for row in frame.itertuples(index=False):
            value = tuple(getattr(row, c) for c in source)
            if all(value):
                found.setdefault(value, set()).add(row.id)
    return found


def brute_force(frame: pd.DataFrame, max_block: int) -> set[tuple[int, int]]:
    """The oracle: all pairs sharing a key whose block is within the cap."""
    pairs = set()
    for key in KEYS:
        for ids in blocks(frame, key).values():
            if len(ids) <= max_block:
                pairs.update(combinations(sorted(ids), 2))
    return pairs


records = st.lists(
    st.fixed_dictionaries(
        {
            "mob_a": st.sampled_from(["", "+8613800000001", "+8613800000002", "+8613800000003"]),
            "mob_b": st.sampled_from(["", "+8613800000001", "+8613800000004"]),
            "email": st.sampled_from(["", "a@qq.com", "b@qq.com"]),
            "name_key": st.sampled_from(["", "wei wang", "na li"]),
            "city": st.sampled_from(["", "北京市", "上海市"]),
        }
    ),
    min_size=0,
    max_size=30,
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(records, st.randoms(use_true_random=False))
def test_pairs_are_unique_lower_id_first_and_complete_within_the_cap(rows, rnd):
    ids = list(range(1, len(rows) + 1))
    rnd.shuffle(ids)
    frame = frame_of([{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    pairs = candidate_pairs(Coded.of(frame), SMALL)
    got = list(zip(pairs["id_l"], pairs["id_r"], strict=True))
    assert all(left < right for left, right in got)
    assert len(got) == len(set(got))
    assert brute_force(frame, 4) <= set(got)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(records)
def test_each_pair_really_shares_every_key_its_bitmask_claims(rows):
    frame = frame_of([{**row, "id": i + 1} for i, row in enumerate(rows)]).set_index(
        "id", drop=False
    )
    for left, right, keys in candidate_pairs(Coded.of(frame), SMALL).itertuples(index=False):
        claimed = [k for bit, k in enumerate(KEYS) if keys & (1 << bit)]
        assert claimed
        for key in claimed:
            assert any({left, right} <= ids for ids in blocks(frame, key).values())


def test_an_oversized_block_yields_a_bounded_number_of_pairs_that_keeps_near_duplicates():
    # 300 colleagues share a switchboard; two of them are the same person.
    rows = [
        {
            "id": i,
            "land_a": "+861062345678",
            "skey": "wang",
            "name_key": f"person{i:03d} wang",
        }
        for i in range(1, 301)
    ]
    rows[299]["name_key"] = rows[0]["name_key"]
    pairs = candidate_pairs(
        Coded.of(frame_of(rows)), Settings({"blocking_max_block": 50, "blocking_window": 3})
    )
    assert len(pairs) <= 300 * 3 * 2  # the name key blocks too
    assert ((pairs["id_l"] == 1) & (pairs["id_r"] == 300)).any()


def test_keys_load_from_a_store_and_block_the_same_mobile_in_two_formats(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["姓名", "手机", "邮箱"],
            ["张伟", "138 1234 5678", ""],
            ["張偉", "+86-13812345678", "zw@qq.com"],
            ["李娜", "13912345678", "zw@qq.com"],
        ],
    )
    import_file(store, path, source="s", actor=Actor("t", "system"), today=TODAY)
    pairs = candidate_pairs(Coded.of(load_profiles(store)), Settings())
    by_pair = {(int(a), int(b)): int(k) for a, b, k in pairs.itertuples(index=False)}
    bit = {k.name: 1 << i for i, k in enumerate(KEYS)}
    assert by_pair[(1, 2)] & bit["mobile"]
    assert by_pair[(1, 2)] & bit["name"]  # 張偉 and 张伟 read alike
    assert not by_pair[(1, 2)] & bit["name_city"]  # no city, so name+city cannot block
    assert by_pair[(2, 3)] == bit["email"]
    assert (1, 3) not in by_pair


def test_incremental_blocking_pairs_only_new_records_with_everything(store, tmp_path):
    rows = [["姓名", "手机"]] + [["张伟", "13812345678"]] * 4
    import_file(
        store,
        write_csv(tmp_path / "a.csv", rows),
        source="s",
        actor=Actor("t", "system"),
        today=TODAY,
    )
    frame = load_profiles(store)
    pairs = candidate_pairs(Coded.of(frame), Settings(), new_ids=np.array([4]))
    assert sorted(zip(pairs["id_l"], pairs["id_r"], strict=True)) == [(1, 4), (2, 4), (3, 4)]
