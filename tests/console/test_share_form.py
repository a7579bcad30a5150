"""Co-delivery partners on the console's project page (R-RS-1, R-PRF-3, R-UI-1; issue #15)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from huoban import clock
from huoban.commissions.models import LedgerEntry
from huoban.sharing.models import ProjectShare
from tests.portal.helpers import client_for
from tests.projects.helpers import pay, sign

OCTOBER = dt.datetime(2026, 10, 15, 10, tzinfo=dt.UTC)


def test_the_pm_adds_a_co_delivery_partner_and_the_cash_received_is_shared(actors):
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")
        page = f"/console/projects/{project.pk}/"
        pm = client_for(actors.pm)
        body = {
            "partner_code": actors.beta.code,
            "share": "0.30",
            "settle_days": "5",
            "role": "仅技术开发（方案B）",
        }
        # over the limit: refused on the field, nothing written
        response = pm.post(f"{page}shares/", {**body, "share": "1.0"})
        assert (
            response.status_code == 422 and "分成比例应大于 0 且小于 1" in response.content.decode()
        )
        assert not ProjectShare.objects.exists()
        assert pm.post(f"{page}shares/", body).status_code == 302
        assert LedgerEntry.objects.get(partner=actors.beta).amount == Decimal("90000.00")
        html = pm.get(page).content.decode()
        assert actors.beta.name in html and "仅技术开发（方案B）" in html
        assert "30%" not in html and "分成比例仅财务" in html  # R-PRF-3: who, not how much
        html = client_for(actors.finance).get(page).content.decode()
        assert "30%" in html
        assert client_for(actors.finance).post(f"{page}shares/", body).status_code == 403
