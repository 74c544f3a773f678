"""Gender evidence in a record: what the name, the honorific and the id say.

CRM exports rarely have a gender column, yet most records carry a hint:
the honorific a hotline agent typed (王先生, 李女士, Mr. Wang), the resident
id number (its 17th digit is odd for men), an English given name (Kevin,
Iris), or the characters of a Chinese given name (秀英, 丽娜 are women's
names, 志强, 建军 men's). Matching uses the hint to tell apart the members
of one household, who share an address, a landline and often a mobile: a
caller noted as 张先生 is not 张红敏, whatever number they called from.

:func:`infer_gender` returns ``("M" | "F" | "", strength)``. ``stated``
hints (an honorific, an id number) are facts the record asserts;
``likely`` hints (given-name characters, English names) are statistical,
and a name can belong to either sex. Matching weighs the two kinds
separately, learning from the data how much each says.

The character lists hold characters that are strongly typical of one sex
in mainland given names; characters used for both (华, 平, 文, 林, 春 …)
are left out on purpose, and a name whose characters point both ways is
left unknown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Gender = Literal["M", "F", ""]
Strength = Literal["stated", "likely", ""]

_HONORIFIC_MALE = (
    "先生 男士 先森 帅哥 小哥 大哥 哥哥 叔叔 伯伯 大爷 爷爷 老爷 少爷 公子 兄弟 "
    "mr mister sir herr monsieur signor senor"
).split()
_HONORIFIC_FEMALE = (
    "女士 小姐 太太 夫人 阿姨 大姐 姐姐 大妈 奶奶 婶婶 嫂子 美女 老板娘 小妹 妹妹 "
    "mrs ms miss madam madame mme mlle frau signora senora"
).split()
_CJK_SEX = {h: "M" for h in _HONORIFIC_MALE if not h.isascii()} | {
    h: "F" for h in _HONORIFIC_FEMALE if not h.isascii()
}
# The first honorific in the text decides (longest first where two start together).
_CJK_HONORIFIC = re.compile(
    "|".join(
        re.escape(h)
        for group in ("M", "F")
        for h in sorted((h for h, g in _CJK_SEX.items() if g == group), key=len, reverse=True)
    )
)
_LATIN_HONORIFICS = {h: "M" for h in _HONORIFIC_MALE if h.isascii()} | {
    h: "F" for h in _HONORIFIC_FEMALE if h.isascii()
}
_WORD = re.compile(r"[a-z]+")

_FEMALE_CHARS = frozenset(
    "女娘姑姐妹妞姝娥娇娟娜娣娴娅婉婕婧婵婷媛嫒嫦嫣妍妮姗姣姿娉婀"
    "丽莉俐莎芳芬芸芹芝苗茜茹荷莲莹菲萍蓉蕾薇蕊兰菊梅桂"
    "秀美艳燕雪霞露凤鸾鹃翠珍珠玲琳琴瑶瑾璐瑛琼瑜琪珊"
    "静敏慧惠淑贞洁倩颖玉月素彩红黛锦绣绮丹"
)
_MALE_CHARS = frozenset(
    "男刚强勇猛武军兵将帅雄豪杰俊彪虎龙豹鹏鹰雕"
    "伟磊鑫森林峰岩山石锋钢铁铭锐钧镇铮"
    "国邦栋梁柱建业宏宝胜利权威冠魁"
    "志毅坚诚忠孝仁义礼德福禄寿祥"
    "涛浩海波洋江河川潮滔泽"
    "斌彬昊辉炜煜焱烽炎旭晖"
    "明亮光耀鸣"
    "伯仲叔兄弟"
)
_ENGLISH_MALE = frozenset(
    """
    aaron adam adrian alan albert alex alexander allen andrew andy anthony arthur austin ben
    benjamin bill billy bob bobby brad brandon brian bruce bryan carl carlos charles charlie
    chris christopher colin daniel danny david dennis derek dominic donald douglas dylan edward
    elvis eric ethan evan frank fred frederick gary george gordon greg gregory harry henry
    howard ian isaac jack jacob jake james jason jeff jeffrey jeremy jerry jesse jim jimmy joe
    john johnny jonathan joseph joshua justin keith ken kenneth kevin kyle larry leo leon louis
    luke marcus mark martin matthew max michael mike nathan neil nicholas nick noah oliver oscar
    patrick paul peter philip ralph raymond richard rick robert roger ronald roy ryan sam samuel
    scott sean simon stanley stephen steven terry thomas tim timothy tom tommy tony victor
    vincent walter wayne william willie zack
    """.split()
)
_ENGLISH_FEMALE = frozenset(
    """
    abby abigail alice alicia amanda amber amy andrea angela angelina ann anna anne annie april
    ashley barbara bella betty bonnie brenda carol caroline catherine cathy cecilia celia chloe
    christina christine cindy claire clara coco crystal cynthia daisy diana doris dorothy eileen
    elaine eleanor elizabeth ella ellen emily emma erica esther eva evelyn fiona florence gloria
    grace hannah helen ivy iris irene isabella jane janet jasmine jean jennifer jenny jessica
    jessie joan joanna jocelyn joy joyce judy julia julie karen kate katherine kathy kelly kitty
    laura lena linda lily lisa lucy lydia maggie mandy maria mary megan melissa michelle miranda
    molly monica nancy natalie nicole nina olivia pamela peggy rachel rebecca rita rose ruby
    sally samantha sandra sara sarah sharon shirley sophia sophie stella stephanie susan sylvia
    tiffany tina tracy vanessa vicky victoria violet vivian wendy winnie yvonne zoe
    """.split()
)


def id_gender(id_number: str) -> Gender:
    """The sex a mainland resident id number encodes: the 17th digit of an
    18-digit number (the 15th of an old 15-digit one) is odd for men."""
    digit = (
        id_number[16:17] if len(id_number) == 18 else id_number[14:] if len(id_number) == 15 else ""
    )
    if digit and digit in "0123456789":  # ASCII only: str.isdigit() takes '¹' too
        return "M" if int(digit) % 2 else "F"
    return ""


@lru_cache(maxsize=65536)
def honorific_gender(raw_name: str) -> Gender:
    """The sex an honorific in the typed name states: 王先生 → M, 李小姐 → F,
    "Mrs. Chen" → F; "" when there is none (总, 经理 and 老师 say nothing)."""
    text = raw_name.strip()
    if not text.isascii():
        hit = _CJK_HONORIFIC.search(text)
        if hit:
            return _CJK_SEX[hit.group(0)]  # type: ignore[return-value]
    found = {_LATIN_HONORIFICS[w] for w in _WORD.findall(text.lower()) if w in _LATIN_HONORIFICS}
    return found.pop() if len(found) == 1 else ""  # type: ignore[return-value]


@lru_cache(maxsize=65536)
def given_name_gender(given: str) -> Gender:
    """The sex a given name suggests: its Chinese characters, or a common
    English given name among its words; "" when they disagree or say nothing."""
    hints: set[str] = set()
    for ch in given:
        if ch in _FEMALE_CHARS:
            hints.add("F")
        elif ch in _MALE_CHARS:
            hints.add("M")
    for word in _WORD.findall(given.lower()):
        if word in _ENGLISH_FEMALE:
            hints.add("F")
        elif word in _ENGLISH_MALE:
            hints.add("M")
    return hints.pop() if len(hints) == 1 else ""  # type: ignore[return-value]


def infer_gender(raw_name: str, given: str, id_number: str) -> tuple[Gender, Strength]:
    """Gender evidence of one record.

    Args:
        raw_name: the name as typed (for its honorific).
        given: the standardized given name (张伟 → 伟, Iris Li → Iris).
        id_number: the standardized id number.

    Returns:
        ``(gender, strength)``: ``stated`` from an honorific or an id number
        (when both are present and disagree, nothing is known), else
        ``likely`` from the given name, else ``("", "")``.

    Example:
        >>> infer_gender("张先生", "", "")
        ('M', 'stated')
        >>> infer_gender("李秀英", "秀英", "")
        ('F', 'likely')
    """
    stated = {g for g in (honorific_gender(raw_name), id_gender(id_number)) if g}
    if len(stated) == 1:
        return stated.pop(), "stated"  # type: ignore[return-value]
    if stated:
        return "", ""
    likely = given_name_gender(given)
    return (likely, "likely") if likely else ("", "")
