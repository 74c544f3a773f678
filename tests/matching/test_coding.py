"""Coded profiles: equal values get equal codes, in one space per kind."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from core.matching.coding import Coded


def coded(**columns: list[str]) -> Coded:
    n = len(next(iter(columns.values())))
    return Coded.of(pd.DataFrame({"id": list(range(1, n + 1)), **columns}))


def test_an_empty_value_is_code_zero_and_a_mobile_is_the_same_in_either_column():
    c = coded(mob_a=["+861", "", "+862"], mob_b=["", "+861", "+861"])
    assert c.codes["mob_a"][1] == 0 and c.codes["mob_b"][0] == 0
    assert c.codes["mob_a"][0] == c.codes["mob_b"][1] == c.codes["mob_b"][2] > 0
    assert c.text("mob_b", c.codes["mob_b"][:0]).tolist() == []


def test_a_record_counts_once_per_value_even_in_two_columns():
    c = coded(spell=["huangjuan", "huangjuan", ""], wl=["huangjuan", "", "huangjuan"],
              spell_rev=["", "", ""], el=["", "", ""])  # fmt: skip
    counts = c.counts(("spell", "spell_rev", "wl", "el"))
    assert counts[c.codes["spell"][0]] == 3
    assert c.records_with(("spell", "wl")) == 3


@given(st.lists(st.sampled_from(["", "a", "b", "ab", "王伟", "王玮"]), min_size=1, max_size=30))
def test_codes_follow_the_sort_order_of_the_values_and_decode_back(values):
    c = coded(name=values)
    codes = c.codes["name"]
    assert [c.values["name"][x] for x in codes] == values
    for x, y, a, b in zip(codes, codes[1:], values, values[1:], strict=False):
        assert (x < y) == (a < b) and (x == y) == (a == b)
