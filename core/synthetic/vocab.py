"""Word lists for the synthetic CRM population: names, places, companies.

Everything here is plain data. Tables are written as compact text blocks and
parsed once at import so that a few hundred entries stay readable. All
people, companies, roads and estates built from these lists are synthetic;
only province, city and district names (and their area codes) are real,
because the engine's address parser has to meet real place names.

Every character in the Chinese lists is inside GBK, because the store
channel is written as GBK the way Excel in China saves CSV; the only
exception is the emoji in a few WeChat nicknames, which only the UTF-8
WeChat channel uses.
"""

from __future__ import annotations

from typing import Final, NamedTuple


def _table(block: str) -> list[list[str]]:
    """Split a text block into rows of whitespace-separated cells."""
    return [line.split() for line in block.strip().splitlines() if line.strip()]


def _pairs(block: str, sep: str = "") -> list[tuple[str, str]]:
    """Read ``a b a b ...`` (or ``a|b a|b`` with ``sep``) into pairs.

    In ``sep`` form an underscore stands for a space inside a cell.
    """
    cells = block.split()
    if sep:
        halves = [cell.replace("_", " ").split(sep, 1) for cell in cells]
        return [(a, b) for a, b in halves]
    return list(zip(cells[::2], cells[1::2], strict=True))


# --- surnames ---------------------------------------------------------------
# hanzi, pinyin, weight (≈ per-mille of the population, 2020 census order).
# 单 reads Shan and 曾 reads Zeng as surnames, a classic pinyin trap; the
# compound surnames are rare on purpose.
SURNAMES: Final[list[tuple[str, str, float]]] = [
    (cells[i], cells[i + 1], float(cells[i + 2]))
    for cells in [
        """
王 wang 71   李 li 70   张 zhang 68  刘 liu 54   陈 chen 46  杨 yang 31  黄 huang 22
赵 zhao 20   吴 wu 19   周 zhou 19   徐 xu 14    孙 sun 14   马 ma 13    朱 zhu 12
胡 hu 11     郭 guo 11  何 he 10     林 lin 10   高 gao 10   罗 luo 9    郑 zheng 9
梁 liang 8.5 谢 xie 7.5 宋 song 7    唐 tang 7   许 xu 6.5   韩 han 6.5  冯 feng 6
邓 deng 6    曹 cao 6   彭 peng 5.5  曾 zeng 5.5 肖 xiao 5.5 田 tian 5   董 dong 5
袁 yuan 5    潘 pan 4.5 于 yu 4.5    蒋 jiang 4.5 蔡 cai 4.5 余 yu 4.5   杜 du 4
叶 ye 4      程 cheng 4 苏 su 3.5    魏 wei 3.5  吕 lyu 3.5  丁 ding 3.5 任 ren 3.5
沈 shen 3    姚 yao 3   卢 lu 3      姜 jiang 3  崔 cui 3    钟 zhong 3  谭 tan 3
陆 lu 2.8    汪 wang 2.7 范 fan 2.7  金 jin 2.6  石 shi 2.6  廖 liao 2.6 贾 jia 2.5
夏 xia 2.5   韦 wei 2.4 付 fu 2.4    方 fang 2.4 白 bai 2.3  邹 zou 2.3  孟 meng 2.2
熊 xiong 2.2 秦 qin 2.2 邱 qiu 2.1   江 jiang 2.1 尹 yin 2   薛 xue 2    闫 yan 2
段 duan 1.9  雷 lei 1.9 侯 hou 1.8   龙 long 1.8 史 shi 1.8  陶 tao 1.7  黎 li 1.7
贺 he 1.7    顾 gu 1.7  毛 mao 1.6   郝 hao 1.6  龚 gong 1.6 邵 shao 1.6 万 wan 1.5
钱 qian 1.5  严 yan 1.5 覃 qin 1.4   武 wu 1.4   戴 dai 1.4  莫 mo 1.3   孔 kong 1.3
向 xiang 1.3 汤 tang 1.3 常 chang 1.2 温 wen 1.2 康 kang 1.2 施 shi 1.1  文 wen 1.1
牛 niu 1.1   樊 fan 1.1 葛 ge 1      邢 xing 1   安 an 1     齐 qi 0.9   易 yi 0.9
乔 qiao 0.9  伍 wu 0.9  庞 pang 0.9  颜 yan 0.9  倪 ni 0.8   庄 zhuang 0.8 聂 nie 0.8
章 zhang 0.8 鲁 lu 0.7  岳 yue 0.7   翟 zhai 0.7 殷 yin 0.7  詹 zhan 0.7 申 shen 0.7
欧 ou 0.6    耿 geng 0.6 关 guan 0.6 兰 lan 0.6  焦 jiao 0.6 俞 yu 0.6   左 zuo 0.6
柳 liu 0.5   甘 gan 0.5 祝 zhu 0.5   包 bao 0.5  宁 ning 0.5 尚 shang 0.5 符 fu 0.5
舒 shu 0.5   阮 ruan 0.5 柯 ke 0.5   纪 ji 0.5   梅 mei 0.4  童 tong 0.4 凌 ling 0.4
毕 bi 0.4    单 shan 0.4 季 ji 0.4   裴 pei 0.4  霍 huo 0.4  涂 tu 0.4   成 cheng 0.4
苗 miao 0.4  谷 gu 0.4  盛 sheng 0.4 翁 weng 0.4 骆 luo 0.3  蓝 lan 0.3  游 you 0.3
辛 xin 0.3   管 guan 0.3 柴 chai 0.3 鲍 bao 0.3  华 hua 0.3  喻 yu 0.3   房 fang 0.3
饶 rao 0.3   解 xie 0.2 仇 qiu 0.2   查 zha 0.2  缪 miao 0.2 傅 fu 0.3   萧 xiao 0.2
欧阳 ouyang 0.12 司马 sima 0.03 上官 shangguan 0.03 诸葛 zhuge 0.03 司徒 situ 0.04
东方 dongfang 0.02 皇甫 huangfu 0.02
""".split()
    ]
    for i in range(0, len(cells), 3)
]

