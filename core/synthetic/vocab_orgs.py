"""Words for synthetic organisations: legal forms, brands, descriptors.

Plain data, parsed once at import. Brands are invented from syllables
(Norvex, Velora, 诺维克斯); legal forms, descriptors, postcode prefixes and
honorific words are the real ones, because the engine has to recognise them.
No list here names a real company.
"""

from __future__ import annotations

from typing import Final, NamedTuple


def _pair(cell: str) -> tuple[str, str]:
    """``a=b`` → ("a", "b")."""
    left, _, right = cell.partition("=")
    return left, right


class LegalForm(NamedTuple):
    """One legal form and the ways it gets written.

    Attributes:
        country: ISO code of the country whose law it is.
        written: Spellings, the registered one first (GmbH, G.m.b.H., Gmbh …).
        zh: How a Chinese CRM user translates it (有限公司, 股份有限公司).
        weight: Relative share of companies of that country.
    """

    country: str
    written: tuple[str, ...]
    zh: str
    weight: float


# country | spellings | zh | weight
_LEGAL = """
DE|GmbH,G.m.b.H.,Gmbh,GMBH,Gesellschaft mit beschränkter Haftung|有限公司|70
DE|AG,Aktiengesellschaft,A.G.|股份公司|20
DE|GmbH & Co. KG,GmbH & Co KG,GmbH u. Co. KG,GmbH+Co. KG|有限两合公司|10
NL|B.V.,BV,B.V,B. V.,Besloten Vennootschap|有限公司|80
NL|N.V.,NV,N.V,Naamloze Vennootschap|股份公司|20
GB|Ltd,Ltd.,Limited,LTD,Ltd|有限公司|80
GB|PLC,plc,P.L.C.,Public Limited Company|股份公司|20
US|Inc.,Inc,Incorporated,INC.|公司|50
US|LLC,L.L.C.,Llc|有限责任公司|30
US|Corp.,Corporation,Corp,CORP|公司|20
FR|S.A.,SA,Société Anonyme|股份公司|40
FR|SAS,S.A.S.,Société par actions simplifiée|简化股份公司|45
FR|SARL,S.A.R.L.,Sàrl|有限责任公司|15
IT|S.p.A.,SpA,S.P.A.,Società per Azioni|股份公司|45
IT|S.r.l.,Srl,SRL,S.R.L.|有限责任公司|55
AU|Pty Ltd,Pty. Ltd.,Pty Limited,PTY LTD,Proprietary Limited|有限公司|100
JP|株式会社,K.K.,KK,Kabushiki Kaisha,Co.&Ltd.|株式会社|100
"""


def _legal_forms() -> dict[str, tuple[LegalForm, ...]]:
    forms: dict[str, tuple[LegalForm, ...]] = {}
    for line in _LEGAL.strip().splitlines():
        country, written, zh, weight = line.split("|")
        spellings = tuple(w.replace("Co.&Ltd.", "Co., Ltd.") for w in written.split(","))
        forms[country] = (*forms.get(country, ()), LegalForm(country, spellings, zh, float(weight)))
    return forms


LEGAL_FORMS: Final[dict[str, tuple[LegalForm, ...]]] = _legal_forms()
"""Country → its legal forms, the most common first."""

ENGLISH_LEGAL: Final[tuple[str, ...]] = ("Co., Ltd.", "Co.,Ltd.", "Co. Ltd", "Ltd.", "Limited")
"""How Chinese and Japanese companies write their legal form in English."""

