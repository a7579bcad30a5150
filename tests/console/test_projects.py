"""Projects in the console: payments (finance), milestones (HTMX), acceptance and cancellation
(SPEC §5, R-LED-4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huoban.commissions.models import LedgerEntry
from huoban.projects.models import CustomerPayment, Milestone, MilestoneUpdate
from tests.console.helpers import project_for
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

PAYMENT = {
    "kind": "payment",
    "amount": "100000.00",
    "received_on": "2026-03-02",
    "reference": "HK-2026-001",
}


def test_finance_records_a_payment_and_the_partner_earns_the_confirmation(actors, today):
    # given a 300,000 new project of a light partner: r = 22%, C = 8% × 300,000 = 24,000.00
    project = project_for(actors)
    # when finance records the first payment of 100,000 through the console
    client = client_for(actors.finance)
    response = client.post(f"/console/projects/{project.pk}/payments/", PAYMENT)
    # then the payment is recorded and alpha's ledger gains one confirmation entry of 24,000.00
    assert response.status_code == 302
    assert CustomerPayment.objects.get().amount == Decimal("100000.00")
    entry = LedgerEntry.objects.get(partner=actors.alpha)
    assert entry.kind == "confirmation"
    assert entry.amount == Decimal("24000.00")
    page = client.get(f"/console/projects/{project.pk}/").content.decode()
    assert "已登记回款流水 HK-2026-001" in page
    assert "¥24,000.00" in page


def test_a_pm_cannot_record_a_payment(actors, today):
    project = project_for(actors)
    page = client_for(actors.pm).get(f"/console/projects/{project.pk}/").content.decode()
    assert "登记回款" not in page  # the control is hidden
    response = client_for(actors.pm).post(f"/console/projects/{project.pk}/payments/", PAYMENT)
    assert response.status_code == 403
    assert "无权执行此操作" in response.content.decode()
    assert not CustomerPayment.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_a_reused_reference_with_other_content_is_a_409_message(actors, today):
    project = project_for(actors)
    client = client_for(actors.finance)
    client.post(f"/console/projects/{project.pk}/payments/", PAYMENT)
    response = client.post(
        f"/console/projects/{project.pk}/payments/", {**PAYMENT, "amount": "90000.00"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "该流水号已登记为不同内容" in page
    assert 'value="90000.00"' in page  # what was typed is kept
    assert CustomerPayment.objects.count() == 1


def test_payment_field_errors_show_in_place_and_keep_the_typed_values(actors, today):
    project = project_for(actors)
    response = client_for(actors.finance).post(
        f"/console/projects/{project.pk}/payments/",
        {**PAYMENT, "received_on": "2026-12-31", "reference": "HK-X"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "日期不能晚于今天" in page
    assert 'value="HK-X"' in page
    assert not CustomerPayment.objects.exists()


def test_a_pm_updates_a_milestone_inline_with_htmx(actors, today):
    project = project_for(actors)
    url = f"/console/projects/{project.pk}/milestones/requirements/"
    client = client_for(actors.pm)
    edit = client.get(url + "edit/", headers={"HX-Request": "true"})
    assert edit.status_code == 200
    assert "<form" in edit.content.decode()
    response = client.post(
        url,
        {
            "requirements-status": "done",
            "requirements-actual_on": "2026-02-01",
            "requirements-note": "需求确认",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<tr id="ms-requirements"')
    assert "需求确认" in html
    milestone = Milestone.objects.get(project=project, stage="requirements")
    assert milestone.status == "done"
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1


def test_without_htmx_the_edit_link_opens_the_row_in_the_page(actors, today):
    project = project_for(actors)
    response = client_for(actors.officer).get(
        f"/console/projects/{project.pk}/milestones/solution/edit/"
    )
    assert response.status_code == 302
    page = client_for(actors.officer).get(response["Location"]).content.decode()
    assert 'name="solution-status"' in page


def test_finance_may_not_update_milestones(actors, today):
    project = project_for(actors)
    response = client_for(actors.finance).post(
        f"/console/projects/{project.pk}/milestones/requirements/",
        {"requirements-status": "done"},
    )
    assert response.status_code == 403
    assert not MilestoneUpdate.objects.exists()


def test_a_pm_accepts_a_project(actors, today):
    project = project_for(actors)
    response = client_for(actors.pm).post(
        f"/console/projects/{project.pk}/accept/", {"accepted_on": "2026-06-01"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "accepted"


def test_finance_cannot_accept(actors, today):
    project = project_for(actors)
    response = client_for(actors.finance).post(
        f"/console/projects/{project.pk}/accept/", {"accepted_on": "2026-06-01"}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == "signed"


def test_cancelling_needs_a_reason(actors, today):
    project = project_for(actors)
    url = f"/console/projects/{project.pk}/cancel/"
    response = client_for(actors.officer).post(url, {"cancelled_on": "2026-06-01"})
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.status == "signed"
    data = {"cancelled_on": "2026-06-01", "reason": "客户预算取消"}
    response = client_for(actors.officer).post(url, data)
    assert response.status_code == 200 and "此操作不能撤销" in response.content.decode()
    project.refresh_from_db()
    assert project.status == "signed"  # asked first, nothing written
    response = client_for(actors.officer).post(url, {**data, "cancelled_on": "2026-01-04"})
    assert response.status_code == 422  # a date before signing is refused before asking
    response = client_for(actors.officer).post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "cancelled"


def test_the_list_and_board_show_the_project_at_its_stage(actors, today):
    project = project_for(actors)
    listing = client_for(actors.pm).get("/console/projects/?status=signed").content.decode()
    assert project.title in listing
    assert "需求梳理" in listing
    board = client_for(actors.pm).get("/console/projects/board/").content.decode()
    assert f"/console/projects/{project.pk}/" in board


def test_the_milestone_form_shows_stored_dates_in_iso_for_the_date_input(actors, today):
    from huoban.projects.services import update_milestone

    project = project_for(actors)
    update_milestone(
        project.pk, "solution", actor=actors.pm, planned_on=today.replace(month=7, day=15)
    )
    html = (
        client_for(actors.pm)
        .get(
            f"/console/projects/{project.pk}/milestones/solution/edit/",
            headers={"HX-Request": "true"},
        )
        .content.decode()
    )
    assert 'value="2026-07-15"' in html


def test_the_board_column_follows_the_milestones(actors, today):
    from huoban.projects.services import update_milestone

    project = project_for(actors)
    assert project.current_stage == "requirements"
    update_milestone(project.pk, "requirements", actor=actors.pm, status="done")
    update_milestone(project.pk, "solution", actor=actors.pm, status="done")
    project.refresh_from_db()
    assert project.current_stage == "development"
    for stage in ("development", "deployment", "acceptance", "maintenance"):
        update_milestone(project.pk, stage, actor=actors.pm, status="done")
    project.refresh_from_db()
    assert project.current_stage == "maintenance"  # every stage done
    update_milestone(project.pk, "solution", actor=actors.pm, status="in_progress")
    project.refresh_from_db()
    assert project.current_stage == "solution"
    board = client_for(actors.pm).get("/console/projects/board/").content.decode()
    assert f"/console/projects/{project.pk}/" in board
