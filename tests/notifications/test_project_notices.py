"""The partner hears of its projects: signed, paid, accepted (R-NOTE-1; issue #14)."""

from __future__ import annotations

import datetime as dt

from huoban import clock
from huoban.projects import services
from tests.notifications.helpers import told
from tests.projects.helpers import TODAY, pay, sign


def test_the_partner_hears_of_its_project_from_signing_to_acceptance(actors):
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)):
        project = sign(actors.officer, actors.alpha)
        pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "HK-001")
        services.accept_project(project.pk, actor=actors.pm, accepted_on=dt.date(2026, 4, 10))
    name = "晋城华东机械制造有限公司「生产数据平台」"
    link = f"/portal/projects/{project.pk}/"
    # only alpha's user, alice: never bob, never staff
    signed = told("project.signed")
    assert sorted(signed) == ["alice"]
    assert (signed["alice"][0].title, signed["alice"][0].link) == (f"项目已签约：{name}", link)
    assert signed["alice"][0].body == "合同金额 ¥300,000.00，签约日 2026-01-05。"
    paid = told("payment.recorded")
    assert sorted(paid) == ["alice"]
    assert paid["alice"][0].title == f"客户回款 ¥100,000.00：{name}"
    # the first payment earns the 8% first instalment (R-COM-5): the ledger is mentioned
    assert paid["alice"][0].body == "到账日 2026-01-15。佣金已按合同规则计入台账。"
    assert paid["alice"][0].title_en == f"Customer payment ¥100,000.00: {name}"
    accepted = told("project.accepted")
    assert sorted(accepted) == ["alice"]
    assert accepted["alice"][0].title == f"项目已验收：{name}"
    assert accepted["alice"][0].body.startswith("验收日 2026-04-10。")
