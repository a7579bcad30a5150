"""Every new console page opens for staff and answers 404 to partner users (R-VIS-4); finance
pages answer 403 with a message to staff without finance (R-VIS-2)."""

from __future__ import annotations

import pytest

from tests.console.helpers import project_for
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/console/customers/",
    "/console/customers/?name=%E4%B8%9C%E4%B9%89",
    "/console/partners/",
    "/console/partners/?q=%E9%98%BF%E5%B0%94&tier=light",
    "/console/projects/",
    "/console/projects/board/",
    "/console/dashboard/",
    "/console/dashboard/?year=2025",
]
FINANCE_PAGES = [
    "/console/finance/",
    "/console/finance/payouts/",
    "/console/finance/settlement/",
    "/console/finance/verify/",
]


def _object_pages(actors):
    project = project_for(actors)
    return [
        f"/console/partners/{actors.alpha.code}/",
        f"/console/projects/{project.pk}/",
        f"/console/customers/{project.customer_id}/",
    ]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_it_shows_each_page_to_every_staff_role(actors, today, path):
    for user in actors.staff():
        assert client_for(user).get(path).status_code == 200, user


@pytest.mark.parametrize("path", STAFF_PAGES + FINANCE_PAGES)
def test_it_answers_404_to_partner_users(actors, today, path):
    assert client_for(actors.alice).get(path).status_code == 404
    assert client_for(actors.bob).get(path).status_code == 404


def test_object_pages_open_for_staff_and_are_404_for_partners(actors, today):
    for path in _object_pages(actors):
        for user in actors.staff():
            assert client_for(user).get(path).status_code == 200, (path, user)
        assert client_for(actors.alice).get(path).status_code == 404, path
        assert client_for(actors.bob).get(path).status_code == 404, path


def test_unknown_objects_are_404(actors, today):
    client = client_for(actors.admin)
    for path in ["/console/partners/P99999/", "/console/projects/999999/"]:
        assert client.get(path).status_code == 404
    assert client.get("/console/customers/999999/").status_code == 404


@pytest.mark.parametrize("path", FINANCE_PAGES)
def test_finance_pages_open_for_finance_and_admin_only(actors, today, path):
    assert client_for(actors.finance).get(path).status_code == 200
    assert client_for(actors.admin).get(path).status_code == 200
    for user in (actors.officer, actors.presales, actors.pm):
        response = client_for(user).get(path)
        assert response.status_code == 403
        assert "仅财务和管理员可见" in response.content.decode()


def test_commission_figures_are_for_finance_and_admin_only(actors, today):
    # given a project whose partner has earned 24,000.00 (R-VIS-2)
    from tests.projects.helpers import pay

    project = project_for(actors)
    pay(actors.finance, project, "100000.00", today, "HK-1")
    partner_url = f"/console/partners/{actors.alpha.code}/"
    project_url = f"/console/projects/{project.pk}/"
    for user in (actors.finance, actors.admin):
        assert "24,000.00" in client_for(user).get(partner_url).content.decode()
        assert "24,000.00" in client_for(user).get(project_url).content.decode()
    for user in (actors.officer, actors.presales, actors.pm):
        assert "24,000.00" not in client_for(user).get(partner_url).content.decode()
        assert "24,000.00" not in client_for(user).get(project_url).content.decode()
        assert "佣金已计" not in client_for(user).get(project_url).content.decode()


def test_the_sidebar_links_every_section(actors, today):
    html = client_for(actors.finance).get("/console/").content.decode()
    for href in [
        "/console/customers/",
        "/console/partners/",
        "/console/projects/",
        "/console/finance/",
        "/console/dashboard/",
    ]:
        assert f'href="{href}"' in html
    assert 'href="/console/finance/"' not in client_for(actors.pm).get("/console/").content.decode()
