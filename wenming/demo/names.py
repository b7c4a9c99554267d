"""Word lists for plausible (fictional) demo data: people, streets, towns, villages, housing estates.

Nothing here names a real official. Street names of the large districts are real public street names,
used only to make outlet addresses look familiar; house numbers, towns and villages are invented.
"""

from __future__ import annotations

import random

# Surnames weighted roughly by their frequency in Liaoning (于, 孙, 刘, 张, 王, 李 lead the north-east).
SURNAMES: list[tuple[str, int]] = [
    ("王", 90),
    ("李", 85),
    ("张", 85),
    ("刘", 80),
    ("于", 40),
    ("孙", 38),
    ("杨", 30),
    ("赵", 30),
    ("陈", 28),
    ("高", 24),
    ("徐", 20),
    ("马", 20),
    ("郭", 16),
    ("周", 16),
    ("吴", 14),
    ("韩", 14),
    ("曲", 10),
    ("姜", 12),
    ("邢", 6),
    ("崔", 10),
    ("宋", 10),
    ("董", 10),
    ("朱", 9),
    ("胡", 9),
    ("林", 8),
    ("何", 7),
    ("罗", 6),
    ("梁", 6),
    ("郑", 8),
    ("谢", 6),
    ("唐", 6),
    ("冯", 7),
    ("曹", 7),
    ("袁", 5),
    ("邓", 5),
    ("许", 6),
    ("傅", 5),
    ("沈", 5),
    ("吕", 6),
    ("苏", 6),
    ("蒋", 5),
    ("蔡", 5),
    ("贾", 6),
    ("丁", 6),
    ("魏", 6),
    ("薛", 5),
    ("叶", 4),
    ("阎", 5),
    ("潘", 5),
    ("杜", 5),
    ("田", 6),
    ("任", 5),
    ("范", 5),
    ("方", 4),
    ("石", 5),
    ("姚", 4),
    ("谭", 4),
    ("邹", 4),
    ("金", 5),
    ("陆", 3),
    ("郝", 5),
    ("孔", 4),
    ("白", 5),
    ("康", 4),
    ("秦", 4),
    ("史", 4),
    ("侯", 5),
    ("孟", 5),
    ("常", 4),
    ("武", 4),
    ("乔", 3),
    ("关", 5),
    ("佟", 4),
    ("付", 5),
    ("鲍", 3),
    ("尹", 3),
    ("庞", 3),
    ("隋", 3),
    ("宫", 3),
    ("那", 2),
    ("富", 2),
    ("洪", 2),
    ("牛", 3),
    ("纪", 3),
    ("温", 3),
    ("戴", 3),
    ("夏", 3),
]

MALE_CHARS = (
    "伟 刚 勇 毅 俊 峰 强 军 平 保 东 文 辉 力 明 永 健 世 广 志 义 兴 良 海 山 仁 波 宁 贵 福 生 龙 元 全 国 胜 "
    "学 祥 才 发 武 新 利 清 飞 彬 富 顺 信 子 杰 涛 昌 成 康 星 光 天 达 安 岩 中 茂 进 林 有 坚 和 彪 博 诚 先 敬 "
    "震 振 壮 会 思 群 豪 心 邦 承 乐 绍 功 松 善 厚 庆 磊 民 友 裕 河 哲 江 超 浩 亮 政 谦 亨 奇 固 之 轮 翰 朗 伯 "
    "宏 言 若 鸣 朋 斌 梁 栋 维 启 克 伦 翔 旭 鹏 泽 晨 辰 士 以 建 家 致 树 炎 德 行 时 泰 盛 雄 琛 钧 冠 策 腾 楠 "
    "榕 风 航 弘 宇 鑫 硕 帅 宝 铁 柱 金 锋 立 军 长 春 喜 双 百 万"
).split()
FEMALE_CHARS = (
    "秀 娟 英 华 慧 巧 美 娜 静 淑 惠 珠 翠 雅 芝 玉 萍 红 娥 玲 芬 芳 燕 彩 春 菊 兰 凤 洁 梅 琳 素 云 莲 真 环 "
    "雪 荣 爱 妹 霞 香 月 莺 媛 艳 瑞 凡 佳 嘉 琼 勤 珍 贞 莉 桂 娣 叶 璧 璐 娅 琦 晶 妍 茜 秋 珊 莎 锦 黛 青 倩 "
    "婷 姣 婉 娴 瑾 颖 露 瑶 怡 婵 雁 蓓 纨 仪 荷 丹 蓉 眉 君 琴 蕊 薇 菁 梦 岚 苑 婕 馨 瑗 琰 韵 融 园 艺 咏 卿 "
    "聪 澜 纯 毓 悦 昭 冰 爽 琬 茗 羽 希 宁 欣 飘 育 滢 馥 筠 柔 竹 霭 凝 晓 欢 霄 枫 芸 菲 寒 伊 亚 宜 可 姬 舒 "
    "影 荔 枝 丽 阳 妮 宝 贝 初 程 梵 罡 恒 鸿 桦 骅 剑 娇 纪 宽 苛 灵 玛 媚 琪 晴 容 睿 烁 堂 唯 威 韦 雯 苇 萱"
).split()

_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_CUM: list[int] = []
_total = 0
for _, _w in SURNAMES:
    _total += _w
    _SURNAME_CUM.append(_total)


