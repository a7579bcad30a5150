"""The e-mail channel against a real SMTP server started by the test (aiosmtpd on 127.0.0.1):
R-NOTE-2 (Chinese subject, plain text and HTML) and R-NOTE-3 (outbox, retries, one message per
event and person)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from huoban import clock
from huoban.accounts.models import User
from huoban.notifications import outbox
from huoban.notifications.models import Delivery, Notification
from tests.leads.helpers import judge, submit
from tests.notifications.helpers import fanned

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """An SMTP server that keeps what it accepts: (envelope recipients, parsed message)."""

    def __init__(self, port: int) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.port = port
        self.controller: Controller | None = None

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = box.port
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "伙伴 Huoban <noreply@example.com>"
    settings.HUOBAN = {**settings.HUOBAN, "EMAIL_ENABLED": True}
    settings.HUOBAN_BASE_URL = "https://prm.example.cn"
    box.start()
    yield box
    box.stop()


def with_address(user: User, address: str) -> User:
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_officers_receive_a_new_lead_by_email_in_chinese_with_text_and_html(actors, mailbox):
    with_address(actors.officer, "olivia@example.com")
    with_address(actors.officer2, "")  # no address: told in the app only
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
    fanned()
    [delivery] = Delivery.objects.filter(channel="email")
    assert delivery.recipient == actors.officer and delivery.status == "pending"
    with clock.frozen(T0 + dt.timedelta(seconds=1)):
        assert outbox.deliver_due() == (1, 0)
    [(to, message)] = mailbox.received
    assert to == ["olivia@example.com"]
    assert (
        str(message["Subject"])
        .strip()
        .startswith(f"【伙伴】新线索 #{lead.pk} 东义集团（阿尔法咨询有限公司 ")
    )
    assert message["Message-ID"] == f"<{delivery.event_id}.{actors.officer.pk}@huoban>"
    assert message["X-Huoban-Event"] == "lead.submitted"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://prm.example.cn/console/leads/{lead.pk}/"
    assert "olivia，您好" in text and link in text and f"New lead #{lead.pk} 东义集团" in text
    assert f'href="{link}"' in html and "东义集团" in html
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("sent", 250)


def test_the_email_goes_to_the_same_people_as_the_app_and_no_one_else(actors, mailbox):
    for user in (actors.alice, actors.bob, actors.officer, actors.officer2, actors.admin):
        with_address(user, f"{user.username}@example.com")
    lead = submit(actors.alice, "东义集团")
    judge(actors.officer, lead)
    fanned()
    mailed = {d.recipient.username for d in Delivery.objects.filter(event="lead.verdict")}
    in_app = set(
        Notification.objects.filter(event="lead.verdict").values_list(
            "recipient__username", flat=True
        )
    )
    assert mailed == in_app == {"alice"}  # never bob: another partner's customer (R-VIS)


def test_a_lead_is_registered_while_the_mail_server_is_down_and_mailed_when_it_is_back(
    actors, mailbox
):
    with_address(actors.officer, "olivia@example.com")
    mailbox.stop()
    with clock.frozen(T0):
        lead = submit(actors.alice, "东义集团")
        assert lead.pk is not None
        assert outbox.deliver_due() == (0, 1)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert delivery.next_attempt_at == T0 + dt.timedelta(minutes=1)
    assert "ConnectionRefusedError" in delivery.tries.get().excerpt
    mailbox.start()
    with clock.frozen(T0 + dt.timedelta(minutes=1)):
        assert outbox.deliver_due() == (1, 0)
    assert len(mailbox.received) == 1
    with clock.frozen(T0 + dt.timedelta(days=1)):
        assert outbox.deliver_due() == (0, 0)  # sent once, never again


def test_no_email_is_queued_when_no_mail_server_is_configured(actors, settings):
    settings.HUOBAN = {**settings.HUOBAN, "EMAIL_ENABLED": False}
    with_address(actors.officer, "olivia@example.com")
    submit(actors.alice, "东义集团")
    fanned()
    assert not Delivery.objects.exists()
    assert Notification.objects.filter(recipient=actors.officer).exists()