# Hong Kong / overseas spellings some English-name customers use.
CANTONESE_SPELLING: Final[dict[str, str]] = {
    "陈": "Chan",
    "王": "Wong",
    "黄": "Wong",
    "张": "Cheung",
    "李": "Lee",
    "刘": "Lau",
    "林": "Lam",
    "吴": "Ng",
    "周": "Chow",
    "郑": "Cheng",
    "何": "Ho",
    "梁": "Leung",
    "谢": "Tse",
    "邓": "Tang",
    "杨": "Yeung",
    "胡": "Woo",
    "郭": "Kwok",
    "罗": "Law",
}

# --- given names --------------------------------------------------------------
# Characters in rough order of popularity; weights are derived from the rank.
MALE_CHARS: Final[list[tuple[str, str]]] = _pairs(
    """
伟 wei 强 qiang 磊 lei 军 jun 勇 yong 杰 jie 涛 tao 明 ming 超 chao 刚 gang 平 ping
辉 hui 鹏 peng 华 hua 飞 fei 鑫 xin 波 bo 斌 bin 宇 yu 浩 hao 凯 kai 健 jian 俊 jun
帆 fan 帅 shuai 旭 xu 宁 ning 龙 long 林 lin 峰 feng 东 dong 亮 liang 成 cheng 博 bo
阳 yang 洋 yang 晨 chen 昊 hao 然 ran 轩 xuan 睿 rui 泽 ze 宏 hong 振 zhen 德 de 生 sheng
忠 zhong 祥 xiang 铭 ming 豪 hao 远 yuan 毅 yi 荣 rong 庆 qing 良 liang 松 song 兵 bing
民 min 光 guang 锋 feng 鸿 hong 坤 kun 航 hang 华 hua 国 guo 文 wen 军 jun 涵 han
"""
)
FEMALE_CHARS: Final[list[tuple[str, str]]] = _pairs(
    """
芳 fang 娜 na 敏 min 静 jing 丽 li 艳 yan 娟 juan 霞 xia 英 ying 玲 ling 婷 ting
雪 xue 慧 hui 颖 ying 琳 lin 洁 jie 欣 xin 倩 qian 晶 jing 燕 yan 萍 ping 红 hong
梅 mei 兰 lan 丹 dan 琴 qin 莉 li 璐 lu 蕾 lei 瑶 yao 怡 yi 萱 xuan 涵 han 悦 yue
琪 qi 雯 wen 露 lu 薇 wei 梦 meng 凤 feng 月 yue 彤 tong 茜 qian 冰 bing 菲 fei
楠 nan 妍 yan 蓉 rong 青 qing 清 qing 宁 ning 佳 jia 然 ran 岚 lan 华 hua
"""
)
# First characters of two-character names (often a generation name):
# 建国, 志强, 晓明, 子轩 / 秀英, 晓燕, 欣怡, 雨涵.
MALE_FIRST: Final[list[tuple[str, str]]] = _pairs(
    """
建 jian 志 zhi 国 guo 晓 xiao 小 xiao 家 jia 子 zi 俊 jun 浩 hao 宇 yu 梓 zi 一 yi
海 hai 文 wen 明 ming 永 yong 德 de 天 tian 思 si 立 li 春 chun 振 zhen 光 guang
世 shi 嘉 jia 博 bo 伟 wei 金 jin 新 xin 宏 hong 成 cheng 卫 wei 庆 qing 学 xue
亚 ya 鹏 peng 泽 ze 锦 jin 云 yun 红 hong 长 chang 东 dong 少 shao 雨 yu
"""
)
FEMALE_FIRST: Final[list[tuple[str, str]]] = _pairs(
    """
晓 xiao 秀 xiu 丽 li 美 mei 小 xiao 玉 yu 雨 yu 思 si 欣 xin 佳 jia 金 jin 红 hong
桂 gui 淑 shu 雅 ya 婉 wan 诗 shi 梦 meng 若 ruo 语 yu 嘉 jia 梓 zi 子 zi 一 yi
春 chun 海 hai 文 wen 静 jing 慧 hui 婷 ting 雪 xue 凤 feng 月 yue 艳 yan 心 xin
可 ke 紫 zi 亚 ya 建 jian 云 yun 冬 dong 彩 cai
"""
)

