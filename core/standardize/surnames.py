"""Chinese surname data: which characters are surnames, how they are read,
and the pinyin syllables used to recognise romanized Chinese names.

Why a table of our own: pypinyin reads a character with its most common
reading, which for many surnames is the wrong one (单 → dan, but the surname
is Shan; 曾 → ceng, surname Zeng; 仇 → chou, surname Qiu). A matching key
built from the wrong reading would never meet the customer's own romanized
spelling ("Shan Tianfang", "Zeng Guofan"). Readings below follow the
surname readings in 《现代汉语词典》 and the Ministry of Public Security
passport spelling; every entry whose pypinyin default differs is listed, and
a few heteronymic surnames pypinyin gets right are listed anyway so the
reading does not depend on a pypinyin upgrade.

Everything here is Simplified: callers convert Traditional input first.
"""

from __future__ import annotations

from functools import cache, lru_cache

from pypinyin import lazy_pinyin

COMPOUND_SURNAMES: frozenset[str] = frozenset(
    # 《百家姓》 compound surnames still in use, plus Manchu clan names seen in
    # modern records. 单于 is left out on purpose: 单 + 于X (单于洋) is a far
    # more common reading than the historical Xiongnu title.
    """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐
    端木 独孤 南宫 西门 呼延 澹台 公冶 宗政 濮阳 太史 申屠 万俟 闻人 赫连 钟离
    淳于 太叔 公羊 仲孙 鲜于 闾丘 司空 亓官 司寇 仉督 子车 颛孙 巫马 公西 漆雕
    乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 羊舌 微生 梁丘 左丘
    东门 商牟 伯赏 第五 归海 完颜 纳兰 爱新觉罗 叶赫那拉 钮祜禄
    """.split()
)
MAX_COMPOUND_LEN = max(map(len, COMPOUND_SURNAMES))

# Single-character surnames. The first block is in order of frequency (the
# 2020 household-registration ranking, top ~120); the order matters because
# it breaks ties when deciding which token of "Wei Zhang" is the surname.
# The rest is the 《百家姓》 plus common modern surnames missing from it.
_SINGLE_BY_FREQUENCY = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜"
    "叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶"
    "贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄樊殷鲁祝颜聂章葛倪温"
)
_SINGLE_OTHERS = (
    "褚卫尤吕张孔华戚喻柏水窦云奚郎昌苗凤花俞柳酆鲍费廉岑滕毕邬安乐时傅皮卞齐伍元卜平和穆"
    "萧湛祁禹狄米贝明臧计伏成谈茅庞纪舒屈项阮蓝闵席季麻强路娄危童梅盛刁骆凌霍虞支昝管经房"
    "裘缪干解应宗宣贲郁单杭包诸左吉钮嵇邢滑裴荣翁荀羊惠甄曲家封芮羿储靳汲邴糜松井富巫乌"
    "焦巴弓牧隗山谷车宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖符景詹束幸司韶郜蓟薄印宿怀蒲邰"
    "从鄂索咸籍卓蔺屠蒙池阴胥能苍双闻莘党翟贡劳逄姬申扶堵冉宰郦雍郤璩桑桂濮牛寿通边扈燕冀"
    "郏浦尚农别晏柴瞿阎充慕连茹习宦艾鱼容古慎戈庾终暨居衡步都耿满弘匡国寇广禄阙东殳沃利蔚"
    "越夔隆师巩厍晁勾敖融冷訾阚那简饶空毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公晋楚"
    "法汝鄢涂钦岳帅缑亢况郈有琴商佘佴伯赏墨哈谯笪年爱阳佟第言福邝冼区朴员召秘种黑折句便过"
    "祭藏蕃练揭麦谌植仝檀苑官牟芦代栗母战才迟修原门么银来兰布刀但旷庹粟伞冮菅揣凃靖蹇卿渠"
    "要戈粘六铅长省亓仉啜苟豆线寸宋"
)
FREQUENT_SURNAMES: frozenset[str] = frozenset(_SINGLE_BY_FREQUENCY)
SINGLE_SURNAMES: tuple[str, ...] = tuple(dict.fromkeys(_SINGLE_BY_FREQUENCY + _SINGLE_OTHERS))
_SINGLE_SET = frozenset(SINGLE_SURNAMES)

