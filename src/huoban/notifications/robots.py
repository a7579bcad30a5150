"""Group robots (R-NOTE-2): WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) chats of a team,
each receiving the events an admin chose for it, through the outbox (R-NOTE-3).

The words are fixed when the event happens (the outbox row keeps title, text and link); the
signature is made when the message is sent, since both services refuse an old timestamp:

- WeCom: the key is in the URL; the body is ``{"msgtype": "markdown", "markdown": {content}}``.
- DingTalk (加签): ``&timestamp=<ms>&sign=<url-encoded Base64(HMAC-SHA256(key=secret,
  msg="<ms>\\n<secret>"))>`` appended to the URL; the body is a markdown message.
- Feishu (签名校验): ``timestamp`` (seconds) and ``sign`` = Base64(HMAC-SHA256(key="<s>\\n
  <secret>", msg="")) in the body beside a ``post`` message.

All three answer HTTP 200 with an error code in the body when they refuse (a bad signature, a
rate limit): only code 0 counts as sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from django.conf import settings
from django.db import transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import ValidationFailed

from .models import Channel, Delivery, Robot, RobotKind
from .transport import EXCERPT, Answer, Post, check_url
from .webhooks import EVENTS, switch_active

if TYPE_CHECKING:
    from .services import Message


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a robot URL, URL-encoded (R-NOTE-2)."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(mac.digest()).decode())


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu's signature: the HMAC keyed by "<timestamp>\\n<secret>" of an empty message."""
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


# --- registration ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def register_robot(
    *,
    name: str,
    team: str,
    kind: str,
    url: str,
    secret: str,
    events: Iterable[str],
    actor: User,
) -> Robot:
    """Register a team's group robot with the events it receives (admin)."""
    require_role(actor, Role.ADMIN)
    wanted = list(dict.fromkeys(events))
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写名称 / Name the robot."
    if not team.strip():
        errors["team"] = "请填写团队 / Name the team whose chat it is."
    if kind not in RobotKind.values:
        errors["kind"] = "类型应为企业微信、钉钉或飞书 / Kind must be wecom, dingtalk or feishu."
    problem = check_url(url)
    if problem:
        errors["url"] = problem
    if kind == RobotKind.DINGTALK and not secret.strip():
        errors["secret"] = (
            "钉钉机器人须使用加签密钥（SEC 开头）/ "
            "A DingTalk robot needs its signing secret (SEC…)."
        )
    unknown = [e for e in wanted if e not in EVENTS]
    if not wanted or unknown:
        errors["events"] = (
            f"未知事件 / Unknown events: {', '.join(unknown)}"
            if unknown
            else "至少选择一个事件 / Choose at least one event."
        )
    if errors:
        raise ValidationFailed(errors)
    robot = Robot.objects.create(
        name=name.strip(),
        team=team.strip(),
        kind=kind,
        url=url.strip(),
        secret=secret.strip(),
        events=wanted,
        created_by=actor,
        created_at=clock.now(),
    )
    record(
        actor,
        "robot.register",
        robot,
        after={"name": robot.name, "team": robot.team, "kind": kind, "events": wanted},
    )
    return robot


@transaction.atomic(durable=True)
def set_robot_active(robot_id: int, active: bool, *, actor: User) -> Robot:
    """Switch a robot off (it receives nothing more) or on again (admin)."""
    return switch_active(
        Robot,
        robot_id,
        active,
        actor=actor,
        action="robot.switch",
        missing="机器人不存在 / No such robot.",
    )


# --- the outbox --------------------------------------------------------------------------------


def words(message: Message) -> dict[str, str]:
    """What a team's chat reads: the Chinese title and body, and the console page to act on.

    A robot speaks to a staff chat, so a link to a partner's portal page (which staff cannot
    open) is left out."""
    link = message.link if message.link.startswith("/console/") else ""
    return {
        "title": message.title,
        "body": message.body,
        "url": f"{settings.HUOBAN_BASE_URL}{link}" if link else "",
    }


def deliveries(
    message: Message,
    event_id: uuid.UUID,
    created_at: dt.datetime,
    active: Iterable[Robot] | None = None,
) -> list[Delivery]:
    """One delivery per active robot (`active`, or read now) that receives `message.event`
    (unsaved)."""
    pool = Robot.objects.filter(active=True) if active is None else active
    robots = [r for r in pool if message.event in r.events]
    if not robots:
        return []
    body = json.dumps(words(message), ensure_ascii=False)
    return [
        Delivery(
            channel=Channel.ROBOT,
            robot=r,
            event=message.event,
            event_id=event_id,
            body=body,
            next_attempt_at=created_at,
            created_at=created_at,
        )
        for r in robots
    ]


def _markdown(w: dict[str, str]) -> str:
    lines = [f"**{w['title']}**"]
    if w["body"]:
        lines.append(w["body"])
    if w["url"]:
        lines.append(f"[前往处理]({w['url']})")
    return "\n\n".join(lines)


def request(robot: Robot, w: dict[str, str], now: float) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body of one robot message, signed as of `now` (Unix seconds)."""
    if robot.kind == RobotKind.WECOM:
        return robot.url, {"msgtype": "markdown", "markdown": {"content": _markdown(w)}}
    if robot.kind == RobotKind.DINGTALK:
        ms = int(now * 1000)
        joiner = "&" if "?" in robot.url else "?"
        url = f"{robot.url}{joiner}timestamp={ms}&sign={dingtalk_sign(robot.secret, ms)}"
        return url, {"msgtype": "markdown", "markdown": {"title": w["title"], "text": _markdown(w)}}
    lines: list[list[dict[str, str]]] = []
    if w["body"]:
        lines.append([{"tag": "text", "text": w["body"]}])
    if w["url"]:
        lines.append([{"tag": "a", "text": "前往处理", "href": w["url"]}])
    body: dict[str, Any] = {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": w["title"], "content": lines}}},
    }
    if robot.secret:
        seconds = int(now)
        body = {"timestamp": str(seconds), "sign": feishu_sign(robot.secret, seconds)} | body
    return robot.url, body


def _accepted(answer_text: str) -> bool:
    """Code 0 in the answer: WeCom and DingTalk say ``errcode``, Feishu ``code`` (older
    versions ``StatusCode``)."""
    try:
        data = json.loads(answer_text)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    for key in ("errcode", "code", "StatusCode"):
        if key in data:
            return data[key] == 0
    return False


def send(delivery: Delivery, post: Post) -> Answer:
    """Post one message to its robot, signed now."""
    assert delivery.robot is not None
    url, body = request(delivery.robot, json.loads(delivery.body), time.time())
    answer = post(
        url,
        json.dumps(body, ensure_ascii=False).encode(),
        {"Content-Type": "application/json; charset=utf-8"},
    )
    ok = answer.status_code == 200 and _accepted(answer.excerpt)
    return Answer(answer.status_code, answer.excerpt[:EXCERPT], accepted=ok)
