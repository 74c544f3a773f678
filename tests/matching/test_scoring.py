"""Scores are symmetric and in [0, 1]; levels mean what they say; the model
is learnt from the data and is deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.matching.coding import Coded
from core.matching.comparisons import COMPARISONS, NULL, compare
from core.matching.evidence import CONTEXTS
from core.matching.model import Model
from core.matching.profiles import PROFILE_COLUMNS, profiles_from_rows
from core.matching.scoring import Scorer, train
from core.settings import Settings
from core.standardize.record import standardize_records

NAMES = [c.name for c in COMPARISONS]

VALUES = {
    "name": ["", "张伟", "张玮", "王伟", "zhang wei", "张先生"],
    "name_key": ["", "wei zhang", "wei wang"],
    "name_kind": ["", "chinese", "latin", "surname_only", "nickname"],
    "skey": ["", "zhang", "wang"],
    "han": ["", "1"],
    "full": ["", "1"],
    "key_first": ["", "wei", "zhang"],
    "key_mid": [""],
    "key_last": ["", "zhang", "wang"],
    "word": ["", "coco", "zhang"],
    "pet": ["", "玲", "伟"],
    "given_last": ["", "伟", "玲"],
    "given": ["", "伟", "玲"],
    "spell": ["", "zhangwei", "wangwei"],
    "spell_rev": ["", "weizhang"],
    "gender": ["", "M", "F"],
    "gender_src": ["", "s", "l"],
    "mob_a": ["", "+8613812345678", "+8613812345679", "+8613900000000"],
    "mob_b": ["", "+8613812345678"],
    "land_a": ["", "+861062345678"],
    "land_b": [""],
    "land_ext": ["", "801", "802"],
    "email": ["", "zw@qq.com", "zw@163.com", "info@acme.cn"],
    "email_role": ["", "1"],
    "wechat": ["", "wxid_abc"],
    "wh": ["", "zhangwei88", "13812345678"],
    "eh": ["", "zhangwei88"],
    "wl": ["", "zhangwei"],
    "el": ["", "zhangwei", "weizhang"],
    "id_number": ["", "110101199003077777", "110101199003077778"],
    "birth_date": ["", "1990-03-07", "1990-07-03", "1991-03-07"],
    "b_year": ["", "1990", "1991"],
    "b_month": ["", "03", "07"],
    "b_day": ["", "07", "03"],
    "company_key": ["", "阿克米", "阿克米科技"],
    "address_key": ["", "建国路88号", "建国路86号"],
    "district": ["", "朝阳区", "海淀区"],
    "city": ["", "北京市", "上海市"],
    "province": ["", "北京市"],
    "postcode": ["", "100000"],
}

profile = st.fixed_dictionaries({c: st.sampled_from(v) for c, v in VALUES.items()})


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=[c for c in PROFILE_COLUMNS if c != "id"])
    data.insert(0, "id", np.arange(1, len(rows) + 1, dtype=np.int64))
    return data


def toy_model() -> Model:
    m = tuple(
        tuple(np.linspace(0.9, 0.1, len(c.levels)) / sum(np.linspace(0.9, 0.1, len(c.levels))))
        for c in COMPARISONS
    )  # noqa: E501
    u = tuple(
        tuple(np.linspace(0.01, 0.9, len(c.levels)) / sum(np.linspace(0.01, 0.9, len(c.levels))))
        for c in COMPARISONS
    )  # noqa: E501
    context_u = tuple(
        tuple(u[NAMES.index(name)] for name in conditioned) for _, _, conditioned in CONTEXTS
    )
    return Model(prior=1e-4, m=m, u=u, context_u=context_u,
                 tf_records=tuple(100 for _ in COMPARISONS), tf_mean=tuple(0.05 for _ in COMPARISONS),
                 tf_max_bits=8.0, pairs=1, iterations=1)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(profile, min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_scores_are_symmetric_and_lie_between_zero_and_one(rows, rnd):
    data = frame(rows)
    scorer = Scorer(Coded.of(data), toy_model())
    n = len(rows)
    left = np.array([rnd.randrange(n) for _ in range(20)]) + 1
    right = np.array([rnd.randrange(n) for _ in range(20)]) + 1
    ab, ba = scorer.score(left, right), scorer.score(right, left)
    assert np.array_equal(ab.levels, ba.levels)
    assert np.allclose(ab.bits, ba.bits)
    assert np.array_equal(ab.score, ba.score)
    assert ((ab.score >= 0) & (ab.score <= 1)).all()


def levels_of(a: dict[str, str], b: dict[str, str]) -> dict[str, str]:
    """The levels of two records typed as raw fields, through the real
    standardizers and profile derivation."""
    rows = standardize_records([a, b], region="CN")
    coded = Coded.of(profiles_from_rows(rows, [a, b]))
    levels, _ = compare(coded, np.array([0]), np.array([1]))
    return {n: ("null" if lv == NULL else COMPARISONS[k].levels[lv])
            for k, (n, lv) in enumerate(zip(NAMES, levels[0], strict=True))}  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "comparison", "level"),
    [
        ({"name": "张伟"}, {"name": "Zhang Wei"}, "name", "same_reading"),
        ({"name": "张伟"}, {"name": "張偉"}, "name", "exact"),
        ({"name": "张伟明"}, {"name": "张卫东"}, "name", "same_surname"),
        ({"name": "张先生"}, {"name": "张伟"}, "name", "surname_only"),
        ({"name": "玲玲"}, {"name": "孙秀玲"}, "name", "pet_name"),
        ({"name": "Iris"}, {"name": "Iris Li"}, "name", "pet_name"),
        ({"name": "晴天"}, {"name": "晴天"}, "name", "same_nickname"),
        ({"name": "晴天"}, {"name": "孙秀玲"}, "name", "null"),
        ({"name": "老黄", "wechat": "huangjuan_9858"}, {"name": "黄娟"}, "handle", "spells_name"),
        ({"email": "shaoxin@a.cn"}, {"email": "shaoxin@b.cn"}, "handle", "same_handle"),
        ({"name": "老黄", "email": "3112595031@qq.com"}, {"name": "黄娟"}, "handle", "null"),
        ({"name": "黄娟", "wechat": "huangjuan_9858"}, {"name": "黄娟", "email": "hj@qq.com"},
         "handle", "null"),
        ({"name": "张先生"}, {"name": "张女士"}, "gender", "other_stated"),
        ({"name": "张先生"}, {"name": "张丽娜"}, "gender", "other_likely"),
        ({"mobile": "138 1234 5678"}, {"mobile": "13900000000", "phone": "+86-13812345678"},
         "mobile", "same"),
        ({"mobile": "13812345678"}, {"mobile": "13812345679"}, "mobile", "one_digit"),
        ({"name": "王芳", "wechat": "13812345678"}, {"mobile": "13812345678"}, "mobile", "same"),
        ({"phone": "010-62345678 转 801"}, {"phone": "010-62345678 转 802"},
         "landline", "other_extension"),
        ({"email": "info@acme.cn"}, {"email": "info@acme.cn"}, "email", "shared_mailbox"),
        ({"email": "wz@qq.con"}, {"email": "wz@qq.com"}, "email", "one_typo"),
        ({"birth_date": "1990-03-07"}, {"birth_date": "1990-07-03"}, "birth_date", "day_month_swapped"),
        ({"address": "北京市朝阳区建国路88号"}, {"address": "北京市海淀区建国路88号"},
         "address", "different"),
        ({"city": "北京市"}, {"email": "x@y.cn"}, "location", "null"),
    ],
    ids=["script", "traditional", "household", "honorific", "pet-name", "english-given-name",
         "same-screen-name", "screen-name-vs-name", "wechat-spells-name",
         "mailbox-name-at-two-domains", "qq-number-spells-no-name", "handles-of-one-name",
         "mr-and-ms", "mr-and-a-womans-name", "mobile-in-phone-column", "mobile-typo",
         "wechat-id-is-a-mobile", "switchboard", "info-mailbox", "email-typo", "day-month-swap",
         "same-street-other-district", "one-side-missing"],
)  # fmt: skip
def test_comparison_levels_mean_what_they_say(a, b, comparison, level):
    assert levels_of(a, b)[comparison] == level


def test_namesakes_in_their_thousands_do_not_teach_that_duplicates_change_mobiles():
    blank = {c: "" for c in VALUES}
    rows = []
    for i in range(200):  # 200 customers with two records each: same name, same mobile
        person = blank | {"name": f"客户{i}", "name_key": f"kehu{i} x", "name_kind": "chinese",
                          "full": "1", "han": "1", "mob_a": f"+86138{i:08d}"}  # fmt: skip
        rows += [person, dict(person)]
    for i in range(2000):  # 2000 pairs of namesakes, each with a mobile of their own
        for mobile in (f"+86139{i:08d}", f"+86137{i * 7919 % 10**8:08d}"):
            rows.append(blank | {"name": f"名{i}", "name_key": f"ming{i} y", "full": "1",
                                 "name_kind": "chinese", "han": "1", "mob_a": mobile})  # fmt: skip
    left = np.arange(0, len(rows), 2)  # the candidates: every same-name pair
    model = train(Coded.of(frame(rows)), left, left + 1, Settings())
    k = NAMES.index("mobile")
    assert model.m[k][COMPARISONS[k].levels.index("different")] < 0.05
    expected_duplicates = model.prior * len(rows) * (len(rows) - 1) / 2
    assert 150 < expected_duplicates < 300
