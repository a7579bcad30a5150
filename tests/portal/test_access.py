"""Who may open the portal pages: the partner itself; another partner gets 404 (R-VIS-4);
staff get 404 (the portal shows one partner's own data, staff have none); anonymous → login."""

from __future__ import annotations

import pytest

from tests.leads.helpers import INVALID, judge, submit
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/portal/", "/portal/leads/", "/portal/leads/new/"]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_it_shows_each_portal_page_to_a_partner_user(actors, path):
    response = client_for(actors.alice).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert actors.alpha.name in html  # the top bar names the partner
    assert "htmx.min.js" in html
    assert "X-CSRFToken" in html


@pytest.mark.parametrize("path", LIST_PAGES)
def test_it_sends_an_anonymous_visitor_to_login(actors, path):
    response = client_for(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("path", LIST_PAGES)
def test_it_does_not_show_portal_pages_to_staff(actors, path):
    for user in actors.staff():
        assert client_for(user).get(path).status_code == 404


def test_it_shows_a_lead_to_its_partner_and_404_to_the_other(actors):
    lead = submit(actors.alice)
    assert client_for(actors.alice).get(f"/portal/leads/{lead.pk}/").status_code == 200
    assert client_for(actors.bob).get(f"/portal/leads/{lead.pk}/").status_code == 404
    assert client_for(actors.officer).get(f"/portal/leads/{lead.pk}/").status_code == 404
    response = client_for(None).get(f"/portal/leads/{lead.pk}/")
    assert response.status_code == 302


def test_it_answers_404_for_another_partners_appeal(actors):
    lead = submit(actors.alice)
    judge(actors.officer, lead, INVALID)
    response = client_for(actors.bob).post(f"/portal/leads/{lead.pk}/appeal/", {"reason": "x"})
    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.appealed_at is None


def test_it_answers_404_for_an_unknown_lead(actors):
    assert client_for(actors.alice).get("/portal/leads/999999/").status_code == 404


def test_the_other_partners_leads_are_not_listed(actors):
    submit(actors.alice, "东义集团")
    submit(actors.bob, "晋南钢铁集团")
    html = client_for(actors.bob).get("/portal/leads/").content.decode()
    assert "晋南钢铁集团" in html
    assert "东义集团" not in html
    home = client_for(actors.bob).get("/portal/").content.decode()
    assert "东义集团" not in home


def test_root_sends_each_user_to_their_pages(actors):
    assert client_for(None).get("/")["Location"] == "/login/"
    assert client_for(actors.alice).get("/")["Location"] == "/portal/"
    for user in actors.staff():
        assert client_for(user).get("/")["Location"] == "/console/home/"


def test_login_page_is_chinese_and_logs_a_partner_into_the_portal(actors):
    client = client_for(None)
    html = client.get("/login/").content.decode()
    assert "登录" in html and "密码" in html
    assert 'name="viewport"' in html
    response = client.post(
        "/login/", {"username": "alice", "password": "correct-horse-9"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"


def test_login_with_a_wrong_password_stays_on_the_page(actors):
    response = client_for(None).post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert 'value="alice"' in response.content.decode()


def test_logout_is_a_post(actors):
    client = client_for(actors.alice)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/portal/").status_code == 302