def person_name(rng: random.Random, gender: str) -> str:
    """A plausible two- or three-character Chinese name (``gender`` is ``"M"`` or ``"F"``)."""
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.28:
        return surname + rng.choice(chars)
    first, second = rng.choice(chars), rng.choice(chars)
    if second == first and rng.random() < 0.7:  # doubled names (婷婷) exist, but not that often
        second = rng.choice(chars)
    return surname + first + second


# Real, well-known streets of the larger districts (public names), keyed by GB/T 2260 county code.
KNOWN_STREETS: dict[str, list[str]] = {
    "210102": ["南京北街", "太原北街", "中华路", "南京南街", "十一纬路", "三好街", "北五马路", "和平北大街"],
    "210103": ["中街路", "青年大街", "北站路", "小西路", "风雨坛街", "惠工街", "市府大路", "五爱街"],
    "210104": ["东北大马路", "小河沿路", "东望街", "大东路", "长安路", "联合路"],
    "210105": ["黄河南大街", "北陵大街", "崇山中路", "昆山西路", "鸭绿江街", "长江街"],
    "210106": ["兴华北街", "北二中路", "建设大路", "云峰北街", "卫工北街", "重工街", "保工街"],
    "210112": ["浑南中路", "富民南街", "全运路", "天赐街", "创新路", "营盘西街"],
    "210202": ["人民路", "中山路", "天津街", "友好路", "解放路", "民康街"],
    "210203": ["黄河路", "长春路", "新开路", "五四路", "北京街", "八一路"],
    "210204": ["西安路", "五一路", "兴工街", "中山路", "太原街", "锦绣路"],
    "210211": ["华北路", "红旗西路", "泉水街", "松江路", "金三角路", "椒金山街"],
    "210213": ["斯大林路", "五一路", "友谊街", "金马路", "先进街"],
    "210302": ["二一九路", "胜利南路", "建国大道", "园林大道", "五一路"],
    "210402": ["西一路", "东一路", "裕民路", "新华大街", "浑河南路"],
    "210602": ["锦山大街", "七经街", "八纬路", "兴五路"],
    "210702": ["解放路", "中央大街", "士英街", "北京路"],
    "210802": ["渤海大街", "学府路", "平安路", "金牛山大街"],
    "211102": ["双兴路", "惠宾街", "红旗大街", "双盛街"],
    "211302": ["朝阳大街", "中山大街", "新华路", "友谊大街"],
}

STREET_HEADS = (
    "人民 解放 建设 文化 胜利 和平 新华 民主 友谊 光明 青年 工农 振兴 幸福 团结 兴华 滨河 富民 新开 育才 学府 站前 "
    "东风 繁荣 长青 红旗 五一 卫东 迎宾 太平 永安 北京 长江 黄河 松花江 鸭绿江 辽河 浑河 泰山 昆山 华山 明珠 "
    "新兴 兴隆 朝阳 向阳 望江 铁路 北环 南环 东环 西环 中兴 和谐 创业 启运 振业 通达"
).split()
STREET_TAILS = ["路", "街", "大街", "大路", "北路", "南路", "东路", "西路", "中路", "北街", "南街"]

TOWN_HEADS = (
    "大 小 新 老 前 后 东 西 南 北 高 黄 杨 刘 王 李 张 郝 马 孙 石 沙 柳 榆 杏 桃 三 五 七 八 二 腰 长 平 安 太 "
    "兴 永 福 清 双 红 金 银 青 白 黑 朝 哈 孤 泉 汤 叶 杜 谢 周"
).split()
TOWN_TAILS = ["家屯", "家堡", "家子", "台", "沟", "河", "岭", "甸子", "营子", "山", "堡", "屯", "坎", "窝堡", "官屯"]
VILLAGE_TAILS = ["家村", "家屯村", "家堡村", "家窝堡村", "家沟村", "台村", "甸村", "山村", "河村", "营子村"]

ESTATE_HEADS = (
    "阳光 锦绣 金地 海棠 翠湖 紫郡 春天 幸福 和谐 枫林 丽景 雅居 盛世 御景 碧水 蓝湾 新世纪 华府 滨江 湖畔 "
    "绿洲 怡和 嘉和 康乐 曙光 东方 明珠 颐和 香榭 书香 观澜 星河 金色 富丽 天润 恒润 汇宇 宏发 顺天 泰和"
).split()
ESTATE_TAILS = ["花园", "小区", "家园", "新城", "名苑", "雅苑", "嘉园", "公馆", "新村", "城"]


def street(rng: random.Random, county_code: str) -> str:
    known = KNOWN_STREETS.get(county_code)
    if known and rng.random() < 0.6:
        return rng.choice(known)
    return rng.choice(STREET_HEADS) + rng.choice(STREET_TAILS)


def town(rng: random.Random) -> str:
    return rng.choice(TOWN_HEADS) + rng.choice(TOWN_TAILS) + ("镇" if rng.random() < 0.8 else "乡")


def village(rng: random.Random) -> str:
    tail = rng.choice(VILLAGE_TAILS)
    head = rng.choice(_SURNAME_LIST[:40]) if "家" in tail else rng.choice(TOWN_HEADS)
    return head + tail


def estate(rng: random.Random) -> str:
    return rng.choice(ESTATE_HEADS) + rng.choice(ESTATE_TAILS)


# Mainland mobile prefixes in use in 2017 (China Mobile, Unicom, Telecom).
MOBILE_PREFIXES = (
    "134 135 136 137 138 139 147 150 151 152 157 158 159 178 182 183 184 187 188 "
    "130 131 132 145 155 156 166 175 176 185 186 133 149 153 173 177 180 181 189 199"
).split()
