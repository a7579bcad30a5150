"""Importing partners (R-IMP-1/2, R-PTR; issue #21): registered by the service the form calls
— at the light tier, waiting for the gm's approval (R-AGR-2), a recruiter kept for its 1% —;
found again by code, USCC or name, so the same file twice changes nothing; bad kinds, types,
codes and recruiters are named by row and column and nothing is written."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden
from huoban.imports.services import run_import
from huoban.partners.models import Partner
from huoban.uscc import check_character

pytestmark = pytest.mark.django_db

USCC = "91140700MA0L4EFGH"
USCC += check_character(USCC)
HEADER = "伙伴编号,名称,类型,合作类别,地区,统一社会信用代码,推荐伙伴编号,联系人,联系电话"


def csv(rows) -> bytes:
    return "\n".join([HEADER] + [",".join(r) for r in rows]).encode("utf-8-sig")


def run(actor, data, dry_run=False):
    return run_import("partners", file_name="伙伴.csv", data=data, actor=actor, dry_run=dry_run)


def test_partners_registered_then_unchanged(actors):
    before = Partner.objects.count()
    data = csv([
        ["P00101", "晋中数智科技有限公司", "机构", "渠道伙伴、技术伙伴", "山西晋中", USCC,
         actors.alpha.code, "王经理", "13800000000"],
        ["", "李明", "个人", "渠道", "", "", "", "", ""],
    ])  # fmt: skip
    assert run(actors.officer, data, dry_run=True).created == 2
    assert Partner.objects.count() == before
    result = run(actors.officer, data)
    assert (result.created, result.unchanged, result.failed) == (2, 0, 0)
    jinzhong = Partner.objects.get(code="P00101")
    assert (jinzhong.tier, jinzhong.types, jinzhong.referrer) == (
        "light", ["channel", "technology"], actors.alpha,
    )  # fmt: skip
    assert jinzhong.approved_at is None  # waits for the gm like any new partner (R-AGR-2)
    li = Partner.objects.get(name="李明")
    assert li.kind == "individual" and li.code.startswith("P")
    assert AuditEvent.objects.filter(action="partner.register").count() >= 2
    again = run(actors.officer, data)
    assert (again.created, again.unchanged, again.failed) == (0, 2, 0)
    assert Partner.objects.count() == before + 2


def test_bad_rows_are_named(actors):
    before = Partner.objects.count()
    data = csv([
        ["", "晋中数智科技有限公司", "团体", "", "", "", "", "", ""],  # row 2: kind
        ["", "太原云启科技有限公司", "机构", "代理商", "", "", "", "", ""],  # row 3: type
        ["", "大同云启科技有限公司", "机构", "", "", "", "P99999", "", ""],  # row 4: recruiter
        [actors.alpha.code, "另一个名字有限公司", "机构", "", "", "", "", "", ""],  # row 5
        ["", "", "机构", "", "", "", "", "", ""],  # row 6: no name
    ])  # fmt: skip
    result = run(actors.officer, data)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "类型"), (3, "合作类别"), (4, "推荐伙伴编号"), (5, "名称"), (6, "名称"),
    ], result.errors  # fmt: skip
    assert Partner.objects.count() == before


def test_only_officers_import_partners(actors):
    with pytest.raises(Forbidden):
        run(actors.finance, csv([["", "李明", "个人", "", "", "", "", "", ""]]))
