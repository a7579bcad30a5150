"""Issue #10 finding 2: invisible characters and traditional characters do not defeat matching,
and a name that says nothing (only a legal form, a place or invisible characters) is refused
(R-ATT-2, R-ATT-4)."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huoban.customers.matching import match_customer
from huoban.customers.models import Customer
from huoban.customers.normalize import (
    _DELETE_INVISIBLE,
    clean_display_name,
    legal_form_only,
    normalize_name,
)
from huoban.errors import ValidationFailed
from huoban.leads.models import Lead, Status
from tests.leads.helpers import judge, submit

from .helpers import owned_customer, row_counts

# The characters the review named, and every format (Cf) character Unicode defines.
NAMED = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\ufeff\u00ad"
FORMAT_CHARS = "".join(
    chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"
)
INVISIBLE = sorted(set(NAMED + FORMAT_CHARS + "\u034f\u180b\ufe0f\u3164\U000e0041"))

NAMES = ["东义集团有限公司", "贵州茅台酒股份有限公司", "北京银行", "Zinc Inc.", "中国石化 (北京)"]


def test_every_format_character_is_removed():
    assert set(map(ord, FORMAT_CHARS)) <= set(_DELETE_INVISIBLE)
    assert all(ord(c) in _DELETE_INVISIBLE for c in NAMED)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    inserts=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE)), max_size=6),
)
def test_inserting_invisible_characters_anywhere_never_changes_the_key(name, inserts):
    text = name
    for at, char in inserts:
        i = at % (len(text) + 1)
        text = text[:i] + char + text[i:]
    assert normalize_name(text) == normalize_name(name)
    assert clean_display_name(text) == name


def test_traditional_characters_fold_to_simplified():
    assert normalize_name("東義集團有限公司") == normalize_name("东义集团有限公司") == "东义集团"
    assert normalize_name("臺灣積體電路製造股份有限公司") == "积体电路制造"  # 台湾 is a place


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["东义集团有限公司\u200b", "东\u202e义集团有限公司", "\ufeff東義集團有限公司\u00ad"]
)
def test_an_invisible_or_traditional_variant_is_the_owners_customer(actors, typed):
    # given alpha owns 东义集团有限公司
    customer = owned_customer(actors.alpha, "东义集团有限公司")
    # then the variant is an exact match of that customer
    match = match_customer(typed)
    assert (match.kind, match.customer) == ("exact", customer)
    # and beta's lead for it is a duplicate, not a new customer beta could win
    lead = submit(actors.bob, typed)
    assert lead.status == Status.DUPLICATE
    assert lead.customer_id == customer.pk
    assert Customer.objects.count() == 1


@pytest.mark.django_db
def test_a_variant_registered_first_is_still_one_customer(actors):
    lead = judge(actors.officer, submit(actors.alice, "东义集团有限公司\u200b"))
    assert lead.customer.legal_name == "东义集团有限公司"  # stored without the invisible char
    assert submit(actors.bob, "東義集團有限公司").status == Status.DUPLICATE


@pytest.mark.parametrize(
    "name", ["有限公司", "\u200b\u200b", "股份有限公司", "(北京)有限公司", "Co., Ltd.", "集团公司"]
)
def test_a_name_that_says_nothing_is_recognised(name):
    assert legal_form_only(name)


@pytest.mark.parametrize("name", ["北京银行", "东义集团", "A", "Zinc Inc.", "中建三局"])
def test_a_real_name_is_not_mistaken_for_nothing(name):
    assert not legal_form_only(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["有限公司", "\u200b\u200d\ufeff", "(北京)有限公司"])
def test_a_lead_for_a_name_that_says_nothing_is_refused_and_changes_nothing(actors, name):
    before = row_counts()
    with pytest.raises(ValidationFailed) as e:
        submit(actors.alice, name)
    assert set(e.value.errors) == {"customer.name"}
    assert " / " in e.value.errors["customer.name"]
    assert row_counts() == before
    assert Lead.objects.count() == 0
