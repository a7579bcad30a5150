"""Who may open the portal's customer, project and money pages (R-VIS-1, R-VIS-4): the partner
itself; another partner gets 404 on its objects; anonymous visitors go to login."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.portal.helpers import client_for
from tests.projects.helpers import pay, sign

pytestmark = pytest.mark.django_db

PAGES = [
    "/portal/customers/",
    "/portal/projects/",
    "/portal/consents/",
    "/portal/ledger/",
    "/portal/statements/",
    "/portal/statements/2026-01/",
    "/portal/recruits/",
    "/portal/tier/",
]


@pytest.fixture
def project(actors, today):
    project = sign(actors.officer, actors.alpha)
    pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "HK-001")
    return project


def alphas_objects(project):
    return [
        f"/portal/customers/{project.customer_id}/",
        f"/portal/projects/{project.pk}/",
        f"/portal/projects/{project.pk}/milestones/",
    ]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_opens_for_a_partner_and_sends_anonymous_to_login(actors, today, path):
    assert client_for(actors.alice).get(path).status_code == 200
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert client_for(actors.officer).get(path).status_code == 404


def test_alphas_customer_and_project_open_for_alice_and_are_404_for_bob(actors, project):
    for path in alphas_objects(project):
        assert client_for(actors.alice).get(path).status_code == 200, path
        assert client_for(actors.bob).get(path).status_code == 404, path
        assert client_for(None).get(path).status_code == 302, path


def test_bobs_ledger_and_statement_show_none_of_alphas_figures(actors, project):
    client = client_for(actors.bob)
    for path in ["/portal/", "/portal/ledger/", "/portal/statements/2026-01/"]:
        html = client.get(path).content.decode()
        assert "24,000.00" not in html, path
    pdf = client.get("/portal/statements/2026-01.pdf")
    assert pdf["Content-Disposition"].endswith(f'{actors.beta.code}-2026-01.pdf"')


def test_downloads_send_anonymous_to_login(actors, today):
    for path in ["/portal/statements/2026-01.pdf", "/portal/statements/2026-01.xlsx"]:
        assert client_for(None).get(path).status_code == 302


def test_verify_is_a_post_and_needs_a_partner(actors, today):
    assert client_for(actors.alice).get("/portal/ledger/verify/").status_code == 405
    assert client_for(None).post("/portal/ledger/verify/").status_code == 302
    assert client_for(actors.officer).post("/portal/ledger/verify/").status_code == 404
