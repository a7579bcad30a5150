"""The group robots page (admin; R-UI-1, R-NOTE-2; issue #14)."""

from __future__ import annotations

from huoban.audit.models import AuditEvent
from huoban.notifications.models import Robot
from tests.portal.helpers import client_for

FORM = {
    "team": "华东销售",
    "name": "线索提醒",
    "kind": "dingtalk",
    "url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
    "secret": "SEC0123",
    "events": ["lead.submitted", "lead.sla_due"],
}


def test_the_admin_registers_a_dingtalk_robot_and_switches_it_off(actors):
    client = client_for(actors.admin)
    response = client.post("/console/robots/", FORM, follow=True)
    assert response.status_code == 200
    robot = Robot.objects.get()
    assert (robot.team, robot.kind, robot.events) == (
        "华东销售",
        "dingtalk",
        ["lead.submitted", "lead.sla_due"],
    )
    html = response.content.decode()
    assert "华东销售" in html and "钉钉" in html and "lead.sla_due" in html
    assert "SEC0123" not in html  # the secret is never shown back
    client.post(f"/console/robots/{robot.pk}/switch/", {"active": "0"})
    robot.refresh_from_db()
    assert robot.active is False
    assert AuditEvent.objects.filter(action__startswith="robot.").count() == 2


def test_a_dingtalk_robot_without_its_secret_is_refused_on_the_field_and_nothing_is_written(
    actors,
):
    client = client_for(actors.admin)
    response = client.post("/console/robots/", FORM | {"secret": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "钉钉机器人须使用加签密钥" in html and "is-invalid" in html
    assert not Robot.objects.exists()


def test_other_staff_are_told_who_registers_robots(actors):
    response = client_for(actors.officer).get("/console/robots/")
    assert response.status_code == 403
    assert "Webhook 和群机器人由管理员登记" in response.content.decode()
