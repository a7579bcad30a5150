"""The audit log page (issue #12, R-UI-1; finance and admin, R-VIS-2): filters, and the chain
verified on screen with the first bad event named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.holidays import set_holiday
from tests.tampering import tampering

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def events(actors):
    with clock.frozen(dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC)):
        set_holiday(dt.date(2027, 1, 1), is_workday=False, name="元旦", actor=actors.admin)
    with clock.frozen(dt.datetime(2026, 6, 3, 2, tzinfo=dt.UTC)):
        set_holiday(dt.date(2027, 1, 2), is_workday=True, name="元旦调休", actor=actors.admin)
    return list(AuditEvent.objects.filter(action="holiday.set").order_by("id"))


def test_filters_by_action_actor_object_and_date(actors, events):
    finance = _client(actors.finance)
    page = finance.get("/console/audit/?action=holiday.set").content.decode()
    assert "设定节假日" in page and "元旦调休" in page
    page = finance.get("/console/audit/?action=holiday.set&until=2026-06-01").content.decode()
    assert f'id="event-{events[0].pk}"' in page and f'id="event-{events[1].pk}"' not in page
    page = finance.get(
        f"/console/audit/?object_type={events[1].object_type}&object_id={events[1].object_id}"
    ).content.decode()
    assert f'id="event-{events[1].pk}"' in page and f'id="event-{events[0].pk}"' not in page
    page = finance.get("/console/audit/?actor=nobody").content.decode()
    assert "没有符合条件的事件" in page


def test_a_bad_date_is_refused_on_the_field(actors, events):
    response = _client(actors.admin).get("/console/audit/?since=2026-13-01")
    assert response.status_code == 422


def test_verification_on_screen_names_the_first_bad_event(actors, events):
    admin = _client(actors.admin)
    page = admin.post("/console/audit/").content.decode()
    assert "全部通过校验" in page
    count = AuditEvent.objects.count()
    # Someone edits a stored event behind the application's back (with the append-only
    # triggers lifted, as a database administrator could).
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["mallory", events[0].pk]
        )
    page = admin.post("/console/audit/").content.decode()
    assert "审计日志校验失败" in page and f"首个异常事件 #{events[0].pk}" in page
    assert AuditEvent.objects.count() == count  # verifying writes nothing


@pytest.mark.parametrize("who", ["officer", "presales", "pm"])
def test_other_staff_get_403(actors, events, who):
    client = _client(getattr(actors, who))
    assert client.get("/console/audit/").status_code == 403
    assert "审计日志" not in client.get("/console/").content.decode()
