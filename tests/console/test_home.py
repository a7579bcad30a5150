"""The console's home (工作台, issue #12): each role sees its own queues, with what is late,
in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from huoban import clock
from huoban.partners.inquiries import submit_inquiry
from tests.projects.helpers import pay, sign

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cards(client) -> str:
    return client.get("/console/home/").content.decode()


def test_staff_land_on_their_home(actors):
    response = _client(actors.pm).get("/")
    assert response["Location"] == "/console/home/"


def test_each_role_sees_its_own_queues(actors):
    with clock.frozen(MONDAY):
        submit_inquiry(name="甲公司", contact="甲", phone="13800001111", intended_tier="light")
        project = sign(actors.officer, actors.alpha, "300000.00", signed_on=dt.date(2026, 5, 1))
        pay(actors.finance, project, "100000.00", dt.date(2026, 5, 20), "HK-1")
    with clock.frozen(MONDAY + dt.timedelta(days=4)):
        officer = _cards(_client(actors.officer))
        finance = _cards(_client(actors.finance))
        pm = _cards(_client(actors.pm))
        admin = _cards(_client(actors.admin))
    assert "待研判线索" in officer and "合作申请" in officer and "待审批佣金" not in officer
    assert "1 超过 2 个工作日未联系" in officer
    # 8% × 300,000.00 = 24,000.00 waits for finance's approval.
    assert "待审批佣金" in finance and "¥24,000.00" in finance and "合作申请" not in finance
    assert "我负责的在途项目" in pm and "待研判线索" not in pm
    assert "员工账号" in admin and "伙伴报告的我方违约" in admin and "待审批佣金" in admin


def test_the_menu_follows_the_role(actors):
    finance = _client(actors.finance).get("/console/home/").content.decode()
    assert "/console/reviews/" not in finance and "/console/finance/" in finance
    officer = _client(actors.officer).get("/console/home/").content.decode()
    assert "/console/reviews/" in officer and "/console/finance/" not in officer


def test_the_home_runs_a_fixed_number_of_queries(actors):
    admin = _client(actors.admin)
    admin.get("/console/home/")
    with CaptureQueriesContext(connection) as small:
        admin.get("/console/home/")
    for n in range(5):
        submit_inquiry(name=f"公司{n}", contact="甲", phone="13800001111", intended_tier="deep")
        sign(actors.officer, actors.beta, "100000.00", name=f"客户{n}有限公司")
    with CaptureQueriesContext(connection) as large:
        admin.get("/console/home/")
    assert len(large) == len(small)