# Language → local word = English word (= romaji for Japanese), "_" for a space.
_DESCRIPTORS = {
    "DE": """Elektronik=Electronics Maschinenbau=Engineering Medizintechnik=Medical_Technology
        Logistik=Logistics Holding=Holding Technik=Technology Automation=Automation
        Chemie=Chemicals Handel=Trading Software=Software Systeme=Systems Industrie=Industries""",
    "NL": """Elektronica=Electronics Techniek=Technology Holding=Holding Logistiek=Logistics
        Groep=Group Medische_Systemen=Medical_Systems Handel=Trading Chemie=Chemicals
        Software=Software Systemen=Systems Installatietechniek=Installations""",
    "EN": """Electronics=Electronics Technologies=Technologies International=International
        Manufacturing=Manufacturing Industries=Industries Systems=Systems Holdings=Holdings
        Logistics=Logistics Medical_Systems=Medical_Systems Pharmaceuticals=Pharmaceuticals
        Chemicals=Chemicals Engineering=Engineering Trading=Trading Solutions=Solutions
        Instruments=Instruments Materials=Materials Foods=Foods Automotive=Automotive
        Consulting=Consulting""",
    "FR": """Électronique=Electronics Industries=Industries Technologies=Technologies
        Logistique=Logistics Groupe=Group Systèmes=Systems Chimie=Chemicals
        Ingénierie=Engineering Distribution=Distribution""",
    "IT": """Elettronica=Electronics Meccanica=Mechanics Industrie=Industries Logistica=Logistics
        Sistemi=Systems Chimica=Chemicals Alimentari=Foods Tecnologie=Technologies""",
    "JP": """電機=Electric=Denki 精工=Precision=Seiko 化学=Chemical=Kagaku 商事=Trading=Shoji
        工業=Industries=Kogyo 製作所=Works=Seisakusho 電子=Electronics=Denshi
        物産=Trading=Bussan""",
}


def _descriptors() -> dict[str, tuple[tuple[str, str, str], ...]]:
    table: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for language, cells in _DESCRIPTORS.items():
        parts = [cell.replace("_", " ").split("=") + [""] for cell in cells.split()]
        table[language] = tuple((p[0], p[1], p[2]) for p in parts)
    return table


DESCRIPTORS: Final[dict[str, tuple[tuple[str, str, str], ...]]] = _descriptors()
"""Language → (local word, English word, romaji or "") of business lines."""

DESCRIPTOR_LANGUAGE: Final[dict[str, str]] = {
    "DE": "DE", "NL": "NL", "GB": "EN", "US": "EN", "AU": "EN", "FR": "FR", "IT": "IT", "JP": "JP",
}  # fmt: skip

ABBREVIATIONS: Final[tuple[tuple[str, str], ...]] = (
    ("International", "Intl"),
    ("International", "Int'l"),
    ("Technologies", "Tech"),
    ("Technology", "Tech"),
    ("Manufacturing", "Mfg"),
    ("Industries", "Inds"),
    ("Systems", "Sys"),
    ("Holdings", "Hldgs"),
    ("Electronics", "Elec"),
    ("Engineering", "Eng"),
    ("Pharmaceuticals", "Pharma"),
    ("Chemicals", "Chem"),
    ("Instruments", "Instr"),
    ("Medical", "Med"),
    ("Company", "Co"),
    ("Corporation", "Corp"),
)
"""(long, short) words in company names."""

HONORIFICS: Final[dict[str, tuple[str, str]]] = {
    "NL": ("Koninklijke", "Royal"),
    "GB": ("Royal", "Royal"),
}
"""Country → (registered honorific word, its English form)."""

# Latin brand syllables and their Chinese transliteration.
BRAND_HEADS: Final[tuple[tuple[str, str], ...]] = tuple(
    _pair(cell)
    for cell in """
Nor=诺 Vel=维 Lum=卢 Tran=川 Zen=禅 Quor=阔 Alt=奥 Bry=布 Cal=卡 Dex=德 Fen=芬 Hal=哈 Kor=科
Mar=马 Ost=奥斯 Pel=佩 Rhen=莱 Sol=索 Tel=泰 Ven=文 Wes=韦 Xan=赞 Ard=阿 Bel=贝 Cor=科 Dal=达
Elm=埃 Grav=格 Hest=赫 Ivar=伊 Jor=乔 Kest=凯 Lin=林 Mir=米 Nex=奈 Orv=奥 Pra=普 Sten=斯 Tor=托
Ulv=乌 Vor=沃 Wil=威 Ambr=安布 Bren=布伦 Cyr=赛 Dor=多 Evr=埃夫 Fal=法 Gal=加 Hol=霍 Isen=伊森
Jan=扬 Kal=卡 Lor=洛 Mel=梅 Nav=纳 Oak=欧克 Pol=波 Quin=昆 Rad=拉德 Sar=萨 Tyr=泰 Val=瓦
""".split()
)
BRAND_TAILS: Final[tuple[tuple[str, str], ...]] = tuple(
    _pair(cell)
    for cell in """
ex=克斯 ion=安 ara=拉 ix=思 ova=沃 tron=创 ium=姆 wood=伍德 field=菲尔德 stone=斯通 gate=盖特
mark=马克 vale=维尔 dyne=代恩 ora=拉 ent=恩特 ica=卡 is=斯 o=欧 an=安 elle=艾尔 ford=福德
um=姆 ant=安特 ys=斯 eon=恩 ark=阿克 line=莱恩 bridge=布里奇 haven=黑文 tek=泰克
""".split()
)
PARTNER_SURNAMES: Final[tuple[str, ...]] = (
    "Baker", "Finch", "Hart", "Lowe", "Marsh", "Reed", "Stone", "Wade", "Hale", "Fenwick",
    "Sterling", "Holt", "Vance", "Ashby", "Crane", "Doyle",
)  # fmt: skip
"""Surnames for partnership-style brands (Baker & Finch)."""

