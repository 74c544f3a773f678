"""Personal names: clean the display form and build a matching key.

The display ``value`` keeps the name as the customer would write it: Chinese
names in Simplified characters without spaces (張 偉 → 张伟), Latin names in
typed order and Title case ("ZHANG Wei" → "Zhang Wei"). The ``key`` is for
matching records, not for display: lower-case ASCII tokens in sorted order, so
张伟, 張偉, "Zhang Wei", "ZHANG Wei" and "Wei Zhang" all share "wei zhang".
Chinese surnames are read with surname readings (单 → shan, 曾 → zeng; see
:mod:`core.standardize.surnames`), given names with pypinyin, without tones.

Latin key rule for split pinyin: a name of exactly three tokens whose one end
is a Chinese surname and whose other two tokens are pinyin syllables is read
as surname + two-syllable given name, and the two syllables are joined, so
"Zhang Xiao Ming" and "Xiao Ming Zhang" meet 张晓明 at "xiaoming zhang". When
both ends could be the surname, an ALL-CAPS token wins, then the more common
surname, then the first token. Other Latin names are not merged.

Reason templates use ``{value}`` for the raw value and ``{suggestion}`` for
the standardized value (``result.value``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pypinyin import lazy_pinyin

from core.standardize import surnames as sn
from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, is_blank, is_placeholder, to_simplified

NameKind = Literal["chinese", "latin", "surname_only", "nickname", "mixed", "other", ""]

REASONS: dict[str, tuple[str, str]] = {
    "name.placeholder": (
        "'{value}' is a placeholder or test value, not a name; enter the customer's name",
        "“{value}”是占位或测试内容，不是姓名，请填写客户姓名",
    ),
    "name.no_letters": (
        "'{value}' has no letters, only digits or symbols; is it a phone number? Enter the name",
        "“{value}”不含文字，只有数字或符号（是电话号码吗？），请填写姓名",
    ),
    "name.surname_only": (
        "'{value}' is a surname with an honorific only; enter the full name, e.g. 王伟",
        "“{value}”只有姓氏和称呼，请填写全名，例如 王伟",
    ),
    "name.nickname": (
        "'{value}' looks like a nickname or screen name, not a legal name; ask for the full name",
        "“{value}”像是昵称或网名，不是真实姓名，请询问客户全名",
    ),
    "name.single_word": (
        "'{value}' is a single word; enter first and last name, e.g. Wei Zhang",
        "“{value}”只有一个词，请填写名和姓，例如 Wei Zhang",
    ),
    "name.honorific_removed": (
        "'{value}' had an honorific, removed; saved as {suggestion}",
        "“{value}”含称呼，已去除，保存为 {suggestion}",
    ),
    "name.decoration_removed": (
        "'{value}' had a tag or note, removed; saved as {suggestion}",
        "“{value}”含标签或备注，已去除，保存为 {suggestion}",
    ),
    "name.has_digits": (
        "'{value}' contains digits; a phone number or ID may have been typed into the name",
        "“{value}”含数字，可能把电话或证件号填进了姓名",
    ),
    "name.looks_like_company": (
        "'{value}' looks like a company name; put it in the company field",
        "“{value}”像是公司名称，请填到公司字段",
    ),
    "name.multiple_people": (
        "'{value}' seems to hold more than one person; keep one name per record",
        "“{value}”似乎包含多个人名，每条记录只填一个姓名",
    ),
    "name.too_short": (
        "'{value}' is a single character that is not a known surname; check the name",
        "“{value}”只有一个字且不是常见姓氏，请核对姓名",
    ),
    "name.too_long": (
        "'{value}' is unusually long for a name; check it (saved as {suggestion})",
        "“{value}”作为姓名过长，请核对（保存为 {suggestion}）",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class NameResult(FieldResult):
    """A standardized personal name with its parts and matching key."""

    kind: NameKind = ""
    surname: str = ""
    given: str = ""
    key: str = ""


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{_HAN}]")
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e\u2061-\u2064\u206a-\u206f\ufff9-\ufffb]"
)
_BRACKETS = str.maketrans(
    dict.fromkeys("【〔[{「『〖《<〈", "(") | dict.fromkeys("】〕]}」』〗》>〉", ")")
)
_GROUP = re.compile(r"\(([^()]*)\)")
_HAN_DOT = re.compile(f"(?<=[{_HAN}])\\s*[.·•・‧∙⋅]\\s*(?=[{_HAN}])")
_HAN_SPACE = re.compile(f"(?<=[{_HAN}]) +(?=[{_HAN}])")
_TAGS = (
    r"s?vip\d*|重要客户|重要|大客户|老客户|新客户|潜在客户|意向客户|黑名单|已成交|未成交|"
    r"已删除|删除|作废|重复|勿扰|勿联系|已离职|离职|无效|待跟进|跟进中|已跟进|星标"
)
_SEP = r"[\s\-_/|\\:,;、~]"
_TAG_TAIL = re.compile(f"(?<![a-z]){_SEP}*(?:{_TAGS})$", re.I)
_TAG_HEAD = re.compile(f"^(?:{_TAGS}){_SEP}*(?![a-z])", re.I)
_ASCII_JUNK = re.compile(r"[^A-Za-z0-9\s'\-.,/;&|\\_+·]")
_KEEP = frozenset(" '-.,/;&|\\_+·、")
_HAN_SPLIT = re.compile(r"[/|\\,;、_+&]|(?<![A-Za-z])-|-(?![A-Za-z])")
_LATIN_SPLIT = re.compile(r"[/|\\;、+&]|\band\b", re.I)
_JUNK_RE = re.compile(r"(?:test|测试|ceshi|demo|sample|样例|示例|tmp|临时)[\d\s_\-.]*", re.I)
_JUNK = frozenset(
    "aa aaa abc abcd asd asdf qwe qwer qwerty zxc customer client guest user anonymous unnamed "
    "noname name fullname admin 客户 顾客 用户 联系人 匿名 某某 某人 未命名 无名 无名氏 佚名 "
    "新客户 姓名 客户姓名 本人 nan".split()
)
# Longest first, so 王小姐 meets 小姐 before 姐.
_HONORIFICS = tuple(
    sorted(
        "先生 女士 小姐 老师 经理 总监 主任 医生 大夫 老板 老板娘 阿姨 师傅 师父 大哥 "
        "大姐 叔叔 伯伯 大爷 大妈 奶奶 爷爷 教授 博士 律师 会计 助理 秘书 主管 总经理 "
        "总裁 董事长 董事 局长 处长 科长 院长 校长 部长 厂长 所长 行长 书记 县长 市长 "
        "工程师 老总 太太 夫人 同学 护士 警官 队长 班长 组长 小哥 小妹 姐姐 哥哥 美女 "
        "帅哥 男士 先森 某某 总 工 董 姐 哥 叔 姨 婶 伯 嫂 老 某 "
        "sir madam".split(),
        key=len,
        reverse=True,
    )
)
# Stripped from a full name (张伟先生 → 张伟); one-character ones are not,
# since 总/工/老 also end real given names.
_HONORIFIC_SET = frozenset(_HONORIFICS)
_FULL_NAME_HONORIFICS = frozenset(h for h in _HONORIFICS if len(h) > 1 and not h.isascii())
_LATIN_HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir madam madame mme mlle herr frau monsieur mister".split()
)
_LATIN_SUFFIXES = frozenset("jr sr ii iii iv phd md esq".split())
_ROMAN = frozenset("ii iii iv vi vii viii".split())
_PARTICLES = frozenset(
    "van von der den de da di du la le del della dos das bin binti ibn al".split()
)
_COMPANY_HAN = re.compile(
    r"公司|有限|集团|工作室|事务所|商行|门市部|经营部|(?:厂|店|银行|医院|学校|大学)$"
)
_COMPANY_LATIN = frozenset("ltd inc llc corp co gmbh limited company corporation plc llp".split())
_ASCII_EXTRA = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "œ": "oe", "þ": "th", "ı": "i"}
)


_LATIN_CLASS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\ua720-\ua7ff"
_LATIN_RE = re.compile(f"[{_LATIN_CLASS}]")
_MAYBE_OTHER = re.compile(f"[^{_LATIN_CLASS}{_HAN}\\d\\s'\\-.,/;&|\\\\_+·、]")
_DIGIT = re.compile(r"\d")
_PLAIN = re.compile(f"[{_HAN}]+|[A-Za-z]+(?: [A-Za-z]+)*")
_END_JUNK = " -_/|\\,;、·&+"


def _is_han(ch: str) -> bool:
    return _HAN_RE.match(ch) is not None


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return ch.isalpha() and (code < 0x250 or 0x1E00 <= code <= 0x1EFF or 0xA720 <= code <= 0xA7FF)


@lru_cache(maxsize=65536)
def _is_junk(text: str) -> bool:
    """Test rows and keyboard noise: 测试1, test, aaa, asdf, 客户, 先生."""
    low = text.lower()
    if low in _JUNK or low in _HONORIFIC_SET or _JUNK_RE.fullmatch(low):
        return True
    squeezed = low.casefold().replace(" ", "")
    if len(squeezed) >= 3 and len(set(squeezed)) == 1:
        return True
    # Placeholders (无, 未知, N/A) are short; skip the re-fold for long text.
    return len(text) <= 12 and is_placeholder(text)


@lru_cache(maxsize=65536)
def _pinyin(han: str) -> str:
    """Toneless pinyin of Han text, joined. A character pypinyin cannot read
    (rare CJK extensions) stays as it is rather than vanish from the key."""
    return "".join(p if p.isascii() else re.sub(r"\W", "", p) for p in lazy_pinyin(han)).lower()


@lru_cache(maxsize=65536)
def _ascii_token(token: str) -> str:
    """Lower-case ASCII form of a Latin token for the key: Lü → lv, José → jose."""
    low = token.lower()
    if "ü" in low and low.replace("ü", "v") in sn.PINYIN_SYLLABLES:
        low = low.replace("ü", "v")
    low = {"lyu": "lv", "nyu": "nv"}.get(low, low).translate(_ASCII_EXTRA)
    decomposed = unicodedata.normalize("NFKD", low)
    return re.sub("[^a-z0-9]", "", decomposed)


def _title(token: str) -> str:
    """Title-case a token typed all upper or all lower; keep McDonald as typed."""
    if not (token.islower() or token.isupper()):
        return token
    if token.lower() in _ROMAN:
        return token.upper()
    return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].title() + m[0][1:].lower(), token)


def _title_words(tokens: list[str]) -> list[str]:
    """Title-case tokens; a particle typed in lower case (Ludwig van Beethoven)
    stays so when the name has capitals elsewhere, i.e. was typed with care."""
    cased = any(t != t.lower() for t in tokens)
    return [t if i and cased and t in _PARTICLES else _title(t) for i, t in enumerate(tokens)]


def _han_name_like(seg: str) -> bool:
    if not re.fullmatch(f"[{_HAN}]{{2,5}}", seg):
        return False
    surname, given = sn.split_surname(seg)
    return bool(given) and sn.is_surname(surname) and len(given) <= 3


def _split_segments(text: str, flags: set[str], hint: list[str]) -> str:
    """Split "张伟/VIP客户", "张伟,李娜", "Zhang, Wei" on separators."""
    if _HAN_RE.search(text):
        segs = [s.strip() for s in _HAN_SPLIT.split(text) if s.strip()]
        if len(segs) < 2 and " " not in text:
            return text
        spaced = [s for s in text.split(" ") if s]
        if sum(map(_han_name_like, segs)) >= 2 or (
            len(spaced) >= 2 and all(map(_han_name_like, spaced))
        ):
            flags.add("multiple")
            return text
        if len(segs) < 2:
            return text
        first = next((s for s in segs if _HAN_RE.search(s)), segs[0])
        kept = [s for s in segs if s is first or any(c.isdigit() for c in s)]
        flags.add("decoration")
        return " ".join(kept)
    text = text.replace("_", " ")
    segs = [s.strip() for s in _LATIN_SPLIT.split(text) if s.strip()]
    if sum(any(c.isalpha() for c in s) for s in segs) >= 2:
        flags.add("multiple")
        return text
    text = " ".join(segs)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 2 and len(parts[0].split()) == 1:
        hint[:] = parts  # "Zhang, Wei": surname first
    elif len(parts) >= 2 and all(len(p.split()) >= 2 for p in parts):
        flags.add("multiple")
        return text
    return " ".join(parts)


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _strip_decorations(text: str, flags: set[str]) -> str:
    """One pass of removing brackets, tags and symbols."""
    text = _HAN_DOT.sub("·", text.translate(_BRACKETS))
    for _ in range(text.count("(")):
        group = _GROUP.search(text)
        if group is None:
            break
        rest = f"{text[: group.start()]} {text[group.end() :]}"
        if _has_letters(_TAG_HEAD.sub("", _TAG_TAIL.sub("", rest.strip()))):
            text = rest
            flags.add("decoration")
        else:  # "(张伟)": the brackets were the decoration
            text = f"{text[: group.start()]} {group[1]} {text[group.end() :]}"
    text = text.replace("(", " ").replace(")", " ").strip()
    for tag_re in (_TAG_TAIL, _TAG_HEAD):
        match = tag_re.search(text)
        if match and _has_letters(tag_re.sub("", text)):
            text = tag_re.sub("", text)
            flags.add("decoration")
    if text.isascii():
        cleaned = _ASCII_JUNK.sub(" ", text)
    else:
        kept: list[str] = []
        for c in text:
            # A combining mark is kept only on a letter (NFKC turns ¸ into " ̧").
            prev = kept[-1] if kept else " "
            mark = unicodedata.category(c)[0] == "M" and (
                prev.isalnum() or unicodedata.category(prev)[0] == "M"
            )
            kept.append(c if c.isalnum() or c in _KEEP or c.isspace() or mark else " ")
        cleaned = "".join(kept)
    if cleaned != text:
        flags.add("decoration")
    return cleaned


_FLAG_REASONS = {"multiple": "name.multiple_people", "decoration": "name.decoration_removed"}


def _simplified(text: str) -> str:
    """to_simplified until stable: OpenCC t2s is not idempotent (薴 → 苧 → 苎)."""
    for _ in range(3):
        simple = to_simplified(text)
        if simple == text:
            break
        text = simple
    return text


def _clean(text: str, flags: set[str], hint: list[str]) -> str:
    """Repeat the cleaning steps until nothing changes (idempotence)."""
    if _PLAIN.fullmatch(text) and not (_TAG_TAIL.search(text) or _TAG_HEAD.search(text)):
        return text  # fast path: nothing below would change it
    for _ in range(6):
        before = text
        text = _strip_decorations(text, flags)
        text = " ".join(text.split()).strip(_END_JUNK)
        text = _split_segments(text, flags, hint)
        if "multiple" not in flags:
            text = _HAN_SPACE.sub("", text)
        if text == before:
            break
    return text


def _suffix(text: str, words: frozenset[str]) -> int:
    """Length of the longest word of ``words`` (at most 3 long) ending ``text``
    and shorter than it; 0 if none."""
    for n in (3, 2, 1):
        if len(text) > n and text[-n:] in words:
            return n
    return 0


def _honorific_surname(han: str) -> str:
    """The surname of 王先生, 老王, 欧阳总, 张某某, bare 王; "" for a full name."""
    stem = han
    size = _suffix(han, _HONORIFIC_SET)
    if size:
        stem = stem[:-size]
    if stem != han and sn.is_surname(stem):
        return stem
    # 老王, 小李, 阿曾; only frequent surnames, so the nickname 小明 is not read as 明.
    if len(stem) == 2 and stem[0] in "老小阿" and stem[1] in sn.FREQUENT_SURNAMES:
        return stem[1:]
    return han if sn.is_surname(han) else ""


def _chinese_key(han: str) -> tuple[str, str, str, str]:
    """(surname, given, key, reason) for a Han name without honorifics."""
    segs = [s for s in han.split("·") if s]
    if len(segs) >= 2:  # 阿卜杜拉·买买提: transliterated, family name last
        key = " ".join(sorted(_pinyin(s) for s in segs))
        if segs[0] in sn.COMPOUND_SURNAMES:  # 爱新觉罗·溥仪: clan name first
            return segs[0], "·".join(segs[1:]), key, ""
        return segs[-1], "·".join(segs[:-1]), key, ""
    han = "".join(segs)
    surname, given = sn.split_surname(han)
    if not given and not sn.is_surname(surname):
        return "", surname, _pinyin(surname), "name.too_short"
    key = " ".join(sorted(p for p in (sn.surname_pinyin(surname), _pinyin(given)) if p))
    return surname, given, key, "name.too_long" if len(given) > 3 else ""


# Reasons in order of precedence; the first that applies is reported.
_NO_REASON: tuple[str, Status] = ("", "valid")
_PRECEDENCE: tuple[tuple[str, Status], ...] = (
    ("name.looks_like_company", "suspect"),
    ("name.multiple_people", "suspect"),
    ("name.has_digits", "suspect"),
    ("name.too_long", "suspect"),
    ("name.too_short", "suspect"),
    ("name.surname_only", "partial"),
    ("name.nickname", "partial"),
    ("name.single_word", "partial"),
    ("name.honorific_removed", "valid"),
    ("name.decoration_removed", "valid"),
)


def _finish(
    value: str, kind: NameKind, surname: str, given: str, key: str, reasons: set[str]
) -> NameResult:
    # Title-casing can leave text un-normalised (ß + U+0301 → Ss + U+0301).
    value = unicodedata.normalize("NFKC", value)
    if _is_junk(value):  # cleaning can leave junk behind: "ß · S" → "Ss S"
        return _invalid("name.placeholder")
    reason, status = _NO_REASON
    if len(reasons) > ("" in reasons):  # "" is no reason
        reason, status = next(((r, s) for r, s in _PRECEDENCE if r in reasons), _NO_REASON)
    return NameResult(
        value=value, status=status, reason=reason, kind=kind, surname=surname, given=given, key=key
    )


def _invalid(reason: str) -> NameResult:
    return NameResult(value="", status="invalid", reason=reason)


def _surname_end(keys: list[str]) -> int | None:
    """Index of the end token that is the likelier Chinese surname, if any."""
    first, last = sn.latin_surname_rank(keys[0]), sn.latin_surname_rank(keys[-1])
    if first is None and last is None:
        return None
    if last is None or (first is not None and first <= last):
        return 0
    return len(keys) - 1


def _latin(text: str, reasons: set[str], hint: list[str]) -> NameResult:
    tokens = text.split()
    rest = [t for t in tokens if any(c.isalnum() for c in t)]
    honorific = False
    while rest and rest[0].lower().rstrip(".") in _LATIN_HONORIFICS:
        rest, honorific = rest[1:], True
    if len(rest) == 2 and rest[1].lower().rstrip(".") in ("sir", "madam"):
        rest, honorific = rest[:1], True  # "Wang Sir", Hong Kong style
    if not rest:
        return _invalid("name.placeholder")
    words = _title_words(rest)
    aligned = [_ascii_token(w) or w.lower() for w in words]
    # Key tokens leave out suffixes (Jr, III) and numbers, as the Han key
    # leaves out the phone in 张伟138…, unless nothing else is left.
    core = [i for i, k in enumerate(aligned) if k not in _LATIN_SUFFIXES and not k.isdigit()] or [0]
    keys = [aligned[i] for i in core]
    if len(keys) > 1 and keys[-1] in _COMPANY_LATIN:
        reasons.add("name.looks_like_company")
    if honorific and len(rest) == 1:  # "Mr. Wang": keep as typed
        reasons.add("name.surname_only")
        return _finish(text, "surname_only", words[0], "", keys[0], reasons)
    if honorific:
        reasons.add("name.honorific_removed")
    # Several people: keep the separators so the steward sees them.
    value = text if "name.multiple_people" in reasons else " ".join(words).strip(_END_JUNK)
    if len(words) == 1:
        if hint and hint[0] and not hint[1]:  # only a last-name column
            reasons.add("name.surname_only")
            return _finish(value, "surname_only", words[0], "", keys[0], reasons)
        if hint and hint[1] and not hint[0]:  # only a first-name column
            reasons.add("name.single_word")
            return _finish(value, "latin", "", words[0], keys[0], reasons)
        single = sn.latin_surname_rank(keys[0]) is not None
        reasons.add("name.surname_only" if single else "name.single_word")
        kind: NameKind = "surname_only" if single else "latin"
        return _finish(value, kind, words[0] if single else "", "", keys[0], reasons)
    if len(words) > 6:
        reasons.add("name.too_long")
    end = _surname_end(keys)
    key = " ".join(sorted(keys))
    if len(keys) == 3 and end is not None:
        given = [k for i, k in enumerate(keys) if i != end]
        if all(g in sn.PINYIN_SYLLABLES for g in given):
            key = " ".join(sorted([keys[end], "".join(given)]))
    # Display parts only (the key never depends on case): an ALL-CAPS end
    # token is the surname ("ZHANG Wei"), else the likelier Chinese surname,
    # else the last token, Western order.
    ends = (core[0], core[-1])
    caps = [i for i in ends if sum(c.isalpha() for c in rest[i]) > 1 and rest[i].isupper()]
    idx = caps[0] if len(caps) == 1 else core[-1 if end is None else end]
    surname, given_name = words[idx], " ".join(words[:idx] + words[idx + 1 :])
    family = [t.lower() for t in hint[0].split()] if hint and hint[0] else []
    size = len(family)
    if size and [w.lower() for w in words[:size]] == family:  # "Zhang, Wei"
        surname, given_name = " ".join(words[:size]), " ".join(words[size:])
    elif size and [w.lower() for w in words[-size:]] == family:  # last-name column
        surname, given_name = " ".join(words[-size:]), " ".join(words[:-size])
    return _finish(value, "latin", surname, given_name, key, reasons)


def _han_name(cleaned: str, han: str, reasons: set[str]) -> NameResult:
    """Chinese names: surname-only forms, honorifics, surname split."""
    if _COMPANY_HAN.search(han):
        reasons.add("name.looks_like_company")
        return _finish(cleaned, "chinese", "", "", _pinyin(han), reasons)
    while "·" not in han:
        surname = _honorific_surname(han)
        if surname:
            reasons.add("name.surname_only")
            key = sn.surname_pinyin(surname)
            return _finish(cleaned, "surname_only", surname, "", key, reasons)
        size = _suffix(han, _FULL_NAME_HONORIFICS)
        if not size or len(han) - size < 2 or not cleaned.endswith(han[-size:]):
            break
        han, cleaned = han[:-size], cleaned[:-size].rstrip(" ·-")
        reasons.add("name.honorific_removed")
    surname, given, key, problem = _chinese_key(han)
    if "·" not in han and not problem and _is_nickname(han, surname):
        reasons.add("name.nickname")
        pet = han[0] if len(han) == 2 and han[0] == han[1] else ""
        return _finish(cleaned, "nickname", "", pet, _pinyin(pet or han), reasons)
    reasons.add(problem)
    return _finish(cleaned, "chinese", surname, given, key, reasons)


def _is_nickname(han: str, surname: str) -> bool:
    """A screen name rather than a legal name: 晴天, 追梦人 (no known surname
    comes first), 静待花开, 一路向北 (four characters after a one-character
    surname), 玲玲 (one character twice, a pet form of 秀玲).

    Legal Han names in mainland records are two or three characters, or
    four with a compound surname (欧阳娜娜) or two family names (陈李美玲,
    two frequent surnames first). Five or more characters are left to the
    ``name.too_long`` check. A rarer real name caught here only loses its
    weight as matching evidence; its value is never changed."""
    if len(han) == 2 and han[0] == han[1]:
        return True
    if len(han) > 4:
        return False
    if not (sn.is_surname(surname) or surname in sn.SURNAME_READINGS):
        return True
    double = han[0] in sn.FREQUENT_SURNAMES and han[1] in sn.FREQUENT_SURNAMES
    return len(surname) == 1 and len(han) == 4 and not double


def _normalize(raw: str, hint: list[str]) -> NameResult:
    # NFKC again: fold() drops zero-width characters after normalising, so
    # "A\u200b\u0300" would only compose to "À" on a second pass.
    text = unicodedata.normalize("NFKC", fold(_CONTROL.sub(" ", raw)))
    if not text or _is_junk(text):
        return _invalid("name.placeholder")
    flags: set[str] = set()
    cleaned = _clean(_simplified(text), flags, hint)
    digits = _DIGIT.search(cleaned) is not None
    if not _has_letters(cleaned):
        return _invalid("name.no_letters" if digits else "name.placeholder")
    if cleaned != text and _is_junk(cleaned):
        return _invalid("name.placeholder")
    reasons = {_FLAG_REASONS[flag] for flag in flags}
    if digits:
        reasons.add("name.has_digits")
    runs = re.findall(f"[{_HAN}·]+", cleaned)
    # Several people: key and parts from the first one.
    han = (runs[0] if "multiple" in flags and runs else "".join(runs)).strip("·")
    latin = _LATIN_RE.search(cleaned) is not None
    other = _MAYBE_OTHER.search(cleaned) is not None and any(
        c.isalpha() and not _is_han(c) and not _is_latin(c) for c in cleaned
    )
    if other or not (han or latin):
        words = ["".join(c for c in w.lower() if c.isalnum()) for w in cleaned.split()]
        return _finish(cleaned, "other", "", "", " ".join(sorted(filter(None, words))), reasons)
    if not han:
        return _latin(cleaned, reasons, hint)
    if not latin:
        return _han_name(cleaned, han, reasons)
    latin_words = re.findall("[a-z]+", cleaned.lower())
    surname = _honorific_surname(han.replace("·", ""))
    if surname and all(w in _LATIN_HONORIFICS for w in latin_words):  # 黄sir, Mr. 王
        reasons.add("name.surname_only")
        return _finish(cleaned, "surname_only", surname, "", sn.surname_pinyin(surname), reasons)
    surname, given, key, _ = _chinese_key(han)
    return _finish(cleaned, "mixed", surname, given, key, reasons)


@lru_cache(maxsize=65536)
def normalize_name(raw: str, first: str = "", last: str = "") -> NameResult:
    """Standardize a personal name and build its matching key.

    Pure and total: never raises, and feeding ``value`` back in gives the same
    ``value`` and ``key``. ``status`` is ``missing`` iff the name is blank
    (``raw`` blank and no usable ``first``/``last``).

    Args:
        raw: The name cell as typed (张伟, 張 偉, "ZHANG Wei", 王先生, ...).
        first: Given name, for files with separate first/last columns; used
            only when ``raw`` is blank.
        last: Family name, likewise. Chinese parts are joined last + first
            without a space (张 + 伟 → 张伟), Latin ones as "First Last".

    Returns:
        A :class:`NameResult`. ``key`` is lower-case ASCII for Chinese and
        Latin names ("wei zhang" for 张伟 and "Zhang Wei" alike); ``surname``
        and ``given`` are best-effort parts for display.

    Example:
        >>> r = normalize_name("張偉")
        >>> r.value, r.status, r.surname, r.key
        ('张伟', 'valid', '张', 'wei zhang')
        >>> normalize_name("王先生").status
        'partial'
    """
    if not isinstance(raw, str):  # pandas hands over None/NaN for empty cells
        raw = "" if raw is None else str(raw)
    hint: list[str] = []
    if is_blank(raw):
        parts = [
            fold(p) if isinstance(p, str) and not is_placeholder(p) else "" for p in (first, last)
        ]
        given, family = parts
        if not given and not family:
            return NameResult(value="", status="missing")
        if _HAN_RE.search(given + family):
            raw = family + given
        else:
            raw = f"{given} {family}".strip()
            hint = [family, given]
    return _normalize(raw, hint)
