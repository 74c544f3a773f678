"""Profiles: the columns matching reads, derived from standardized values."""

from __future__ import annotations

from core.matching.profiles import profiles_from_rows
from core.standardize.record import standardize_records


def profile(**raw: str) -> dict[str, str]:
    rows = standardize_records([raw], region="CN")
    return profiles_from_rows(rows, [raw]).iloc[0].to_dict()


def test_a_full_name_is_spelled_in_both_orders_for_handles_to_meet():
    p = profile(name="黄娟")
    assert {p["spell"], p["spell_rev"]} == {"huangjuan", "juanhuang"}
    assert profile(name="黄先生")["spell"] == ""  # a surname alone spells no one


def test_handles_keep_letters_and_digits_and_short_ones_are_left_out():
    p = profile(name="老黄", wechat="huangjuan_9858", email="Huang.Juan@QQ.com")
    assert (p["wh"], p["wl"]) == ("huangjuan9858", "huangjuan")
    assert (p["eh"], p["el"]) == ("huangjuan", "huangjuan")
    short = profile(name="张伟", email="zw@qq.com")
    assert short["eh"] == "" and short["el"] == ""


def test_a_wechat_id_that_is_a_mobile_number_counts_as_a_mobile():
    p = profile(name="王芳", wechat="13812345678")
    assert p["mob_a"] == "+8613812345678"
    both = profile(name="王芳", mobile="13900000000", wechat="13812345678")
    assert (both["mob_a"], both["mob_b"]) == ("+8613900000000", "+8613812345678")


def test_the_honorific_typed_with_the_name_states_the_sex():
    assert (profile(name="张先生")["gender"], profile(name="张先生")["gender_src"]) == ("M", "s")
    assert profile(name="李秀英")["gender_src"] == "l"
