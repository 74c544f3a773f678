"""Postal addresses: split a Chinese address into region and street, fold the
street into a matching key, and keep foreign addresses as typed.

Region extraction uses cpca (its bundled adcode table and Aho-Corasick
matcher). Around it this module adds what a CRM needs: Traditional →
Simplified, full-width folding, municipalities reported as their own city
(北京市, never cpca's 市辖区), explicit 省份/城市/区县 columns, no guessing for
district names that exist in several cities (朝阳区), and street names that
merely contain a city name (中山路, 北京东路) are not taken for that city.

The matching ``key`` is the address after the region, with the folds below
applied; the standardized ``value`` is province + city + district + key, so
that ``normalize_address(r.value).value == r.value``.

Street folds (applied to the whole Chinese text before cpca sees it):

* ``#`` after a digit → 号 (``3#楼`` → ``3号楼``); any other ``#`` is dropped.
* Chinese numerals before a unit → digits (``八十八号`` → ``88号``,
  ``二〇一室`` → ``201室``); units: 号 栋 幢 楼 层 室 房 单元 座 期 弄 巷.
* 幢 → 栋; a digit followed by 房 → 室; a digit followed by F → 层 (``12F``).
* Spaces and punctuation are removed, except a hyphen between digits
  (``3-101`` keeps building and room apart); Latin letters are upper-cased.
* The pseudo levels of the adcode table (市辖区, 省直辖县级行政区划) that
  some exports write are removed.

Other decisions: text before the region (收货地址:, 中国) is dropped, unless
the region comes last (科技园南路88号(深圳市)), when it is the street. A short
district name right after its city counts (深圳南山科技园 → 南山区) unless a
street or place word follows (南山大道). Cities without districts (东莞市,
中山市) and county-level cities under a province (仙桃市) are complete
without one. Region names come from cpca's 2020-era table, so districts
created since are not known.

``{suggestion}`` in the REASONS templates is the standardized value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cpca

from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, has_han, is_blank, is_placeholder, to_simplified

_EXAMPLE = "广东省深圳市南山区科技园南路88号"
REASONS: dict[str, tuple[str, str]] = {
    "address.placeholder": (
        f"'{{value}}' is a placeholder, not an address; enter the full address, e.g. {_EXAMPLE}",
        f"“{{value}}”是占位内容，不是地址；请填写完整地址，例如 {_EXAMPLE}",
    ),
    "address.junk": (
        f"'{{value}}' is not an address; use a form such as {_EXAMPLE}",
        f"“{{value}}”不是地址；请使用 {_EXAMPLE} 这样的格式",
    ),
    "address.no_street": (
        "'{value}' names only a region ({suggestion}); add the street and number, "
        f"as in {_EXAMPLE}",
        f"“{{value}}”只有省市区（{{suggestion}}）；请补充街道和门牌号，如 {_EXAMPLE}",
    ),
    "address.no_region": (
        "'{value}' has no province, city or district; put them before the street, "
        f"as in {_EXAMPLE}",
        f"“{{value}}”缺少省、市、区；请在街道前补充，如 {_EXAMPLE}",
    ),
    "address.no_district": (
        f"'{{value}}' has no district or county; add it after the city, as in {_EXAMPLE}",
        f"“{{value}}”缺少区县；请在城市后补充，如 {_EXAMPLE}",
    ),
    "address.ambiguous_district": (
        "'{value}' names a district that exists in several cities; add the province "
        "and city, e.g. 北京市朝阳区建国路88号",
        "“{value}”中的区县名在多个城市都有；请补充省和市，例如 北京市朝阳区建国路88号",
    ),
    "address.region_conflict": (
        "'{value}' contradicts the province/city/district columns; the address text "
        "was kept: {suggestion}",
        "“{value}”与省份/城市/区县列不一致；已按地址文本处理：{suggestion}",
    ),
    "address.foreign": (
        "'{value}' is not a Chinese address; it was kept as typed: {suggestion}",
        "“{value}”不是中国地址，已按原样保留：{suggestion}",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AddressResult(FieldResult):
    """A standardized address with its region split out.

    ``province``/``city``/``district`` are full official Simplified names; a
    municipality is its own city (北京市). ``key`` is the street part used for
    matching; ``adcode`` the 6-digit code of the most specific region found.
    """

    province: str = ""
    city: str = ""
    district: str = ""
    key: str = ""
    adcode: str = ""


# --- region index, built from cpca's bundled adcode table -----------------
# cpca's table lists pseudo levels (市辖区, 省直辖县级行政区划) that are not
# place names; they never appear in a result.

_PSEUDO = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_NAME: dict[str, str] = {str(i.adcode): str(i.name) for i in cpca.ad_2_addr_dict.values()}
_SPECIAL_ABBR = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}


def _rank(code: str) -> int:
    """0 province, 1 city, 2 district/county."""
    return 0 if code.endswith("0000") else 1 if code.endswith("00") else 2


@lru_cache(maxsize=16384)
def _abbr(name: str, rank: int) -> str:
    """The short form people type: 广东 for 广东省; 南山 for 南山区 (rank 2)."""
    suffix = r"(省|市|特别行政区|自治区)$" if rank < 2 else r"[区县市旗]$"
    short = _SPECIAL_ABBR.get(name) or re.sub(suffix, "", name)
    return short if len(short) >= 2 else name


# Municipalities (北京 天津 上海 重庆): every city-level row is a pseudo row.
_MUNICIPALITIES = frozenset(c[:2] for c, n in _NAME.items() if _rank(c) == 1) - frozenset(
    c[:2] for c, n in _NAME.items() if _rank(c) == 1 and n not in ("市辖区", "县")
)
_HAS_CHILDREN = frozenset(
    c[:n] for c in _NAME if _NAME[c] not in _PSEUDO for n in (2, 4) if n <= 2 * _rank(c)
)
_SAME_NAME: dict[tuple[int, str], list[str]] = {}  # district names shared by cities
_LOOKUP: tuple[dict[str, list[str]], ...] = ({}, {}, {})  # column level → name → codes
_CHILD_ABBR: dict[str, list[tuple[str, str]]] = {}  # parent prefix → (short name, code)
for _code, _name in sorted(_NAME.items()):
    if _name in _PSEUDO:
        continue
    _r = _level = _rank(_code)
    _SAME_NAME.setdefault((_r, _name), []).append(_code)
    if _r == 0 and _code[:2] in _MUNICIPALITIES:
        for _key in {_name, _abbr(_name, 0)}:  # a 城市 column says 北京市
            _LOOKUP[1].setdefault(_key, []).append(_code)
    if _r == 2 and _NAME.get(_code[:4] + "00") in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
        _level = 1  # 仙桃市 is a city in everyone's mind
    for _key in {_name, _abbr(_name, _r)}:
        _LOOKUP[_level].setdefault(_key, []).append(_code)
    if _r == 2:
        _parent = _code[:2] if _code[:2] in _MUNICIPALITIES else _code[:4]
        _CHILD_ABBR.setdefault(_parent, []).append((_abbr(_name, 2), _code))
for _children in _CHILD_ABBR.values():
    _children.sort(key=lambda pair: -len(pair[0]))
# Short names cpca matches on their own (中山 for 中山市, 北京 for 北京市).
_CITY_WORDS = frozenset(_abbr(n, 0) for n in _NAME.values() if n not in _PSEUDO) - set(
    _NAME.values()
)


def _real(code: str) -> str:
    """Climb from a pseudo row (110100 市辖区) to the real region above it."""
    while code and _NAME.get(code, "") in _PSEUDO:
        code = code[:4] + "00" if _rank(code) == 2 else code[:2] + "0000"
    return code


@lru_cache(maxsize=16384)
def _parts(code: str) -> tuple[str, str, str]:
    """(province, city, district) names of an adcode; "" → ("", "", "")."""
    if not code:
        return "", "", ""
    province = _NAME.get(code[:2] + "0000", "")
    if code[:2] in _MUNICIPALITIES:
        return province, province, _NAME[code] if _rank(code) == 2 else ""
    if _rank(code) == 0:
        return province, "", ""
    city = _NAME.get(code[:4] + "00", "")
    if _rank(code) == 1:
        return province, city, ""
    if city in _PSEUDO:  # 湖北省仙桃市: a county-level city directly under the province
        return province, _NAME[code], ""
    return province, city, _NAME[code]


def _compatible(a: str, b: str) -> bool:
    n = 2 * (min(_rank(a), _rank(b)) + 1)
    return a[:n] == b[:n]


def _combine(primary: Sequence[str], secondary: Sequence[str]) -> tuple[list[str], bool]:
    """Intersect two candidate lists, keeping the finer code of each compatible
    pair. When nothing is compatible, ``primary`` wins and the flag is set."""
    if not secondary or not primary:
        return list(primary or secondary), False
    pairs = sorted(
        {a if _rank(a) >= _rank(b) else b for a in primary for b in secondary if _compatible(a, b)}
    )
    return (pairs, False) if pairs else (list(primary), True)


def _common(codes: Sequence[str]) -> str:
    """The finest region containing all candidates ("" when none does)."""
    if len(codes) == 1:
        return codes[0]
    for size in (4, 2):
        if codes and len({c[:size] for c in codes}) == 1:
            return _real(codes[0][:size].ljust(6, "0"))
    return ""


# --- street folds -----------------------------------------------------------

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(
    r"[〇零一二两三四五六七八九十百千]+(?=号|栋|幢|楼|层|室|房|单元|座|期|弄|巷)"
)
_ROAD = r"[东西南北中]?[一二三四五六七八九十\d]{0,2}(?:路|街|大道|巷|弄|胡同)"
_ROAD_RE = re.compile(_ROAD.replace("(?:", "(?P<suffix>"))
# After a short district name these mean the name belongs to a street or a
# place (南山大道, 南山村), not to the district.
_NOT_DISTRICT = re.compile(rf"^(?:{_ROAD}|[村山湾湖河江岛桥镇乡站])")
_COUNTRY = re.compile(r"^(中华人民共和国|中国)")
_HASH, _ROOM, _FLOOR = (
    re.compile(p) for p in (r"(?<=\d)#", r"(?<=\d)房", r"(?<=\d)[Ff](?![A-Za-z])")
)
_PUNCT = re.compile(r"(?<=\d)(-)(?=\d)|[\W_]")
_PSEUDO_TEXT = re.compile("|".join(sorted((n for n in _PSEUDO if len(n) > 1), key=len)[::-1]))
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HIDDEN = "\ue000"
_COUNTY_WORDS = re.compile(
    "|".join(sorted({n for n in _NAME.values() if "县" in n and n not in _PSEUDO}, key=len)[::-1])
    + "|县"
)


def _cn_to_int(run: str) -> str:
    if not any(c in _CN_UNIT for c in run):
        return "".join(str(_CN_DIGIT[c]) for c in run)  # 二〇一 → 201
    total, digit = 0, 0
    for c in run:
        if c in _CN_UNIT:
            total, digit = total + (digit or 1) * _CN_UNIT[c], 0
        else:
            digit = _CN_DIGIT[c]
    return str(total + digit)  # 八十八 → 88, 一百零八 → 108


def _clean(text: str) -> str:
    """Apply the street folds of the module docstring to folded Simplified text."""
    text = _HASH.sub("号", text.replace(" ", ""))
    text = _PUNCT.sub(lambda m: m.group(1) or "", text)
    while _PSEUDO_TEXT.search(text):  # 北京市市辖区朝阳区, as some exports write
        text = _PSEUDO_TEXT.sub("", text)
    # Each fold below only writes digits or Han that no earlier fold looks for,
    # so one pass is a fixed point.
    text = _CN_NUMBER.sub(lambda m: _cn_to_int(m.group()), text).replace("幢", "栋")
    text = _ROOM.sub("室", _FLOOR.sub("层", text))
    # Removing punctuation can join characters that NFKC composes further.
    return unicodedata.normalize("NFKC", text).translate(_UPPER)


def _mask(text: str) -> str:
    """Hide from cpca what only looks like a region.

    A city's short name that starts a street name gets '|' after each
    character, so that 中山路 is not read as 中山市 (中|山|路) nor 长江西路 as
    江西省 (长江|西|路). A 县 outside any region name becomes a private-use
    character: cpca's table has a pseudo city named just 县 (重庆's counties).
    :func:`_unmask` undoes both.
    """
    out, last = [], 0
    for m in _ROAD_RE.finditer(text):
        # The name may end before the street's direction or number: 江西+路.
        for end in range(m.start(), m.start("suffix") + 1):
            start = next((end - n for n in (4, 3, 2) if text[end - n : end] in _CITY_WORDS), -1)
            if start >= last:
                out.append(text[last:start] + "|".join(text[start:end]) + "|")
                last = end
                break
    text = "".join(out) + text[last:]
    if "县" in text:  # names holding 县 (忠县, 梅县区) match first and stay
        text = _COUNTY_WORDS.sub(lambda m: _HIDDEN if m.group() == "县" else m.group(), text)
    return text


def _unmask(text: str) -> str:
    return text.replace("|", "").replace(_HIDDEN, "县")


# --- foreign addresses ------------------------------------------------------

_FOREIGN_ABBR = {
    "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "drive": "dr", "lane": "ln", "court": "ct", "place": "pl", "square": "sq",
    "terrace": "ter", "parkway": "pkwy", "highway": "hwy", "expressway": "expy",
    "circle": "cir", "crescent": "cres", "building": "bldg", "suite": "ste",
    "apartment": "apt", "floor": "fl", "room": "rm", "north": "n", "south": "s",
    "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
    "southeast": "se", "southwest": "sw", "number": "no", "strasse": "str",
}  # fmt: skip


def _foreign(text: str) -> AddressResult:
    tokens = re.findall(r"[^\W_]+", text.lower())
    if sum(map(len, tokens)) < 3 or not any(c.isalpha() for c in text):
        return AddressResult(value="", status="invalid", reason="address.junk")
    key = " ".join(_FOREIGN_ABBR.get(t, t) for t in tokens)
    return AddressResult(value=text, status="valid", reason="address.foreign", key=key)


# --- resolution -------------------------------------------------------------

_Parse = tuple[str, int, int, int, str]  # cpca: adcode, 省/市/区 positions, remainder


@lru_cache(maxsize=65536)
def _columns(province: str, city: str, district: str) -> tuple[tuple[str, ...], bool]:
    """Candidate adcodes named by the 省份/城市/区县 columns, and whether the
    columns contradict each other (then the finer column wins)."""
    codes: list[str] = []
    conflict = False
    for level, raw in enumerate((province, city, district)):
        name = "" if is_blank(raw) else _clean(to_simplified(fold(raw)))
        codes, clash = _combine(_LOOKUP[level].get(name, []), codes)
        conflict |= clash
    return tuple(codes), conflict


def _text_candidates(code: str, ppos: int, cpos: int) -> list[str]:
    """All regions the text could mean: a district name found without its
    city may exist in several cities (朝阳区: 北京 and 长春)."""
    code = _real(code)
    if _rank(code) == 0 or cpos >= 0:
        return [code]
    same = _SAME_NAME.get((_rank(code), _NAME[code]), [code])
    return [c for c in same if ppos < 0 or c[:2] == code[:2]]


def _split_district(code: str, key: str) -> tuple[str, str]:
    """Read a short district name right after its city: 深圳南山科技园 → 南山区."""
    parent = code[:2] if _rank(code) == 0 and code[:2] in _MUNICIPALITIES else code[:4]
    if _rank(code) == 2 or (_rank(code) == 0 and parent != code[:2]):
        return code, key
    for short, child in _CHILD_ABBR.get(parent, ()):
        if key.startswith(short) and not _NOT_DISTRICT.match(key[len(short) :]):
            return child, key[len(short) :]
    return code, key


def _street_start(masked: str, first: int, code: str) -> int:
    """Where the street begins: after the first mention of the finest level,
    full name before short name, a short name inside a coarser full name not
    counting (in 吉林省吉林 the city is the second 吉林). -1 if not found."""
    *coarser, finest = [n for n in dict.fromkeys(_parts(code)) if n]
    at = masked.find(finest, first)
    if at >= 0:
        return at + len(finest)
    short = _abbr(finest, 0)
    at = masked.find(short, first)
    while at >= 0 and any(masked.startswith(c, at) for c in coarser):
        at = masked.find(short, at + 1)
    return at + len(short) if at >= 0 else -1


def _strip_region(key: str, code: str) -> str:
    """Drop region names typed twice: 广东省深圳市南山区深圳市南山区… ."""
    return _strip_names(key, _parts(code))


def _strip_names(key: str, names: Sequence[str]) -> str:
    """Remove leading region names, in any order, until none is left."""
    stripped = None
    while stripped != key:
        stripped = key
        for name in filter(None, names):
            key = key.removeprefix(name)
    return key


def _resolve(
    masked: str, parse: _Parse | None, cols: tuple[tuple[str, ...], bool]
) -> AddressResult:
    code, ppos, cpos, dpos, rest = parse or ("", -1, -1, -1, "")
    key = _unmask(masked)
    if code:
        # cpca cuts the street after a region's *last* mention, so 深圳市X路深圳书城
        # would lose "X路深圳": cut after the first mention instead.
        names = {short for n in _parts(_real(code)) if n for short in (n, _abbr(n, 0), _abbr(n, 2))}
        first = min(
            [p for p in (ppos, cpos, dpos) if p >= 0]
            + [i for n in names if (i := masked.find(n)) >= 0]
        )
        start = _street_start(masked, first, _real(code))
        rest = _unmask(masked[start:]) if start >= 0 else rest
        prefix = _COUNTRY.sub("", _unmask(masked[:first]))
        key = rest or prefix  # written street first: 科技园南路88号(深圳市)
    candidates, conflict = _combine(_text_candidates(code, ppos, cpos) if code else [], cols[0])
    conflict |= cols[1]
    region = _common(candidates)
    key = _strip_region(key, region)
    if len(candidates) == 1:
        region, key = _split_district(region, key)
        key = _strip_region(key, region)
    province, city, district = _parts(region)
    if len(candidates) > 1 and len({_NAME[c] for c in candidates}) == 1:
        district = _NAME[candidates[0]]  # ambiguous: keep the name, not a guess
        # Also strip region names typed again after the district
        # (江苏鼓楼区鼓楼区江苏省…), so that the value is stable when re-read.
        key = _strip_names(key, (province, city, district))
    if not region and not district and len(key) < 2:
        return AddressResult(value="", status="invalid", reason="address.junk")
    value = province + (city if city != province else "") + district + key
    status: Status
    if conflict:
        status, reason = "suspect", "address.region_conflict"
    elif len(candidates) > 1:
        status, reason = "partial", "address.ambiguous_district"
    elif not region:
        status, reason = "partial", "address.no_region"
    elif not key:
        status, reason = "partial", "address.no_street"
    elif _rank(region) < 2 and region[: 2 * _rank(region) + 2] in _HAS_CHILDREN:
        status, reason = "partial", "address.no_district"
    else:
        status, reason = "valid", ""
    return AddressResult(
        value=value, status=status, reason=reason, province=province, city=city,
        district=district, key=key, adcode=region if len(candidates) == 1 else "",
    )  # fmt: skip


def _region_only(cols: tuple[tuple[str, ...], bool], reason: str) -> AddressResult:
    """A blank (reason "") or placeholder text still reports the region its
    columns name, so the 省份/城市/区县 columns get standardized too."""
    region = _common(cols[0])
    province, city, district = _parts(region)
    return AddressResult(
        value="", status="invalid" if reason else "missing", reason=reason,
        province=province, city=city, district=district,
        adcode=region if len(cols[0]) == 1 else "",
    )  # fmt: skip


def _cpca(texts: Sequence[str]) -> dict[str, _Parse]:
    """cpca's reading of many distinct texts."""
    if not texts:
        return {}
    one = getattr(cpca, "_get_one_addr", None)
    if one is None:  # another cpca version: its public (pandas) interface
        return _cpca_frame(texts)
    parses: dict[str, _Parse] = {}
    for text in texts:
        # The dict cpca.transform makes each DataFrame row of.
        found = one(text, True, {})
        code, rest = found["adcode"], found["地址"]
        if isinstance(code, str):
            rest = _unmask(rest) if isinstance(rest, str) else ""
            parses[text] = (code, found["省_pos"], found["市_pos"], found["区_pos"], rest)
    return parses


