"""Revenue-share schemes side by side on the console's project page (R-RS-1, R-PRF-3, R-UI-1;
issue #15): the gm records 方案A and 方案B, compares their amounts on the contract and approves
one; officers see the schemes without the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from huoban import clock
from huoban.commissions.models import LedgerEntry
from huoban.sharing.models import ProjectShare, ShareScheme
from tests.portal.helpers import client_for
from tests.projects.helpers import pay, sign

OCTOBER = dt.datetime(2026, 10, 15, 10, tzinfo=dt.UTC)


def test_the_gm_compares_two_schemes_and_approves_one(actors):
    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        pay(actors.finance, project, "300000.00", dt.date(2026, 9, 24), "HK-1")
        page = f"/console/projects/{project.pk}/"
        gm = client_for(actors.gm)
        a = {"label": "方案A", "partner_code": actors.beta.code, "share": "0.40",
             "settle_days": "5", "role": "我方负责项目管理与销售"}  # fmt: skip
        # bad input: on the field, nothing written
        response = gm.post(f"{page}schemes/", {**a, "label": "", "share": "1.2"})
        html = response.content.decode()
        assert response.status_code == 422 and 'id="scheme_label"' in html
        assert "is-invalid" in html and not ShareScheme.objects.exists()
        assert gm.post(f"{page}schemes/", a).status_code == 302
        b = {**a, "label": "方案B", "share": "0.30", "role": "极峰仅负责技术开发"}
        assert gm.post(f"{page}schemes/", b).status_code == 302
        html = gm.get(page).content.decode()
        # side by side: 400,000.00 / 600,000.00 and 300,000.00 / 700,000.00
        for figure in ("400,000.00", "600,000.00", "300,000.00", "700,000.00"):
            assert figure in html
        assert html.count(">批准</button>") == 2
        officer_html = client_for(actors.officer).get(page).content.decode()
        assert "方案A" in officer_html and "400,000.00" not in officer_html
        assert "分成比例与金额仅财务" in officer_html and 'id="scheme-form"' not in officer_html
        scheme_b = ShareScheme.objects.get(label="方案B")
        url = f"{page}schemes/{scheme_b.pk}/approve/"
        assert client_for(actors.officer).post(url).status_code == 403
        assert not ProjectShare.objects.exists()
        assert gm.post(url).status_code == 302
        assert ProjectShare.objects.get().share == Decimal("0.3000")
        assert LedgerEntry.objects.get(partner=actors.beta).amount == Decimal("90000.00")
        html = gm.get(page).content.decode()
        assert "已批准" in html and "未采用" in html and ">批准</button>" not in html
        # approving the one set aside is refused with the reason, nothing changes
        scheme_a = ShareScheme.objects.get(label="方案A")
        response = gm.post(f"{page}schemes/{scheme_a.pk}/approve/")
        assert response.status_code == 409 and ProjectShare.objects.count() == 1


def test_the_gms_home_counts_the_schemes_waiting(actors):
    from huoban.sharing.services import propose_scheme

    with clock.frozen(OCTOBER):
        project = sign(actors.officer, actors.alpha, "1000000.00", signed_on=dt.date(2026, 9, 1))
        propose_scheme(
            project.pk, partner_code=actors.beta.code, label="方案A", share="0.40", actor=actors.gm
        )
        html = client_for(actors.gm).get("/console/home/").content.decode()
    assert "待批准的分成方案" in html and f"/console/projects/{project.pk}/#schemes" in html
