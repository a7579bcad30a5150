"""The tier page and the strategic application (R-TIER-2) from the portal."""

from __future__ import annotations

import pytest

from huoban.partners.models import PartnerStatus, TierApplication
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_the_strategic_application_posts_and_shows_its_status(actors, today):
    client = client_for(actors.alice)
    response = client.post(
        "/portal/tier/apply/", {"resources": "山西煤化工行业独家渠道", "plan": "一年内签约 300 万"}
    )
    assert response.status_code == 302
    app = TierApplication.objects.get(partner=actors.alpha)
    assert app.status == "pending" and app.requested_tier == "strategic"
    html = client.get("/portal/tier/").content.decode()
    assert "待审批" in html
    assert app.due_on.strftime("%Y-%m-%d") in html


def test_an_empty_application_is_refused_in_place(actors, today):
    response = client_for(actors.alice).post(
        "/portal/tier/apply/", {"resources": "  ", "plan": "一年内签约 300 万"}
    )
    assert response.status_code == 422
    assert "resources" in response.context["form"].errors
    assert "一年内签约 300 万" in response.content.decode()
    assert not TierApplication.objects.filter(partner=actors.alpha).exists()


def test_an_exited_partner_has_no_application_form_and_is_refused(actors, today):
    actors.alpha.status = PartnerStatus.EXITED
    actors.alpha.save()
    client = client_for(actors.alice)
    assert "/portal/tier/apply/" not in client.get("/portal/tier/").content.decode()
    response = client.post("/portal/tier/apply/", {"resources": "资源", "plan": "计划"})
    assert response.status_code == 422
    assert "已退出" in response.content.decode()
    assert not TierApplication.objects.filter(partner=actors.alpha).exists()
