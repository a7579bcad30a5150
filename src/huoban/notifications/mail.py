"""The e-mail channel (R-NOTE-2): one message per event and person, Chinese subject, plain text
and HTML, through Django's SMTP backend configured from the environment (``HUOBAN_EMAIL_*``).

The message is rendered when the event happens and kept in the outbox row, so a retry sends the
same words; its ``Message-ID`` is made of the event id and the person, so a mail system that
receives it twice (a worker died between the send and the mark) can tell.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from huoban.accounts.models import User

from .models import Channel, Delivery
from .transport import EXCERPT, Answer

if TYPE_CHECKING:
    from .services import Message

ACCEPTED = 250  # the SMTP server's "requested mail action okay": the attempt log's status


def enabled() -> bool:
    return bool(settings.HUOBAN["EMAIL_ENABLED"])


def render(message: Message, user: User) -> dict[str, str]:
    """The e-mail `user` receives for `message`: address, subject, text and HTML."""
    context = {
        "message": message,
        "name": str(user),
        "url": f"{settings.HUOBAN_BASE_URL}{message.link}" if message.link else "",
        "settings_url": f"{settings.HUOBAN_BASE_URL}{reverse('notification_settings')}",
    }
    return {
        "to": user.email,
        "subject": f"【伙伴】{message.title}",
        "text": render_to_string("notifications/email/message.txt", context),
        "html": render_to_string("notifications/email/message.html", context),
    }


def enqueue(
    message: Message, users: Iterable[User], event_id: uuid.UUID, created_at: dt.datetime
) -> int:
    """One e-mail per user with an address, in the caller's transaction; none when e-mail is
    not configured."""
    if not enabled():
        return 0
    rows = [
        Delivery(
            channel=Channel.EMAIL,
            recipient=user,
            event=message.event,
            event_id=event_id,
            body=json.dumps(render(message, user), ensure_ascii=False),
            next_attempt_at=created_at,
            created_at=created_at,
        )
        for user in users
        if user.email
    ]
    Delivery.objects.bulk_create(rows)
    return len(rows)


def send(delivery: Delivery) -> Answer:
    """Hand one e-mail to the SMTP server: 250 when it accepted it, else its reply code (or
    None when it could not be reached) and its words."""
    mail = json.loads(delivery.body)
    email = EmailMultiAlternatives(
        subject=mail["subject"],
        body=mail["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail["to"]],
        headers={
            "Message-ID": f"<{delivery.event_id}.{delivery.recipient_id}@huoban>",
            "X-Huoban-Event": delivery.event,
            "X-Huoban-Delivery": str(delivery.event_id),
        },
    )
    email.attach_alternative(mail["html"], "text/html")
    try:
        email.send()
    except smtplib.SMTPResponseException as e:
        return Answer(e.smtp_code, f"{e.smtp_code} {e.smtp_error!r}"[:EXCERPT])
    except smtplib.SMTPRecipientsRefused as e:
        code = next(iter(e.recipients.values()))[0] if e.recipients else None
        return Answer(code, f"SMTPRecipientsRefused: {e.recipients!r}"[:EXCERPT])
    except (smtplib.SMTPException, OSError) as e:
        return Answer(None, f"{type(e).__name__}: {e}"[:EXCERPT])
    return Answer(ACCEPTED, f"{ACCEPTED} accepted for {mail['to']}")
