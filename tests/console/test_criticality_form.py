"""Grading a partner on its console page (R-CRIT-1/2, R-UI-1; issue #15)."""

from __future__ import annotations

from huoban.profiles.models import Assessment, CriticalityAssessment
from huoban.profiles.services import assess_criticality
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


def test_other_staff_read_the_grade_but_may_not_grade(actors):
    assess_criticality(
        actors.alpha.code, strategic_value=5, substitutability="normal", actor=actors.officer
    )
    client = client_for(actors.finance)
    html = client.get(f"/console/partners/{actors.alpha.code}/").content.decode()
    assert 'id="grade"' in html and "criticality/" not in html  # no form
    response = client.post(
        f"/console/partners/{actors.alpha.code}/criticality/",
        {"strategic_value": "2", "substitutability": "hard"},
    )
    assert response.status_code == 403
    assert CriticalityAssessment.objects.count() == 1


def test_the_partner_list_shows_the_latest_grade_and_filters_by_it(actors):
    assess_criticality(
        actors.alpha.code, strategic_value=2, substitutability="normal", actor=actors.officer
    )
    assess_criticality(
        actors.alpha.code,
        strategic_value=5,
        substitutability="normal",
        reason="集团级战略合作",
        actor=actors.officer,
    )
    client = client_for(actors.presales)
    html = client.get("/console/partners/?grade=S").content.decode()
    assert actors.alpha.name in html and actors.beta.name not in html
    html = client.get("/console/partners/?grade=B").content.decode()
    assert actors.alpha.name not in html  # an earlier grade does not count
    html = client.get("/console/partners/?grade=none").content.decode()
    assert actors.beta.name in html and actors.alpha.name not in html


def test_the_officer_assesses_willingness_on_the_page_and_sees_score_and_trend(actors):
    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    fields = {
        "willingness-executive_support": "5",
        "willingness-dedicated_team": "4",
        "willingness-long_term_commitment": "4",
        "willingness-dedicated_team_note": "专职团队 6 人",
    }
    html = client.post(f"{url}assessments/willingness/", fields, follow=True).content.decode()
    assert 'data-kind="willingness">4.3' in html
    assert "13 ÷ 3 = 4.3" in html
    html = client.post(
        f"{url}assessments/willingness/",
        fields | {"willingness-executive_support": "2"},
        follow=True,
    ).content.decode()
    assert 'data-kind="willingness">3.3' in html and "bi-arrow-down-right" in html
    response = client.post(
        f"{url}assessments/willingness/", fields | {"willingness-dedicated_team": "7"}
    )
    assert response.status_code == 422
    assert Assessment.objects.count() == 2
    assert client.post(f"{url}assessments/charm/", fields).status_code == 404


def test_the_grade_shows_its_management_strategy_in_the_pages_language(actors):
    assess_criticality(
        actors.alpha.code, strategic_value=5, substitutability="normal", actor=actors.officer
    )
    client = client_for(actors.presales)
    html = client.get(f"/console/partners/{actors.alpha.code}/").content.decode()
    assert "高层复盘每季度，业务复盘每月，联合创新工作坊每半年" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/console/partners/{actors.alpha.code}/").content.decode()
    assert "executive review quarterly, business review monthly" in html


def test_the_officer_confirms_the_depth_on_the_partner_page(actors):
    from huoban.profiles.models import DepthDecision

    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    html = client.get(url).content.decode()
    assert 'id="depth"' in html and "at most one cooperation project" not in html
    assert "合作项目不超过 1 个 → 普通" in html  # the suggestion explained, in Chinese
    response = client.post(f"{url}depth/", {"depth": "strategic", "reason": ""})
    assert response.status_code == 422 and "须写明理由" in response.content.decode()
    assert not DepthDecision.objects.exists()
    assert client.post(f"{url}depth/", {"depth": "ordinary", "reason": ""}).status_code == 302
    assert DepthDecision.objects.get().depth == "ordinary"
    finance = client_for(actors.finance)
    assert 'id="depth-form"' not in finance.get(url).content.decode()
    assert finance.post(f"{url}depth/", {"depth": "ordinary"}).status_code == 403


def test_the_officer_fills_in_the_facts_and_a_contact(actors):
    from huoban.profiles.models import KeyContact, PartnerProfile

    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    html = client.get(url).content.decode()
    assert 'id="to-complete"' in html and "8 项待补充" in html
    bad = client.post(f"{url}profile/", {"website": "not a url", "complementarity": ""})
    assert bad.status_code == 422 and not PartnerProfile.objects.exists()
    good = {"complementarity": "technology", "full_name": "阿尔法咨询有限公司", "team_size": "35"}
    assert client.post(f"{url}profile/", good).status_code == 302
    html = client.get(url).content.decode()
    assert "6 项待补充" in html and "技术互补" in html  # full name and team size given
    contact = {"name": "王博士", "title": "CTO", "layer": "technical", "phone": "13800000101"}
    assert client.post(f"{url}contacts/", contact).status_code == 302
    assert KeyContact.objects.get().layer == "technical"
    assert "王博士（CTO）" in client.get(url).content.decode()
    assert client_for(actors.pm).post(f"{url}contacts/", contact).status_code == 403


def test_the_delivery_review_on_the_partner_page(actors):
    from huoban.profiles.models import DeliveryReview

    client = client_for(actors.gm)
    url = f"/console/partners/{actors.alpha.code}/"
    lines = "AI算法能力 优秀\n开发效率 待验证\n沟通配合：良好"
    bad = client.post(f"{url}delivery-review/", {"ratings": "交付质量 还行"})
    assert bad.status_code == 422 and not DeliveryReview.objects.exists()
    assert client.post(f"{url}delivery-review/", {"ratings": lines}).status_code == 302
    review = DeliveryReview.objects.get()
    assert review.rated() == [
        ("AI算法能力", "excellent"),
        ("开发效率", "to_verify"),
        ("沟通配合", "good"),
    ]
    html = client.get(url).content.decode()
    assert 'id="delivery-open"' in html and "1 项待验证" in html
    assert (
        client_for(actors.pm).post(f"{url}delivery-review/", {"ratings": lines}).status_code == 403
    )
