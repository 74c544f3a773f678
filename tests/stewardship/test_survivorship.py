"""Survivorship: the rules pick one value per field, in the order set, and
a steward's pick always wins."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from core.stewardship.survivorship import (
    RULES,
    Candidate,
    Rules,
    Survivor,
    conflicts,
    reason,
    survive,
)

RULES_DEFAULT = Rules({"*": list(RULES)}, ["展会名片", "门店登记"], frozenset({"mobile"}))


def cand(value: str, record: int, *, field: str = "name", status: str = "valid",
         channel: str = "官网表单", when: str = "2025-01-01") -> Candidate:  # fmt: skip
    return Candidate(field, value, status, record, channel, when)


def winner(cands: list[Candidate], rules: Rules = RULES_DEFAULT) -> Survivor:
    return next(s for s in survive(cands, rules) if s.is_primary)


def test_a_valid_value_beats_an_invalid_one_whatever_else():
    got = winner([cand("138", 1, status="invalid", channel="展会名片", when="2026-06-01"),
                  cand("张伟", 2, when="2020-01-01")])  # fmt: skip
    assert (got.value, got.record_id, got.rule) == ("张伟", 2, "valid")


def test_the_trusted_channel_wins_among_valid_values():
    got = winner([cand("张伟", 1, channel="客服热线", when="2026-06-01"),
                  cand("張偉", 2, channel="展会名片")])  # fmt: skip
    assert (got.value, got.rule) == ("張偉", "source")


def test_the_most_recent_record_wins_when_channels_tie():
    got = winner([cand("a", 1, when="2024-05-01"), cand("b", 2, when="2025-05-01 10:00"),
                  cand("c", 3, when="2025-05-01")])  # fmt: skip
    assert (got.value, got.rule) == ("b", "recent")


def test_the_rule_order_is_the_settings_order():
    cands = [cand("短", 1, when="2026-01-01"), cand("长得多的值", 2, when="2020-01-01")]
    complete_first = Rules({"name": ["complete", "recent"]}, [], frozenset())
    assert winner(cands, complete_first).value == "长得多的值"
    assert winner(cands, Rules({"name": ["recent", "complete"]}, [], frozenset())).value == "短"


def test_the_value_most_records_hold_wins_by_frequency():
    cands = [cand("x", 1), cand("y", 2), cand("y", 3)]
    got = winner(cands, Rules({"*": ["frequent"]}, [], frozenset()))
    assert (got.value, got.record_id, got.rule) == ("y", 2, "frequent")


def test_a_multi_valued_field_keeps_every_valid_value_with_one_primary():
    cands = [cand("+861", 1, field="mobile", channel="展会名片"), cand("+862", 2, field="mobile"),
             cand("+863", 3, field="mobile", status="invalid")]  # fmt: skip
    kept = [(s.value, s.is_primary) for s in survive(cands, RULES_DEFAULT)]
    assert kept == [("+861", True), ("+862", False)]


def test_a_steward_pick_wins_and_says_so():
    pin = Survivor("name", "张 伟", 2, "manual", True, "wang")
    got = survive([cand("张伟", 1, channel="展会名片"), cand("张 伟", 2)], RULES_DEFAULT,
                  {"name": [pin]})  # fmt: skip
    assert [(s.value, s.rule, s.chosen_by) for s in got] == [("张 伟", "manual", "wang")]


def test_conflicts_list_each_disagreeing_field_with_its_values_best_first():
    found = conflicts([cand("张伟", 1, channel="展会名片"), cand("张玮", 2),
                       cand("+861", 1, field="mobile"), cand("+861", 2, field="mobile")],
                      RULES_DEFAULT)  # fmt: skip
    assert [(c.field, [v for v, _ in c.values], c.chosen, c.rule) for c in found] == [
        ("name", ["张伟", "张玮"], "张伟", "source")
    ]


def test_every_rule_has_a_reason_in_both_languages():
    for rule in (*RULES, "only", "tie", "manual", "edit"):
        assert reason(rule, "en") != rule and reason(rule, "zh") != rule


values = st.sampled_from(["张伟", "張偉", "王芳", "", "138"])
candidates = st.lists(
    st.builds(Candidate, st.sampled_from(["name", "mobile"]), values,
              st.sampled_from(["valid", "partial", "invalid"]), st.integers(1, 6),
              st.sampled_from(["展会名片", "客服热线", "x"]),
              st.sampled_from(["", "2024-01-01", "2025-06-30 08:00"])),
    max_size=12,
)  # fmt: skip


@given(candidates, st.randoms(use_true_random=False))
def test_survivors_do_not_depend_on_the_order_of_the_records(cands, rnd: random.Random):
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert survive(cands, RULES_DEFAULT) == survive(shuffled, RULES_DEFAULT)


@given(candidates)
def test_every_survivor_is_a_members_value_and_each_field_has_one_primary(cands):
    got = survive(cands, RULES_DEFAULT)
    held = {(c.field, c.value, c.record_id) for c in cands}
    assert all((s.field, s.value, s.record_id) in held for s in got)
    fields = {c.field for c in cands if c.value}
    assert sorted(s.field for s in got if s.is_primary) == sorted(fields)
