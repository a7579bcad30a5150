"""Importing signed contracts (R-IMP-1…3, R-PROJ-1/2; issue #21): each row signed through the
signing service for an owned customer — the rate, the commission total and the policy locked
exactly as by hand —; found again by its contract number, so the same file is unchanged; an
unknown customer, a number taken by other terms, a bad kind or amount is the row's error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from huoban.errors import Forbidden
from huoban.imports.services import run_import
from huoban.projects.models import Project
from tests.projects.helpers import ensure_policy_v1, make_customer, sign

pytestmark = pytest.mark.django_db

HEADER = "合同编号,客户名称,客户信用代码,项目名称,类型,合同额,签约日,高毛利,高毛利类别,全额预付"


def csv(rows) -> bytes:
    return "\n".join([HEADER] + [",".join(r) for r in rows]).encode("utf-8-sig")


def run(actor, data, dry_run=False):
    return run_import("projects", file_name="合同.csv", data=data, actor=actor, dry_run=dry_run)


def test_contracts_signed_as_by_hand_then_unchanged(actors):
    ensure_policy_v1()
    make_customer(actors.alpha, "晋城华东机械制造有限公司")
    data = csv([
        ["HT-2026-001", "晋城华东机械制造有限公司", "", "生产数据平台", "新签", "\"300,000.00\"",
         "2026-01-05", "", "", ""],
        ["HT-2026-002", "晋城华东机械制造有限公司", "", "AI 质检", "增项", "150000",
         "2026/2/1", "是", "AI 定制", ""],
    ])  # fmt: skip
    assert run(actors.officer, data, dry_run=True).created == 2 and not Project.objects.exists()
    result = run(actors.pm, data)
    assert (result.created, result.unchanged, result.failed) == (2, 0, 0)
    first = Project.objects.get(contract_no="HT-2026-001")
    # R-IMP-3: the terms a hand signing locks for the same contract on a twin customer
    twin = sign(actors.officer, actors.alpha, "300000.00", name="晋城华东机械二厂有限公司",
                signed_on=dt.date(2026, 1, 5))  # fmt: skip
    assert (first.rate, first.commission_total, first.policy_version_id) == (
        twin.rate, twin.commission_total, twin.policy_version_id,
    )  # fmt: skip
    second = Project.objects.get(contract_no="HT-2026-002")
    assert (second.kind, second.high_margin, second.high_margin_category) == (
        "increment", True, "ai_custom",
    )  # fmt: skip
    assert second.contract_amount == Decimal("150000.00") and second.partner == actors.alpha
    again = run(actors.officer, data)
    assert (again.created, again.unchanged, again.failed) == (0, 2, 0)
    assert Project.objects.count() == 3


def test_bad_rows_are_named(actors):
    ensure_policy_v1()
    make_customer(actors.alpha, "晋城华东机械制造有限公司")
    make_customer(None, "太原智能电网科技有限公司")  # not owned
    sign(actors.officer, actors.alpha, "300000.00", name="晋城华东机械制造有限公司")
    Project.objects.update(contract_no="HT-OLD")
    data = csv([
        ["HT-1", "东方红农机有限公司", "", "平台", "", "100000", "2026-01-05", "", "", ""],
        ["HT-2", "太原智能电网科技有限公司", "", "平台", "", "100000", "2026-01-05", "", "", ""],
        ["HT-OLD", "晋城华东机械制造有限公司", "", "平台", "", "999.00", "2026-01-05", "", "", ""],
        ["HT-3", "晋城华东机械制造有限公司", "", "平台", "外包", "10万", "2026-01-05", "", "", ""],
    ])  # fmt: skip
    result = run(actors.officer, data)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "客户名称"), (3, "客户名称"), (4, "合同编号"), (5, "类型"), (5, "合同额"),
    ], result.errors  # fmt: skip
    assert Project.objects.count() == 1


def test_finance_does_not_sign_projects(actors):
    with pytest.raises(Forbidden):
        run(actors.finance, csv([]))
