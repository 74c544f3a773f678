"""Company names: keep the display form, build a matching key.

The ``value`` is what the customer wrote, only folded (NFKC, whitespace,
control characters dropped): no script conversion, legal forms kept. The
``key`` is for matching and is built in stages:

1. Simplified, lower case, all brackets folded to ``()``.
2. Bracket groups: a region ("（北京）", "(China)") goes to ``region``; a legal
   form ("(有限合伙)", "(株)") is dropped; anything else keeps its text
   without the brackets ("平安保险(集团)" → "平安保险集团").
3. Legal forms removed from the end: 股份有限公司, 有限责任公司, 有限公司,
   股份公司, 公司, 有限合伙, 株式会社 ...; English Co., Ltd., Limited, Inc.,
   Corp., LLC, GmbH, PLC, Pte, Pty, S.A., AG, K.K. ... Decisions: 集团 stays
   (阿里巴巴集团 and 阿里巴巴 are different legal entities); a legal form
   followed by a branch (…有限公司北京分公司, …股份有限公司深圳分行) is removed
   but the branch stays, so a branch never matches its head office.
4. A leading province, municipality or prefecture-level city ("北京",
   "深圳市", "广东省") goes to ``region``; when what is left is only an
   industry word (北京大学 → 大学, 北京科技 → 科技) the region stays in the
   key as its short form, so 北京大学 and 南京大学 stay apart.
5. Han keys lose all spaces and punctuation; Latin keys keep single spaces.

A stage never reduces the key to nothing: "有限公司" or "北京有限公司" keep
the last non-empty stage and are reported as ``company.generic``. Latin
names only lose regions in brackets, not leading city names.

Reason templates use ``{value}`` for the raw value and ``{suggestion}`` for
the standardized value (``result.value``).
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from core.standardize.result import FieldResult, Status
from core.standardize.text import fold, is_blank, is_placeholder, to_simplified

REASONS: dict[str, tuple[str, str]] = {
    "company.placeholder": (
        "'{value}' is a placeholder or test value, not a company; enter the company name",
        "“{value}”是占位或测试内容，不是公司名称，请填写公司名称",
    ),
    "company.no_letters": (
        "'{value}' has only digits or symbols; enter the company name",
        "“{value}”只有数字或符号，请填写公司名称",
    ),
    "company.individual": (
        "'{value}' says the customer is an individual, not a company; leave the company empty",
        "“{value}”表示客户是个人而非公司，公司字段可留空",
    ),
    "company.generic": (
        "'{value}' has no distinctive name, only a region or legal form; enter the full "
        "name, e.g. 字节跳动科技有限公司",
        "“{value}”只有地区或公司类型，没有字号，请填写全称，例如 字节跳动科技有限公司",
    ),
    "company.has_phone": (
        "'{value}' contains a phone number; keep it in the phone field",
        "“{value}”含电话号码，请把号码填到电话字段",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyResult(FieldResult):
    """A company name with its matching key and the region taken out of it."""

    key: str = ""
    region: str = ""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e\u2061-\u2064]")
_BRACKETS = str.maketrans(
    dict.fromkeys("【〔[{「『〖《〈", "(") | dict.fromkeys("】〕]}」』〗》〉", ")")
)
_GROUP = re.compile(r"\(([^()]*)\)")
_PHONE = re.compile(r"\d(?:[\s-]?\d){6,}")
_PUNCT = re.compile(r"[\W_]+")
_DOTS = re.compile("[\u0300-\u036f.'’]")  # S.A. → sa, O'Neil → oneil, accents
_ASCII_WORDS = re.compile("[a-z0-9]+")
_WORDS = re.compile(r"[^\w-]+")
_HAN_RE = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_SCRIPT_RUNS = re.compile("[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")
_JUNK_RE = re.compile(r"(?:test|测试|ceshi|demo)(?:公司|单位|企业|company|co)?[\d\s_\-.]*")
_JUNK = frozenset(
    "单位 工作单位 单位名称 公司名称 企业名称 无单位 暂无单位 没有单位 不方便透露 company "
    "companyname aaa abc asdf qwer nan".split()
)
_INDIVIDUAL = frozenset(
    "个人 个体 个体户 个体经营 个体工商户 自由职业 自由职业者 自由人 自雇 学生 在校学生 在校生 "
    "大学生 研究生 家庭主妇 主妇 全职太太 全职妈妈 宝妈 无业 待业 无工作 退休 已退休 离退休 务农 "
    "农民 私人 个人客户 个人用户 散客 self-employed selfemployed freelance freelancer "
    "individual personal private student retired housewife homemaker unemployed".split()
)
_HAN_LEGAL = tuple(
    sorted(
        "股份有限公司 有限责任公司 有限公司 股份公司 总公司 公司 有限合伙 特殊普通合伙 普通合伙 "
        "合伙企业 个人独资企业 株式会社 有限会社 合同会社 주식회사 유한회사".split(),
        key=len,
        reverse=True,
    )
)
_BRANCH = "分公司|分行|支行|分店|办事处|营业部|分部|分厂|门市部|经营部|代表处|分所|分院"
_MID_LEGAL = re.compile(f"(?:股份有限公司|有限责任公司|有限公司|股份公司|公司)(?=.+(?:{_BRANCH})$)")
_HAN_PREFIX_LEGAL = ("株式会社", "有限会社", "合同会社", "주식회사")
_BRACKET_LEGAL = frozenset("株 有 주 有限合伙 普通合伙 特殊普通合伙 有限公司 有限责任公司".split())
_LATIN_LEGAL = frozenset(
    "co ltd limited inc incorporated corp corporation llc llp plc gmbh ag sa sas sarl srl spa "
    "bv nv pte pty kk oy kg ug sdn bhd company lp 주식회사 유한회사 ооо оао зао пао ао "
    "ab as asa aps oyj se sl sprl bvba cv vof mbh kgaa ohg eg ltda sac sab cia pvt "
    "kabushikikaisha gk yk".split()
)
_LEADING_LEGAL = frozenset("nv bv sa ag kk pt cv pt tbk ooo oao zao pao ao".split())
"""Legal forms written before the name (N.V. Philips, PT Astra, OOO Ромашка)."""
_LEGAL_PHRASES = tuple(
    tuple(p.split())
    for p in sorted(
        (
            "besloten vennootschap",
            "naamloze vennootschap",
            "commanditaire vennootschap",
            "gesellschaft mit beschrankter haftung",
            "mit beschrankter haftung",
            "aktiengesellschaft",
            "kommanditgesellschaft",
            "public limited company",
            "limited liability company",
            "limited liability partnership",
            "private limited",
            "proprietary limited",
            "pty ltd",
            "societe anonyme",
            "societe par actions simplifiee",
            "societa per azioni",
            "societa a responsabilita limitata",
            "sociedad anonima",
            "sociedad limitada",
            "kabushiki kaisha",
            "godo kaisha",
            "co ltd",
            "company limited",
            "holding company",
        ),
        key=lambda p: -len(p.split()),
    )
)
"""Legal forms spelled out in several words, taken off the end like the others."""
_HONORIFIC = frozenset(
    "koninklijke koninklijk konink koninkl kon royal konigliche koniglich kongelige kungliga "
    "real reale imperial".split()
)
"""Words that decorate a name without telling organisations apart
(KONINKLIJKE PHILIPS = PHILIPS)."""
_ABBREVIATIONS = {
    "intl": "international", "int": "international", "internat": "international",
    "mfg": "manufacturing", "mfrs": "manufacturers", "bros": "brothers", "svcs": "services",
    "svc": "services", "sys": "systems", "natl": "national", "assn": "association",
    "assoc": "association", "univ": "university", "inst": "institute", "ctr": "center",
    "centre": "center", "tech": "technology", "technologies": "technology",
    "techn": "technology", "elec": "electronics", "electr": "electronics", "ind": "industries",
    "inds": "industries", "industrial": "industries", "labs": "laboratories",
    "lab": "laboratories", "mgmt": "management", "dev": "development", "eng": "engineering",
    "engg": "engineering", "pharma": "pharmaceuticals", "pharm": "pharmaceuticals",
    "chem": "chemicals", "chemical": "chemicals", "dept": "department", "grp": "group",
    "hldgs": "holdings", "hldg": "holdings", "holding": "holdings", "nederland": "netherlands",
    "deutschland": "germany",
}  # fmt: skip
"""Common abbreviations and variants, read as one word when matching."""
_CONNECTIVES = frozenset("and the of und en et".split())
"""Words that join a name's words without telling names apart (Procter &
Gamble: "and" is no reason to link it with Smith and Sons)."""
_GENERIC = frozenset(
    "科技 技术 信息 网络 电子 贸易 商贸 实业 投资 控股 咨询 管理 服务 发展 建设 建筑 工程 "
    "文化 传媒 广告 教育 医疗 医药 药业 生物 物流 运输 航空 银行 保险 证券 基金 地产 房地产 "
    "置业 物业 餐饮 食品 农业 能源 电力 化工 机械 设备 制造 汽车 材料 环保 印刷 包装 服饰 "
    "纺织 家具 装饰 设计 软件 "
    "通信 电器 集团 大学 学院 学校 中学 小学 幼儿园 医院 人民医院 研究院 研究所 政府 日报 电视台 "
    "图书馆 博物馆 中心 酒店 旅游 旅行社 工作室 事务所 商行 店 厂 企业 人力资源 供应链 电子商务 "
    "进出口 国际 商务 健康 新能源 数据 智能 分公司 分行 支行 办事处 有限 股份 市 省 "
    "trading technology technologies tech international group holding holdings services "
    "consulting industries industrial enterprise enterprises global investment investments "
    "solutions systems management development logistics bank insurance and the".split()
)
# Short city names that more often start a brand than name a place
# (阿里巴巴, 大理石, 白银投资, 普洱茶): only their full forms (阿里地区) count.
_NOT_SHORT_REGION = frozenset(
    "阿里 大理 白银 普洱 玉树 红河 朝阳 大同 长治 三明 安康 来宾 兴安".split()
)
_BRACKET_REGIONS = {
    "中国": "中国", "中华人民共和国": "中国", "中国大陆": "中国", "中国香港": "香港",
    "中国台湾": "台湾", "中国澳门": "澳门", "美国": "美国", "英国": "英国", "日本": "日本",
    "韩国": "韩国", "德国": "德国", "法国": "法国", "新加坡": "新加坡", "亚太": "亚太",
    "china": "中国", "prc": "中国", "beijing": "北京", "shanghai": "上海", "shenzhen": "深圳",
    "guangzhou": "广州", "hangzhou": "杭州", "suzhou": "苏州", "tianjin": "天津",
    "chongqing": "重庆", "chengdu": "成都", "wuhan": "武汉", "nanjing": "南京", "xiamen": "厦门",
    "hong kong": "香港", "hongkong": "香港", "hk": "香港", "macau": "澳门", "macao": "澳门",
    "taiwan": "台湾", "singapore": "新加坡", "japan": "日本", "korea": "韩国", "usa": "美国",
    "us": "美国", "uk": "英国", "germany": "德国", "france": "法国", "asia pacific": "亚太",
}  # fmt: skip
_PROVINCES = (  # fallback when the cpca data file is not there
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 "
    "江西省 山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 "
    "台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 "
    "香港特别行政区 澳门特别行政区"
).split()
_REGION_SUFFIX = re.compile("(?:省|市|自治区|特别行政区|地区|盟|自治州|自治县)$")


def _short_region(name: str, nations: list[str]) -> str:
    """广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 深圳市 → 深圳."""
    short = _REGION_SUFFIX.sub("", name)
    changed = True
    while changed:
        changed = False
        for nation in nations:
            if short.endswith(nation) and len(short) > len(nation) + 1:
                short, changed = short[: -len(nation)], True
    return short


@cache
def _regions() -> dict[str, str]:
    """Province and prefecture names, full and short, → short name.

    Read from the adcode table bundled with ``cpca`` (not imported: importing
    it builds its address matcher); a built-in province list otherwise.
    """
    spec = importlib.util.find_spec("cpca")
    names = list(_PROVINCES)
    nations: list[str] = []
    if spec and spec.submodule_search_locations:
        res = Path(next(iter(spec.submodule_search_locations))) / "resources"
        try:
            with open(res / "adcodes.csv", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    code = row["adcode"][:6]
                    if code.endswith("00") and not row["name"].endswith(("辖区", "县", "划")):
                        names.append(row["name"])
            with open(res / "56_nations.csv", encoding="utf-8") as fh:
                nations = [n.strip() for n in fh if n.strip()]
        except (OSError, KeyError, UnicodeDecodeError, csv.Error):
            pass  # keep the built-in province list
    nations = sorted({v for n in nations for v in (n, n.removesuffix("族"))}, key=len, reverse=True)
    regions: dict[str, str] = {}
    for name in names + ["台北市", "新北市", "台中市", "台南市", "高雄市", "桃园市"]:
        short = _short_region(name, nations)
        regions[name] = short
        if len(short) >= 2 and short not in _NOT_SHORT_REGION:
            regions.setdefault(short, short)
    return regions


_GENERIC_FIRST = frozenset(w[0] for w in _GENERIC)


@cache
def _region_first() -> frozenset[str]:
    return frozenset(name[0] for name in _regions())


def _is_generic(text: str) -> bool:
    """True when ``text`` is made only of industry words (网络科技, 大学)."""
    if text in _GENERIC:
        return True
    if not text or text[0] not in _GENERIC_FIRST:  # fast exit for most names
        return False
    ok = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        ok[end] = any(ok[s] and text[s:end] in _GENERIC for s in range(max(0, end - 5), end))
    return ok[-1]


def _strip_han(core: str) -> tuple[str, str, bool]:
    """Legal forms and leading regions off a Han key: (key, region, generic)."""
    core = _MID_LEGAL.sub("", core)
    stage = core
    for prefix in _HAN_PREFIX_LEGAL:
        stage = stage.removeprefix(prefix)
    for _ in range(3):
        form = next((f for f in _HAN_LEGAL if stage.endswith(f)), "")
        if not form or (form == "公司" and stage.endswith("分公司")):
            break
        stage = stage[: -len(form)]
    if not stage:
        return core, "", True
    regions, region, rest = _regions(), "", stage
    for _ in range(3):  # 广东省深圳市…: keep the most specific
        if not rest or rest[0] not in _region_first():
            break
        size = next((n for n in range(min(12, len(rest)), 1, -1) if rest[:n] in regions), 0)
        if not size or rest[size:].startswith(("场", "政")):  # 上海市场…, 北京市政…
            break
        region, rest = regions[rest[:size]], rest[size:]
    if region and (not rest or _is_generic(rest)):
        return stage if not rest else region + rest, "", not rest
    return rest, region, _is_generic(rest)


def _latin_key(text: str) -> tuple[str, bool]:
    """Latin (or other non-Han) key: accents off, legal-form tokens off the end."""
    text = _DOTS.sub("", text).replace("&", " and ")
    if text.isascii():
        tokens = _ASCII_WORDS.findall(text)
    else:
        # Accents off Latin letters only: NFKD would also split kana and hangul.
        text = "".join(c if ord(c) > 0x24F else unicodedata.normalize("NFKD", c) for c in text)
        text = _DOTS.sub("", text)
        tokens = "".join(
            c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in text
        ).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    core = [t for t in tokens if t not in _HONORIFIC] or list(tokens)
    while len(core) > 1 and core[0] in _LEADING_LEGAL:
        core.pop(0)
    for phrase in _LEGAL_PHRASES:  # spelled out before the name (Besloten Vennootschap X)
        if len(core) > len(phrase) and tuple(core[: len(phrase)]) == phrase:
            del core[: len(phrase)]
            break
    if len(core) > 1 and core[-1] == "v":
        core.pop()  # a stray letter left of a legal form (N.V. → V)
    stripped = True
    while core and stripped:
        stripped = False
        for phrase in _LEGAL_PHRASES:
            if len(core) > len(phrase) and tuple(core[-len(phrase) :]) == phrase:
                del core[-len(phrase) :]
                stripped = True
                break
        while core and (core[-1] in _LATIN_LEGAL or core[-1] == "and"):
            core.pop()
            stripped = True
    if not core:
        return " ".join(tokens), True
    return " ".join(core), all(t in _GENERIC for t in core)


def matching_tokens(key: str) -> str:
    """The words two organisation names are compared on: a Latin key's words
    with abbreviations read in full, a Han key's overlapping character pairs
    (腾飞电子 → 腾飞 飞电 电子), distinct and sorted, space-separated. Word
    order, punctuation and the legal form no longer matter; how common each
    word is, matching weighs (:mod:`core.matching.comparisons`).

    Example:
        >>> matching_tokens("philips intl electronics")
        'electronics international philips'
    """
    words: set[str] = set()
    for part in key.split():
        han = _HAN_RE.findall(part)
        if han and len(han) == len(part):
            words.update(part[i : i + 2] for i in range(max(len(part) - 1, 1)))
            continue
        if han:  # mixed: the Latin runs as words, the Han runs as pairs
            for run in _SCRIPT_RUNS.findall(part):
                if _HAN_RE.match(run):
                    words.update(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
                else:
                    words.add(_ABBREVIATIONS.get(run, run))
            continue
        words.add(_ABBREVIATIONS.get(part, part))
    words -= _CONNECTIVES
    words.discard("")
    return " ".join(sorted(words))


def _brackets(text: str) -> tuple[str, str]:
    """Take bracketed regions out, unwrap other groups: (text, region)."""
    region = ""
    for _ in range(text.count("(")):
        group = _GROUP.search(text)
        if group is None:
            break
        inner = group[1].strip()
        found = _BRACKET_REGIONS.get(inner) or _regions().get(inner, "")
        if found:
            region = region or found
        keep = "" if found or inner in _BRACKET_LEGAL else f" {inner} "
        text = text[: group.start()] + keep + text[group.end() :]
    return text.replace("(", " ").replace(")", " "), region


def _key(simple: str) -> tuple[str, str, bool]:
    """(key, region, generic) for a folded, simplified, lower-cased name."""
    text, bracket_region = _brackets(simple.translate(_BRACKETS))
    if _HAN_RE.search(text):
        core = _PUNCT.sub("", text)
        key, region, generic = _strip_han(core) if core else ("", "", True)
    else:
        key, generic = _latin_key(text)
        region = ""
    if bracket_region and not region:
        if generic and key and _HAN_RE.search(key):
            return bracket_region + key, "", False  # 科技（北京）有限公司 → 北京科技
        region = bracket_region
    if not key:  # only a bracketed region and a legal form
        return _PUNCT.sub("", text) or _PUNCT.sub("", simple) or simple, "", True
    return key, region, generic


@lru_cache(maxsize=65536)
def normalize_company(raw: str) -> CompanyResult:
    """Standardize a company name and build its matching key.

    Pure and total: never raises; feeding ``value`` back in gives the same
    ``value`` and ``key``. ``status`` is ``missing`` iff ``raw`` is blank.

    Args:
        raw: The company cell as typed.

    Returns:
        A :class:`CompanyResult`: ``value`` is the folded display form;
        ``key`` the matching key (never empty unless status is missing,
        invalid or partial); ``region`` the region taken out of the key.
        Individuals (个人, 学生, 自由职业) are ``partial`` with an empty key.

    Example:
        >>> r = normalize_company("字节跳动科技（北京）有限公司")
        >>> r.key, r.region
        ('字节跳动科技', '北京')
        >>> normalize_company("Alibaba Group Holding Limited").key
        'alibaba group holding'
    """
    if not isinstance(raw, str):  # pandas hands over None/NaN for empty cells
        raw = "" if raw is None else str(raw)
    if is_blank(raw):
        return CompanyResult(value="", status="missing")
    # NFKC again: fold() drops zero-width characters after normalising, so
    # "A\u200b\u0300" would only compose to "À" on a second pass.
    value = unicodedata.normalize("NFKC", fold(_CONTROL.sub(" ", raw)))
    squeezed = _PUNCT.sub("", value.lower())
    if (
        not value
        or is_placeholder(value)
        or squeezed in _JUNK
        or _JUNK_RE.fullmatch(squeezed)
        or (len(squeezed) >= 3 and len(set(squeezed)) == 1)
    ):
        return CompanyResult(value="", status="invalid", reason="company.placeholder")
    if not any(c.isalpha() for c in value):
        return CompanyResult(value="", status="invalid", reason="company.no_letters")
    simple = to_simplified(value).lower()
    # 个人, 個人, 学生, 个人（自由职业）, self-employed
    if len(squeezed) <= 24 and all(w in _INDIVIDUAL for w in _WORDS.split(simple) if w):
        return CompanyResult(value=value, status="partial", reason="company.individual")
    key, region, generic = _key(simple)
    if len(key) <= 8 and (is_placeholder(key) or key in _JUNK):  # 无公司, 未知单位
        return CompanyResult(value="", status="invalid", reason="company.placeholder")
    if _PHONE.search(value):
        reason = "company.has_phone"
    else:
        reason = "company.generic" if generic else ""
    status: Status = "suspect" if reason else "valid"
    return CompanyResult(value=value, status=status, reason=reason, key=key, region=region)
