"""Name normalisation table (R-ATT-2); each expected key written by hand."""

from __future__ import annotations

import pytest

from huoban.customers.normalize import head2, normalize_name, normalize_name_keep_place


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # legal form and a leading province
        ("贵州茅台酒股份有限公司", "茅台酒"),
        ("贵州茅台", "茅台"),
        # full-width letters and brackets, a bracketed region, 有限公司
        ("ＡＢＣ科技（北京）有限公司", "abc科技"),
        ("abc科技(北京)有限公司", "abc科技"),
        ("ABC 科技 【北京】 有限公司", "abc科技"),
        # full province forms incl. autonomous regions, then a major city
        ("山西省太原市晋阳重工机械有限公司", "晋阳重工机械"),
        # …but the city stays when only generic words would remain
        ("山西省太原市钢铁集团有限公司", "太原市钢铁集团"),
        ("山西杏花村汾酒厂股份有限公司", "杏花村汾酒厂"),
        ("内蒙古自治区伊利实业集团股份有限公司", "伊利实业集团"),
        ("内蒙古伊利实业集团股份有限公司", "伊利实业集团"),
        ("广西壮族自治区柳工机械股份有限公司", "柳工机械"),
        ("北京市百度网讯科技有限公司", "百度网讯科技"),
        ("  北京 市  百度网讯科技有限公司 ", "百度网讯科技"),
        ("广东省深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
        ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
        # 有限责任公司, and (集团) keeps the word
        ("青岛啤酒（集团）有限责任公司", "青岛啤酒集团"),
        # 集团 is kept: the group and its listed company are two entities
        ("中国建筑集团有限公司", "中国建筑集团"),
        ("中国建筑股份有限公司", "中国建筑"),
        # (中国) is a region too
        ("阿里巴巴（中国）有限公司", "阿里巴巴"),
        # English legal forms; "Zinc" keeps its "inc"
        ("ABC Technology Co., Ltd.", "abctechnology"),
        ("Apple Inc.", "apple"),
        ("Zinc", "zinc"),
        # a place followed only by generic words stays: otherwise 北京银行 = 上海银行 = 银行
        ("北京银行股份有限公司", "北京银行"),
        # … and so does a place followed by industry words, or by one character and them
        # (issue #13): 太原化工 ≠ 沈阳化工, 唐山港集团 keeps its 唐山
        ("太原化工股份有限公司", "太原化工"),
        ("唐山港集团股份有限公司", "唐山港集团"),
        ("天水华天科技股份有限公司", "华天科技"),
        ("上海银行", "上海银行"),
        ("上海交通大学", "上海交通大学"),
        # a branch keeps its 公司
        ("华为技术有限公司北京分公司", "华为技术有限公司北京分公司"),
        # never empty: a step that would leave nothing is skipped
        ("有限公司", "有限公司"),
        ("公司", "公司"),
        ("北京", "北京"),
        ("北京市", "北京市"),
    ],
)
def test_it_normalises(raw, expected):
    assert normalize_name(raw) == expected


def test_it_keeps_the_place_when_asked():
    assert normalize_name_keep_place("贵州茅台酒股份有限公司") == "贵州茅台酒"


def test_it_gives_nothing_for_a_blank_name():
    assert normalize_name("   ") == ""


def test_it_indexes_the_first_two_characters():
    assert head2("茅台酒") == "茅台"
    assert head2("a") == "a"
