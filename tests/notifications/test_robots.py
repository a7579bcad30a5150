"""Group robots against a real local receiver (R-NOTE-2, R-NOTE-3; issue #14).

The receiver plays WeCom, DingTalk and Feishu: it checks each signature with the algorithm the
services publish, written here from their documentation (not with Huoban's own functions), and
answers as they do — HTTP 200 with ``errcode``/``code`` 0, or a refusal code in the body."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

from huoban import clock
from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden, ValidationFailed
from huoban.notifications import outbox, robots
from huoban.notifications.models import Delivery, Robot
from tests.leads.helpers import judge, submit
from tests.notifications.helpers import fanned

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
DING_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
FEISHU_SECRET = "nIMtb7r3N9pkXyXdtAbx6e"


def dingtalk_ok(path: str, secret: str) -> bool:
    """DingTalk: sign = urlencode(base64(HmacSHA256(key=secret, "timestamp\\nsecret"))), the
    timestamp in milliseconds and within an hour."""
    query = parse_qs(urlsplit(path).query)
    timestamp, sign = query["timestamp"][0], query["sign"][0]  # parse_qs decodes once
    digest = hmac.new(
        secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256
    ).digest()
    fresh = abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
    return fresh and hmac.compare_digest(base64.b64encode(digest).decode(), sign)


def feishu_ok(body: dict, secret: str) -> bool:
    """Feishu: sign = base64(HmacSHA256(key="timestamp\\nsecret", message="")), seconds."""
    timestamp = body["timestamp"]
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    fresh = abs(time.time() - int(timestamp)) < 3600
    return fresh and hmac.compare_digest(base64.b64encode(digest).decode(), body["sign"])


class Chats:
    """/wecom, /dingtalk, /feishu: each keeps what it accepted; `refuse` answers the next ones
    with the service's refusal (HTTP 200, an error code)."""

    def __init__(self) -> None:
        self.accepted: dict[str, list[dict]] = {"wecom": [], "dingtalk": [], "feishu": []}
        self.refuse = 0
        chats = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                body = json.loads(raw)
                kind = urlsplit(self.path).path.strip("/")
                if kind == "dingtalk":
                    good = dingtalk_ok(self.path, DING_SECRET) and body["msgtype"] == "markdown"
                    answer = {
                        "errcode": 0 if good else 310000,
                        "errmsg": "ok" if good else "sign not match",
                    }
                elif kind == "feishu":
                    good = feishu_ok(body, FEISHU_SECRET) and body["msg_type"] == "post"
                    answer = {
                        "code": 0 if good else 19021,
                        "msg": "success" if good else "sign match fail",
                    }
                else:
                    good = body["msgtype"] == "markdown" and "key=" in self.path
                    answer = {
                        "errcode": 0 if good else 93000,
                        "errmsg": "ok" if good else "invalid",
                    }
                if chats.refuse and good:
                    chats.refuse -= 1
                    good = False
                    answer = {"errcode": 45009, "errmsg": "api freq out of limit"}
                if good:
                    chats.accepted[kind].append(body)
                out = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chats(settings) -> Iterator[Chats]:
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": True}
    settings.HUOBAN_BASE_URL = "https://prm.example.cn"
    c = Chats()
    yield c
    c.stop()


def three_robots(actors, chats: Chats, events: list[str]) -> None:
    for kind, url, secret in (
        ("wecom", f"{chats.base}/wecom?key=693a91f6-7xxx", ""),
        ("dingtalk", f"{chats.base}/dingtalk?access_token=abc", DING_SECRET),
        ("feishu", f"{chats.base}/feishu", FEISHU_SECRET),
    ):
        robots.register_robot(
            name=f"{kind} 线索提醒", team="华东销售", kind=kind, url=url, secret=secret,
            events=events, actor=actors.admin,
        )  # fmt: skip


