"""Customer name normalisation (R-ATT-2).

``normalize_name`` turns what a partner or a customer types into the key the registry matches on:

1. NFKC: full-width letters, digits and brackets become half-width (ＡＢＣ（ → abc( ).
   Invisible characters (Unicode format characters such as U+200B zero-width space, the
   bidirectional controls U+202A–202E, U+FEFF, U+00AD soft hyphen, and every other default-
   ignorable code point) and control characters are removed: they change nothing a reader sees
   and would otherwise turn an exact match into a new customer (issue #10).
   Traditional characters are folded to simplified with OpenCC (t2s): 東義集團 → 东义集团.
2. Case folded; every kind of whitespace removed.
3. Brackets unified: （）【】[]〔〕〈〉 → ().
4. A bracketed region — ``(北京)``, ``(北京市)``, ``(中国)`` — removed; ``(集团)`` loses only its
   brackets (``青岛啤酒(集团)有限责任公司`` → ``青岛啤酒集团``).
5. Legal-form suffixes removed, repeatedly: 股份有限公司, 有限责任公司, 有限公司, 股份公司, 公司
   (but not the 公司 of a 分公司, a branch), and the English Co., Ltd. / Limited / Inc. / Corp. /
   LLC forms. 集团 is *kept*: 中国建筑集团有限公司 (the group) and 中国建筑股份有限公司 (its listed
   subsidiary) are two legal entities and must not normalise alike.
6. One leading province / municipality / autonomous region (full or short form) and then one
   leading major city removed — unless what remains is only generic or industry words (北京银行
   stays 北京银行, 太原化工 stays 太原化工: otherwise 北京银行 and 上海银行 would both become 银行,
   and 太原化工 and 沈阳化工 both 化工; issue #13).

A step that would leave nothing is skipped: the name keeps the previous step's form, so no name
ever normalises to an empty string.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import opencc

_BRACKETS = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "〔": "(",
        "〕": ")",
        "〈": "(",
        "〉": ")",
        "「": "(",
        "」": ")",
    }
)

# Provinces, municipalities, autonomous regions and SARs: full form first so that the longest
# one is removed (内蒙古自治区 before 内蒙古).
PROVINCES: tuple[tuple[str, ...], ...] = (
    ("北京市", "北京"),
    ("天津市", "天津"),
    ("上海市", "上海"),
    ("重庆市", "重庆"),
    ("河北省", "河北"),
    ("山西省", "山西"),
    ("辽宁省", "辽宁"),
    ("吉林省", "吉林"),
    ("黑龙江省", "黑龙江"),
    ("江苏省", "江苏"),
    ("浙江省", "浙江"),
    ("安徽省", "安徽"),
    ("福建省", "福建"),
    ("江西省", "江西"),
    ("山东省", "山东"),
    ("河南省", "河南"),
    ("湖北省", "湖北"),
    ("湖南省", "湖南"),
    ("广东省", "广东"),
    ("海南省", "海南"),
    ("四川省", "四川"),
    ("贵州省", "贵州"),
    ("云南省", "云南"),
    ("陕西省", "陕西"),
    ("甘肃省", "甘肃"),
    ("青海省", "青海"),
    ("台湾省", "台湾"),
    ("内蒙古自治区", "内蒙古"),
    ("广西壮族自治区", "广西自治区", "广西"),
    ("西藏自治区", "西藏"),
    ("宁夏回族自治区", "宁夏自治区", "宁夏"),
    ("新疆维吾尔自治区", "新疆自治区", "新疆"),
    ("香港特别行政区", "香港"),
    ("澳门特别行政区", "澳门"),
)

# Provincial capitals, sub-provincial cities and other large cities (short forms; "市" optional).
MAJOR_CITIES: tuple[str, ...] = (
    "石家庄",
    "太原",
    "呼和浩特",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "南京",
    "苏州",
    "无锡",
    "常州",
    "南通",
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "绍兴",
    "合肥",
    "福州",
    "厦门",
    "泉州",
    "南昌",
    "济南",
    "青岛",
    "烟台",
    "潍坊",
    "郑州",
    "洛阳",
    "武汉",
    "长沙",
    "广州",
    "深圳",
    "东莞",
    "佛山",
    "珠海",
    "南宁",
    "海口",
    "三亚",
    "成都",
    "贵阳",
    "昆明",
    "拉萨",
    "西安",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "唐山",
    "保定",
    "徐州",
    "扬州",
    "金华",
    "台州",
    "芜湖",
    "漳州",
    "赣州",
    "临沂",
    "襄阳",
    "宜昌",
    "株洲",
    "惠州",
    "中山",
    "汕头",
    "桂林",
    "绵阳",
    "遵义",
    "大理",
    "宝鸡",
    "包头",
    "鄂尔多斯",
    "吉林市",
)

# The other prefecture-level divisions of GB/T 2260 (地级市、地区、自治州、盟), short forms, as
# compiled in jionlp's china_location dictionary (Apache-2.0); left out: short forms that are
# common words or brands (朝阳, 北海, 安康, 长治, 红河, 普洱, 海东, 海北, 海西…) and 阿里
# (阿里巴巴). Issue #13.
PREFECTURES: tuple[str, ...] = (
    "临沧", "丽江", "保山", "德宏", "怒江", "文山", "昭通", "曲靖", "楚雄", "玉溪", "西双版纳",
    "迪庆", "乌兰察布", "乌海", "兴安盟", "呼伦贝尔", "巴彦淖尔", "赤峰", "通辽", "锡林郭勒",
    "阿拉善", "四平", "延边", "松原", "白城", "白山", "辽源", "通化", "乐山", "内江", "凉山",
    "南充", "宜宾", "巴中", "广元", "广安", "德阳", "攀枝花", "泸州", "甘孜", "眉山", "自贡",
    "资阳", "达州", "遂宁", "阿坝", "雅安", "吴忠", "固原", "石嘴山", "亳州", "六安", "安庆",
    "宣城", "宿州", "池州", "淮北", "淮南", "滁州", "蚌埠", "铜陵", "阜阳", "马鞍山", "黄山",
    "东营", "威海", "德州", "日照", "枣庄", "泰安", "济宁", "淄博", "滨州", "聊城", "菏泽", "临汾",
    "吕梁", "忻州", "晋中", "晋城", "朔州", "运城", "阳泉", "云浮", "揭阳", "梅州", "汕尾", "江门",
    "河源", "清远", "湛江", "潮州", "肇庆", "茂名", "阳江", "韶关", "崇左", "柳州", "梧州", "河池",
    "玉林", "百色", "贵港", "贺州", "钦州", "防城港", "伊犁", "克州", "克孜勒苏", "克拉玛依",
    "博尔塔拉", "吐鲁番", "和田", "哈密", "喀什", "塔城", "巴州", "巴音郭楞", "昌吉", "阿克苏",
    "阿勒泰", "宿迁", "泰州", "淮安", "盐城", "连云港", "镇江", "上饶", "九江", "吉安", "宜春",
    "抚州", "新余", "景德镇", "萍乡", "鹰潭", "廊坊", "张家口", "承德", "沧州", "秦皇岛", "衡水",
    "邢台", "邯郸", "三门峡", "信阳", "南阳", "周口", "商丘", "安阳", "平顶山", "开封", "新乡",
    "漯河", "濮阳", "焦作", "许昌", "驻马店", "鹤壁", "丽水", "湖州", "舟山", "衢州", "三沙",
    "儋州", "十堰", "咸宁", "孝感", "恩施", "荆州", "荆门", "鄂州", "随州", "黄冈", "黄石", "娄底",
    "岳阳", "常德", "张家界", "怀化", "永州", "湘潭", "湘西", "益阳", "衡阳", "邵阳", "郴州",
    "临夏", "嘉峪关", "天水", "定西", "平凉", "庆阳", "张掖", "武威", "甘南", "白银", "酒泉",
    "金昌", "陇南", "三明", "南平", "宁德", "莆田", "龙岩", "山南", "日喀则", "昌都", "林芝",
    "那曲", "六盘水", "安顺", "毕节", "铜仁", "黔东南", "黔南", "黔西南", "丹东", "抚顺", "本溪",
    "盘锦", "营口", "葫芦岛", "辽阳", "铁岭", "锦州", "阜新", "鞍山", "咸阳", "商洛", "延安",
    "榆林", "汉中", "渭南", "铜川", "果洛", "玉树", "黄南", "七台河", "伊春", "佳木斯", "双鸭山",
    "大兴安岭", "大庆", "牡丹江", "绥化", "鸡西", "鹤岗", "黑河", "齐齐哈尔", "香港", "澳门",
    "台北", "新北", "桃园", "台中", "台南", "高雄",
)  # fmt: skip

_PLACE_FORMS: tuple[str, ...] = tuple(
    sorted({form for group in PROVINCES for form in group}, key=len, reverse=True)
)
_CITY_FORMS: tuple[str, ...] = tuple(
    sorted(
        {f"{c}市" for c in (*MAJOR_CITIES, *PREFECTURES) if not c.endswith("市")}
        | set(MAJOR_CITIES)
        | set(PREFECTURES),
        key=len,
        reverse=True,
    )
)
_ALL_PLACES = "|".join(
    re.escape(p) for p in (*_PLACE_FORMS, *_CITY_FORMS, "中国", "中华人民共和国")
)
_BRACKETED_REGION = re.compile(rf"\((?:{_ALL_PLACES})(?:市|省|区|县)?\)")

# Words that alone do not name an organisation: a name reduced to only these keeps its place.
GENERIC_WORDS: tuple[str, ...] = (
    "银行",
    "农村商业银行",
    "农商银行",
    "商业银行",
    "农村信用社",
    "信用社",
    "证券",
    "保险",
    "信托",
    "期货",
    "基金",
    "大学",
    "学院",
    "职业技术学院",
    "中学",
    "小学",
    "医院",
    "人民医院",
    "中医院",
    "电视台",
    "广播电视台",
    "日报",
    "日报社",
    "报社",
    "晚报",
    "图书馆",
    "博物馆",
    "人民政府",
    "政府",
    "交通",
    "师范",
    "理工",
    "科技",
    "财经",
    "医科",
    "农业",
    "工业",
    "商业",
    "人民",
    "第一",
    "第二",
    "第三",
    "中心",
    "市",
    "省",
    "电力",
    "供电",
    "电信",
    "移动",
    "联通",
    "燃气",
    "水务",
    "自来水",
    "公交",
    "地铁",
    "轨道交通",
    "机场",
    "港务",
    "铁路",
    "高速",
    "交投",
    "建工",
    "城投",
    "投资",
    "控股",
    "国资",
    "铜业",
    "铝业",
    "钢铁",
    "煤业",
    "能源",
    "电网",
    "烟草",
    "建设",
    "发展",
    "集团",
    "总公司",
    "啤酒",
    "酒业",
    "白酒",
    "药业",
    "制药",
    "医药",
    "汽车",
    "航空",
    "旅游",
    "文旅",
    "港口",
    "物流",
    "地产",
    "置业",
    "实业",
    "商贸",
    "贸易",
)
_GENERIC_ONLY = re.compile(
    "^(?:" + "|".join(re.escape(w) for w in sorted(GENERIC_WORDS, key=len, reverse=True)) + ")+$"
)

# Industry words (行业表述), longest first when stripped from the end of a name. Generic: they
# say what a company does, not which company it is.
INDUSTRY_WORDS: frozenset[str] = frozenset(
    {
        "科技", "技术", "高科技", "高新技术", "新技术", "科学技术", "信息", "信息技术", "信息产业",
        "网络", "网络科技", "软件", "电子", "电子科技", "微电子", "电器", "电气", "电力",
        "电力科技", "能源", "新能源", "材料", "新材料", "化工", "化学", "化纤", "医药", "药业",
        "制药", "生物", "生物科技", "生物医药", "生物工程", "医疗", "医疗器械", "器械", "汽车",
        "汽车零部件", "零部件", "机械", "机电", "装备", "设备", "重工", "工业", "实业", "发展",
        "投资", "投资发展", "控股", "集团", "集团控股", "股份", "企业", "银行", "商业银行",
        "农商银行", "证券", "保险", "信托", "期货", "基金", "地产", "置业", "房地产", "房地产开发",
        "开发", "建设", "建设发展", "建筑", "建工", "工程", "交通", "运输", "物流", "航空", "航运",
        "海运", "港口", "港务", "机场", "高速公路", "高速", "公路", "路桥", "铁路", "旅游", "酒店",
        "文化", "传媒", "文化传媒", "传播", "教育", "食品", "饮料", "酒业", "酿酒", "啤酒",
        "葡萄酒", "乳业", "农业", "牧业", "渔业", "林业", "农牧", "种业", "饲料", "化肥", "农化",
        "纺织", "服饰", "服装", "家居", "家电", "家用", "轻工", "造纸", "纸业", "钢铁", "特钢",
        "钢管", "铝业", "铜业", "矿业", "煤业", "煤电", "煤炭", "热电", "水电", "电网", "燃气",
        "水务", "水利", "环保", "环境", "环境科技", "节能", "光电", "通信", "通讯", "电讯",
        "半导体", "精密", "仪器", "仪表", "智能", "自动化", "数据", "数字", "数码",
        "商贸", "贸易", "商业",
        "百货", "超市", "连锁", "零售", "供应链", "管理", "咨询", "顾问", "服务", "国际", "柴油机",
        "压缩机", "水泥", "玻璃", "陶瓷", "塑料", "塑胶", "橡胶", "轮胎", "电缆", "线缆", "电池",
        "电机", "光伏", "风电", "核电", "石化", "石油", "油气", "天然气", "制造", "创新", "生态",
        "健康", "资源", "产业", "动力", "传动", "照明", "印刷", "包装", "系统", "系统工程",
        "电子商务", "互联网", "物联网", "云计算", "人工智能", "营销", "广告", "娱乐", "影视",
        "出版", "体育", "租赁", "担保", "金融", "融资", "小额贷款", "城投", "交投", "国资", "冶金",
        "有色", "有色金属", "金属", "稀土", "黄金", "珠宝", "首饰", "用品", "制品", "器皿", "导航",
        "设计", "中心", "广场", "购物", "仓储", "勘探", "轴承", "阀门", "车辆", "专用车辆", "建材",
        "新型建材", "船舶", "户外", "户外用品", "工具", "装饰", "电路", "精细", "精细化工", "功能",
        "高温", "工艺", "机床", "粮油", "肉类", "调味品", "家具", "铸造", "锻造", "模具",
        "印染", "丝绸", "皮革", "鞋业", "钟表", "玩具", "文具", "养老", "物业", "园林", "市政",
        "环卫", "检测", "认证", "测绘", "规划", "研究院", "研究所", "集成", "系统集成", "输变电",
        "变压器", "光纤", "光缆", "电源", "新能", "环境工程", "空调", "制冷", "电线",
        "钢丝绳", "离合器", "血液", "血液制品", "真空", "整合", "品牌", "色纺", "热处理",
    }
)  # fmt: skip
_INDUSTRY_LENGTHS = sorted({len(w) for w in INDUSTRY_WORDS}, reverse=True)


def industry_words(text: str) -> tuple[str, ...] | None:
    """`text` as industry words alone (化工; 高速公路; 国际, 航空), or None."""
    if not text:
        return ()
    for length in _INDUSTRY_LENGTHS:
        if len(text) >= length and text[-length:] in INDUSTRY_WORDS:
            head = industry_words(text[:-length])
            if head is not None:
                return (*head, text[-length:])
    return None


def strip_industry(
    text: str, keep: int = 2, *, prefer: int | None = None
) -> tuple[str, tuple[str, ...]]:
    """(rest, industry words): the longest industry word taken from the end of `text`, again
    and again, while `keep` characters remain — with `prefer`, the longest that leaves that
    many when one does (高新技术 → 高新 + 技术, not 高 + 新技术)."""
    words: list[str] = []
    while True:
        fits = [
            length
            for length in _INDUSTRY_LENGTHS
            if len(text) - length >= keep and text[-length:] in INDUSTRY_WORDS
        ]
        if not fits:
            return text, tuple(words)
        roomy = [length for length in fits if prefer and len(text) - length >= prefer]
        length = (roomy or fits)[0]
        words.insert(0, text[-length:])
        text = text[:-length]


_CN_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")
# English legal forms, matched before spaces are removed and only after a non-Latin-letter, so
# that "Zinc" keeps its "inc".
_EN_SUFFIX = re.compile(
    r"(?<![a-z0-9])(?:co\.?\s*,?\s*(?:ltd|limited)|company(?:\s*(?:limited|ltd))?|limited|ltd"
    r"|inc|incorporated|corporation|corp|llc|plc|gmbh)\.?[\s.,]*$"
)
_TRAILING_PUNCT = re.compile(r"[\s.,;:·、，。]+$")


def _strip_english_form(text: str) -> str:
    while True:
        stripped = _TRAILING_PUNCT.sub("", _EN_SUFFIX.sub("", text))
        if not stripped or stripped == text:
            return text
        text = stripped


def _strip_legal_form(text: str) -> str:
    while True:
        stripped = _TRAILING_PUNCT.sub("", text)
        for suffix in _CN_SUFFIXES:
            if stripped.endswith(suffix):
                stripped = stripped[: -len(suffix)]
                break
        else:
            if stripped.endswith("公司") and not stripped.endswith("分公司"):
                stripped = stripped[:-2]
        if not stripped or stripped == text:
            return text
        text = stripped


def _strip_leading(text: str, forms: tuple[str, ...]) -> str:
    for form in forms:
        if text.startswith(form) and len(text) > len(form):
            rest = text[len(form) :]
            if (
                _GENERIC_ONLY.match(rest)
                or industry_words(rest) is not None
                or len(strip_industry(rest, keep=1)[0]) < 2  # 唐山港集团: 港 is no brand
            ):
                return text
            return rest
    return text


# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt) and the format (Cf)
# characters outside them; tests check that every Cf character is covered.
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_DELETE_INVISIBLE: dict[int, None] = {
    **{cp: None for lo, hi in _INVISIBLE_RANGES for cp in range(lo, hi + 1)},
    **{cp: None for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))},  # controls (Cc)
}
# Whitespace controls stay: they are removed as whitespace (and separate English words first).
for _cp in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85):
    _DELETE_INVISIBLE.pop(_cp)


def strip_invisible(text: str) -> str:
    """``text`` without invisible format, bidirectional and control characters."""
    return text.translate(_DELETE_INVISIBLE)


@functools.cache
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters folded to simplified (OpenCC t2s): 東義集團 → 东义集团."""
    return str(_t2s().convert(text)) if text else text


