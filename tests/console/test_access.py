"""Who may open the console: every staff role; partner users get 404 (R-VIS-4); anonymous →
login."""

from __future__ import annotations

import pytest

from tests.leads.helpers import submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

PAGES = ["/console/", "/console/?view=overdue", "/console/?view=all", "/console/reviews/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_shows_each_console_page_to_every_staff_role(actors, path):
    for user in actors.staff():
        response = client_for(user).get(path)
        assert response.status_code == 200, user
        assert "工作台" in response.content.decode()  # the console's menu


@pytest.mark.parametrize("path", PAGES)
def test_it_answers_404_to_partner_users(actors, path):
    assert client_for(actors.alice).get(path).status_code == 404
    assert client_for(actors.bob).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_an_anonymous_visitor_to_login(actors, path):
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_lead_page_is_staff_only(actors):
    lead = submit(actors.alice)
    url = f"/console/leads/{lead.pk}/"
    assert client_for(actors.officer).get(url).status_code == 200
    assert client_for(actors.pm).get(url).status_code == 200
    assert client_for(actors.alice).get(url).status_code == 404
    assert client_for(actors.bob).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert client_for(actors.officer).get("/console/leads/999999/").status_code == 404


def test_partner_users_cannot_post_a_verdict(actors):
    lead = submit(actors.alice)
    response = client_for(actors.alice).post(
        f"/console/leads/{lead.pk}/verdict/",
        {"verdict": "invalid", "reason_code": "fake", "explanation": "x"},
    )
    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.status == "pending"