# Full names so common that a CRM of any size holds several different people
# with them; drawn directly for about 1% of the population.
HOT_NAMES: Final[tuple[str, ...]] = tuple(
    """
王伟 张伟 李伟 王芳 李娜 张敏 李静 王静 刘伟 王秀英 张丽 李秀英 王丽 张静 李强 王敏
李敏 王磊 刘洋 王艳 王勇 李军 张勇 李杰 张杰 王军 张磊 王强 李娟 王涛 陈静 刘杰
""".split()
)
HOT_FEMALE_GIVEN: Final[frozenset[str]] = frozenset("芳娜敏静丽艳娟秀英")

ENGLISH_MALE: Final[tuple[str, ...]] = tuple(
    "David Michael Kevin Jason Tony Eric Peter Jack Leo Frank Steven Vincent Andy Alex "
    "Daniel James Ryan Henry Bruce Simon".split()
)
ENGLISH_FEMALE: Final[tuple[str, ...]] = tuple(
    "Emily Lily Amy Grace Cindy Linda Vivian Jenny Helen Cathy Annie Sophia Iris Coco "
    "Joyce Tina Winnie Sharon Irene Angela".split()
)

# Uyghur-style names written with the middle dot; first parts by gender.
MINORITY_MALE: Final[tuple[str, ...]] = tuple(
    "阿卜杜拉 艾力 买买提 艾克拜尔 伊力哈木 亚森 努尔".split()
)
MINORITY_FEMALE: Final[tuple[str, ...]] = tuple(
    "古丽娜尔 迪丽娜尔 热依拉 阿依古丽 帕提古丽 米娜瓦尔".split()
)
MINORITY_SECOND: Final[tuple[str, ...]] = tuple(
    "买买提 吐尔逊 艾力 阿不都 热合曼 司马义 依明 玉素甫 卡德尔 亚森".split()
)

# Simplified → Traditional for the characters above that have a distinct
# Traditional form (checked against OpenCC s2t/t2s round trips).
TRADITIONAL: Final[dict[str, str]] = dict(
    zip(
        "张刘陈杨黄赵吴孙马郑罗谢韩冯邓许叶苏卢蒋贾钟陆钱龙万顾乔贺赖龚汤邹严闫吕谭韦温齐庞颜庄聂鲁关兰"
        "纪毕单骆蓝鲍华饶萧伟强军杰涛刚辉鹏飞宁国东阳轩泽云晓铭远荣庆学锋鸿静丽艳颖洁红兰瑶凤梦诗"
        "卫亚锦语长岚彩"
        "欧阳诸凯帅悦缪",
        "張劉陳楊黃趙吳孫馬鄭羅謝韓馮鄧許葉蘇盧蔣賈鍾陸錢龍萬顧喬賀賴龔湯鄒嚴閆呂譚韋溫齊龐顏莊聶魯關蘭"
        "紀畢單駱藍鮑華饒蕭偉強軍傑濤剛輝鵬飛寧國東陽軒澤雲曉銘遠榮慶學鋒鴻靜麗艷穎潔紅蘭瑤鳳夢詩"
        "衛亞錦語長嵐彩"
        "歐陽諸凱帥悅繆",
        strict=True,
    )
)

