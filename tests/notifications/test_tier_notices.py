"""The partner hears of every tier change (R-NOTE-1, R-TIER; issue #14)."""

from __future__ import annotations

from huoban.standing.tier_services import apply_for_strategic, decide_application
from tests.notifications.helpers import told


def test_an_approved_strategic_application_tells_the_partners_users(actors):
    application = apply_for_strategic(actor=actors.alice, resources="省属国企资源", plan="三年计划")
    decide_application(application.pk, actor=actors.officer, approve=True, note="资源属实")
    changed = told("tier.changed")
    assert sorted(changed) == ["alice"]
    note = changed["alice"][0]
    assert note.title == "合作梯度调整：轻协同 → 战略伙伴（申请获批）"
    assert note.title_en == (
        "Tier changed: Light collaboration → Strategic partner (Application approved)"
    )
    assert note.body == f"战略伙伴申请 #{application.pk} 获批：资源属实"
    assert note.link == "/portal/tier/"
    assert told("tier.notice") == {}