def clean_display_name(name: str) -> str:
    """A name as stored and shown: NFC, invisible characters removed, runs of whitespace made
    one space, trimmed. The characters (traditional or simplified) are kept as typed."""
    text = strip_invisible(unicodedata.normalize("NFC", name or ""))
    return re.sub(r"\s+", " ", text).strip()


def legal_form_only(name: str) -> bool:
    """True when a name says nothing but a legal form (有限公司, Co., Ltd.), a place, brackets
    and punctuation — or nothing at all: such a name names no customer (issue #10)."""
    text = _BRACKETED_REGION.sub("", _folded(name))
    text = _EN_SUFFIX.sub("", text)
    changed = True
    while changed:
        before = text
        text = _TRAILING_PUNCT.sub("", text).strip("()")
        for suffix in (*_CN_SUFFIXES, "公司", "集团"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        for form in (*_PLACE_FORMS, *_CITY_FORMS):
            if text.startswith(form):
                text = text[len(form) :]
                break
        changed = text != before
    return not re.sub(r"[\W_]+", "", text)


def normalize_name(name: str) -> str:
    """The matching key of a customer name (R-ATT-2); never empty for a non-blank name."""
    return _normalize(name, strip_place=True)


def normalize_name_keep_place(name: str) -> str:
    """The same key without step 6: tells apart two entities whose names differ only by place."""
    return _normalize(name, strip_place=False)


def _folded(name: str) -> str:
    """Steps 1–3 (and the English legal form of step 5, which needs the spaces): NFKC, no
    invisible characters, simplified, case folded, no whitespace, brackets unified."""
    text = strip_invisible(unicodedata.normalize("NFKC", name or ""))
    text = _strip_english_form(to_simplified(text).casefold().strip())
    return re.sub(r"\s+", "", text).translate(_BRACKETS)


def _normalize(name: str, *, strip_place: bool) -> str:
    text = _folded(name)
    if not text:
        return ""
    step = _BRACKETED_REGION.sub("", text).replace("(集团)", "集团")
    text = step or text
    text = _strip_legal_form(text)
    if strip_place:
        text = _strip_leading(text, _PLACE_FORMS)
        text = _strip_leading(text, _CITY_FORMS)
    return text


def head2(normalized: str) -> str:
    """The first two characters: the indexed key for names too short for trigrams."""
    return normalized[:2]