# One-character slips a clerk makes when typing what they heard.
HOMOPHONES: Final[dict[str, str]] = dict(
    _pairs(
        """
张 章 章 张 王 汪 汪 王 刘 柳 陈 程 程 陈 杨 阳 黄 王 吴 伍 周 邹 徐 许 许 徐 林 琳
何 贺 朱 祝 罗 骆 冯 封 邓 登 彭 鹏 肖 萧 萧 肖 蒋 姜 姜 蒋 于 余 余 于 魏 卫 卢 鲁
钟 仲 付 傅 傅 付 方 房 尹 殷 伟 玮 娜 纳 丽 莉 静 婧 敏 民 芳 方 军 君 杰 洁 明 铭
华 桦 红 虹 玲 琳 峰 锋 涛 滔 洋 阳 勇 永 刚 钢 辉 晖 斌 彬 鹏 朋 宇 雨 晨 辰 欣 新
怡 仪 婷 亭 浩 昊 佳 嘉 慧 惠 颖 莹 倩 茜 萍 平 燕 艳 艳 燕 梅 玫 娟 鹃 秀 绣 英 瑛
琴 勤 晓 小 小 晓 思 斯 文 雯 雯 文 建 健 健 建 志 智 东 冬 成 诚 博 波 轩 萱 子 梓
睿 瑞 泽 则 宏 鸿 云 芸 新 欣 立 力 天 添 铭 明 俊 骏 凯 恺 帆 凡 旭 煦 飞 菲 磊 雷
"""
    )
)

HONORIFICS_MALE: Final[tuple[str, ...]] = ("先生", "先生", "先生", "总", "经理")
HONORIFICS_FEMALE: Final[tuple[str, ...]] = ("女士", "女士", "女士", "小姐", "总")

NICKNAMES: Final[tuple[str, ...]] = tuple(
    """
阳光明媚 静待花开 一路向北 知足常乐 风轻云淡 岁月静好 简单快乐 晴天 小确幸 追梦人 平安是福
海阔天空 Lily Kevin Tony Coco 木子 🌸花开半夏 快乐每一天😊 A-专业保险咨询 微笑向暖 奋斗的蜗牛
""".split()
)


# --- places -------------------------------------------------------------------
class City(NamedTuple):
    """A real prefecture-level city with its telephone area code and the
    first four digits of resident-id area codes issued there (the key of
    :data:`ID_AREAS`)."""

    province: str
    province_short: str
    name: str
    short: str
    pinyin: str
    area_code: str
    id_prefix: str
    districts: tuple[str, ...]
    weight: float


def _cities(block: str) -> list[City]:
    cities = []
    for prov, prov_short, name, pinyin, area, id4, weight, districts in _table(block):
        # A municipality is its own province: 北京市 北京市 朝阳区 ...
        province = prov if prov.endswith(("省", "市", "区")) else prov + "省"
        cities.append(
            City(
                province=province,
                province_short=prov_short,
                name=name,
                short=name.removesuffix("市"),
                pinyin=pinyin,
                area_code=area,
                id_prefix=id4,
                districts=tuple(districts.split(",")),
                weight=float(weight),
            )
        )
    return cities