JAPANESE_CHARS: Final[tuple[tuple[str, str], ...]] = tuple(
    _pair(cell)
    for cell in """
北=hoku 辰=shin 青=sei 陽=yo 光=ko 和=wa 丸=maru 栄=ei 若=waka 葉=ba 東=to 朝=cho 昭=sho
日=nichi 進=shin 高=taka 島=shima 富=tomi 永=naga 明=mei 星=sei 松=matsu 岡=oka 森=mori
""".split()
)
"""Kanji for invented Japanese brands and a reading of each (北陽 Hokuyo)."""

SUBSIDIARY_QUALIFIERS: Final[dict[str, tuple[str, ...]]] = {
    "US": ("North America", "USA", "Americas", "US"),
    "DE": ("Deutschland", "Germany", "Europe"),
    "NL": ("Nederland", "Benelux", "Europe", "International"),
    "GB": ("UK", "Europe", "International"),
    "FR": ("France",),
    "IT": ("Italia",),
    "AU": ("Australia", "Asia Pacific"),
    "JP": ("Japan",),
}
"""Country of a subsidiary → words that name it after its parent's brand."""

MAILBOXES: Final[dict[str, tuple[str, ...]]] = {
    "CN": ("info", "sales", "service", "contact", "market", "hr", "kefu", "admin", "office"),
    "DE": ("info", "kontakt", "vertrieb", "service"),
    "NL": ("info", "verkoop", "contact", "service"),
    "FR": ("contact", "info", "commercial"),
    "IT": ("info", "commerciale", "amministrazione"),
    "JP": ("info", "sales", "contact"),
    "EN": ("info", "sales", "contact", "enquiries", "hello", "office"),
}
"""Language → role mailboxes of a company."""

TLDS: Final[dict[str, tuple[str, ...]]] = {
    "CN": (".com", ".com", ".cn", ".com.cn", ".net", ".com"),
    "DE": (".de", ".de", ".com"),
    "NL": (".nl", ".nl", ".com", ".eu"),
    "GB": (".co.uk", ".co.uk", ".com"),
    "US": (".com", ".com", ".us", ".net"),
    "FR": (".fr", ".fr", ".com"),
    "IT": (".it", ".it", ".com"),
    "AU": (".com.au", ".com.au", ".com"),
    "JP": (".co.jp", ".co.jp", ".jp", ".com"),
}
"""Country → top-level domains of its companies, repeated by popularity."""

CN_POSTCODES: Final[dict[str, str]] = dict(
    _pair(cell)
    for cell in """
北京市=100 上海市=200 天津市=300 重庆市=400 广州市=510 深圳市=518 东莞市=523 佛山市=528 杭州市=310
宁波市=315 温州市=325 南京市=210 苏州市=215 无锡市=214 成都市=610 武汉市=430 西安市=710
郑州市=450 长沙市=410 济南市=250 青岛市=266 沈阳市=110 大连市=116 福州市=350 厦门市=361
合肥市=230 昆明市=650 哈尔滨市=150 长春市=130 石家庄市=050 南昌市=330 南宁市=530 贵阳市=550
太原市=030 乌鲁木齐市=830 呼和浩特市=010
""".split()
)
"""City → first three digits of its six-digit postcodes."""

CN_ENGLISH_TAILS: Final[tuple[str, ...]] = ("tek", "tron", "via", "ix", "ova", "ex", "ics", "on")
"""Endings of invented English brands of Chinese firms (腾飞 → Tengtron)."""