def _cpca_frame(texts: Sequence[str]) -> dict[str, _Parse]:
    """One cpca.transform call for many texts (its per-call DataFrame is the cost)."""
    df = cpca.transform(list(texts), pos_sensitive=True)
    rows = zip(df["adcode"], df["省_pos"], df["市_pos"], df["区_pos"], df["地址"], strict=True)
    parses: dict[str, _Parse] = {}
    for text, (code, ppos, cpos, dpos, rest) in zip(texts, rows, strict=True):
        if isinstance(code, str):
            rest = _unmask(rest) if isinstance(rest, str) else ""
            parses[text] = (code, int(ppos), int(cpos), int(dpos), rest)
    return parses


_CACHE: dict[tuple[str, str, str, str], AddressResult] = {}
_CACHE_MAX = 1 << 18  # entries; cleared wholesale when full (cheap, and rare)


def _as_item(item: Sequence[str]) -> tuple[str, str, str, str]:
    """Tolerate None/NaN cells from a DataFrame: anything not a str is blank."""
    raw, province, city, district = item
    if type(raw) is str and type(province) is str and type(city) is str and type(district) is str:
        return raw, province, city, district
    raw, province, city, district = (x if isinstance(x, str) else "" for x in item)
    return raw, province, city, district


def normalize_addresses(items: Sequence[tuple[str, str, str, str]]) -> list[AddressResult]:
    """Standardize many addresses with a single cpca call.

    Duplicates are standardized once and results are cached across calls, so a
    CRM export with the same streets over and over is cheap.

    Args:
        items: ``(raw, province, city, district)`` tuples; the last three come
            from separate 省份/城市/区县 columns and may be "".

    Returns:
        One :class:`AddressResult` per item, in order; see
        :func:`normalize_address` for the contract.

    Example:
        >>> [r.district for r in normalize_addresses([("南山区科技园南路88号", "", "深圳", "")])]
        ['南山区']
    """
    results: dict[tuple[str, str, str, str], AddressResult] = {}
    pending: dict[tuple[str, str, str, str], str] = {}  # item → masked clean text
    keys = [_as_item(item) for item in items]
    for item in keys:
        if item in results or item in pending:
            continue
        if item in _CACHE:
            results[item] = _CACHE[item]
            continue
        raw, cols = item[0], _columns(*item[1:])
        if is_blank(raw) or is_placeholder(raw):
            reason = "" if is_blank(raw) else "address.placeholder"
            results[item] = _region_only(cols, reason)
            continue
        text = to_simplified(fold(raw))
        if not has_han(text):
            results[item] = _foreign(text)
            continue
        cleaned = _clean(text)
        if not has_han(cleaned):  # only 市辖区 and punctuation were Chinese
            results[item] = AddressResult(value="", status="invalid", reason="address.junk")
            continue
        pending[item] = _mask(cleaned)
    parses = _cpca(list(dict.fromkeys(pending.values())))
    for item, masked in pending.items():
        results[item] = _resolve(masked, parses.get(masked), _columns(*item[1:]))
    if len(_CACHE) + len(results) > _CACHE_MAX:
        _CACHE.clear()
    _CACHE.update(results)
    return [results[item] for item in keys]


