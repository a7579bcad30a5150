"""Every staff list exports its current filter (R-IMP-5; issue #21): Excel and CSV, the page's
columns, every row of the filter (not only the page's), Chinese intact, a cell that could be a
formula kept as text, and who exported what is audited."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_scorecard
from tests.factories import make_partner
from tests.leads.helpers import submit
from tests.portal.helpers import client_for
from tests.projects.helpers import make_customer, pay, sign

pytestmark = pytest.mark.django_db


def read_xlsx(response) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # a BOM: Excel opens the Chinese intact
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_partner_list_exports_its_filter(actors):
    make_partner('=HYPERLINK("http://x")科技有限公司')
    officer = client_for(actors.officer)
    response = officer.get("/console/partners/?tier=light&export=xlsx")
    assert response["Content-Disposition"] == "attachment; filename=huoban-partners.xlsx"
    rows = read_xlsx(response)
    assert rows[0][:3] == ["编号", "名称", "类型"]
    names = [r[1] for r in rows[1:]]
    assert actors.alpha.name in names and len(rows) - 1 == len(names)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    formula = next(c for c in book.active["B"] if str(c.value).startswith("="))
    assert formula.data_type == "s" and formula.quotePrefix  # text, never evaluated
    table = read_csv(officer.get("/console/partners/?q=阿尔法&export=csv"))
    assert table[0][0] == "编号" and [r[1] for r in table[1:]] == [actors.alpha.name]
    event = AuditEvent.objects.filter(action="list.export").latest("id")
    assert event.after == {"list": "partners", "filter": {"q": "阿尔法"}, "format": "csv"}
    injected = read_csv(officer.get("/console/partners/?export=csv"))
    assert any(r[1].startswith("'=HYPERLINK") for r in injected)


def test_the_project_list_exports_every_row_of_its_filter(actors):
    for n in range(3):
        sign(actors.officer, actors.alpha, "300000.00", name=f"晋城第{n}机械有限公司")
    sign(actors.officer, actors.beta, "120000.00", name="贝塔客户有限公司")
    pm = client_for(actors.pm)
    rows = read_xlsx(pm.get(f"/console/projects/?partner={actors.alpha.code}&export=xlsx"))
    assert rows[0][0] == "#" and len(rows) == 4
    assert {r[3] for r in rows[1:]} == {actors.alpha.code}
    assert {Decimal(str(r[6])) for r in rows[1:]} == {Decimal("300000")}
    assert client_for(actors.pm).get("/console/projects/?export=pdf").status_code == 200  # a page


def test_the_lead_queue_the_case_queue_and_the_ranking(actors):
    submit(actors.alice, "晋中华泰煤化工有限公司")
    officer = client_for(actors.officer)
    leads = read_csv(officer.get("/console/?view=all&export=csv"))
    assert leads[0][:3] == ["#", "客户名称", "伙伴编号"]
    assert [r[1] for r in leads[1:]] == ["晋中华泰煤化工有限公司"]
    kpis = [{"name": "签约量", "direction": "higher", "target": 500, "actual": 350}]
    record_scorecard(actors.alpha.code, period="2026-11", actor=actors.officer, kpis=kpis)
    cases = read_xlsx(officer.get("/console/cases/?status=open&export=xlsx"))
    assert cases[0][0] == "伙伴编号" and [r[0] for r in cases[1:]] == [actors.alpha.code]
    ranking = read_xlsx(client_for(actors.gm).get("/console/scorecards/?export=xlsx"))
    assert ranking[1][:2] == [actors.alpha.code, actors.alpha.name]
    assert Decimal(str(ranking[1][3])) == Decimal("70.0")  # 350 ÷ 500 × 100


def test_finance_exports_the_pending_ledger_and_the_payouts(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    pay(actors.finance, project, "100000.00", project.signed_on, "HK-1")
    fiona = client_for(actors.finance)
    rows = read_xlsx(fiona.get("/console/finance/?export=xlsx"))
    pending = LedgerEntry.objects.filter(status="pending").count()
    assert rows[0][:3] == ["#", "伙伴编号", "伙伴"] and len(rows) - 1 == pending >= 1
    # 8% of the 300,000.00 contract at the first payment: 24,000.00, with its explanation
    assert Decimal(str(rows[1][7])) == Decimal("24000") and rows[1][10]
    payouts = read_csv(fiona.get("/console/finance/payouts/?export=csv"))
    assert payouts[0] == ["付款日", "伙伴编号", "伙伴", "银行流水号", "金额", "经办"]
    # commission figures are finance's: other staff get the 403 page, no file
    assert client_for(actors.officer).get("/console/finance/?export=xlsx").status_code == 403


def test_the_customer_registry_lists_and_exports_owners(actors):
    make_customer(actors.alpha, "晋城华东机械制造有限公司")
    make_customer(None, "太原智能电网科技有限公司")
    officer = client_for(actors.officer)
    page = officer.get("/console/customers/registry/").content.decode()
    assert "晋城华东机械制造有限公司" in page and "未归属" in page
    owned = read_csv(
        officer.get(f"/console/customers/registry/?owner={actors.alpha.code}&export=csv")
    )
    assert owned[0][1] == "客户名称"
    assert [(r[1], r[5]) for r in owned[1:]] == [("晋城华东机械制造有限公司", actors.alpha.code)]
    unowned = read_xlsx(officer.get("/console/customers/registry/?owner=none&export=xlsx"))
    assert [r[1] for r in unowned[1:]] == ["太原智能电网科技有限公司"]
    # partners have no console
    assert client_for(actors.alice).get("/console/customers/registry/").status_code == 404


def test_a_partners_risk_register(actors):
    raise_risk(actors.alpha.code, title="=技术依赖", category="technology", level="high",
               actor=actors.officer)  # fmt: skip
    url = f"/console/partners/{actors.alpha.code}/risks/?export=xlsx"
    rows = read_xlsx(client_for(actors.gm).get(url))
    assert (
        rows[0][:3] == ["风险", "类别", "等级"] and rows[1][0] == "=技术依赖" and rows[1][2] == "高"
    )


def test_the_unowned_count_is_every_customer_less_the_owned(actors):
    for n in range(3):
        make_customer(None, f"太原第{n}电网科技有限公司")
    make_customer(actors.alpha, "晋城华东机械制造有限公司")
    page = client_for(actors.officer).get("/console/customers/registry/?owner=none")
    assert page.context["page"].paginator.count == 3
    assert "晋城华东机械制造有限公司" not in page.content.decode()
