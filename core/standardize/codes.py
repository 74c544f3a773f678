"""Coded fields: postcode, country (ISO 3166-1 alpha-2) and customer type.

Lookups compare a folded key: NFKC, Traditional → Simplified, lower case,
everything but letters, digits and Han characters removed. So ``U.S.A.``,
``usa`` and ``Ｕｓａ`` meet the same entry, as do 中華人民共和國 and
中华人民共和国.

``{suggestion}`` in the REASONS templates is the standardized value.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from core.standardize.result import FieldResult
from core.standardize.text import fold, is_blank, is_placeholder, to_simplified

REASONS: dict[str, tuple[str, str]] = {
    "postcode.placeholder": (
        "'{value}' is a placeholder, not a postcode; enter the real one, e.g. 518057",
        "“{value}”是占位内容，不是邮编；请填写真实邮编，例如 518057",
    ),
    "postcode.cn_format": (
        "'{value}' is not a Chinese postcode; it has 6 digits, e.g. 518057",
        "“{value}”不是有效的中国邮编；邮编为 6 位数字，例如 518057",
    ),
    "postcode.leading_zero": (
        "'{value}' looks like a Chinese postcode that lost its leading zero "
        "(spreadsheet number format); read as {suggestion}",
        "“{value}”像是被表格当作数字而丢了开头的 0 的邮编；已按 {suggestion} 处理",
    ),
    "postcode.format": (
        "'{value}' is not a postcode; use 3 to 10 letters, digits, spaces or dashes, e.g. SW1A 1AA",
        "“{value}”不是有效邮编；应为 3 到 10 位字母、数字、空格或连字符，例如 SW1A 1AA",
    ),
    "country.placeholder": (
        "'{value}' is a placeholder, not a country; enter it as CN, 中国 or China",
        "“{value}”是占位内容，不是国家；请填写 CN、中国 或 China 等",
    ),
    "country.unknown": (
        "'{value}' is not a country we recognise; use an ISO code such as CN, US or GB, "
        "or a name such as 中国 or Germany",
        "无法识别国家“{value}”；请使用 CN、US、GB 等代码或 中国、德国 等名称",
    ),
    "country.namibia_or_na": (
        "'{value}' may mean Namibia or \"not available\"; write Namibia, or leave the cell blank",
        "“{value}”可能指纳米比亚，也可能表示“不适用”；如是纳米比亚请写 Namibia，否则请留空",
    ),
    "customer_type.placeholder": (
        "'{value}' is a placeholder, not a customer type; use prospect, customer or key_account",
        "“{value}”是占位内容，不是客户类型；请使用 潜在客户、客户 或 大客户",
    ),
    "customer_type.unknown": (
        "'{value}' is not a customer type; use prospect (潜在客户), customer (客户) "
        "or key_account (大客户)",
        "无法识别客户类型“{value}”；请使用 潜在客户（prospect）、客户（customer）"
        "或 大客户（key_account）",
    ),
}


def _key(raw: str) -> str:
    return re.sub(r"[\W_]", "", to_simplified(fold(raw)).lower())


# --- postcode ---------------------------------------------------------------

_LABEL = re.compile(r"^(邮编|邮政编码|POST ?CODE|POSTAL ?CODE|ZIP ?CODE|ZIP)\s*[:：]?\s*")
_GENERIC = re.compile(r"[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]")


@lru_cache(maxsize=65536)
def normalize_postcode(raw: str, country: str = "CN") -> FieldResult:
    """Standardize a postcode for a country.

    China: 6 digits, the first 0–8; a 5-digit value starting 1–7 is a code
    whose leading zero a spreadsheet dropped (010010 → 10010) and comes back
    ``suspect`` with the zero restored. Other countries (and a blank
    ``country``): upper-cased, single-spaced, ``valid`` when 3–10 letters,
    digits, spaces or dashes. Never raises; idempotent on ``value``.

    Args:
        raw: The postcode as typed (a ``邮编:`` label and ``.0`` are tolerated).
        country: The record's country in any form :func:`normalize_country`
            reads (CN, 中国, China); "CN" by default.

    Returns:
        A :class:`FieldResult`.

    Example:
        >>> normalize_postcode("５１８０５７").value
        '518057'
    """
    if is_blank(raw):
        return FieldResult(value="", status="missing")
    if is_placeholder(raw):
        return FieldResult(value="", status="invalid", reason="postcode.placeholder")
    text = _LABEL.sub("", fold(raw).upper())
    if normalize_country(country).value == "CN":
        digits = re.sub(r"[\s-]|\.0$", "", text)
        if re.fullmatch(r"[0-8]\d{5}", digits):
            if digits == digits[0] * 6:  # 000000, 111111: typed to get past a form
                return FieldResult(value="", status="invalid", reason="postcode.placeholder")
            return FieldResult(value=digits, status="valid")
        if re.fullmatch(r"[1-7]\d{4}", digits):
            return FieldResult(value="0" + digits, status="suspect", reason="postcode.leading_zero")
        return FieldResult(value="", status="invalid", reason="postcode.cn_format")
    if _GENERIC.fullmatch(text):
        return FieldResult(value=text, status="valid")
    return FieldResult(value="", status="invalid", reason="postcode.format")


# --- country ----------------------------------------------------------------

# ISO 3166-1: alpha-2 and alpha-3 of every country and territory.
_ISO = """
AD AND AE ARE AF AFG AG ATG AI AIA AL ALB AM ARM AO AGO AQ ATA AR ARG AS ASM AT AUT
AU AUS AW ABW AX ALA AZ AZE BA BIH BB BRB BD BGD BE BEL BF BFA BG BGR BH BHR BI BDI
BJ BEN BL BLM BM BMU BN BRN BO BOL BQ BES BR BRA BS BHS BT BTN BV BVT BW BWA BY BLR
BZ BLZ CA CAN CC CCK CD COD CF CAF CG COG CH CHE CI CIV CK COK CL CHL CM CMR CN CHN
CO COL CR CRI CU CUB CV CPV CW CUW CX CXR CY CYP CZ CZE DE DEU DJ DJI DK DNK DM DMA
DO DOM DZ DZA EC ECU EE EST EG EGY EH ESH ER ERI ES ESP ET ETH FI FIN FJ FJI FK FLK
FM FSM FO FRO FR FRA GA GAB GB GBR GD GRD GE GEO GF GUF GG GGY GH GHA GI GIB GL GRL
GM GMB GN GIN GP GLP GQ GNQ GR GRC GS SGS GT GTM GU GUM GW GNB GY GUY HK HKG HM HMD
HN HND HR HRV HT HTI HU HUN ID IDN IE IRL IL ISR IM IMN IN IND IO IOT IQ IRQ IR IRN
IS ISL IT ITA JE JEY JM JAM JO JOR JP JPN KE KEN KG KGZ KH KHM KI KIR KM COM KN KNA
KP PRK KR KOR KW KWT KY CYM KZ KAZ LA LAO LB LBN LC LCA LI LIE LK LKA LR LBR LS LSO
LT LTU LU LUX LV LVA LY LBY MA MAR MC MCO MD MDA ME MNE MF MAF MG MDG MH MHL MK MKD
ML MLI MM MMR MN MNG MO MAC MP MNP MQ MTQ MR MRT MS MSR MT MLT MU MUS MV MDV MW MWI
MX MEX MY MYS MZ MOZ NA NAM NC NCL NE NER NF NFK NG NGA NI NIC NL NLD NO NOR NP NPL
NR NRU NU NIU NZ NZL OM OMN PA PAN PE PER PF PYF PG PNG PH PHL PK PAK PL POL PM SPM
PN PCN PR PRI PS PSE PT PRT PW PLW PY PRY QA QAT RE REU RO ROU RS SRB RU RUS RW RWA
SA SAU SB SLB SC SYC SD SDN SE SWE SG SGP SH SHN SI SVN SJ SJM SK SVK SL SLE SM SMR
SN SEN SO SOM SR SUR SS SSD ST STP SV SLV SX SXM SY SYR SZ SWZ TC TCA TD TCD TF ATF
TG TGO TH THA TJ TJK TK TKL TL TLS TM TKM TN TUN TO TON TR TUR TT TTO TV TUV TW TWN
TZ TZA UA UKR UG UGA UM UMI US USA UY URY UZ UZB VA VAT VC VCT VE VEN VG VGB VI VIR
VN VNM VU VUT WF WLF WS WSM YE YEM YT MYT ZA ZAF ZM ZMB ZW ZWE
""".split()
# Chinese and English names, with the variants CRM users type, "|"-separated.
_NAMES = {
    "CN": "中国|中华人民共和国|中国大陆|中国内地|大陆|内地|China|PRC|P.R.China|Mainland China|"
    "China Mainland|People's Republic of China",
    "HK": "香港|中国香港|香港特别行政区|Hong Kong|HKSAR|Hong Kong SAR|Hong Kong China",
    "MO": "澳门|中国澳门|澳门特别行政区|Macau|Macao|Macao SAR",
    "TW": "台湾|中国台湾|台湾省|Taiwan|Taiwan China|Taiwan Province of China",
    "US": "美国|美利坚合众国|U.S.|United States|United States of America|America",
    "GB": "英国|大不列颠|U.K.|United Kingdom|Great Britain|Britain|England|Scotland|Wales",
    "JP": "日本|Japan", "KR": "韩国|南韩|大韩民国|Korea|South Korea|Republic of Korea",
    "KP": "朝鲜|北韩|North Korea|DPRK", "SG": "新加坡|Singapore", "DE": "德国|Germany|Deutschland",
    "FR": "法国|France", "AU": "澳大利亚|澳洲|Australia", "CA": "加拿大|Canada",
    "NZ": "新西兰|New Zealand", "IT": "意大利|Italy", "ES": "西班牙|Spain", "PT": "葡萄牙|Portugal",
    "NL": "荷兰|Netherlands|Holland", "BE": "比利时|Belgium", "CH": "瑞士|Switzerland",
    "AT": "奥地利|Austria", "SE": "瑞典|Sweden", "NO": "挪威|Norway", "DK": "丹麦|Denmark",
    "FI": "芬兰|Finland", "IE": "爱尔兰|Ireland", "PL": "波兰|Poland",
    "CZ": "捷克|Czech Republic|Czechia", "HU": "匈牙利|Hungary", "GR": "希腊|Greece",
    "TR": "土耳其|Turkey|Türkiye|Turkiye", "RU": "俄罗斯|俄国|Russia|Russian Federation",
    "UA": "乌克兰|Ukraine", "IN": "印度|India", "PK": "巴基斯坦|Pakistan",
    "BD": "孟加拉|孟加拉国|Bangladesh", "LK": "斯里兰卡|Sri Lanka", "NP": "尼泊尔|Nepal",
    "TH": "泰国|Thailand", "VN": "越南|Vietnam|Viet Nam", "MY": "马来西亚|Malaysia",
    "ID": "印度尼西亚|印尼|Indonesia", "PH": "菲律宾|Philippines", "MM": "缅甸|Myanmar|Burma",
    "KH": "柬埔寨|Cambodia", "LA": "老挝|Laos", "MN": "蒙古|蒙古国|Mongolia",
    "KZ": "哈萨克斯坦|Kazakhstan", "UZ": "乌兹别克斯坦|Uzbekistan",
    "AE": "阿联酋|阿拉伯联合酋长国|UAE|United Arab Emirates", "SA": "沙特|沙特阿拉伯|Saudi Arabia",
    "QA": "卡塔尔|Qatar", "IL": "以色列|Israel", "IR": "伊朗|Iran", "IQ": "伊拉克|Iraq",
    "EG": "埃及|Egypt", "ZA": "南非|South Africa", "NG": "尼日利亚|Nigeria", "KE": "肯尼亚|Kenya",
    "ET": "埃塞俄比亚|Ethiopia", "MA": "摩洛哥|Morocco", "BR": "巴西|Brazil",
    "AR": "阿根廷|Argentina", "MX": "墨西哥|Mexico", "CL": "智利|Chile", "PE": "秘鲁|Peru",
    "CO": "哥伦比亚|Colombia",
    "VE": "委内瑞拉|Venezuela", "CU": "古巴|Cuba", "NA": "纳米比亚|Namibia",
}  # fmt: skip
_COUNTRIES: dict[str, str] = {}
for _i in range(0, len(_ISO), 2):
    _COUNTRIES[_ISO[_i].lower()] = _COUNTRIES[_ISO[_i + 1].lower()] = _ISO[_i]
for _code, _names in _NAMES.items():
    _COUNTRIES.update(dict.fromkeys(map(_key, _names.split("|")), _code))
_COUNTRIES.update({"uk": "GB", "ksa": "SA", "roc": "TW"})


@lru_cache(maxsize=65536)
def normalize_country(raw: str) -> FieldResult:
    """Standardize a country to its ISO 3166-1 alpha-2 code, upper case.

    Reads alpha-2 and alpha-3 codes (any case) and Chinese or English names
    of about 70 countries and their common variants (中華人民共和國, PRC,
    大陆 → CN; 香港 → HK; UK → GB). Unknown text is ``suspect``
    (``country.unknown``) with the folded text as ``value``, so no data is
    lost. ``NA`` alone may be Namibia or "not available": it stays ``NA``
    but ``suspect`` (``country.namibia_or_na``); ``N/A`` is a placeholder.
    Never raises; idempotent on ``value``.

    Args:
        raw: The country as typed.

    Returns:
        A :class:`FieldResult` whose valid ``value`` is a code such as ``CN``.

    Example:
        >>> normalize_country("中華人民共和國").value
        'CN'
    """
    if is_blank(raw):
        return FieldResult(value="", status="missing")
    key = _key(raw)
    if key == "na" and "/" not in raw:  # Namibia, or "not available"?
        return FieldResult(value="NA", status="suspect", reason="country.namibia_or_na")
    if is_placeholder(raw):
        return FieldResult(value="", status="invalid", reason="country.placeholder")
    code = _COUNTRIES.get(key) or _COUNTRIES.get(_key(re.sub(r"(?i)^the ", "", fold(raw))))
    if code:
        return FieldResult(value=code, status="valid")
    return FieldResult(value=fold(raw), status="suspect", reason="country.unknown")


# --- customer type ----------------------------------------------------------

CustomerType = Literal["prospect", "customer", "key_account"]
_TYPE_NAMES: tuple[tuple[CustomerType, str], ...] = (
        ("prospect", "prospect|潜在客户|潜客|潜在|意向客户|意向|线索|销售线索|lead|leads|"
         "potential|potential customer|机会客户|待开发客户|prospective customer"),
        ("customer", "customer|客户|成交客户|已成交|成交|已购|已购买|已下单|老客户|签约客户|"
         "正式客户|现有客户|付费客户|普通客户|client|buyer|existing customer|customers"),
        ("key_account", "key_account|大客户|重点客户|重要客户|核心客户|战略客户|VIP|VIP客户|"
         "SVIP|KA|KA客户|key account|key accounts|strategic account|钻石客户"),
)  # fmt: skip
_TYPES = {_key(name): kind for kind, names in _TYPE_NAMES for name in names.split("|")}


@lru_cache(maxsize=65536)
def normalize_customer_type(raw: str) -> FieldResult:
    """Standardize a customer type to ``prospect``, ``customer`` or ``key_account``.

    潜在客户/意向客户/线索/lead → prospect; 客户/成交客户/已购/client →
    customer; 大客户/重点客户/VIP/KA/战略客户 → key_account. Unknown text is
    ``suspect`` (``customer_type.unknown``) with the folded text as ``value``.
    Never raises; idempotent on ``value``.

    Args:
        raw: The type as typed.

    Returns:
        A :class:`FieldResult` whose valid ``value`` is a :data:`CustomerType`.

    Example:
        >>> normalize_customer_type("重點客戶").value
        'key_account'
    """
    if is_blank(raw):
        return FieldResult(value="", status="missing")
    if is_placeholder(raw):
        return FieldResult(value="", status="invalid", reason="customer_type.placeholder")
    kind = _TYPES.get(_key(raw))
    if kind:
        return FieldResult(value=kind, status="valid")
    return FieldResult(value=fold(raw), status="suspect", reason="customer_type.unknown")
