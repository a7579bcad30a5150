"""Partner 360: search, the partner page and exit (SPEC §8, §9, R-EXIT-1)."""

from __future__ import annotations

import pytest

from huoban.partners.models import Partner
from tests.console.helpers import project_for
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db


def test_it_finds_a_partner_by_name_or_code(actors):
    client = client_for(actors.presales)
    page = client.get("/console/partners/", {"q": "贝塔"}).content.decode()
    assert actors.beta.name in page
    assert actors.alpha.name not in page
    page = client.get("/console/partners/", {"q": actors.alpha.code.lower()}).content.decode()
    assert actors.alpha.name in page


def test_the_partner_page_shows_users_projects_and_tier(actors, today):
    project = project_for(actors)
    page = client_for(actors.officer).get(f"/console/partners/{actors.alpha.code}/")
    html = page.content.decode()
    assert actors.alice.username in html
    assert project.title in html
    assert "轻协同" in html


def test_an_officer_records_an_exit_after_confirming_it(actors, today):
    project_for(actors)  # one project in delivery to hand over
    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/exit/"
    data = {"kind": "mutual", "on": "2026-06-30", "note": "协商一致"}
    response = client.post(url, data)
    page = response.content.decode()
    # First the effect, nothing written yet.
    assert response.status_code == 200 and "请确认" in page
    assert "2026-06-30" in page and "有 1 个在途项目需要交接" in page
    assert 'name="confirmed" value="yes"' in page and 'value="协商一致"' in page
    assert Partner.objects.get(pk=actors.alpha.pk).status == "active"
    response = client.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    alpha = Partner.objects.get(pk=actors.alpha.pk)
    assert alpha.status == "exited"
    assert alpha.exit_kind == "mutual"


def test_a_pm_sees_no_exit_form_and_cannot_exit_a_partner(actors, today):
    url = f"/console/partners/{actors.alpha.code}/"
    assert "记录退出" not in client_for(actors.pm).get(url).content.decode()
    response = client_for(actors.pm).post(url + "exit/", {"kind": "mutual", "on": "2026-06-30"})
    assert response.status_code == 403
    assert Partner.objects.get(pk=actors.alpha.pk).status == "active"


def test_exit_errors_show_in_place(actors, today):
    response = client_for(actors.officer).post(
        f"/console/partners/{actors.alpha.code}/exit/",
        {"kind": "company_violation", "on": "2026-12-01", "note": "保留的说明"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "立即生效" in html
    assert "保留的说明" in html
    assert Partner.objects.get(pk=actors.alpha.pk).status == "active"


def test_a_refused_form_names_its_page_for_the_address_bar(actors, today):
    client = client_for(actors.officer)
    url = f"/console/partners/{actors.alpha.code}/"
    assert 'name="huoban-page-url"' not in client.get(url).content.decode()
    response = client.post(url + "exit/", {"kind": "company_violation", "on": "2099-01-01"})
    assert response.status_code == 422
    assert f'<meta name="huoban-page-url" content="{url}">' in response.content.decode()
