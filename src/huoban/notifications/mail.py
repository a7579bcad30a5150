"""The e-mail channel (R-NOTE-2): one message per event and person, Chinese subject, plain text
and HTML, through Django's SMTP backend configured from the environment (``HUOBAN_EMAIL_*``).

The words are fixed when the event happens and kept in the outbox row, so a retry sends the same
words; the worker renders them into the templates (off the business action's path: rendering two
templates per recipient inside the transaction cost lead registration milliseconds). Its
``Message-ID`` is made of the event id and the person, so a mail system that receives it twice
(a worker died between the send and the mark) can tell.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import uuid
from collections.abc import Iterable, Mapping
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


def words(message: Message) -> dict[str, str]:
    """What every recipient's e-mail says, kept in the outbox row when the event happens."""
    return {
        "title": message.title,
        "title_en": message.title_en,
        "body": message.body,
        "body_en": message.body_en,
        "link": message.link,
    }


def render(said: Mapping[str, str], user: User) -> dict[str, str]:
    """The e-mail `user` receives: subject, text and HTML (rendered by the worker, off the
    business action's path)."""
    context = {
        "message": said,
        "name": str(user),
        "url": f"{settings.HUOBAN_BASE_URL}{said['link']}" if said["link"] else "",
        "settings_url": f"{settings.HUOBAN_BASE_URL}{reverse('notification_settings')}",
    }
    return {
        "subject": f"【伙伴】{said['title']}",
        "text": render_to_string("notifications/email/message.txt", context),
        "html": render_to_string("notifications/email/message.html", context),
    }


def deliveries(
    message: Message, users: Iterable[User], event_id: uuid.UUID, created_at: dt.datetime
) -> list[Delivery]:
    """One e-mail per user with an address (unsaved: the caller writes every channel's rows in
    one statement); none when e-mail is not configured."""
    if not enabled():
        return []
    body = ""
    rows = []
    for user in users:
        if user.email:
            body = body or json.dumps(words(message), ensure_ascii=False)
            rows.append(
                Delivery(
                    channel=Channel.EMAIL,
                    recipient=user,
                    event=message.event,
                    event_id=event_id,
                    body=body,
                    next_attempt_at=created_at,
                    created_at=created_at,
                )
            )
    return rows


def send(delivery: Delivery) -> Answer:
    """Hand one e-mail to the SMTP server: 250 when it accepted it, else its reply code (or
    None when it could not be reached) and its words."""
    assert delivery.recipient is not None
    to = delivery.recipient.email
    if not to:
        return Answer(None, "收件人没有邮箱地址 / The recipient has no e-mail address.", False)
    mail = render(json.loads(delivery.body), delivery.recipient)
    email = EmailMultiAlternatives(
        subject=mail["subject"],
        body=mail["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
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
    return Answer(ACCEPTED, f"{ACCEPTED} accepted for {to}")
