"""Bank-statement reconciliation (SPEC §14, R-IMP-4; D-IMP-8; issue #21): an ICBC-like and a
CCB-like export are read (title rows, outgoing lines and totals skipped); lines match by the
contract number in their summary, then by payer and the next open instalment, else are
suggested or left for finance; confirmed lines become payments with their commission in one
step, all or none, and never twice — not even from a second statement with the same line."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huoban.commissions.models import LedgerEntry
from huoban.credit.services import set_billing_plan
from huoban.imports.bank import read_statement
from huoban.imports.models import BankLine, BankStatement
from huoban.projects.models import CustomerPayment, Project
from tests.portal.helpers import client_for
from tests.projects.helpers import sign

pytestmark = pytest.mark.django_db

ICBC_HEADER = ["交易日期", "凭证号", "对方单位名称", "对方账号", "摘要", "用途", "借方发生额",
               "贷方发生额", "余额"]  # fmt: skip


def icbc(lines: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["中国工商银行 企业网上银行 账户明细"])
    sheet.append(["账号", "0502 0000 0000 0000 000"])
    sheet.append([])
    sheet.append(ICBC_HEADER)
    for line in lines:
        sheet.append(line)
    sheet.append(["合计", None, None, None, None, None, "1000.00", "999999.00", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_two_layouts_are_read():
    data = icbc([
        ["2026-11-03", "V1", "晋城华东机械制造有限公司", "6222", "货款", "HT-2026-001 首付", None,
         "24,000.00", "1"],
        ["2026-11-04", "V2", "某供应商", "6223", "付款", "", "5000.00", None, "2"],  # outgoing
    ])  # fmt: skip
    bank, lines = read_statement("icbc.xlsx", data)
    assert bank == "ICBC" and [(x.row, x.amount, x.payer) for x in lines] == [
        (5, Decimal("24000.00"), "晋城华东机械制造有限公司"),
    ]  # fmt: skip
    assert "HT-2026-001" in lines[0].summary
    ccb_header = ["交易时间", "借方发生额（支取）", "贷方发生额（存入）", "余额", "币种",
                  "对方户名", "对方账号", "对方开户机构", "记账日期", "摘要", "备注",
                  "账户明细编号-交易流水号"]  # fmt: skip
    line = ["20261105 10:31:02", "", "12000.50", "1", "人民币", "太原智能电网科技有限公司",
            "6217", "建行太原分行", "20261105", "转账", "二期款", "CCB-88-1"]  # fmt: skip
    rows = [ccb_header, line]
    text = "\n".join(",".join(r) for r in rows).encode("gb18030")
    bank, lines = read_statement("ccb.csv", text)
    assert bank == "CCB" and lines[0].booked_on == dt.date(2026, 11, 5)
    assert (lines[0].amount, lines[0].reference) == (Decimal("12000.50"), "CCB-88-1")


def _world(actors):
    by_number = sign(actors.officer, actors.alpha, "300000.00", name="晋城华东机械制造有限公司")
    Project.objects.filter(pk=by_number.pk).update(contract_no="HT-2026-001")
    by_plan = sign(actors.officer, actors.alpha, "100000.00", name="太原智能电网科技有限公司")
    set_billing_plan(by_plan.pk, actor=actors.finance, instalments=[
        {"amount": "30000.00", "due_on": "2026-06-30"},
        {"amount": "70000.00", "due_on": "2026-12-31"},
    ])  # fmt: skip
    by_room = sign(actors.officer, actors.beta, "80000.00", name="大同煤矿机电有限公司")
    return by_number, by_plan, by_room


def upload(client, data: bytes, name: str = "十一月.xlsx"):
    file = SimpleUploadedFile(name, data)
    return client.post("/console/finance/bank/", {"file": file})


def test_lines_matched_confirmed_once_and_assigned(actors):
    by_number, by_plan, by_room = _world(actors)
    data = icbc([
        ["2026-11-03", "V1", "某某代付公司", "1", "货款", "HT-2026-001 首付", None, "24000.00", ""],
        ["2026-11-04", "V2", "太原智能电网科技有限公司", "2", "货款", "一期", None, "30000.00", ""],
        ["2026-11-05", "V3", "大同煤矿机电有限公司", "3", "货款", "", None, "10000.00", ""],
        ["2026-11-06", "V4", "不认识的公司", "4", "货款", "", None, "5000.00", ""],
    ])  # fmt: skip
    fiona = client_for(actors.finance)
    response = upload(fiona, data)
    statement = BankStatement.objects.get()
    assert response["Location"] == f"/console/finance/bank/{statement.pk}/"
    lines = {line.row: line for line in BankLine.objects.all()}
    assert [(lines[r].status, lines[r].project_id) for r in (5, 6, 7, 8)] == [
        ("matched", by_number.pk),  # the contract number in the remark
        ("matched", by_plan.pk),  # the payer's next open instalment, 30,000.00
        ("suggested", by_room.pk),  # the payer's project with room
        ("unmatched", None),
    ]
    assert not CustomerPayment.objects.exists()  # nothing recorded before finance confirms
    page = fiona.get(response["Location"]).content.decode()
    assert "摘要含合同编号 HT-2026-001" in page and "金额等于第 1 期应收" in page
    fiona.post(f"/console/finance/bank/{statement.pk}/confirm/",
               {"line_ids": [lines[5].pk, lines[6].pk, lines[7].pk]})  # fmt: skip
    assert CustomerPayment.objects.count() == 3
    first = CustomerPayment.objects.get(project=by_number)
    assert (first.amount, first.received_on, first.reference) == (
        Decimal("24000.00"), dt.date(2026, 11, 3), "V1",
    )  # fmt: skip
    # the commission as by hand: 8% × 300,000 = 24,000.00 at the first payment
    assert LedgerEntry.objects.filter(project=by_number, amount=Decimal("24000.00")).exists()
    # confirming again records nothing; the unmatched line waits, then is assigned
    fiona.post(f"/console/finance/bank/{statement.pk}/confirm/", {"line_ids": [lines[5].pk]})
    assert CustomerPayment.objects.count() == 3
    bad = fiona.post(f"/console/finance/bank/{statement.pk}/lines/{lines[8].pk}/assign/",
                     {"project": "HT-NONE"})  # fmt: skip
    assert bad.status_code == 302 and BankLine.objects.get(pk=lines[8].pk).project is None
    fiona.post(f"/console/finance/bank/{statement.pk}/lines/{lines[8].pk}/assign/",
               {"project": str(by_room.pk)})  # fmt: skip
    assert BankLine.objects.get(pk=lines[8].pk).status == "suggested"
    # a second export overlapping the first: the same line is the same payment
    again = icbc([["2026-11-03", "V1", "某某代付公司", "1", "货款", "HT-2026-001", None, "24000.00",
                   "x"]])  # fmt: skip
    upload(fiona, again, "十一月-补.xlsx")
    second = BankStatement.objects.exclude(pk=statement.pk).get()
    line = second.lines.get()
    fiona.post(f"/console/finance/bank/{second.pk}/confirm/", {"line_ids": [line.pk]})
    line.refresh_from_db()
    assert line.status == "recorded" and line.payment == first
    assert CustomerPayment.objects.count() == 3


def test_the_same_file_twice_and_other_roles(actors):
    fiona = client_for(actors.finance)
    data = icbc([["2026-11-03", "V1", "某公司", "1", "货款", "", None, "100.00", ""]])
    upload(fiona, data)
    refused = upload(fiona, data)
    assert refused.status_code == 409 and BankStatement.objects.count() == 1
    assert client_for(actors.officer).get("/console/finance/bank/").status_code == 403
    assert client_for(actors.officer).post("/console/finance/bank/", {}).status_code == 403