CITIES: Final[list[City]] = _cities(
    """
北京市 北京 北京市 Beijing 010 1101 8 东城区,西城区,朝阳区,海淀区,丰台区,石景山区,通州区,昌平区,大兴区,顺义区
上海市 上海 上海市 Shanghai 021 3101 8 黄浦区,徐汇区,长宁区,静安区,普陀区,虹口区,杨浦区,浦东新区,闵行区,宝山区,嘉定区,松江区
天津市 天津 天津市 Tianjin 022 1201 3 和平区,河东区,河西区,南开区,河北区,红桥区,滨海新区,西青区
重庆市 重庆 重庆市 Chongqing 023 5001 4 渝中区,江北区,南岸区,九龙坡区,沙坪坝区,渝北区,巴南区
广东 广东 广州市 Guangzhou 020 4401 6 越秀区,海珠区,荔湾区,天河区,白云区,黄埔区,番禺区,花都区
广东 广东 深圳市 Shenzhen 0755 4403 6 罗湖区,福田区,南山区,宝安区,龙岗区,盐田区,龙华区,光明区
广东 广东 东莞市 Dongguan 0769 4419 2 南城街道,东城街道,长安镇,虎门镇,厚街镇,塘厦镇,常平镇
广东 广东 佛山市 Foshan 0757 4406 2 禅城区,南海区,顺德区,三水区,高明区
浙江 浙江 杭州市 Hangzhou 0571 3301 4 上城区,拱墅区,西湖区,滨江区,萧山区,余杭区,临平区
浙江 浙江 宁波市 Ningbo 0574 3302 2 海曙区,江北区,北仑区,镇海区,鄞州区
浙江 浙江 温州市 Wenzhou 0577 3303 1.5 鹿城区,龙湾区,瓯海区,洞头区
江苏 江苏 南京市 Nanjing 025 3201 3.5 玄武区,秦淮区,建邺区,鼓楼区,浦口区,栖霞区,雨花台区,江宁区
江苏 江苏 苏州市 Suzhou 0512 3205 3 姑苏区,虎丘区,吴中区,相城区,吴江区
江苏 江苏 无锡市 Wuxi 0510 3202 1.5 梁溪区,锡山区,惠山区,滨湖区,新吴区
四川 四川 成都市 Chengdu 028 5101 4 锦江区,青羊区,金牛区,武侯区,成华区,龙泉驿区,双流区,郫都区
湖北 湖北 武汉市 Wuhan 027 4201 3.5 江岸区,江汉区,硚口区,汉阳区,武昌区,青山区,洪山区
陕西 陕西 西安市 Xi'an 029 6101 3 新城区,碑林区,莲湖区,雁塔区,未央区,灞桥区,长安区
河南 河南 郑州市 Zhengzhou 0371 4101 3 中原区,二七区,金水区,惠济区,管城回族区
湖南 湖南 长沙市 Changsha 0731 4301 2.5 芙蓉区,天心区,岳麓区,开福区,雨花区
山东 山东 济南市 Jinan 0531 3701 2 历下区,市中区,槐荫区,天桥区,历城区
山东 山东 青岛市 Qingdao 0532 3702 2.5 市南区,市北区,黄岛区,崂山区,李沧区,城阳区
辽宁 辽宁 沈阳市 Shenyang 024 2101 2 和平区,沈河区,大东区,皇姑区,铁西区,浑南区
辽宁 辽宁 大连市 Dalian 0411 2102 1.5 中山区,西岗区,沙河口区,甘井子区
福建 福建 福州市 Fuzhou 0591 3501 1.5 鼓楼区,台江区,仓山区,晋安区
福建 福建 厦门市 Xiamen 0592 3502 1.5 思明区,海沧区,湖里区,集美区,同安区
安徽 安徽 合肥市 Hefei 0551 3401 2 瑶海区,庐阳区,蜀山区,包河区
云南 云南 昆明市 Kunming 0871 5301 1.5 五华区,盘龙区,官渡区,西山区
黑龙江 黑龙江 哈尔滨市 Harbin 0451 2301 1.5 道里区,南岗区,道外区,香坊区
吉林 吉林 长春市 Changchun 0431 2201 1.2 南关区,宽城区,朝阳区,二道区,绿园区
河北 河北 石家庄市 Shijiazhuang 0311 1301 1.5 长安区,桥西区,新华区,裕华区
江西 江西 南昌市 Nanchang 0791 3601 1.2 东湖区,西湖区,青云谱区,青山湖区
广西壮族自治区 广西 南宁市 Nanning 0771 4501 1.2 兴宁区,青秀区,江南区,西乡塘区
贵州 贵州 贵阳市 Guiyang 0851 5201 1 南明区,云岩区,花溪区,观山湖区
山西 山西 太原市 Taiyuan 0351 1401 1 小店区,迎泽区,杏花岭区,万柏林区
新疆维吾尔自治区 新疆 乌鲁木齐市 Urumqi 0991 6501 0.6 天山区,沙依巴克区,新市区,水磨沟区
内蒙古自治区 内蒙古 呼和浩特市 Hohhot 0471 1501 0.5 新城区,回民区,玉泉区,赛罕区
"""
)
MUNICIPALITIES: Final[frozenset[str]] = frozenset({"北京市", "上海市", "天津市", "重庆市"})

