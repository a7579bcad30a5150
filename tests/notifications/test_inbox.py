"""The bell, the inbox page and the API: each person reads their own (R-NOTE-2, issue #14)."""

from __future__ import annotations

from huoban.notifications.models import Notification
from tests.leads.helpers import judge, submit
from tests.notifications.helpers import fanned
from tests.portal.helpers import client_for


def _verdict_for_alice(actors) -> Notification:
    lead = judge(actors.officer, submit(actors.alice, "东义集团"))
    fanned()
    return Notification.objects.get(
        recipient=actors.alice, event="lead.verdict", link__contains=str(lead.pk)
    )


def test_the_bell_counts_the_unread_in_the_portal_and_the_console(actors):
    _verdict_for_alice(actors)
    html = client_for(actors.alice).get("/portal/").content.decode()
    assert 'id="bell"' in html and 'data-unread="1"' in html
    # olivia was told of the new lead; peter and oscar too
    html = client_for(actors.presales).get("/console/home/").content.decode()
    assert 'data-unread="1"' in html
    badge = client_for(actors.presales).get("/notifications/badge/").content.decode()
    assert 'data-unread="1"' in badge


def test_opening_a_notification_marks_it_read_and_goes_to_the_page(actors):
    note = _verdict_for_alice(actors)
    client = client_for(actors.alice)
    page = client.get("/notifications/").content.decode()
    assert note.title in page
    response = client.post(f"/notifications/{note.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, note.link)
    note.refresh_from_db()
    assert note.read_at is not None
    assert "data-unread" not in client.get("/notifications/badge/").content.decode()


def test_another_persons_notification_is_not_found(actors):
    note = _verdict_for_alice(actors)
    response = client_for(actors.bob).post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert note.title not in client_for(actors.bob).get("/notifications/").content.decode()


def test_the_english_page_shows_the_english_title(actors):
    note = _verdict_for_alice(actors)
    client = client_for(actors.alice)
    client.cookies["django_language"] = "en"
    html = client.get("/notifications/").content.decode()
    assert note.title_en in html and note.title not in html


def test_read_all(actors):
    _verdict_for_alice(actors)
    client = client_for(actors.presales)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=actors.presales, read_at__isnull=True)


def test_the_api_lists_my_notifications_only(actors, api_client):
    note = _verdict_for_alice(actors)
    status, body = api_client.as_(actors.alice).get("notifications")
    assert status == 200 and body["count"] == 1
    item = body["items"][0]
    assert (item["event"], item["title"], item["read"]) == ("lead.verdict", note.title, False)
    status, body = api_client.as_(actors.bob).get("notifications")
    assert (status, body["count"]) == (200, 0)
    status, _ = api_client.as_(actors.bob).post(f"notifications/{note.pk}/read", {})
    assert status == 404
    status, item = api_client.as_(actors.alice).post(f"notifications/{note.pk}/read", {})
    assert (status, item["read"]) == (200, True)
    status, body = api_client.as_(actors.alice).get("notifications?unread=true")
    assert body["count"] == 0
