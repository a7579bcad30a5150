"""In-app notifications (R-NOTE-1, R-NOTE-2): one row per event and recipient."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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
        db_index=False,  # the inbox index starts with it
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


class Webhook(models.Model):
    """An outgoing webhook (R-HOOK-1): a URL, the events it receives, and the secret that signs
    each delivery (kept: the worker signs with it; shown to the admin once)."""

    url = models.URLField(_("地址"), max_length=500)
    events = models.JSONField(_("事件"), default=list)
    secret = models.CharField(_("密钥"), max_length=64)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhook")

    def __str__(self) -> str:
        return self.url


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")
    FEISHU = "feishu", _("飞书")


class Robot(models.Model):
    """A group robot of one team's chat (R-NOTE-2): WeCom, DingTalk (signed URL) or Feishu
    (signature); it receives the events an admin chose for it."""

    name = models.CharField(_("名称"), max_length=100)
    team = models.CharField(_("团队"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=RobotKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    # DingTalk's 加签 secret (SEC…) or Feishu's 签名校验 secret; WeCom has none.
    secret = models.CharField(_("签名密钥"), max_length=200, blank=True)
    events = models.JSONField(_("事件"), default=list)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self) -> str:
        return f"{self.team} · {self.name}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("失败")


class Channel(models.TextChoices):
    """The outgoing channels of R-NOTE-2 and R-HOOK-1 (in-app rows are written directly)."""

    WEBHOOK = "webhook", _("Webhook")
    EMAIL = "email", _("电子邮件")
    ROBOT = "robot", _("群机器人")


class Delivery(models.Model):
    """One event for one receiver — a webhook, one person's e-mail, a group robot —: the outbox row
    (R-NOTE-3). Written in the business action's transaction; sent after commit by ``huoban
    worker``; its body is fixed when written, so every retry sends the same message with the same
    delivery id (the event's id)."""

    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.WEBHOOK
    )
    # Each receiver's unique constraint below starts with its column and serves as its index:
    # fewer indexes to write in the business action's transaction.
    webhook = models.ForeignKey(
        Webhook,
        verbose_name=_("Webhook"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    robot = models.ForeignKey(
        Robot,
        verbose_name=_("群机器人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    event = models.CharField(_("事件"), max_length=40)
    event_id = models.UUIDField(_("事件编号"))
    body = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    last_status_code = models.PositiveSmallIntegerField(_("最近状态码"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"))
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_id"], name="notifications_delivery_once"
            ),
            models.UniqueConstraint(
                fields=["recipient", "channel", "event_id"],
                name="notifications_delivery_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["robot", "event_id"], name="notifications_delivery_once_per_robot"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notifications_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} {self.event_id} → {self.target}: {self.status}"

    @property
    def target(self) -> str:
        """Where it goes, as an admin reads it: the webhook's URL or the person's address."""
        if self.webhook_id is not None:
            return self.webhook.url if self.webhook else ""
        if self.recipient_id is not None and self.recipient:
            return f"{self.recipient} <{self.recipient.email}>"
        if self.robot_id is not None and self.robot:
            return f"{self.robot.get_kind_display()} · {self.robot}"
        return ""


class DeliveryAttempt(models.Model):
    """One try of a delivery: when, the answer's status and the start of its body (R-HOOK-1)."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("投递"), on_delete=models.CASCADE, related_name="tries"
    )
    at = models.DateTimeField(_("时间"))
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    ok = models.BooleanField(_("成功"))
    excerpt = models.CharField(_("应答摘要"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("投递尝试")
        verbose_name_plural = _("投递尝试")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status_code}"


class PersonalChannel(models.TextChoices):
    """The channels a person chooses per event (R-NOTE-2); robots and webhooks are the team's."""

    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("邮件")


class OptOut(models.Model):
    """A person does not want `event` on `channel` (R-NOTE-2). Everything is wanted unless a row
    says otherwise, so a new event reaches people before anyone has chosen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    event = models.CharField(_("事件"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=10, choices=PersonalChannel.choices)

    class Meta:
        verbose_name = _("不接收的通知")
        verbose_name_plural = _("不接收的通知")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notifications_opt_out_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✗ {self.event} {self.channel}"


class Reminder(models.Model):
    """That a time-based event (R-NOTE-1: ``lead.sla_due``, the reminders of §10) was raised for
    one thing: ``huoban tick`` may run every hour, and each reminder is sent once."""

    event = models.CharField(_("事件"), max_length=40)
    # What it is about and for which deadline, e.g. "lead:12:2026-11-21T02:00:00+00:00": a moved
    # deadline is a new reminder.
    key = models.CharField(_("对象"), max_length=120)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="notifications_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.key}"


class OutboxEvent(models.Model):
    """One event as the business action raised it: the only row telling people adds to the
    action's transaction (R-NOTE-3). ``huoban worker`` fans it out after commit into the in-app
    notifications and every channel's deliveries (:func:`huoban.notifications.outbox.fan_out`)."""

    event = models.CharField(_("事件"), max_length=40)
    event_id = models.UUIDField(_("事件编号"), unique=True)
    created_at = models.DateTimeField(_("时间"))
    # title, title_en, body, body_en, link and data, as the action wrote them.
    message = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    # The users it concerns, computed when it happened (R-VIS); the actor is never among them.
    recipients = models.JSONField(_("接收人"), default=list)
    fanned_out_at = models.DateTimeField(_("分发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待分发事件")
        verbose_name_plural = _("待分发事件")
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(fanned_out_at__isnull=True),
                name="notifications_event_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