# Current county-level area codes (GB/T 2260) per city, for resident ids;
# taken from python-stdnum's cn/loc table so the engine's check knows them.
ID_AREAS: Final[dict[str, tuple[str, ...]]] = {
    row[0]: tuple(row[1:])
    for row in _table(
        """
1101 110105 110106 110107 110108 110111 110112 110113 110114 110115 110116 110117
3101 310112 310113 310114 310115 310116 310117 310118 310120 310151
1201 120110 120111 120112 120113 120114 120115 120116 120117 120118 120119
5001 500101 500102 500103 500104 500106 500107 500108 500109 500110 500111
4401 440103 440104 440105 440106 440111 440112 440113 440114 440115 440117
4403 440303 440304 440305 440306 440307 440308 440309 440310 440311
4419 441900
4406 440604 440605 440606 440607 440608
3301 330102 330105 330106 330108 330109 330110 330111 330112 330182
3302 330203 330205 330206 330211 330212 330213 330225 330226 330281 330282
3303 330302 330303 330304 330305 330324 330326 330327 330328 330329 330381
3201 320102 320104 320105 320106 320111 320113 320114 320115 320116 320117
3205 320505 320506 320507 320508 320509 320581 320582 320583 320585
3202 320205 320206 320211 320213 320214 320281 320282
5101 510104 510105 510106 510107 510108 510112 510113 510114 510115 510116
4201 420102 420103 420104 420105 420106 420107 420111 420112 420113 420114
6101 610102 610103 610104 610111 610112 610113 610114 610115 610116 610117
4101 410102 410103 410104 410105 410106 410108 410122 410181 410182 410183
4301 430102 430103 430104 430105 430111 430112 430181 430182
3701 370102 370103 370104 370105 370112 370113 370114 370115 370116 370117
3702 370202 370203 370211 370212 370213 370214 370215 370281 370283 370285
2101 210102 210103 210104 210105 210106 210111 210112 210113 210114 210115
2102 210202 210203 210204 210211 210212 210213 210214 210281 210283
3501 350102 350103 350104 350105 350111 350112 350122 350123 350124 350125
3502 350203 350205 350206 350211 350212 350213
3401 340102 340103 340104 340111 340122 340123 340124 340181
5301 530102 530103 530111 530112 530113 530114 530115 530125 530126 530127
2301 230102 230103 230104 230108 230109 230110 230111 230112 230113 230123
2201 220102 220103 220104 220105 220106 220112 220113 220122 220182 220183
1301 130102 130104 130105 130107 130108 130109 130110 130111 130121 130123
3601 360102 360103 360104 360111 360112 360113 360123 360124
4501 450102 450103 450105 450107 450108 450109 450110 450123 450124 450125
5201 520102 520103 520111 520112 520113 520115 520121 520122 520123 520181
1401 140105 140106 140107 140108 140109 140110 140181
6501 650102 650103 650104 650105 650106 650107 650109
1501 150102 150103 150104 150105 150123 150124 150125
"""
    )
}
# Cities whose local landline numbers still have 7 digits (all others: 8).
SEVEN_DIGIT_AREA_CODES: Final[frozenset[str]] = frozenset({"0592", "0771", "0351", "0991", "0471"})

ROAD_STEMS: Final[tuple[str, ...]] = tuple(
    """
人民 解放 中山 建设 和平 长江 黄河 东风 新华 文化 学府 滨海 创业 金融 花园 振兴 友谊 光明
青年 幸福 迎宾 环城 科技园 高新 工业 世纪 延安 胜利 朝阳 团结 民主 劳动 湖滨 江滨 望江 凤凰
梧桐 银杏 香樟 海棠 紫荆 桂花 兴业 百花 万寿 体育 公园 站前 府前 沿江 华夏 星光 东环 西环
明珠 锦绣 翠湖 金沙 腾飞 创新 软件园 芙蓉 天府 五一 八一
""".split()
)
ROAD_DIRECTIONS: Final[tuple[str, ...]] = ("", "", "", "", "东", "西", "南", "北", "中", "一", "二")
ROAD_TYPES: Final[tuple[str, ...]] = ("路", "路", "路", "路", "大道", "街", "街", "巷")
ESTATE_STEMS: Final[tuple[str, ...]] = tuple(
    """
阳光 翠湖 金色 锦绣 华府 御景 滨江 世纪 城市 名门 时代 书香 丽景 海逸 雅居 怡景 紫薇
春天 东方 南山 香榭 枫林 桃源 馨园 水岸 天悦 君悦 碧水 绿洲 星河 望府 和园 康城
""".split()
)
ESTATE_SUFFIXES: Final[tuple[str, ...]] = tuple(
    "花园 小区 家园 华庭 苑 府 公馆 新村 雅苑 名苑 嘉园 城".split()
)
TOWER_STEMS: Final[tuple[str, ...]] = tuple(
    "国贸 金融 世贸 环球 创新 科兴 高新 星河 汇金 财富 中环 天安 时代 东方 新世纪 航天 银座 华融".split()
)
TOWER_SUFFIXES: Final[tuple[str, ...]] = (
    "大厦",
    "大厦",
    "中心",
    "广场",
    "国际",
    "科技园",
    "产业园",
)

