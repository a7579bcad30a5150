"""Importing customers (SPEC §14, R-IMP-1…3, R-ATT-1/2/4; D-IMP-4; issue #21): each row goes
through matching as a lead's customer does; aliases are added; an owner is recorded for a
customer that has none and never taken from another partner; a possible match is the row's
error unless the file says it is another company; the same file again changes nothing."""

from __future__ import annotations

import pytest

from huoban.customers.models import Attribution, Customer, CustomerName
from huoban.errors import Forbidden
from huoban.imports.services import run_import
from huoban.uscc import check_character
from tests.projects.helpers import make_customer

pytestmark = pytest.mark.django_db

USCC = "91140500MA0K3ABCD"
USCC += check_character(USCC)


def csv(rows) -> bytes:
    header = "客户名称,统一社会信用代码,别名,地区,行业,归属伙伴,确认新客户"
    return "\n".join([header] + [",".join(r) for r in rows]).encode("utf-8-sig")


def run(actor, data, dry_run=False):
    return run_import("customers", file_name="客户.csv", data=data, actor=actor, dry_run=dry_run)


def test_customers_with_aliases_and_owners(actors):
    alpha = actors.alpha.code
    data = csv([
        ["晋城华东机械制造有限公司", USCC, "华东机械；晋城华东", "山西晋城", "装备制造", alpha, ""],
        ["太原智能电网科技有限公司", "", "", "山西太原", "", "", ""],
    ])  # fmt: skip
    checked = run(actors.officer, data, dry_run=True)
    assert (checked.created, checked.failed, checked.errors) == (2, 0, [])
    assert not Customer.objects.exists()
    result = run(actors.officer, data)
    assert (result.created, result.unchanged, result.failed) == (2, 0, 0)
    huadong = Customer.objects.get(uscc=USCC)
    assert (huadong.region, huadong.industry) == ("山西晋城", "装备制造")
    assert sorted(CustomerName.objects.filter(customer=huadong).values_list("name", flat=True)) \
        == ["华东机械", "晋城华东", "晋城华东机械制造有限公司"]  # fmt: skip
    owner = Attribution.objects.get(customer=huadong)
    assert (owner.partner, owner.source) == (actors.alpha, "import")
    assert not Attribution.objects.filter(customer__legal_name__startswith="太原").exists()
    # R-IMP-2: the same file again changes nothing — found by USCC, by name, aliases there
    again = run(actors.officer, data)
    assert (again.created, again.unchanged, again.failed) == (0, 2, 0)
    assert Customer.objects.count() == 2 and CustomerName.objects.count() == 4


def test_an_import_never_takes_a_customer_from_its_owner(actors):
    make_customer(actors.beta, "东义集团煤气化有限公司")  # owned by beta
    data = csv([["东义集团煤气化有限公司", "", "东义煤气化", "", "", actors.alpha.code, ""]])
    result = run(actors.officer, data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "归属伙伴")]
    assert actors.beta.code in result.errors[0].message
    owner = Attribution.objects.get(customer__legal_name="东义集团煤气化有限公司")
    assert owner.partner == actors.beta  # unchanged, and the alias not written either
    assert not CustomerName.objects.filter(name="东义煤气化").exists()
    # the owner itself: unchanged
    same = run(
        actors.officer, csv([["东义集团煤气化有限公司", "", "", "", "", actors.beta.code, ""]])
    )
    assert (same.created, same.unchanged, same.errors) == (0, 1, [])


def test_bad_rows_are_named(actors):
    make_customer(None, "晋城华东机械制造有限公司")
    data = csv([
        ["晋城华东机械制造有限公司", "91140500MA0K3ABCD0", "", "", "", "", ""],  # row 2: bad USCC
        ["", "", "", "", "", "", ""],  # an empty row is skipped
        ["东方红农机有限公司", "", "", "", "", "P99999", ""],  # row 4: no such partner
        ["平遥古城文旅有限公司", "", "华东机械制造", "", "", "", ""],  # row 5: another's name
    ])  # fmt: skip
    result = run(actors.officer, data)
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "统一社会信用代码"), (4, "归属伙伴"), (5, "别名")], result.errors
    assert not Customer.objects.exclude(legal_name="晋城华东机械制造有限公司").exists()


def test_a_possible_match_needs_the_file_to_say_it_is_another_company(actors):
    make_customer(None, "晋城华东机械制造有限公司")
    row = ["晋城华东机械设备制造有限公司", "", "", "", "", "", ""]  # similarity 91.87: possible
    result = run(actors.officer, csv([row]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "客户名称")]
    assert "晋城华东机械制造有限公司" in result.errors[0].message and Customer.objects.count() == 1
    confirmed = run(actors.officer, csv([[*row[:-1], "是"]]))
    assert confirmed.errors == [] and confirmed.created == 1 and Customer.objects.count() == 2


def test_only_officers_import_customers(actors):
    for user in (actors.finance, actors.pm):
        with pytest.raises(Forbidden):
            run(user, csv([["太原某公司", "", "", "", "", "", ""]]))
