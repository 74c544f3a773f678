"""normalize_name cleans a personal name for display and builds a matching
key that does not depend on script, token order or case."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.standardize import surnames
from core.standardize.name import REASONS, NameResult, normalize_name
from core.standardize.result import STATUSES
from core.standardize.text import is_blank

# (raw, value, status, reason, kind, surname, key)
CASES = [
    ("张伟", "张伟", "valid", "", "chinese", "张", "wei zhang"),
    ("張偉", "张伟", "valid", "", "chinese", "张", "wei zhang"),
    ("张 伟", "张伟", "valid", "", "chinese", "张", "wei zhang"),
    ("\u3000张伟\u200b", "张伟", "valid", "", "chinese", "张", "wei zhang"),
    ("欧阳娜娜", "欧阳娜娜", "valid", "", "chinese", "欧阳", "nana ouyang"),
    ("歐陽娜娜", "欧阳娜娜", "valid", "", "chinese", "欧阳", "nana ouyang"),
    ("司马相如", "司马相如", "valid", "", "chinese", "司马", "sima xiangru"),
    ("诸葛亮", "诸葛亮", "valid", "", "chinese", "诸葛", "liang zhuge"),
    ("尉迟恭", "尉迟恭", "valid", "", "chinese", "尉迟", "gong yuchi"),
    ("万俟卨", "万俟卨", "valid", "", "chinese", "万俟", "moqi xie"),
    ("长孙无忌", "长孙无忌", "valid", "", "chinese", "长孙", "wuji zhangsun"),
    ("单田芳", "单田芳", "valid", "", "chinese", "单", "shan tianfang"),
    ("曾国藩", "曾国藩", "valid", "", "chinese", "曾", "guofan zeng"),
    ("仇英", "仇英", "valid", "", "chinese", "仇", "qiu ying"),
    ("朴槿惠", "朴槿惠", "valid", "", "chinese", "朴", "jinhui piao"),
    ("翟天临", "翟天临", "valid", "", "chinese", "翟", "tianlin zhai"),
    ("陈李美玲", "陈李美玲", "valid", "", "chinese", "陈", "chen limeiling"),
    ("阿卜杜拉·买买提", "阿卜杜拉·买买提", "valid", "", "chinese", "买买提", "abodula maimaiti"),
    ("阿卜杜拉.买买提", "阿卜杜拉·买买提", "valid", "", "chinese", "买买提", "abodula maimaiti"),
    ("爱新觉罗·溥仪", "爱新觉罗·溥仪", "valid", "", "chinese", "爱新觉罗", "aixinjueluo puyi"),
    ("张伟先生", "张伟", "valid", "name.honorific_removed", "chinese", "张", "wei zhang"),
    ("欧阳娜娜女士", "欧阳娜娜", "valid", "name.honorific_removed", "chinese", "欧阳", "nana ouyang"),
    ("张伟(先生)", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("张伟-VIP", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("张伟【重要】", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("VIP张伟", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("★张伟★", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("张伟/销售部", "张伟", "valid", "name.decoration_removed", "chinese", "张", "wei zhang"),
    ("Zhang Wei", "Zhang Wei", "valid", "", "latin", "Zhang", "wei zhang"),
    ("ZHANG Wei", "Zhang Wei", "valid", "", "latin", "Zhang", "wei zhang"),
    ("Wei Zhang", "Wei Zhang", "valid", "", "latin", "Zhang", "wei zhang"),
    ("wei zhang", "Wei Zhang", "valid", "", "latin", "Zhang", "wei zhang"),
    ("Zhang, Wei", "Zhang Wei", "valid", "", "latin", "Zhang", "wei zhang"),
    ("Ｚｈａｎｇ　Ｗｅｉ", "Zhang Wei", "valid", "", "latin", "Zhang", "wei zhang"),
    ("Zhang Xiao Ming", "Zhang Xiao Ming", "valid", "", "latin", "Zhang", "xiaoming zhang"),
    ("Xiao Ming Zhang", "Xiao Ming Zhang", "valid", "", "latin", "Zhang", "xiaoming zhang"),
    ("ZHANG Xiaoming", "Zhang Xiaoming", "valid", "", "latin", "Zhang", "xiaoming zhang"),
    ("Shan Tianfang", "Shan Tianfang", "valid", "", "latin", "Shan", "shan tianfang"),
    ("O'BRIEN sean", "O'Brien Sean", "valid", "", "latin", "O'Brien", "obrien sean"),
    ("jean-luc picard", "Jean-Luc Picard", "valid", "", "latin", "Picard", "jeanluc picard"),
    ("Ronald McDonald", "Ronald McDonald", "valid", "", "latin", "McDonald", "mcdonald ronald"),
    ("José Álvarez", "José Álvarez", "valid", "", "latin", "Álvarez", "alvarez jose"),
    ("Lü Bu", "Lü Bu", "valid", "", "latin", "Lü", "bu lv"),
    ("吕布", "吕布", "valid", "", "chinese", "吕", "bu lv"),
    ("Mr. Wei Zhang", "Wei Zhang", "valid", "name.honorific_removed", "latin", "Zhang", "wei zhang"),
    ("Wei Zhang VIP", "Wei Zhang", "valid", "name.decoration_removed", "latin", "Zhang", "wei zhang"),
    ("John Smith III", "John Smith III", "valid", "", "latin", "Smith", "john smith"),
    ("王先生", "王先生", "partial", "name.surname_only", "surname_only", "王", "wang"),
    # WeChat display names: no known surname first, four characters after a
    # one-character surname, or one character twice (a pet form).
    ("晴天", "晴天", "partial", "name.nickname", "nickname", "", "qingtian"),
    ("追梦人", "追梦人", "partial", "name.nickname", "nickname", "", "zhuimengren"),
    ("静待花开", "静待花开", "partial", "name.nickname", "nickname", "", "jingdaihuakai"),
    ("🌸花开半夏", "花开半夏", "partial", "name.nickname", "nickname", "", "huakaibanxia"),
    ("玲玲", "玲玲", "partial", "name.nickname", "nickname", "", "ling"),
    ("李女士", "李女士", "partial", "name.surname_only", "surname_only", "李", "li"),
    ("张总", "张总", "partial", "name.surname_only", "surname_only", "张", "zhang"),
    ("刘经理", "刘经理", "partial", "name.surname_only", "surname_only", "刘", "liu"),
    ("陈老师", "陈老师", "partial", "name.surname_only", "surname_only", "陈", "chen"),
    ("赵小姐", "赵小姐", "partial", "name.surname_only", "surname_only", "赵", "zhao"),
    ("周医生", "周医生", "partial", "name.surname_only", "surname_only", "周", "zhou"),
    ("孙工", "孙工", "partial", "name.surname_only", "surname_only", "孙", "sun"),
    ("吴老板", "吴老板", "partial", "name.surname_only", "surname_only", "吴", "wu"),
    ("郑阿姨", "郑阿姨", "partial", "name.surname_only", "surname_only", "郑", "zheng"),
    ("黄sir", "黄sir", "partial", "name.surname_only", "surname_only", "黄", "huang"),
    ("單先生", "单先生", "partial", "name.surname_only", "surname_only", "单", "shan"),
    ("曾总", "曾总", "partial", "name.surname_only", "surname_only", "曾", "zeng"),
    ("欧阳先生", "欧阳先生", "partial", "name.surname_only", "surname_only", "欧阳", "ouyang"),
    ("老王", "老王", "partial", "name.surname_only", "surname_only", "王", "wang"),
    ("张某某", "张某某", "partial", "name.surname_only", "surname_only", "张", "zhang"),
    ("王", "王", "partial", "name.surname_only", "surname_only", "王", "wang"),
    ("Mr. Wang", "Mr. Wang", "partial", "name.surname_only", "surname_only", "Wang", "wang"),
    ("Ms Li", "Ms Li", "partial", "name.surname_only", "surname_only", "Li", "li"),
    ("Wang Sir", "Wang Sir", "partial", "name.surname_only", "surname_only", "Wang", "wang"),
    ("Mr 王", "Mr 王", "partial", "name.surname_only", "surname_only", "王", "wang"),
    ("Madonna", "Madonna", "partial", "name.single_word", "latin", "", "madonna"),
    ("张伟 David", "张伟 David", "valid", "", "mixed", "张", "wei zhang"),
    ("田中たろう", "田中たろう", "valid", "", "other", "", "田中たろう"),
    ("Иван Петров", "Иван Петров", "valid", "", "other", "", "иван петров"),
    ("김민준", "김민준", "valid", "", "other", "", "김민준"),
    ("张伟13812345678", "张伟13812345678", "suspect", "name.has_digits", "chinese", "张", "wei zhang"),
    ("张伟/13812345678", "张伟 13812345678", "suspect", "name.has_digits", "chinese", "张", "wei zhang"),
    ("Wei Zhang 2", "Wei Zhang 2", "suspect", "name.has_digits", "latin", "Zhang", "wei zhang"),
    ("北京字节跳动科技有限公司", "北京字节跳动科技有限公司", "suspect", "name.looks_like_company", "chinese", "", "beijingzijietiaodongkejiyouxiangongsi"),
    ("ACME Ltd", "Acme Ltd", "suspect", "name.looks_like_company", "latin", "Acme", "acme ltd"),
    ("张伟,李娜", "张伟,李娜", "suspect", "name.multiple_people", "chinese", "张", "wei zhang"),
    ("张伟 李娜", "张伟 李娜", "suspect", "name.multiple_people", "chinese", "张", "wei zhang"),
    ("John & Mary Smith", "John & Mary Smith", "suspect", "name.multiple_people", "latin", "Smith", "john mary smith"),
    ("伟", "伟", "suspect", "name.too_short", "chinese", "", "wei"),
    ("阿卜杜拉买买提", "阿卜杜拉买买提", "suspect", "name.too_long", "chinese", "阿", "a bodulamaimaiti"),
    ("测试", "", "invalid", "name.placeholder", "", "", ""),
    ("test", "", "invalid", "name.placeholder", "", "", ""),
    ("测试01", "", "invalid", "name.placeholder", "", "", ""),
    ("aaa", "", "invalid", "name.placeholder", "", "", ""),
    ("无", "", "invalid", "name.placeholder", "", "", ""),
    ("未知", "", "invalid", "name.placeholder", "", "", ""),
    ("N/A", "", "invalid", "name.placeholder", "", "", ""),
    ("-", "", "invalid", "name.placeholder", "", "", ""),
    ("先生", "", "invalid", "name.placeholder", "", "", ""),
    ("客户", "", "invalid", "name.placeholder", "", "", ""),
    ("Mr.", "", "invalid", "name.placeholder", "", "", ""),
    ("😀😀", "", "invalid", "name.placeholder", "", "", ""),
    ("123", "", "invalid", "name.no_letters", "", "", ""),
    ("138 1234 5678", "", "invalid", "name.no_letters", "", "", ""),
    ("", "", "missing", "", "", "", ""),
    ("   ", "", "missing", "", "", "", ""),
    ("\u200b\u3000", "", "missing", "", "", "", ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "value", "status", "reason", "kind", "surname", "key"),
    CASES,
    ids=[repr(case[0]) for case in CASES],
)
def test_real_world_names_are_standardized(
    raw: str, value: str, status: str, reason: str, kind: str, surname: str, key: str
) -> None:
    result = normalize_name(raw)
    assert (result.value, result.status, result.reason) == (value, status, reason)
    assert (result.kind, result.surname, result.key) == (kind, surname, key)


SAME_PERSON = ["张伟", "張偉", "张 伟", "Zhang Wei", "ZHANG Wei", "Wei Zhang", "wei zhang", "Zhang, Wei", "张伟先生", "Mr. Wei Zhang"]  # fmt: skip


@pytest.mark.parametrize("raw", SAME_PERSON, ids=SAME_PERSON)
def test_every_spelling_of_one_person_shares_one_key(raw: str) -> None:
    assert normalize_name(raw).key == "wei zhang"


READINGS = [
    ("单", "shan"), ("曾", "zeng"), ("解", "xie"), ("仇", "qiu"), ("朴", "piao"), ("查", "zha"),
    ("翟", "zhai"), ("区", "ou"), ("覃", "qin"), ("盖", "ge"), ("乐", "yue"), ("召", "shao"),
    ("缪", "miao"), ("秘", "bi"), ("种", "chong"), ("员", "yun"), ("繁", "po"), ("褚", "chu"),
    ("黑", "he"), ("折", "she"), ("句", "gou"), ("便", "pian"), ("藏", "zang"), ("祭", "zhai"),
    ("过", "guo"), ("任", "ren"), ("华", "hua"), ("柏", "bai"), ("薄", "bo"), ("阚", "kan"),
    ("蕃", "pi"), ("尉迟", "yuchi"), ("万俟", "moqi"), ("长孙", "zhangsun"), ("张", "zhang"),
]  # fmt: skip


@pytest.mark.parametrize(("surname", "reading"), READINGS, ids=[r[0] for r in READINGS])
def test_surnames_are_read_with_their_surname_reading(surname: str, reading: str) -> None:
    assert surnames.surname_pinyin(surname) == reading
    assert normalize_name(surname + "明").key == " ".join(sorted([reading, "ming"]))


COMPOUNDS = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 呼延 澹台 公冶 宗政 濮阳 太史 申屠 万俟 闻人 赫连 钟离".split()  # fmt: skip


@pytest.mark.parametrize("compound", COMPOUNDS, ids=COMPOUNDS)
def test_compound_surnames_are_found_before_single_ones(compound: str) -> None:
    result = normalize_name(compound + "明")
    assert (result.surname, result.given, result.status) == (compound, "明", "valid")


def test_a_compound_surname_alone_is_surname_only() -> None:
    assert normalize_name("欧阳").kind == "surname_only"


@pytest.mark.parametrize(
    ("first", "last", "value", "surname"),
    [
        ("伟", "张", "张伟", "张"),
        ("娜娜", "欧阳", "欧阳娜娜", "欧阳"),
        ("Wei", "Zhang", "Wei Zhang", "Zhang"),
        ("Jean-Luc", "van Damme", "Jean-Luc van Damme", "van Damme"),
        ("ludwig", "van beethoven", "Ludwig Van Beethoven", "Van Beethoven"),
    ],
    ids=["chinese", "compound", "latin", "latin-particle", "all-lower-particle"],
)
def test_separate_first_and_last_columns_build_the_name(
    first: str, last: str, value: str, surname: str
) -> None:
    result = normalize_name("", first=first, last=last)
    assert (result.value, result.surname, result.status) == (value, surname, "valid")


def test_the_name_cell_wins_over_first_and_last() -> None:
    assert normalize_name("李娜", first="伟", last="张").value == "李娜"


def test_placeholder_first_and_last_count_as_blank() -> None:
    assert normalize_name("", first="无", last=" ").status == "missing"


def test_none_and_nan_from_pandas_do_not_raise() -> None:
    assert normalize_name(None).status == "missing"  # type: ignore[arg-type]
    assert normalize_name(float("nan")).status == "invalid"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw",
    [
        "张" * 10_000,
        "a " * 5_000,
        "\x00" * 100,
        "\u202e张伟\u202c",
        "张\ud800伟",
        "🙂" * 3000,
        "(" * 500 + "张伟" + ")" * 500,
    ],
    ids=["10k-han", "10k-latin", "nul", "rtl-override", "lone-surrogate", "emoji", "deep-brackets"],
)
def test_hostile_input_does_not_raise(raw: str) -> None:
    result = normalize_name(raw)
    assert result.status in STATUSES
    assert normalize_name(result.value).value == result.value


def test_every_reason_code_has_english_and_chinese_templates_that_format() -> None:
    for code, templates in REASONS.items():
        assert code.startswith("name.")
        assert len(templates) == 2
        for template in templates:
            text = template.format(value="王先生", suggestion="王伟")
            assert "王先生" in text


def test_every_reason_code_is_exercised_by_the_cases() -> None:
    emitted = {normalize_name(case[0]).reason for case in CASES} - {""}
    assert emitted == set(REASONS)


def _check_invariants(raw: str, result: NameResult) -> None:
    assert result.status in STATUSES
    assert (result.status == "missing") == is_blank(raw)
    if result.status in ("missing", "invalid"):
        assert result.value == "" and result.key == ""
    if result.status not in ("valid", "missing"):
        assert result.reason
    if result.reason:
        assert result.reason in REASONS
    if result.status not in ("missing", "invalid"):
        assert result.key


NAMEISH = st.text(
    alphabet=st.sampled_from(
        list("张伟王李欧阳娜娜單曾先生女士总經理老小某· .-_/,、()【】VIP★")
        + list(string.ascii_letters[:12] + "ZhangWeiMr'")
        + ["ß", "ü", "İ", "é", "\u0301", "¸", "た", "И", "1", "２", "😀", "\u200b", "\x00", "&"]
    ),
    max_size=14,
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), NAMEISH))
def test_any_text_gives_a_result_that_keeps_the_invariants(raw: str) -> None:
    _check_invariants(raw, normalize_name(raw))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), NAMEISH))
def test_standardizing_twice_changes_nothing(raw: str) -> None:
    once = normalize_name(raw)
    twice = normalize_name(once.value)
    assert (twice.value, twice.key) == (once.value, once.key)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.text())
def test_first_and_last_columns_never_raise(raw: str, first: str, last: str) -> None:
    result = normalize_name(raw, first=first, last=last)
    assert result.status in STATUSES
    if result.reason:
        assert result.reason in REASONS


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(st.text(min_size=2_000, max_size=10_000))
def test_long_text_never_raises(raw: str) -> None:
    assert normalize_name(raw).status in STATUSES