# --- companies ------------------------------------------------------------------
BRAND_CHARS: Final[list[tuple[str, str]]] = _pairs(
    """
华 hua 信 xin 达 da 恒 heng 盛 sheng 泰 tai 鑫 xin 瑞 rui 通 tong 利 li 安 an 康 kang
博 bo 创 chuang 智 zhi 汇 hui 源 yuan 宏 hong 远 yuan 新 xin 天 tian 云 yun 海 hai 腾 teng
飞 fei 凯 kai 嘉 jia 佳 jia 联 lian 众 zhong 诚 cheng 德 de 隆 long 昌 chang 兴 xing 明 ming
光 guang 正 zheng 中 zhong 金 jin 亿 yi 万 wan 丰 feng 荣 rong 宇 yu 星 xing 辰 chen 方 fang
卓 zhuo 越 yue 优 you 锐 rui 迅 xun 捷 jie 图 tu 奥 ao 美 mei 润 run 和 he 益 yi 鼎 ding
拓 tuo 维 wei 科 ke 力 li 驰 chi 蓝 lan 启 qi 航 hang 晟 sheng 煜 yu 峰 feng 鸿 hong 纳 na
思 si 睿 rui 朗 lang 晶 jing 欣 xin 合 he
"""
)
# Foreign-owned firms registered in China under an English brand.
FOREIGN_BRANDS: Final[list[tuple[str, str]]] = _pairs(
    """
Northwind 诺风 Bluepeak 蓝峰 Silverline 银线 Greenleaf 绿叶 Brightstar 百星 Oakridge 橡岭
Redwood 红木 Summitra 顶峰 Crestview 冠景 Evergreen 常青 Lakeside 湖畔 Pinecrest 松冠
Riverstone 河石 Skyline 天际 Westbrook 西溪 Goldfield 金田 Stonebridge 石桥 Maplewood 枫木
"""
)
INDUSTRIES: Final[list[tuple[str, str]]] = _pairs(
    """
科技|Technology 信息技术|Information_Technology 网络科技|Network_Technology 电子|Electronics
贸易|Trading 商贸|Commerce 实业|Industrial 投资|Investment 咨询|Consulting 物流|Logistics
建设工程|Construction_Engineering 医药|Pharmaceutical 生物科技|Biotechnology 食品|Food
服饰|Apparel 文化传媒|Culture_Media 教育科技|Education_Technology 机械设备|Machinery
新能源|New_Energy 汽车服务|Auto_Service 餐饮管理|Catering_Management 环保科技|Environmental_Technology
智能科技|Intelligent_Technology 软件|Software 精密制造|Precision_Manufacturing
供应链管理|Supply_Chain_Management 广告|Advertising 家居|Home_Furnishing 电气|Electric
""",
    sep="|",
)
# zh form, English form, weight.
LEGAL_FORMS: Final[list[tuple[str, str, float]]] = [
    ("有限公司", "Co., Ltd.", 70.0),
    ("有限责任公司", "Co., Ltd.", 10.0),
    ("股份有限公司", "Corp., Ltd.", 12.0),
    ("集团有限公司", "Group Co., Ltd.", 8.0),
]

TITLES: Final[list[tuple[str, str]]] = _pairs(
    """
销售经理|Sales_Manager 总经理|General_Manager 采购经理|Purchasing_Manager 市场总监|Marketing_Director
工程师|Engineer 高级工程师|Senior_Engineer 技术总监|CTO 产品经理|Product_Manager
项目经理|Project_Manager 行政专员|Admin_Specialist 财务主管|Finance_Supervisor
人力资源经理|HR_Manager 董事长|Chairman 副总裁|Vice_President 销售代表|Sales_Representative
客户经理|Account_Manager 运营专员|Operations_Specialist 采购专员|Buyer 总监|Director
主管|Supervisor 设计师|Designer 研发工程师|R&D_Engineer 区域经理|Regional_Manager
店长|Store_Manager 助理|Assistant
""",
    sep="|",
)
TEAM_MAILBOXES: Final[tuple[str, ...]] = ("info", "sales", "service", "contact", "market", "hr")