CN_SUB_INDUSTRIES: Final[tuple[tuple[str, str], ...]] = (
    ("投资", "Investment"),
    ("贸易", "Trading"),
    ("智能科技", "Intelligent Technology"),
    ("供应链管理", "Supply Chain Management"),
    ("电子商务", "E-commerce"),
    ("技术服务", "Technical Service"),
)
"""Lines of business subsidiaries are set up for."""

DESCRIPTOR_ZH: Final[dict[str, str]] = dict(
    _pair(cell.replace("_", " "))
    for cell in """
Electronics=电子 Technologies=科技 Technology=科技 International=国际 Manufacturing=制造
Industries=工业 Systems=系统 Holdings=控股 Holding=控股 Logistics=物流 Medical_Systems=医疗系统
Medical_Technology=医疗技术 Pharmaceuticals=制药 Chemicals=化工 Engineering=工程 Trading=贸易
Solutions=解决方案 Instruments=仪器 Materials=材料 Foods=食品 Automotive=汽车 Consulting=咨询
Group=集团 Software=软件 Automation=自动化 Mechanics=机械 Installations=安装 Distribution=分销
Electric=电机 Precision=精密 Chemical=化学 Works=制作所
""".split()
)
"""English business line → how a Chinese user translates it."""

QUALIFIER_ZH: Final[dict[str, str]] = dict(
    _pair(cell.replace("_", " "))
    for cell in """
North_America=北美 USA=美国 Americas=美洲 US=美国 Deutschland=德国 Germany=德国 Europe=欧洲
Nederland=荷兰 Benelux=比荷卢 International=国际 UK=英国 France=法国 Italia=意大利
Australia=澳大利亚 Asia_Pacific=亚太 Japan=日本
""".split()
)
"""Subsidiary qualifier → Chinese."""

KANJI_SIMPLIFIED: Final[dict[int, int]] = str.maketrans(
    "電業製東陽栄進島産葉岡", "电业制东阳荣进岛产叶冈"
)
"""Japanese kanji → the simplified form a Chinese user types (電機 → 电机)."""

CONTACT_NAMES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "JP": (
        ("hiroshi", "takashi", "kenji", "yuki", "akiko", "yumi", "naoko", "satoshi"),
        ("sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura"),
    ),
    "IT": (
        ("marco", "giuseppe", "luca", "giulia", "francesca", "chiara", "andrea", "paolo"),
        ("rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci"),
    ),
}
"""Given names and surnames (romanised, lower case) for staff mailboxes of
Japanese and Italian companies; other countries use :mod:`vocab_latin`."""

BRAND_MIDDLES: Final[tuple[tuple[str, str], ...]] = tuple(
    _pair(cell)
    for cell in "a=阿 i=伊 o=欧 er=尔 an=安 el=尔 u=乌 en=恩 is=伊斯 ar=阿 ev=埃夫 on=昂".split()
)
"""Optional middle syllables of Latin brands (Vel-o-tron)."""

FAMOUS_BRANDS: Final[frozenset[str]] = frozenset(
    """
华为 华润 万达 中信 中兴 海信 联通 万科 恒瑞 海康 中通 光明 创维 天合 鸿海 中远 中海 恒大 京东 腾讯
美的 联想 小米 百度 平安 招商 国美 苏宁 华信 天安 中天 安信 海尔 格力
huawei huarun wanda zhongxin zhongxing haixin liantong wanke hengrui haikang zhongtong
guangming chuangwei tianhe honghai zhongyuan zhonghai hengda jingdong tengxun meidi lianxiang
xiaomi baidu pingan zhaoshang guomei suning tianan zhongtian anxin haier geli
philips siemens bosch sony toyota samsung apple google shell bayer basf lenovo
alteon cyrix dexion nexis nexo oakmark polaris radeon solaris valero valiant
森永 明星 高島 日立 東芝 松下 富士 三和 日進
思科 康佳 方正 恒安 达利 汇源 安利 宇通 中联 晶科 正泰 中华 华联 联华 汇丰 信达 华泰 中金 海通 中泰
泰康 新华 华安 宏源 sike kangjia fangzheng hengan dali huiyuan anli yutong zhonglian jingke
zhengtai zhonghua hualian lianhua huifeng xinda huatai zhongjin haitong zhongtai taikang xinhua
huaan hongyuan
""".split()
)
"""Brands (and their pinyin) of famous real companies that the syllable
tables could spell by chance; invented names that hit one are redrawn."""
