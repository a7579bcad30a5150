"""In-app notifications (R-NOTE-1, R-NOTE-2): one row per event and recipient."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """What one person was told of one event, in Chinese and English, with the page to act on.

    Written in the business action's own transaction (D-NOTE-1); unique per event and recipient,
    so an event is never told twice to the same person (R-NOTE-3)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("事件"), max_length=40)
    # The event's id, shared by all its recipients and every channel (X-Huoban-Delivery).
    event_id = models.UUIDField(_("事件编号"), default=uuid.uuid4)
    created_at = models.DateTimeField(_("时间"))
    title = models.CharField(_("标题"), max_length=200)
    title_en = models.CharField(_("英文标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    body_en = models.TextField(_("英文内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "recipient"], name="notifications_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notifications_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}: {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the page's language."""
        return self.title_en if (get_language() or "").startswith("en") else self.title

    @property
    def shown_body(self) -> str:
        return self.body_en if (get_language() or "").startswith("en") else self.body
