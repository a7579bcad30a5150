"""Grading a partner on its console page (R-CRIT-1/2, R-UI-1; issue #15)."""

from __future__ import annotations

from huoban.profiles.models import CriticalityAssessment
from tests.portal.helpers import client_for


def test_the_officer_grades_alpha_on_its_page_and_sees_the_grade_explained(actors):
    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    assert "尚未评定" in client.get(url).content.decode()
    response = client.post(
        f"{url}criticality/", {"strategic_value": "2", "substitutability": "hard"}, follow=True
    )
    html = response.content.decode()
    assert 'id="grade"' in html and ">A</span>" in html
    assert "战略价值 2 星 → 基础等级 B" in html and "上调一级 → A" in html
    # a change of grade without a reason is refused on the field; nothing is written
    response = client.post(
        f"{url}criticality/", {"strategic_value": "5", "substitutability": "normal"}
    )
    assert response.status_code == 422
    assert "等级变化须说明理由" in response.content.decode()
    assert CriticalityAssessment.objects.count() == 1


def test_finance_sees_no_grade_and_may_not_grade(actors):
    client = client_for(actors.finance)
    assert (
        'id="criticality"'
        not in client.get(f"/console/partners/{actors.alpha.code}/").content.decode()
    )
    response = client.post(
        f"/console/partners/{actors.alpha.code}/criticality/",
        {"strategic_value": "2", "substitutability": "hard"},
    )
    assert response.status_code == 403
    assert not CriticalityAssessment.objects.exists()