# --- contact details ---------------------------------------------------------------
MOBILE_PREFIXES: Final[tuple[str, ...]] = tuple(
    """
130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 170 173 175
176 177 178 180 181 182 183 184 185 186 187 188 189 191 193 195 198 199
""".split()
)
# Numbers a lead vendor scrapes instead of a person's mobile.
SERVICE_NUMBERS: Final[tuple[str, ...]] = (
    "400-820-8820",
    "400-660-1234",
    "4008-123-456",
    "95555",
    "10086",
    "12345",
    "95588",
)
PERSONAL_DOMAINS: Final[list[tuple[str, float]]] = [
    ("163.com", 26.0),
    ("126.com", 12.0),
    ("sina.com", 5.0),
    ("sohu.com", 3.0),
    ("foxmail.com", 6.0),
    ("gmail.com", 8.0),
    ("outlook.com", 6.0),
    ("hotmail.com", 5.0),
    ("yeah.net", 2.0),
    ("139.com", 3.0),
    ("aliyun.com", 2.0),
]
DOMAIN_TYPOS: Final[dict[str, tuple[str, ...]]] = {
    "qq.com": ("qq.con", "qq.cm", "qq.co", "qq,com", "qq.comm"),
    "163.com": ("163.cm", "163.con", "163com", "163.co"),
    "126.com": ("126.cm", "126.co", "126.con"),
    "gmail.com": ("gmial.com", "gamil.com", "gmail.co", "gmai.com"),
    "hotmail.com": ("hotmial.com", "hotmai.com", "hotmail.co"),
    "outlook.com": ("outlok.com", "outlook.cm"),
    "sina.com": ("sina.con", "sian.com"),
    "foxmail.com": ("foxmial.com", "foxmail.cm"),
}
PLACEHOLDERS: Final[tuple[str, ...]] = ("无", "未知", "-", "N/A", "暂无", "/", "不详")

# --- channel extras --------------------------------------------------------------------
OWNERS: Final[tuple[str, ...]] = tuple(
    "刘晓燕 陈建国 张丽华 王海波 李明辉 赵雪梅 孙志强 周婷婷 吴俊杰 郑佳怡".split()
) + ("Kevin Liu", "Amy Zhang")
MEMBER_LEVELS: Final[list[tuple[str, float]]] = [
    ("普通会员", 60.0),
    ("银卡会员", 25.0),
    ("金卡会员", 12.0),
    ("钻石会员", 3.0),
]
# Mostly values of a CRM's type picklist; 经销商 and 个人 are the free text
# the engine must flag rather than guess.
CUSTOMER_TYPES: Final[tuple[str, ...]] = tuple(
    "普通客户 普通客户 成交客户 潜在客户 潜在客户 意向客户 VIP 大客户 重点客户 经销商 个人".split()
)
WEB_CAMPAIGNS: Final[tuple[str, ...]] = (
    "官网试用申请",
    "白皮书下载",
    "2025新品发布会报名",
    "在线咨询",
    "产品演示预约",
    "Newsletter",
)
TRADE_SHOWS: Final[tuple[str, ...]] = (
    "2024深圳高交会",
    "2025上海工博会",
    "2025春季广交会",
    "2024成都糖酒会",
    "2025北京科博会",
)
WECHAT_ACTIVITIES: Final[tuple[str, ...]] = (
    "关注有礼",
    "扫码抽奖",
    "618会员日",
    "双11预约",
    "新店开业",
    "老带新裂变",
)
LEAD_SOURCES: Final[tuple[str, ...]] = (
    "百度推广",
    "抖音信息流",
    "今日头条",
    "58同城",
    "行业名录",
    "展会名单",
    "数据合作",
)
HOTLINE_NOTES: Final[tuple[str, ...]] = tuple(
    """
咨询产品价格 询问退换货流程 投诉物流延迟，已安抚 要求尽快回电 咨询会员积分兑换 反馈产品质量问题
预约上门安装 查询订单状态 要求开具发票 咨询售后维修 更改收货地址 客户表示考虑一下
电话未接通，稍后回访 已解决 转技术支持处理 咨询合作代理 对服务满意 询问优惠活动
""".split()
)
JUNK_NOTES: Final[tuple[str, ...]] = (
    "客户未留联系方式",
    "号码空号",
    "信息不全",
    "重复线索，已作废",
    "客户拒绝留资",
    "表单提交不完整",
)
