"""The partner hears of its project's progress and its commission payouts; the officers of
strategic applications, and the partner of their decision (R-NOTE-1; issue #14)."""

from __future__ import annotations

import datetime as dt
import json

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.notifications import webhooks
from huoban.notifications.models import Delivery, Notification
from huoban.projects import services
from huoban.standing.tier_services import apply_for_strategic, decide_application
from tests.notifications.helpers import fanned, told
from tests.projects.helpers import TODAY, full_example, pay, sign


def test_a_stage_that_starts_or_ends_tells_the_partner_a_planned_date_does_not(actors):
    with clock.frozen(TODAY):
        project = sign(actors.officer, actors.alpha)
        services.update_milestone(
            project.pk, "deployment", actor=actors.pm, planned_on=dt.date(2026, 3, 1)
        )
        assert told("project.milestone") == {}
        services.update_milestone(project.pk, "deployment", actor=actors.pm, status="in_progress")
    progress = told("project.milestone")
    assert sorted(progress) == ["alice"]  # never bob, never staff
    [note] = progress["alice"]
    name = "晋城华东机械制造有限公司「生产数据平台」"
    assert note.title == f"项目进度：{name} 部署上线 进行中"
    assert note.title_en == f"Project progress: {name} Deployment In progress"
    assert note.link == f"/portal/projects/{project.pk}/milestones/"


def test_a_payout_tells_the_partners_users_how_much_and_under_which_reference(actors):
    with clock.frozen(TODAY):
        full_example(actors)
        beta = sign(actors.officer, actors.beta, name="云岭茶业股份有限公司")
        pay(actors.finance, beta, "100000.00", dt.date(2026, 2, 2), "B-1")
        entry = LedgerEntry.objects.filter(partner=actors.alpha).order_by("pk").first()
        ledger.approve_entry(entry.pk, actor=actors.finance)
        ledger.create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-1",
            paid_on=dt.date(2026, 5, 20),
            entry_ids=[entry.pk],
        )
    paid = told("payout.paid")
    assert sorted(paid) == ["alice"]
    [note] = paid["alice"]
    assert note.title == f"佣金已支付 ¥{entry.amount:,.2f}（2026-05-20）"
    assert note.body == "共 1 条台账记录，银行流水号 BANK-1。"
    assert note.link == "/portal/ledger/"


def test_the_officers_hear_of_an_application_and_the_partner_of_its_rejection(actors):
    application = apply_for_strategic(actor=actors.alice, resources="省属国企资源", plan="三年计划")
    submitted = told("application.submitted")
    assert sorted(submitted) == ["olivia", "oscar"]  # the officers, who decide
    assert submitted["olivia"][0].title.startswith(
        f"战略伙伴申请待审批：阿尔法咨询有限公司 {actors.alpha.code}，截止 "
    )
    assert submitted["olivia"][0].link == "/console/partners/applications/"
    decide_application(application.pk, actor=actors.officer, approve=False, note="资源证明不足")
    decided = told("application.decided")
    assert sorted(decided) == ["alice"]
    assert (decided["alice"][0].title, decided["alice"][0].body) == (
        "战略伙伴申请未获批准",
        "资源证明不足",
    )


def test_each_ledger_entry_reaches_the_webhooks_that_chose_it_and_no_person(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": True}
    webhooks.register_webhook("http://10.0.0.8/finance", ["ledger.entry"], actor=actors.admin)
    with clock.frozen(TODAY):
        project = sign(actors.officer, actors.alpha)
        pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "HK-001")
    fanned()
    entries = list(LedgerEntry.objects.filter(partner=actors.alpha).order_by("pk"))
    deliveries = list(Delivery.objects.filter(event="ledger.entry").order_by("pk"))
    assert len(deliveries) == len(entries) >= 1
    data = json.loads(deliveries[0].body)["data"]
    first = entries[0]
    assert (data["entry_id"], data["amount"], data["hash"]) == (
        first.pk,
        str(first.amount),
        first.hash,
    )
    assert not Notification.objects.filter(event="ledger.entry").exists()