SURNAME_READINGS: dict[str, str] = {
    # Surname reading where pypinyin's default reading is wrong.
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "翟": "zhai", "区": "ou", "覃": "qin", "盖": "ge", "乐": "yue", "召": "shao",
    "缪": "miao", "秘": "bi", "种": "chong", "员": "yun", "繁": "po", "黑": "he",
    "折": "she", "句": "gou", "便": "pian", "藏": "zang", "祭": "zhai", "薄": "bo",
    "阚": "kan", "蕃": "pi", "隗": "wei", "能": "nai", "都": "du", "卜": "bu",
    "重": "chong", "佴": "nai", "六": "lu", "乜": "nie", "粘": "nian", "铅": "yan",
    "长": "chang", "省": "xing", "蔚": "yu", "角": "jue", "番": "pan", "冼": "xian",
    "乐正": "yuezheng",
    # Heteronymic surnames pypinyin happens to read right today; pinned.
    "褚": "chu", "过": "guo", "任": "ren", "华": "hua", "柏": "bai", "沈": "shen",
    "石": "shi", "宿": "su", "相": "xiang", "那": "na", "牟": "mou", "莘": "shen",
    "燕": "yan", "贲": "ben", "訾": "zi", "厍": "she", "逄": "pang",
    "曲": "qu", "叶": "ye", "车": "che", "宁": "ning", "应": "ying", "涂": "tu",
    "干": "gan", "尉": "wei", "纪": "ji", "殷": "yin", "宓": "mi", "贾": "jia",
    "谌": "chen", "尉迟": "yuchi", "万俟": "moqi", "长孙": "zhangsun", "澹台": "tantai",
    "令狐": "linghu", "皇甫": "huangfu", "亓官": "qiguan", "仉督": "zhangdu",
    "公冶": "gongye", "夏侯": "xiahou", "宰父": "zaifu", "谷梁": "guliang",
    "南宫": "nangong", "子车": "ziju", "鲜于": "xianyu", "闾丘": "lvqiu",
}  # fmt: skip

PINYIN_SYLLABLES: frozenset[str] = frozenset(
    # Toneless Mandarin syllables (ü written v), taken from pypinyin's
    # dictionary. Single letters (a, e, o, m, n) are left out so that an
    # initial such as "Zhang A Wei" is not read as a syllable.
    """
    ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
    deng di dia dian diao die ding diu dong dou du duan dui dun duo ei en eng er fa fan fang fei
    fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui
    gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji
    jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng
    kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang
    liao lie lin ling liu lo long lou lu luan lue lun luo lv lve ma mai man mang mao me mei men
    meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
    niang niao nie nin ning niu nong nou nu nuan nue nuo nv nve ou pa pai pan pang pao pei pen
    peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu
    quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang
    sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
    shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian
    tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian
    xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong
    you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei
    zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan
    zui zun zuo
    """.split()
)

# Non-pinyin romanizations of Chinese surnames (Cantonese, Hokkien,
# Wade-Giles) common in Hong Kong, Taiwan, Singapore and Malaysia records.
# Used only to guess which token of a Latin name is the surname.
ROMANIZED_SURNAMES: frozenset[str] = frozenset(
    """
    wong chan cheung leung lau ng lee lim ong goh koh teo tay chua chow chiu hsu tsai tseng
    hsieh yeh kwok tsang fung yip lam choi tse yeung kwan mak poon siu tam chong au kok loh low
    yap yeo hui ip hung chin choy liew foo ang quek seah toh sim heng kuan chien chiang chuang
    hsiao hsueh kao kung tsui wee yong soh khoo lai
    """.split()
)
_ROMANIZED_RANK = 150  # ranks just after the frequent pinyin surnames


def is_surname(text: str) -> bool:
    """True when ``text`` (Simplified) is a known single or compound surname."""
    return text in _SINGLE_SET or text in COMPOUND_SURNAMES


def split_surname(han: str) -> tuple[str, str]:
    """Split a Simplified Han name into (surname, given name).

    Compound surnames are tried first, longest first, so 欧阳娜娜 splits as
    欧阳 + 娜娜 and 爱新觉罗溥仪 as 爱新觉罗 + 溥仪. Otherwise the first
    character is the surname, known or not: a rare surname is still a
    surname.

    Example:
        >>> split_surname("欧阳娜娜")
        ('欧阳', '娜娜')
    """
    for size in range(min(MAX_COMPOUND_LEN, len(han)), 1, -1):
        if han[:size] in COMPOUND_SURNAMES:
            return han[:size], han[size:]
    return han[:1], han[1:]


@lru_cache(maxsize=4096)
def surname_pinyin(surname: str) -> str:
    """Toneless pinyin of a surname using surname readings (单 → shan).

    Example:
        >>> surname_pinyin("曾"), surname_pinyin("尉迟")
        ('zeng', 'yuchi')
    """
    reading = SURNAME_READINGS.get(surname)
    if reading is not None:
        return reading
    return "".join(lazy_pinyin(surname))


@cache
def _latin_ranks() -> dict[str, int]:
    # Built on first use, not at import: ~550 pypinyin calls.
    ranks: dict[str, int] = dict.fromkeys(ROMANIZED_SURNAMES, _ROMANIZED_RANK)
    ordered = [*SINGLE_SURNAMES[:_ROMANIZED_RANK], *sorted(COMPOUND_SURNAMES)]
    ordered += SINGLE_SURNAMES[_ROMANIZED_RANK:]
    for rank, surname in enumerate(ordered):
        reading = surname_pinyin(surname)
        if ranks.get(reading, len(ordered) + 1) > rank:
            ranks[reading] = rank
    return ranks


def latin_surname_rank(token: str) -> int | None:
    """How common a romanized token is as a Chinese surname: 0 for "wang",
    higher for rarer surnames, ``None`` when it is not one.

    ``token`` must be lower-case ASCII.

    Example:
        >>> latin_surname_rank("zhang") < latin_surname_rank("wei")
        True
    """
    return _latin_ranks().get(token)
