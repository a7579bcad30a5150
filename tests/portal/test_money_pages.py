"""What the portal shows of a partner's money (R-LED-1, R-LED-3, R-LED-9, R-VIS-2): the home
page's figures, a project's board and commission, the ledger with its verification, and the
monthly statements with their downloads. Figures computed by hand in each test.

A 300,000 `new` project of a light partner: r = 22%, total 66,000.00; the first payment
(100,000 on Thursday 15 January 2026) earns the confirmation fee 8% × 300,000 = 24,000.00,
due 3 business days later on Tuesday 20 January.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.projects import services
from huoban.projects.models import Milestone
from tests.portal.helpers import client_for
from tests.projects.helpers import pay, sign
from tests.tampering import tampering

D = dt.date
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(actors, today):
    with clock.frozen(D(2026, 1, 15)):  # booked in January (R-LED-10)
        project = sign(actors.officer, actors.alpha)
        pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-001")
    return project


def test_home_shows_this_years_earnings_and_what_is_due_next(actors, project):
    response = client_for(actors.alice).get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["earnings"] == {
        "earned": Decimal("24000.00"),
        "paid": Decimal("0.00"),
        "outstanding": Decimal("24000.00"),
    }
    assert 'data-figure="earned">24,000.00<' in html
    assert 'data-figure="paid">0.00<' in html
    assert 'data-figure="outstanding">24,000.00<' in html
    assert "2026-01-20" in html  # due next
    assert 'data-figure="in-delivery">1<' in html
    assert 'data-figure="customers">1<' in html


def test_home_renders_earnings_by_month_as_json_and_as_a_table(actors, project):
    html = client_for(actors.alice).get("/portal/").content.decode()
    data = html.split('<script id="earnings-data" type="application/json">')[1]
    rows = json.loads(data.split("</script>")[0])
    assert len(rows) == 12
    assert rows[0] == {"month": "2026-01", "earned": "24000.00", "paid": "0.00"}
    assert rows[1]["earned"] == "0.00"
    assert '<table class="table table-sm small mb-0" id="earnings-table">' in html
    assert "echarts.min.js" in html


def test_home_shows_the_progress_to_the_next_tier(actors, project):
    html = client_for(actors.alice).get("/portal/").content.decode()
    # deep needs 500,000 signed this year: 300,000 signed, 200,000 to go.
    assert "300,000.00" in html
    assert "200,000.00" in html
    assert "深度协同" in html


def test_home_counts_down_the_retention_grace(actors, today):
    actors.alpha.tier = "deep"
    actors.alpha.retention_state = "grace"
    actors.alpha.grace_until = D(2026, 7, 10)
    actors.alpha.save()
    html = client_for(actors.alice).get("/portal/").content.decode()
    assert "保级缓冲期至 2026-07-10，还剩 10 天" in html


def test_project_page_shows_the_board_payments_and_each_entrys_explanation(actors, project):
    response = client_for(actors.alice).get(f"/portal/projects/{project.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for stage in ["需求梳理", "方案设计", "开发测试", "部署上线", "验收", "运维"]:
        assert stage in html
    assert 'hx-trigger="every 30s"' in html
    assert "HK-001" in html and "100,000.00" in html
    assert 'data-figure="project-earned">24,000.00<' in html
    entry = LedgerEntry.objects.get(project=project, partner=actors.alpha)
    first_step = entry.explanation.splitlines()[0]
    assert first_step.partition(" / ")[0] in html  # in the user's language
    assert "22%" in html and "66,000.00" in html


def test_the_progress_board_fragment_shows_a_milestone_update(actors, project):
    services.update_milestone(
        project.pk,
        "requirements",
        actor=actors.pm,
        status="in_progress",
        note="需求调研第一轮完成",
    )
    response = client_for(actors.alice).get(
        f"/portal/projects/{project.pk}/milestones/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "需求调研第一轮完成" in html
    assert "<html" not in html  # a fragment, not a page
    assert 'id="milestones"' in html
    assert Milestone.objects.get(project=project, stage="requirements").status == "in_progress"


def test_ledger_lists_entries_with_totals_and_the_chain_head(actors, project):
    response = client_for(actors.alice).get("/portal/ledger/")
    html = response.content.decode()
    assert 'data-figure="earned">24,000.00<' in html
    assert ledger.chain_head(actors.alpha) in html
    assert "引荐确认金" in html


def test_verify_says_ok_and_after_a_tamper_names_the_entry(actors, project):
    client = client_for(actors.alice)
    ok = client.post("/portal/ledger/verify/", HTTP_HX_REQUEST="true").content.decode()
    assert "校验通过" in ok
    assert ledger.chain_head(actors.alpha) in ok
    entry = LedgerEntry.objects.get(project=project, partner=actors.alpha)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE commissions_ledgerentry SET amount = %s WHERE id = %s", ["99999.00", entry.pk]
        )
    bad = client.post("/portal/ledger/verify/", HTTP_HX_REQUEST="true").content.decode()
    assert "校验失败" in bad
    assert f"#{entry.pk}" in bad
    assert ledger.chain_head(actors.alpha) in bad
    # Without HTMX the ledger page shows the same result.
    page = client.post("/portal/ledger/verify/")
    assert page.status_code == 200
    assert f"#{entry.pk}" in page.content.decode()


def test_statement_page_shows_the_months_figures(actors, project):
    response = client_for(actors.alice).get("/portal/statements/2026-01/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="closing">24,000.00<' in html
    assert "/portal/statements/2026-01.pdf" in html
    assert "/portal/statements/2026-01.xlsx" in html


def test_statement_downloads_are_pdf_and_excel(actors, project):
    client = client_for(actors.alice)
    pdf = client.get("/portal/statements/2026-01.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    code = actors.alpha.code
    assert pdf["Content-Disposition"] == f'attachment; filename="statement-{code}-2026-01.pdf"'
    xlsx = client.get("/portal/statements/2026-01.xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == XLSX
    assert xlsx.content.startswith(b"PK")
    assert f"statement-{code}-2026-01.xlsx" in xlsx["Content-Disposition"]


def test_a_future_month_has_no_statement(actors, today):
    assert client_for(actors.alice).get("/portal/statements/2026-07/").status_code == 404
    assert client_for(actors.alice).get("/portal/statements/2026-13.pdf").status_code == 404


def test_statement_list_links_every_month(actors, project):
    html = client_for(actors.alice).get("/portal/statements/").content.decode()
    assert "/portal/statements/2026-06/" in html
    assert "/portal/statements/2026-01.xlsx" in html


def test_recruits_show_the_override_earned_on_them(actors, today):
    from huoban.partners import services as partners

    partners.set_referrer(actors.beta, actors.alpha.code, actor=actors.officer)
    project = sign(actors.officer, actors.beta, name="晋南钢铁集团")
    pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-B1")
    response = client_for(actors.alice).get("/portal/recruits/")
    html = response.content.decode()
    # 1% × min(100,000, 300,000) = 1,000.00
    assert actors.beta.name in html
    assert 'data-figure="override-earned">¥1,000.00<' in html
    assert "推荐奖励" in html
    # The recruit's customer and project title stay hidden from the recruiter (R-VIS-1),
    # here and where the override is due next on the home page.
    home = client_for(actors.alice).get("/portal/").content.decode()
    for page in (html, home):
        assert "晋南钢铁集团" not in page
        assert project.title not in page
    assert "1,000.00" in home
