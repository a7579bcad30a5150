"""R-TIER-1: signing a project promotes the partner the moment it qualifies."""

from __future__ import annotations

import pytest

from huoban.partners.models import TierChange

from .helpers import sign

pytestmark = pytest.mark.django_db


def test_signing_to_three_million_year_to_date_makes_the_partner_strategic(actors):
    sign(actors.officer, actors.alpha, "2999999.99", name="甲煤化工有限公司")
    actors.alpha.refresh_from_db()
    assert actors.alpha.tier == "light"  # 2,999,999.99 < 3,000,000.00
    sign(actors.officer, actors.alpha, "0.01", name="乙煤化工有限公司")
    actors.alpha.refresh_from_db()
    assert actors.alpha.tier == "strategic"  # 2,999,999.99 + 0.01 = 3,000,000.00
    change = TierChange.objects.filter(partner=actors.alpha).latest("id")
    assert change.to_tier == "strategic" and "3,000,000.00" in change.reason
