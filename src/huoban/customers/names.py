"""The structure of a Chinese company name (issue #13): 行政区划 + 字号 + 行业 + 组织形式.

:func:`parse` splits what a partner types into

* **regions** — the leading place names (province, city, 中国) and a bracketed one, as their
  short forms: ``广东省深圳市…`` → ``("广东", "深圳")``;
* **brand** (字号) — what names this company and no other;
* **industry** — the trailing industry words (科技, 电器, 集团, 高速公路…), which many companies
  share;
* the legal form (有限公司…, and a bare 股份 as short names write it), dropped.

A name that is nothing but a place and industry words (北京银行, 太原化工, 深圳高速公路) has its
(last) place as its brand: the place is then what tells 北京银行 from 上海银行.

:func:`numbers` lists the numbers a name carries (digit runs, Latin letter runs, CJK numerals
and ordinals) — two names that differ in them are two companies (…第一建筑… / …第二建筑…).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .normalize import (
    _BRACKETED_REGION,
    _CITY_FORMS,
    _PLACE_FORMS,
    MAJOR_CITIES,
    PREFECTURES,
    PROVINCES,
    _folded,
    _strip_legal_form,
    industry_words,
    strip_industry,
)

# Every form of a place (北京市, 北京) → its short form (北京); 中国 and 中华人民共和国 → 中国.
_CANONICAL: dict[str, str] = {"中国": "中国", "中华人民共和国": "中国", "中华": "中国"}
for _group in PROVINCES:
    for _form in _group:
        _CANONICAL[_form] = _group[-1]
for _city in (*MAJOR_CITIES, *PREFECTURES):
    _short = _city.removesuffix("市") if len(_city) > 2 else _city
    _CANONICAL[_city] = _short
    _CANONICAL[f"{_short}市"] = _short
_LEADING_PLACES: frozenset[str] = frozenset({*_PLACE_FORMS, *_CITY_FORMS, "中华人民共和国", "中国"})
_PLACE_LENGTHS = sorted({len(p) for p in _LEADING_PLACES}, reverse=True)
# The first characters of places (大 of 大连, 江 of 江西): a short name may start with one
# (大冷 for 大连冷冻机, 江特 for 江西特种电机).
PLACE_INITIALS: frozenset[str] = frozenset(p[0] for p in _LEADING_PLACES)
# Any other city, county or district written with its suffix (张家港市, 顺德区, 昆山市).
_OTHER_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,3}?)(?:市|县|区|自治州|地区)(?=[\u4e00-\u9fff]{2})")

# The province of every prefecture-level city (short forms; GB/T 2260 as compiled in jionlp's
# china_location, Apache-2.0): 武汉 is in 湖北, so 湖北武商 and 武汉武商 share a place.
CITY_PROVINCE: dict[str, str] = {
    "临沧": "云南", "丽江": "云南", "保山": "云南", "大理": "云南", "德宏": "云南", "怒江": "云南",
    "文山": "云南", "昆明": "云南", "昭通": "云南", "普洱": "云南", "曲靖": "云南", "楚雄": "云南",
    "玉溪": "云南", "红河": "云南", "西双版纳": "云南", "迪庆": "云南", "乌兰察布": "内蒙古",
    "乌海": "内蒙古", "兴安盟": "内蒙古", "包头": "内蒙古", "呼伦贝尔": "内蒙古",
    "呼和浩特": "内蒙古", "巴彦淖尔": "内蒙古", "赤峰": "内蒙古", "通辽": "内蒙古",
    "鄂尔多斯": "内蒙古", "锡林郭勒": "内蒙古", "阿拉善": "内蒙古", "吉林市": "吉林",
    "四平": "吉林", "延边": "吉林", "松原": "吉林", "白城": "吉林", "白山": "吉林", "辽源": "吉林",
    "通化": "吉林", "长春": "吉林", "乐山": "四川", "内江": "四川", "凉山": "四川", "南充": "四川",
    "宜宾": "四川", "巴中": "四川", "广元": "四川", "广安": "四川", "德阳": "四川", "成都": "四川",
    "攀枝花": "四川", "泸州": "四川", "甘孜": "四川", "眉山": "四川", "绵阳": "四川",
    "自贡": "四川", "资阳": "四川", "达州": "四川", "遂宁": "四川", "阿坝": "四川", "雅安": "四川",
    "中卫": "宁夏", "吴忠": "宁夏", "固原": "宁夏", "石嘴山": "宁夏", "银川": "宁夏",
    "亳州": "安徽", "六安": "安徽", "合肥": "安徽", "安庆": "安徽", "宣城": "安徽", "宿州": "安徽",
    "池州": "安徽", "淮北": "安徽", "淮南": "安徽", "滁州": "安徽", "芜湖": "安徽", "蚌埠": "安徽",
    "铜陵": "安徽", "阜阳": "安徽", "马鞍山": "安徽", "黄山": "安徽", "东营": "山东",
    "临沂": "山东", "威海": "山东", "德州": "山东", "日照": "山东", "枣庄": "山东", "泰安": "山东",
    "济南": "山东", "济宁": "山东", "淄博": "山东", "滨州": "山东", "潍坊": "山东", "烟台": "山东",
    "聊城": "山东", "菏泽": "山东", "青岛": "山东", "临汾": "山西", "吕梁": "山西", "大同": "山西",
    "太原": "山西", "忻州": "山西", "晋中": "山西", "晋城": "山西", "朔州": "山西", "运城": "山西",
    "长治": "山西", "阳泉": "山西", "东莞": "广东", "中山": "广东", "云浮": "广东", "佛山": "广东",
    "广州": "广东", "惠州": "广东", "揭阳": "广东", "梅州": "广东", "汕头": "广东", "汕尾": "广东",
    "江门": "广东", "河源": "广东", "深圳": "广东", "清远": "广东", "湛江": "广东", "潮州": "广东",
    "珠海": "广东", "肇庆": "广东", "茂名": "广东", "阳江": "广东", "韶关": "广东", "北海": "广西",
    "南宁": "广西", "崇左": "广西", "来宾": "广西", "柳州": "广西", "桂林": "广西", "梧州": "广西",
    "河池": "广西", "玉林": "广西", "百色": "广西", "贵港": "广西", "贺州": "广西", "钦州": "广西",
    "防城港": "广西", "乌鲁木齐": "新疆", "伊犁": "新疆", "克州": "新疆", "克孜勒苏": "新疆",
    "克拉玛依": "新疆", "博尔塔拉": "新疆", "吐鲁番": "新疆", "和田": "新疆", "哈密": "新疆",
    "喀什": "新疆", "塔城": "新疆", "巴州": "新疆", "巴音郭楞": "新疆", "昌吉": "新疆",
    "阿克苏": "新疆", "阿勒泰": "新疆", "南京": "江苏", "南通": "江苏", "宿迁": "江苏",
    "常州": "江苏", "徐州": "江苏", "扬州": "江苏", "无锡": "江苏", "泰州": "江苏", "淮安": "江苏",
    "盐城": "江苏", "苏州": "江苏", "连云港": "江苏", "镇江": "江苏", "上饶": "江西",
    "九江": "江西", "南昌": "江西", "吉安": "江西", "宜春": "江西", "抚州": "江西", "新余": "江西",
    "景德镇": "江西", "萍乡": "江西", "赣州": "江西", "鹰潭": "江西", "保定": "河北",
    "唐山": "河北", "廊坊": "河北", "张家口": "河北", "承德": "河北", "沧州": "河北",
    "石家庄": "河北", "秦皇岛": "河北", "衡水": "河北", "邢台": "河北", "邯郸": "河北",
    "三门峡": "河南", "信阳": "河南", "南阳": "河南", "周口": "河南", "商丘": "河南",
    "安阳": "河南", "平顶山": "河南", "开封": "河南", "新乡": "河南", "洛阳": "河南",
    "漯河": "河南", "濮阳": "河南", "焦作": "河南", "许昌": "河南", "郑州": "河南",
    "驻马店": "河南", "鹤壁": "河南", "丽水": "浙江", "台州": "浙江", "嘉兴": "浙江",
    "宁波": "浙江", "杭州": "浙江", "温州": "浙江", "湖州": "浙江", "绍兴": "浙江", "舟山": "浙江",
    "衢州": "浙江", "金华": "浙江", "三亚": "海南", "三沙": "海南", "儋州": "海南", "海口": "海南",
    "十堰": "湖北", "咸宁": "湖北", "孝感": "湖北", "宜昌": "湖北", "恩施": "湖北", "武汉": "湖北",
    "荆州": "湖北", "荆门": "湖北", "襄阳": "湖北", "鄂州": "湖北", "随州": "湖北", "黄冈": "湖北",
    "黄石": "湖北", "娄底": "湖南", "岳阳": "湖南", "常德": "湖南", "张家界": "湖南",
    "怀化": "湖南", "株洲": "湖南", "永州": "湖南", "湘潭": "湖南", "湘西": "湖南", "益阳": "湖南",
    "衡阳": "湖南", "邵阳": "湖南", "郴州": "湖南", "长沙": "湖南", "临夏": "甘肃", "兰州": "甘肃",
    "嘉峪关": "甘肃", "天水": "甘肃", "定西": "甘肃", "平凉": "甘肃", "庆阳": "甘肃",
    "张掖": "甘肃", "武威": "甘肃", "甘南": "甘肃", "白银": "甘肃", "酒泉": "甘肃", "金昌": "甘肃",
    "陇南": "甘肃", "三明": "福建", "南平": "福建", "厦门": "福建", "宁德": "福建", "泉州": "福建",
    "漳州": "福建", "福州": "福建", "莆田": "福建", "龙岩": "福建", "山南": "西藏", "拉萨": "西藏",
    "日喀则": "西藏", "昌都": "西藏", "林芝": "西藏", "那曲": "西藏", "阿里地区": "西藏",
    "六盘水": "贵州", "安顺": "贵州", "毕节": "贵州", "贵阳": "贵州", "遵义": "贵州",
    "铜仁": "贵州", "黔东南": "贵州", "黔南": "贵州", "黔西南": "贵州", "丹东": "辽宁",
    "大连": "辽宁", "抚顺": "辽宁", "朝阳": "辽宁", "本溪": "辽宁", "沈阳": "辽宁", "盘锦": "辽宁",
    "营口": "辽宁", "葫芦岛": "辽宁", "辽阳": "辽宁", "铁岭": "辽宁", "锦州": "辽宁",
    "阜新": "辽宁", "鞍山": "辽宁", "咸阳": "陕西", "商洛": "陕西", "安康": "陕西", "宝鸡": "陕西",
    "延安": "陕西", "榆林": "陕西", "汉中": "陕西", "渭南": "陕西", "西安": "陕西", "铜川": "陕西",
    "果洛": "青海", "海东": "青海", "海北": "青海", "海南州": "青海", "海西": "青海",
    "玉树": "青海", "西宁": "青海", "黄南": "青海", "七台河": "黑龙江", "伊春": "黑龙江",
    "佳木斯": "黑龙江", "双鸭山": "黑龙江", "哈尔滨": "黑龙江", "大兴安岭": "黑龙江",
    "大庆": "黑龙江", "牡丹江": "黑龙江", "绥化": "黑龙江", "鸡西": "黑龙江", "鹤岗": "黑龙江",
    "黑河": "黑龙江", "齐齐哈尔": "黑龙江", "台北": "台湾", "新北": "台湾", "桃园": "台湾",
    "台中": "台湾", "台南": "台湾", "高雄": "台湾",
}  # fmt: skip

# One-character abbreviations of provinces and of the cities that exchanges and people use in
# short names (深振业 = 深圳 + 振业, 沪电股份 = 上海 + 电). Only ever tried as an alternative
# reading of a short name's first character, never taken for granted: 苏宁 is a brand.
REGION_ABBREVIATIONS: dict[str, str] = {
    "京": "北京", "沪": "上海", "申": "上海", "津": "天津", "渝": "重庆", "冀": "河北",
    "晋": "山西", "辽": "辽宁", "吉": "吉林", "黑": "黑龙江", "苏": "江苏", "浙": "浙江",
    "皖": "安徽", "闽": "福建", "赣": "江西", "鲁": "山东", "豫": "河南", "鄂": "湖北",
    "湘": "湖南", "粤": "广东", "琼": "海南", "川": "四川", "蜀": "四川", "黔": "贵州",
    "贵": "贵州", "滇": "云南", "云": "云南", "陕": "陕西", "秦": "陕西", "甘": "甘肃",
    "陇": "甘肃", "青": "青海", "蒙": "内蒙古", "桂": "广西", "藏": "西藏", "宁": "宁夏",
    "新": "新疆", "港": "香港", "澳": "澳门", "深": "深圳", "穗": "广州", "杭": "杭州",
    "甬": "宁波", "厦": "厦门", "汉": "武汉", "蓉": "成都", "锡": "无锡", "连": "大连",
    "哈": "哈尔滨", "长": "长春",
}  # fmt: skip


_CJK_NUMERALS = "〇零一二三四五六七八九十"
_NUMBER = re.compile(rf"[0-9]+|[a-z]+|第?[{_CJK_NUMERALS}]+")


@dataclass(frozen=True)
class NameParts:
    """A company name split by :func:`parse`."""

    regions: tuple[str, ...]
    brand: str
    industry: tuple[str, ...]  # the industry words, in order
    full: bool = False  # written with its legal form (有限公司…): a legal name, not a short one

    @property
    def core(self) -> str:
        """Brand and industry: the name without its place."""
        return self.brand + "".join(self.industry)

    @property
    def text(self) -> str:
        """The whole name as compared: place(s), brand, industry."""
        return "".join(self.regions) + self.core


def _leading_place(text: str) -> tuple[str, str] | None:
    """(canonical place, rest) when `text` starts with a place name and has more after it."""
    for length in _PLACE_LENGTHS:
        form = text[:length]
        if len(text) > length and form in _LEADING_PLACES:
            return _CANONICAL.get(form, form), text[length:]
    other = _OTHER_PLACE.match(text)
    if other:
        return other.group(1), text[other.end() :]
    return None


def places(regions: tuple[str, ...]) -> set[str]:
    """The places of `regions` with the provinces of their cities (武汉 → 武汉, 湖北)."""
    return {*regions, *(CITY_PROVINCE[r] for r in regions if r in CITY_PROVINCE)}


def starts_with_place(text: str) -> bool:
    """True when `text` starts with a place name (杭州钢铁, 哈尔滨…)."""
    return _leading_place(text) is not None


@functools.lru_cache(maxsize=65536)
def parse(name: str) -> NameParts:
    """Split a company name into regions, brand and industry (module docstring)."""
    text = _folded(name)
    regions: list[str] = []
    for bracketed in _BRACKETED_REGION.findall(text):
        inner = bracketed.strip("()")
        regions.append(_CANONICAL.get(inner, _CANONICAL.get(inner[:-1], inner)))
    text = _BRACKETED_REGION.sub("", text).replace("(集团)", "集团") or text
    stripped = _strip_legal_form(text)
    full = stripped != text
    text = stripped
    if text.endswith("股份") and len(text) >= 4:  # 首创股份: a short name's bare 股份
        text = text[:-2]
    leading: list[str] = []
    while (found := _leading_place(text)) is not None:
        place, rest = found
        short, words = strip_industry(rest, keep=1, prefer=2)
        if len(short) < 2:  # 日照港, 唐山港集团: the place and what follows it are the brand
            return NameParts(tuple(leading + regions), place + short, words, full)
        words = industry_words(rest) or ()
        if words:
            # 北京银行, 太原化工, 上海汽车集团: the place and the first industry word are the brand.
            return NameParts(tuple(leading + regions), place + words[0], words[1:], full)
        leading.append(place)
        text = rest
    brand, industry = strip_industry(text)
    return NameParts(tuple(leading + regions), brand, industry, full)


def numbers(text: str) -> list[str]:
    """The numbers in a folded name: digit and Latin letter runs, CJK numerals with their
    ordinal 第 dropped (第一 and 一 are the same number)."""
    return [m.group().removeprefix("第") for m in _NUMBER.finditer(text)]