def test_a_new_lead_reaches_the_three_team_chats_signed(actors, chats):
    three_robots(actors, chats, ["lead.submitted"])
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
    fanned()
    assert Delivery.objects.filter(channel="robot").count() == 3
    with clock.frozen(T0 + dt.timedelta(seconds=1)):
        assert outbox.deliver_due() == (3, 0)
    link = f"https://prm.example.cn/console/leads/{lead.pk}/"
    [wecom] = chats.accepted["wecom"]
    assert wecom["markdown"]["content"].startswith(
        f"**新线索 #{lead.pk} 东义集团（阿尔法咨询有限公司"
    )
    assert f"[前往处理]({link})" in wecom["markdown"]["content"]
    [ding] = chats.accepted["dingtalk"]
    assert ding["markdown"]["title"].startswith(f"新线索 #{lead.pk} 东义集团")
    assert link in ding["markdown"]["text"]
    [feishu] = chats.accepted["feishu"]
    post = feishu["content"]["post"]["zh_cn"]
    assert post["title"].startswith(f"新线索 #{lead.pk} 东义集团")
    assert {"tag": "a", "text": "前往处理", "href": link} in post["content"][-1]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_wrong_secret_is_a_refusal_retried_then_failed(actors, chats):
    robots.register_robot(
        name="钉钉", team="华东销售", kind="dingtalk",
        url=f"{chats.base}/dingtalk?access_token=abc", secret="SECwrong",
        events=["lead.submitted"], actor=actors.admin,
    )  # fmt: skip
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")
    now = T0
    for wait in (0, 60, 300, 1800, 7200, 43200):
        now += dt.timedelta(seconds=wait)
        with clock.frozen(now):
            assert outbox.deliver_due() == (0, 1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 6, 200)
    assert "sign not match" in delivery.tries.first().excerpt
    assert chats.accepted["dingtalk"] == []


def test_a_rate_limited_message_is_sent_on_the_next_try_and_only_once(actors, chats):
    three_robots(actors, chats, ["lead.submitted"])
    chats.refuse = 3
    with clock.frozen(T0):
        submit(actors.alice, "东义集团")
        assert outbox.deliver_due() == (0, 3)
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert outbox.deliver_due() == (3, 0)
    with clock.frozen(T0 + dt.timedelta(days=1)):
        assert outbox.deliver_due() == (0, 0)
    assert [len(v) for v in chats.accepted.values()] == [1, 1, 1]


def test_a_chat_down_does_not_stop_the_lead(actors, chats):
    three_robots(actors, chats, ["lead.submitted"])
    chats.stop()
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
        assert lead.pk is not None
        assert outbox.deliver_due() == (0, 3)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}


def test_a_robot_hears_only_its_events_and_never_a_portal_link(actors, chats):
    three_robots(actors, chats, ["lead.verdict"])
    lead = submit(actors.alice, "东义集团")
    fanned()
    assert not Delivery.objects.exists()  # lead.submitted was not chosen
    judge(actors.officer, lead)
    outbox.deliver_due()
    [wecom] = chats.accepted["wecom"]
    # the verdict's page is the partner's portal, which the team cannot open
    assert "前往处理" not in wecom["markdown"]["content"]
    assert "/portal/" not in json.dumps(chats.accepted, ensure_ascii=False)


def test_a_robot_switched_off_receives_nothing(actors, chats):
    three_robots(actors, chats, ["lead.submitted"])
    for robot in Robot.objects.all():
        robots.set_robot_active(robot.pk, False, actor=actors.admin)
    submit(actors.alice, "东义集团")
    fanned()
    assert not Delivery.objects.exists()
    assert AuditEvent.objects.filter(action="robot.switch").count() == 3


def test_only_an_admin_registers_and_bad_input_changes_nothing(actors, chats, settings):
    good = {
        "name": "钉钉", "team": "华东销售", "kind": "dingtalk",
        "url": f"{chats.base}/dingtalk?access_token=abc", "secret": DING_SECRET,
        "events": ["lead.submitted"],
    }  # fmt: skip
    with pytest.raises(Forbidden):
        robots.register_robot(**good, actor=actors.officer)
    with pytest.raises(ValidationFailed) as bad:
        robots.register_robot(
            name=" ", team="", kind="slack", url="ftp://x", secret="", events=["x.y"],
            actor=actors.admin,
        )  # fmt: skip
    assert set(bad.value.errors) == {"name", "team", "kind", "url", "events"}
    with pytest.raises(ValidationFailed) as unsigned:
        robots.register_robot(**(good | {"secret": ""}), actor=actors.admin)
    assert set(unsigned.value.errors) == {"secret"}
    settings.HUOBAN = {**settings.HUOBAN, "WEBHOOK_ALLOW_PRIVATE": False}
    with pytest.raises(ValidationFailed) as private:
        robots.register_robot(**good, actor=actors.admin)
    assert set(private.value.errors) == {"url"}
    assert not Robot.objects.exists()
    assert not AuditEvent.objects.filter(action="robot.register").exists()


def test_the_signatures_match_the_published_examples():
    # DingTalk: the same secret and timestamp give what its documented Python sample gives.
    ts = 1700000000000
    expected = base64.b64encode(
        hmac.new(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert unquote_plus(robots.dingtalk_sign(DING_SECRET, ts)) == expected
    assert "%2B" in robots.dingtalk_sign(DING_SECRET, ts) or "+" not in expected
    # Feishu: the key is "timestamp\nsecret", the message empty.
    feishu = base64.b64encode(
        hmac.new(f"1700000000\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert robots.feishu_sign(FEISHU_SECRET, 1700000000) == feishu
