"""Matching a submitted customer against the registry (R-ATT-2, issue #13).

Thresholds: the defaults MATCH_HIGH = 92, MATCH_LOW = 75. The candidates are ranked by the
similarity ``score`` (ratio = 2·M / (len a + len b) × 100; partial = best-substring ratio ×
(0.5 + 0.5 × short/long)); the answer is decided by ``assess`` (tests/customers/test_names.py
computes its figures by hand). Here, with a registry of one name, a character's weight is
−ln((n + 200·prior) / 201), n = 1 when that name holds it, prior 0.2 for the characters of
industry words and places, else 0.01: 茅 and 台 weigh ln 67 = 4.2047, 贵 and 州 ln 100.5 = 4.6102,
酒 (of 啤酒, 酒业…) ln(201/41) = 1.5897.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from huoban.customers import matching
from huoban.customers.matching import candidate_ids, common_only_bound, match_customer, score
from huoban.customers.models import CustomerName
from huoban.customers.registry import add_alias

from .helpers import MOUTAI, USCC_A, USCC_B, make_customer


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.HUOBAN = {**settings.HUOBAN, "MATCH_HIGH": 92, "MATCH_LOW": 75}


def test_it_scores_a_short_name_inside_a_full_one():
    # 茅台 vs 茅台酒: ratio 2·2/5 = 80; partial 100 × (0.5 + 0.5 × 2/3) = 83.33 → 83.33
    assert score("茅台", "茅台酒") == Decimal("83.33")


def test_it_finds_the_full_name_from_the_short_name(actors):
    # given the registry holds 贵州茅台酒股份有限公司 (key 茅台酒; place 贵州, brand 茅台酒)
    customer = make_customer(MOUTAI)
    # when 贵州茅台 (key 茅台, two characters: the head2 index) is submitted
    match = match_customer("贵州茅台")
    # then its brand 茅台 is the start of 茅台酒, so 酒 weighs as an industry word (× 0.6), and
    # both places are 贵州: typed 100%; covered (0.3·2·4.6102 + 2·4.2047) / (that + 0.6·1.5897)
    # = 11.1755 / 12.1294 = 92.14% → (100 + 92.14) / 2 = 96.07 ≥ 92: the same company
    assert (match.kind, match.customer, match.score) == ("exact", customer, Decimal("96.07"))
    assert "the start of its brand" in match.explanation[0].en


def test_it_matches_the_same_normalised_name_exactly(actors):
    customer = make_customer(MOUTAI)
    match = match_customer("贵州茅台酒有限责任公司")  # key 茅台酒
    assert (match.kind, match.customer, match.score) == ("exact", customer, Decimal("100.00"))


def test_it_matches_by_uscc_before_the_name(actors):
    customer = make_customer("北京字节跳动科技有限公司", uscc=USCC_A)
    match = match_customer("完全不同的名字", USCC_A)
    assert (match.kind, match.customer, match.reason) == ("exact", customer, "uscc")


def test_it_calls_a_misspelling_of_the_industry_possible(actors):
    # given 北京星河数字科技有限公司 (brand 星河; industry 数字, 科技)
    customer = make_customer("北京星河数字科技有限公司")
    # when the industry is misspelt (数码 for 数字): the brands agree, so an officer decides
    match = match_customer("北京星河数码科技有限公司")
    assert (match.kind, match.customer) == ("possible", customer)
    assert match.explanation[0].en == "brand 星河 / 星河: 100% / 100% matched"
    assert match.explanation[0].zh == "字号 星河 / 星河：相符 100% / 100%"


def test_it_tells_a_different_brand_from_a_misspelling(actors):
    # given 北京字节跳动科技有限公司 (brand 字节跳动)
    make_customer("北京字节跳动科技有限公司")
    # when a legal name whose brand differs in one of its four characters is submitted: two
    # legal names must agree on three quarters of their brands' weight, and 劢 (unknown to the
    # registry) weighs more than 动: 3·4.2047 / (3·4.2047 + 4.6102) = 73.2% < 75%
    match = match_customer("字节跳劢科技有限公司")
    assert (match.kind, match.customer) == ("none", None)
    assert "brands differ" in [step.en for step in match.explanation]


def test_it_calls_a_misspelling_in_a_long_name_possible(actors):
    # given key 中关村软件园信息技术发展研究院 (15 characters)
    customer = make_customer("北京中关村软件园信息技术发展研究院有限公司")
    # when one character is wrong (木 for 术; 朮 would fold to 术): same brand, an officer decides
    match = match_customer("中关村软件园信息技木发展研究院")
    assert (match.kind, match.customer) == ("possible", customer)


def test_it_answers_none_for_an_unrelated_name(actors):
    make_customer(MOUTAI)
    match = match_customer("深圳市腾讯计算机系统有限公司")
    assert (match.kind, match.customer) == ("none", None)


def test_it_matches_an_alias_exactly(actors):
    # given 茅台 is recorded as the short name of 贵州茅台酒股份有限公司
    customer = make_customer(MOUTAI)
    add_alias(customer, "茅台", "alias", actor=actors.officer)
    # when 贵州茅台 (key 茅台) is submitted / then it is the same customer
    match = match_customer("贵州茅台")
    assert (match.kind, match.customer, match.score) == ("exact", customer, Decimal("100.00"))
    assert match.reason == "normalised name (alias)"


def test_it_keeps_apart_names_that_differ_in_a_number(actors):
    # given 中建第一建筑工程有限公司 and a name that differs only in its ordinal
    make_customer("中建第一建筑工程有限公司")
    match = match_customer("中建第二建筑工程有限公司")
    # then they are two companies: never exact, and not even possible
    assert (match.kind, match.customer) == ("none", None)
    assert [step.en for step in match.explanation] == ["numbers differ: 二 / 一"]


def test_it_keeps_apart_places_that_are_the_brand(actors):
    # given 沈阳化工 (a place and an industry word: the key keeps the place)
    make_customer("沈阳化工股份有限公司")
    # when 太原化工 is registered / then it is another company, not the same key 化工
    match = match_customer("太原化工股份有限公司")
    assert (match.kind, match.customer) == ("none", None)
    other = make_customer("太原化工股份有限公司")
    assert other.normalized_name == "太原化工"


def test_it_matches_a_former_name_exactly(actors):
    customer = make_customer("蚂蚁科技集团股份有限公司")
    add_alias(customer, "浙江蚂蚁小微金融服务集团股份有限公司", "former", actor=actors.officer)
    match = match_customer("蚂蚁小微金融服务集团有限公司")
    assert (match.kind, match.customer) == ("exact", customer)
    assert match.reason == "normalised name (former)"


def test_it_demotes_a_same_name_with_another_uscc_to_possible(actors):
    # two valid, different codes are two legal entities, whatever their names
    customer = make_customer("云南铜业股份有限公司", uscc=USCC_A)
    match = match_customer("云南铜业有限公司", USCC_B)
    assert (match.kind, match.customer) == ("possible", customer)


def test_it_draws_candidates_from_the_index_only(actors):
    # given two customers, only one sharing trigrams with the query
    moutai = make_customer(MOUTAI)
    make_customer("深圳市腾讯计算机系统有限公司")
    ids = candidate_ids("茅台酒厂")
    expected = CustomerName.objects.filter(customer=moutai).values_list("id", flat=True)
    assert set(ids) == set(expected)


@pytest.mark.django_db
def test_it_keeps_the_sqlite_fts_table_in_sync_on_update_and_delete():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 trigram table exists on SQLite only")
    customer = make_customer("北京字节跳动科技有限公司")
    name = customer.names.get()
    assert candidate_ids("字节跳动") == [name.pk]
    # when the name row changes / then the index follows
    CustomerName.objects.filter(pk=name.pk).update(normalized="抖音科技", head2="抖音")
    assert candidate_ids("字节跳动") == []
    assert candidate_ids("抖音科技") == [name.pk]
    CustomerName.objects.filter(pk=name.pk).delete()
    assert candidate_ids("抖音科技") == []


def test_it_finds_a_two_character_short_name_inside_a_name(actors):
    # given 紫光古汉集团 (key 紫光古汉集团): 古汉 has no trigram, is not its start, and does not
    # contain it — only the bigram index (migration 0011) finds it
    customer = make_customer("紫光古汉集团股份有限公司")
    make_customer("湖南古丈茶业有限公司")
    name = customer.names.get()
    assert candidate_ids("古汉") == [name.pk]
    # and it is possible (the figure: test_names.test_a_short_name_may_end_the_brand)
    match = match_customer("古汉")
    assert (match.kind, match.customer) == ("possible", customer)
    assert any("(the end of its brand)" in step.en for step in match.explanation)


def test_the_bigram_index_skips_generic_and_common_pairs(actors):
    # 科技 and 股份 are two characters of industry words: never asked
    assert matching.query_bigrams("科技股份") == []
    assert matching.query_bigrams("古汉") == ["古汉"]
    # a long name has trigrams enough
    assert matching.query_bigrams("紫光古汉集团有限责任公司") == []


@pytest.mark.django_db
def test_it_keeps_the_sqlite_bigram_table_in_sync_on_update_and_delete():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 bigram table exists on SQLite only")
    customer = make_customer("紫光古汉集团股份有限公司")
    name = customer.names.get()
    assert matching._rare_bigram_names("古汉") == {name.pk: "紫光古汉集团"}
    CustomerName.objects.filter(pk=name.pk).update(normalized="紫光香梨集团", head2="紫光")
    assert matching._rare_bigram_names("古汉") == {}
    assert matching._rare_bigram_names("香梨") == {name.pk: "紫光香梨集团"}
    CustomerName.objects.filter(pk=name.pk).delete()
    assert matching._rare_bigram_names("香梨") == {}
    with connection.cursor() as cursor:  # raises if the contentless index lost its way
        cursor.execute(
            "INSERT INTO customers_customername_bigram(customers_customername_bigram) "
            "VALUES ('integrity-check')"
        )


@pytest.mark.django_db
def test_it_uses_the_bigram_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("the expression index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'customers_customername_bigrams'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT huoban_bigrams('紫光古汉')")
        (pairs,) = cursor.fetchone()
    assert "gin" in definition and "huoban_bigrams((normalized)::text)" in definition
    assert sorted(pairs) == ["光古", "古汉", "紫光"]
    customer = make_customer("紫光古汉集团股份有限公司")
    assert matching._rare_bigram_names("古汉") == {customer.names.get().pk: "紫光古汉集团"}


@pytest.mark.django_db
def test_the_shortest_names_of_a_trigram_come_in_length_order_and_stay_in_step():
    # given names containing 智能科 of 7 (北京涛智能科技: a one-character brand keeps its
    # place), 4, 8 and 7 characters
    seven = make_customer("北京涛智能科技有限公司").names.get()
    four = make_customer("智能科技有限公司").names.get()
    eight = make_customer("深圳华涛智能科技集团有限公司").names.get()
    seven_too = make_customer("上海涛智能科技有限公司").names.get()
    lengths = [len(n.normalized) for n in (seven, four, eight, seven_too)]
    assert lengths == [7, 4, 8, 7]
    # then the shortest first, equal lengths by id (both databases: FTS5 or the trigram table)
    assert matching._shortest_names_containing("智能科") == [
        four.pk,
        seven.pk,
        seven_too.pk,
        eight.pk,
    ]
    # a name renamed away from the trigram leaves, one renamed to it comes, a deleted one goes
    CustomerName.objects.filter(pk=four.pk).update(normalized="茅台酒业", head2="茅台")
    CustomerName.objects.filter(pk=eight.pk).delete()
    renamed = make_customer("贵州茅台酒股份有限公司").names.get()
    CustomerName.objects.filter(pk=renamed.pk).update(normalized="智能科", head2="智能")
    assert matching._shortest_names_containing("智能科") == [
        renamed.pk,
        seven.pk,
        seven_too.pk,
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM customers_nametrigram WHERE name_id IN (%s, %s)",
                [four.pk, eight.pk],
            )
            # 茅台酒业: two trigrams; the deleted name: none
            assert cursor.fetchone() == (2,)


@pytest.mark.django_db
def test_the_prefix_lookups_have_covering_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite indexes hold the rowid already")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('customers_customername_normalized_prefix', 'customers_customername_head2_id')"
        )
        found = dict(cursor.fetchall())
    assert (
        "(normalized varchar_pattern_ops) INCLUDE (id)"
        in found["customers_customername_normalized_prefix"]
    )
    assert "(head2, id) INCLUDE (normalized)" in found["customers_customername_head2_id"]


@pytest.mark.django_db
def test_it_uses_the_pg_trgm_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'customers_customername_normalized_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition
    customer = make_customer(MOUTAI)
    assert candidate_ids("茅台酒厂") == list(customer.names.values_list("id", flat=True))


# --- candidates at scale: rare trigrams, contained names, the shortest names of common ones ----


@pytest.fixture
def few_names_are_common(monkeypatch):
    """A trigram in more than two names counts as common here (a million customers in
    production: COMMON_TRIGRAM_NAMES = 200); the per-process cache starts and ends empty."""
    monkeypatch.setattr(matching, "COMMON_TRIGRAM_NAMES", 2)
    matching.clear_common_trigram_cache()
    yield
    matching.clear_common_trigram_cache()


FILLERS = ("北京华中鑫智能科技有限公司", "北京恒盛达智能科技有限公司", "北京瑞祥丰智能科技有限公司")


def test_it_finds_a_misspelling_by_its_rare_trigrams(actors, few_names_are_common):
    # given 千诺阳智能科技 and three other 智能科技 companies (智能科, 能科技 are common)
    customer = make_customer("北京千诺阳智能科技有限公司")
    for name in FILLERS:
        make_customer(name)
    # when the last character is wrong: 千诺阳, 诺阳智, 阳智能 are rare, 智能科 common
    ids = candidate_ids("千诺阳智能科枝")
    # then the names of the common trigram are not fetched, and the customer is found: the same
    # brand with a misspelt industry word, for an officer to decide
    assert ids == list(customer.names.values_list("id", flat=True))
    match = match_customer("千诺阳智能科枝有限公司")
    assert (match.kind, match.customer) == ("possible", customer)


def test_it_finds_a_registered_name_inside_the_submitted_one(actors, few_names_are_common):
    # given the registry holds 智能科技 itself, and three longer 智能科技 companies
    generic = make_customer("智能科技有限公司")
    for name in FILLERS:
        make_customer(name)
    # when 涌鲸棒智能科技 (its only known trigrams are common) is submitted
    ids = candidate_ids("涌鲸棒智能科技")
    match = match_customer("北京涌鲸棒智能科技有限公司")
    # then 智能科技 is a candidate, found whole, but its brand 智能 is not 涌鲸棒: no match
    assert set(generic.names.values_list("id", flat=True)) <= set(ids)
    assert (match.kind, match.customer) == ("none", None)
    assert "brands differ" in [step.en for step in match.explanation]


def test_it_bounds_what_the_common_trigrams_alone_can_score():
    # 4 of 7 characters covered: a 5-character name sharing them scores at most
    # 2·4/(5+4) × (0.5 + 0.5 × 5/7) = 76.19 — what 涛智能科技 scores against 涌鲸棒智能科技
    assert round(common_only_bound("涌鲸棒智能科技", {"智能科", "能科技"}), 2) == 76.19
    assert score("涌鲸棒智能科技", "涛智能科技") == Decimal("76.19")
    # 3 of 7: at most 67.35, below the low threshold: nothing to fetch
    assert common_only_bound("千诺阳智能科枝", {"智能科"}) < 75
    assert common_only_bound("千诺阳智能科枝", set()) == 0


def test_it_fetches_the_shortest_names_of_a_common_trigram(actors, few_names_are_common):
    # given 嘉兴涛智能科技 (one character before its industry words: the key keeps the city) and
    # three longer 智能科技 companies
    short = make_customer("嘉兴涛智能科技有限公司")
    for name in FILLERS:
        make_customer(name)
    # when a new name shares only 智能科技 with them
    ids = candidate_ids("涌鲸棒智能科技")
    # then the short name is still a candidate, as with a ranked query over all trigrams (and
    # the brands 涛 and 涌鲸棒 differ: no match)
    assert set(short.names.values_list("id", flat=True)) <= set(ids)
    assert match_customer("北京涌鲸棒智能科技有限公司").kind == "none"


def test_it_keeps_the_shortest_names_exact_after_changes(actors, few_names_are_common):
    # given the shortest 智能科技 names were ranked once (and kept)
    make_customer("嘉兴涛智能科技有限公司")
    for name in FILLERS:
        make_customer(name)
    gone = CustomerName.objects.get(name="嘉兴涛智能科技有限公司").pk
    assert gone in candidate_ids("涌鲸棒智能科技")
    # when that name goes and another short one comes
    CustomerName.objects.filter(pk=gone).delete()
    newcomer = make_customer("嘉兴鲲智能科技有限公司")
    # then the candidates follow: kept names are read again, newer names are added
    ids = candidate_ids("涌鲸棒智能科技")
    assert gone not in ids
    assert set(newcomer.names.values_list("id", flat=True)) <= set(ids)


@pytest.mark.django_db
def test_the_pg_trigram_index_has_no_pending_list():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s",
            ["customers_customername_normalized_trgm"],
        )
        (options,) = cursor.fetchone()
    assert "fastupdate=off" in options


def test_the_same_brand_in_another_place_is_another_customer(actors):
    # given 北京东义科技 (key 东义科技)
    beijing = make_customer("北京东义科技有限公司")
    # when 上海东义科技 is submitted: the same key, another place
    match = match_customer("上海东义科技有限公司")
    assert (match.kind, match.customer) == ("none", None)
    # then it is registered as another customer, under its key with the place kept
    shanghai = make_customer("上海东义科技有限公司")
    assert shanghai != beijing
    assert (beijing.normalized_name, shanghai.normalized_name) == ("东义科技", "上海东义科技")
    # and each finds itself again
    assert match_customer("上海东义科技有限公司").customer == shanghai
    assert match_customer("北京东义科技有限公司").customer == beijing


def test_two_customers_both_certain_make_the_answer_possible(actors):
    # given two customers whose brand is 天山
    make_customer("新疆天山水泥股份有限公司")
    steel = make_customer("天山钢铁股份有限公司")
    # when 天山股份 is submitted / then both score 93 and an officer decides
    match = match_customer("天山股份")
    assert (match.kind, match.score) == ("possible", Decimal("93.00"))
    assert match.reason.startswith("ambiguous")
    assert "also scores 93.00" in match.explanation[-1].en
    # the oldest is the answer; the other is named beside it
    assert match.also == (steel,)


def test_a_close_second_customer_makes_a_certain_answer_possible(actors):
    # given 万科企业 (brand 万科: 万科 scores 93) and 万安科技 (万 and 科 start its words), which
    # scores less but within AMBIGUOUS_MARGIN (8) of it
    vanke = make_customer("万科企业股份有限公司")
    wanan = make_customer("浙江万安科技股份有限公司")
    weight = matching.registry_weights()
    first = matching.best_assessment("万科", "万科企业股份有限公司", weight).score
    second = matching.best_assessment("万科", "浙江万安科技股份有限公司", weight).score
    assert first >= Decimal("92.00") and first - Decimal("8.00") <= second < first
    # when 万科 is submitted / then it is not bound to either: an officer decides
    match = match_customer("万科")
    assert (match.kind, match.customer, match.score) == ("possible", vanke, first)
    assert match.also == (wanan,)


def test_a_possible_answer_names_the_customers_close_behind_it(actors):
    # given two customers of the brand 星河 that differ in one industry character
    digital = make_customer("北京星河数字科技有限公司")
    data = make_customer("北京星河数据科技有限公司")
    # when a third spelling is submitted / then both score 90.51 (possible: below 92), the
    # oldest first, and the other is named beside it for the officer to choose
    match = match_customer("北京星河数码科技有限公司")
    assert (match.kind, match.customer, match.score) == ("possible", digital, Decimal("90.51"))
    assert match.also == (data,)
    assert match.explanation[-1].en == (
        "another customer, 北京星河数据科技有限公司, scores 90.51: named too"
    )
    assert not match.reason.startswith("ambiguous")


def test_a_customer_further_behind_than_the_margin_is_not_named(actors):
    codes = make_customer("北京星河数码科技有限公司")
    make_customer("北京星河数据服务有限公司")
    weight = matching.registry_weights()
    submitted = "北京星河数字科技有限公司"
    second = matching.best_assessment(submitted, "北京星河数据服务有限公司", weight).score
    assert second < Decimal("90.54") - Decimal("8.00")
    # then only the best is offered
    match = match_customer(submitted)
    assert (match.kind, match.customer, match.score) == ("possible", codes, Decimal("90.54"))
    assert match.also == ()


def test_one_customer_with_the_brand_typed_is_exact(actors):
    water = make_customer("新疆天山水泥股份有限公司")
    match = match_customer("天山股份")
    assert (match.kind, match.customer, match.score) == ("exact", water, Decimal("93.00"))


def test_a_short_name_with_a_place_finds_a_name_that_kept_its_place(actors):
    # 长春高新技术产业集团 keeps its place in its key (高新技术 alone is no brand); 长春高新 is
    # keyed 高新, which shares no trigram with it: the trigrams across the place find it
    customer = make_customer("长春高新技术产业(集团)股份有限公司")
    assert customer.normalized_name == "长春高新技术产业集团"
    match = match_customer("长春高新")
    assert (match.kind, match.customer) == ("possible", customer)
