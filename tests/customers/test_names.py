"""The structure of company names and the assessment of two of them (issue #13).

Figures are computed by hand with every character weighing 1 (``UNIFORM``): a place then weighs
0.3 a character, an industry word 0.6 (1 between two legal names), a brand 1.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huoban.customers.matching import (
    _subsequence_patterns,
    align,
    assess,
    best_assessment,
    char_weights,
    readings,
)
from huoban.customers.names import NameParts, numbers, parse
from huoban.customers.normalize import normalize_name


def UNIFORM(_ch: str) -> float:
    return 1.0


@pytest.mark.parametrize(
    ("name", "regions", "brand", "industry", "full"),
    [
        ("珠海格力电器股份有限公司", ("珠海",), "格力", ("电器",), True),
        ("格力电器", (), "格力", ("电器",), False),
        ("广东省深圳市华为技术有限公司", ("广东", "深圳"), "华为", ("技术",), True),
        ("深圳市振业(集团)股份有限公司", ("深圳",), "振业", ("集团",), True),
        ("中国南玻集团股份有限公司", ("中国",), "南玻", ("集团",), True),
        # a place followed by industry words only: the place and the first word are the brand
        ("北京银行股份有限公司", (), "北京银行", (), True),
        ("太原化工股份有限公司", (), "太原化工", (), True),
        ("上海汽车集团股份有限公司", (), "上海汽车", ("集团",), True),
        # a place and one character: both are the brand
        ("日照港股份有限公司", (), "日照港", (), True),
        ("唐山港集团股份有限公司", (), "唐山港", ("集团",), True),
        # a short name's bare 股份 is a legal form
        ("首创股份", (), "首创", (), False),
        # a prefecture-level city of GB/T 2260
        ("天水华天科技股份有限公司", ("天水",), "华天", ("科技",), True),
        # the industry word that leaves a brand of two: 国新 + 能源, not 国 + 新能源
        ("山西省国新能源股份有限公司", ("山西",), "国新", ("能源",), True),
    ],
)
def test_it_splits_a_name(name, regions, brand, industry, full):
    assert parse(name) == NameParts(regions, brand, industry, full)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中建第一建筑工程", ["一"]),
        ("二三四五网络", ["二三四五"]),
        ("1号店", ["1"]),
        ("abc科技", ["abc"]),
        ("格力电器", []),
    ],
)
def test_it_lists_the_numbers_of_a_name(text, expected):
    assert numbers(text) == expected


def test_it_aligns_on_the_first_characters_of_words():
    # 国航 in 中国国际航空 (segments 中国 | 国际 | 航空 start at 0, 2, 4): the 国 of 国际
    assert align("国航", "中国国际航空", {0, 2, 4}) == ({0, 1}, {2, 4})
    # without starts, the longest common subsequence
    assert align("方大集团", "百大集团", set()) == ({1, 2, 3}, {1, 2, 3})


def test_a_short_name_that_starts_the_brand_is_possible():
    # 茅台 vs 贵州茅台酒 (brand 茅台酒): 茅台 starts it, so 酒 weighs as an industry word (0.6).
    # typed 2/2 = 100%; covered 2 / (2 + 0.6) = 76.92% → (100 + 76.92) / 2 = 88.46
    found = assess(parse("茅台"), parse("贵州茅台酒股份有限公司"), UNIFORM)
    assert (found.score, found.conflict) == (Decimal("88.46"), False)


def test_an_abbreviation_counts_the_first_characters_of_words():
    # 中国石化 (brand 中国石化) vs 中国石油化工 (brand 中国石油, industry 化工): 中国石 and the
    # 化 that starts 化工. typed 4/4; covered: 中国 2, 石油 max(1, 3/4·2) = 1.5, 化工
    # max(0.6, 3/4·1.2) = 0.9 → 4.4 / 5.2 = 84.62% → (100 + 84.62) / 2 = 92.31: the same company
    found = assess(parse("中国石化"), parse("中国石油化工股份有限公司"), UNIFORM)
    assert (found.score, found.conflict) == (Decimal("92.31"), False)


def test_two_legal_names_with_different_brands_are_two_companies():
    # 方大集团 / 百大集团: 大集团 in common; typed 3/4, covered 3/4 → 75, but the brands share
    # 1/2 < 3/4 of their weight: held at 60
    found = assess(parse("方大集团股份有限公司"), parse("百大集团股份有限公司"), UNIFORM)
    assert (found.score, found.conflict) == (Decimal("60.00"), True)
    assert found.steps[-1].en == "brands differ"


def test_a_different_number_is_another_company():
    found = assess(parse("中建第二建筑工程有限公司"), parse("中建第一建筑工程有限公司"), UNIFORM)
    assert (found.score, found.conflict) == (Decimal("0.00"), True)
    assert [str(step) for step in found.steps] == [
        "数字或序号不同：二 / 一，是两家公司 / numbers differ: 二 / 一"
    ]


def test_a_different_place_is_another_company_unless_it_contains_the_other():
    found = assess(parse("北京东义科技有限公司"), parse("上海东义科技有限公司"), UNIFORM)
    assert found.score == Decimal("0.00")
    assert [step.en for step in found.steps] == ["places differ: 北京 / 上海"]
    # 武汉 is in 湖北: the same place
    found = assess(parse("湖北武商集团"), parse("武汉武商集团股份有限公司"), UNIFORM)
    assert not found.conflict


def test_a_one_character_place_is_read_as_a_guess():
    # 深康佳: 深 read as 深圳 (5 points off); 康佳集团 has no place, so 深圳 is not counted as
    # typed: typed 康佳 2/2; covered 2 / (2 + 0.6·2) = 62.5% → (100 + 62.5) / 2 − 5 = 76.25
    found = best_assessment("深康佳", "康佳集团股份有限公司", UNIFORM)
    assert found.score == Decimal("76.25")


def test_the_brand_typed_beats_an_abbreviation_of_another():
    # 万科 vs 万科企业 (brand 万科, industry 企业): typed 2/2; covered 2 / (2 + 0.6·2) = 62.5%,
    # but its brand is the brand typed: at least 80% → (100 + 80) / 2 = 90, + 3 = 93.00
    mine = best_assessment("万科", "万科企业股份有限公司", UNIFORM)
    assert (mine.score, mine.conflict) == (Decimal("93.00"), False)
    assert mine.steps[-1].en == "the same brand → 93.00"
    # 万科 vs 万安科技 (brand 万安, industry 科技): 万 starts 万安, 科 starts 科技; covered
    # (max(1, 3/4·2) + max(0.6, 3/4·1.2)) / 3.2 = 2.4 / 3.2 = 75% → (100 + 75) / 2 = 87.50
    other = best_assessment("万科", "浙江万安科技股份有限公司", UNIFORM)
    assert other.score == Decimal("87.50")


def test_an_abbreviation_takes_the_first_characters_of_the_brand_words():
    # 马钢 vs 马鞍山钢铁 (a place and an industry word: the brand, in pieces 马鞍 | 山钢 | 铁):
    # 马 starts 马鞍 → max(1, 3/4·2) = 1.5; 钢 is one of 山钢 → 1; 铁 → 0: 2.5 / 5 = 50% of the
    # brand — enough (character by character it was 2/5 = 40%: two companies). typed 100%,
    # covered 50% → 75.00
    found = best_assessment("马钢", "马鞍山钢铁股份有限公司", UNIFORM)
    assert (found.score, found.conflict) == (Decimal("75.00"), False)
    assert found.steps[0].en == "brand 马钢 / 马鞍山钢铁: 100% / 50% matched"


def test_a_short_name_may_end_the_brand():
    # 古汉 vs 紫光古汉集团 (brand 紫光古汉): the typed end is the 字号, 紫光 its parent's name and
    # weighs as an industry word: covered 2 / (0.6·2 + 2 + 0.6·2) = 45.45%, but the whole brand
    # typed counts 60% → (100 + 60) / 2 = 80.00
    found = best_assessment("古汉", "紫光古汉集团股份有限公司", UNIFORM)
    assert (found.score, found.conflict) == (Decimal("80.00"), False)
    assert found.steps[1].en == "brand 古汉 / 紫光古汉: 100% / 100% matched (the end of its brand)"


def test_a_one_character_place_may_leave_one_character_or_a_place_brand():
    # 杭锅: 杭 read as 杭州, the rest alone (杭州锅炉集团's key 锅炉集团 lost its place)
    assert readings("杭锅") == (
        NameParts((), "杭锅", (), False),
        NameParts(("杭州",), "锅", (), False),
    )
    # 粤水电: 广东水电 as one name is a place-brand; read also as 广东 + 水电
    assert readings("粤水电")[1:] == (
        NameParts((), "广东水电", (), False),
        NameParts(("广东",), "水电", (), False),
    )
    # 杭锅 vs 杭州锅炉集团, both places 杭州: typed 0.3·2 + 1 all found → 100%; covered 杭州 0.6,
    # 锅炉 max(1, 3/4·2) = 1.5, 集团 0 of 1.2 → 2.1 / 3.8 = 55.26% → (100 + 55.26) / 2 − 5
    # (the place guessed) = 72.63
    found = best_assessment("杭锅", "杭州锅炉集团股份有限公司", UNIFORM)
    assert found.score == Decimal("72.63")


def test_a_short_name_may_start_with_the_first_character_of_the_names_place():
    # 大冷 vs 大连冷冻机 (place 大连, key 冷冻机): read as 大连 + 冷, a guess (5 points off).
    # Both places 大连: typed 0.3·2 + 1 all found → 100%; covered 大连 0.6, 冷冻 max(1, 3/4·2)
    # = 1.5, 机 0 of 1 → 2.1 / 3.6 = 58.33% → (100 + 58.33) / 2 − 5 = 74.17 (as written, 大冷
    # finds only 冷: 50)
    found = best_assessment("大冷股份", "大连冷冻机股份有限公司", UNIFORM)
    assert found.score == Decimal("74.17")
    # and the candidates include the names whose key starts with 冷
    assert ("冷", "") in _subsequence_patterns("大冷股份")


def test_a_brand_that_only_starts_the_name_gets_no_same_brand_points():
    # 太平洋 for 太平洋精锻科技: the start of its brand (the prefix rule), not its 字号 as typed
    found = best_assessment("太平洋", "江苏太平洋精锻科技股份有限公司", UNIFORM)
    assert not any("same brand" in step.en for step in found.steps)


def test_character_weights_follow_the_registry():
    weight = char_weights(["茅台酒"])
    # 茅: in 1 of 1 name, prior 0.01: −ln((1 + 2) / 201) = ln 67
    assert round(weight("茅"), 4) == 4.2047
    # 酒 (a character of industry words, prior 0.2): −ln((1 + 40) / 201)
    assert round(weight("酒"), 4) == 1.5897
    # 贵, in no name: −ln(2 / 201)
    assert round(weight("贵"), 4) == 4.6102


NAME_CHARS = st.text(
    alphabet="东方华新中国科技集团北京上海茅台银行一二123有限公司股份(", max_size=16
)


@settings(max_examples=200, deadline=None)
@given(NAME_CHARS)
def test_a_name_always_matches_itself(name):
    if not normalize_name(name):
        return
    found = best_assessment(name, name, UNIFORM)
    assert found.conflict is False
    assert found.score == Decimal("100.00")


@settings(max_examples=200, deadline=None)
@given(NAME_CHARS)
def test_parsing_keeps_every_character_of_the_key(name):
    # regions, brand and industry are the key's characters, places written out
    parts = parse(name)
    key = normalize_name(name)
    assert parts.core in key or key in parts.text or not key