@lru_cache(maxsize=65536)
def normalize_address(
    raw: str, province: str = "", city: str = "", district: str = ""
) -> AddressResult:
    """Standardize one address; see the module docstring for the folds.

    Contract: never raises; blank → ``missing``; placeholder → ``invalid``
    (``address.placeholder``); ``valid`` when a district (or a city without
    districts, such as 东莞市) and a street are present; ``partial`` for
    region only (``address.no_street``), street only (``address.no_region``),
    no district (``address.no_district``) or a district name found in several
    cities with no city to tell them apart (``address.ambiguous_district``:
    province and city stay empty rather than guessed). Explicit columns fill
    in and disambiguate; when they contradict the text, the text wins and the
    status is ``suspect`` (``address.region_conflict``). Text without Chinese
    characters is kept as typed, ``valid`` with ``address.foreign``. Results
    are idempotent: ``normalize_address(r.value).value == r.value``.

    Args:
        raw: The address as typed.
        province: The 省份 column, if the file has one.
        city: The 城市 column.
        district: The 区县 column.

    Returns:
        An :class:`AddressResult`.

    Example:
        >>> r = normalize_address("廣東省深圳市南山區科技園南路八十八號")
        >>> r.value, r.key, r.adcode
        ('广东省深圳市南山区科技园南路88号', '科技园南路88号', '440305')
    """
    return normalize_addresses([(raw, province, city, district)])[0]
