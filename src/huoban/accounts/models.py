"""Users with one role each (SPEC §1) and revocable API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    OFFICER = "officer", _("伙伴关系官")
    PRESALES = "presales", _("售前")
    PM = "pm", _("项目经理")
    FINANCE = "finance", _("财务")
    GM = "gm", _("总经理")  # SPEC §10: approves new partners, agreements, large credit limits
    LEGAL = "legal", _("法务")  # SPEC §10: reviews agreements, handles data-breach cases
    PARTNER = "partner", _("合作伙伴")


STAFF_ROLES = frozenset(r for r in Role if r != Role.PARTNER)


class User(AbstractUser):
    """A person who signs in: a staff member with one role, or a user of one partner (伙伴用户)."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("所属伙伴"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    # Set when someone else chose the password (an admin's reset): the user must choose a new
    # one before any other page opens (huoban.accounts.middleware.PasswordChangeMiddleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # A partner's own administrator (伙伴管理员): manages its organisation's users in the portal.
    partner_admin = models.BooleanField(_("伙伴管理员"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # A partner user belongs to exactly one partner; staff belong to none.
            models.CheckConstraint(
                condition=(Q(role="partner") & Q(partner__isnull=False))
                | (~Q(role="partner") & Q(partner__isnull=True)),
                name="%(app_label)s_%(class)s_partner_iff_partner_role",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_partner_user(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_staff_user(self) -> bool:
        return self.role in STAFF_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.role in roles or self.role == Role.ADMIN)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the HTTP API; only its SHA-256 is stored, so a leaked table is useless."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @staticmethod
    def new_raw() -> str:
        return "hb_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """One failed sign-in (login page, admin login or ``POST /api/v1/auth/token``).

    Kept in the database, not in a process's memory, so every gunicorn worker counts the same
    attempts. Rows older than the counting window are deleted as new failures arrive.
    """

    username = models.CharField(_("用户名"), max_length=150)  # as typed, case-folded
    ip = models.CharField(_("IP 地址"), max_length=45)
    at = models.DateTimeField(_("时间"))
    # A later successful sign-in of the username clears its counter, not the address's.
    cleared = models.BooleanField(_("已清除"), default=False)

    class Meta:
        verbose_name = _("登录失败")
        verbose_name_plural = _("登录失败")
        indexes = [
            models.Index(fields=["username", "at"], name="accounts_loginfail_user_at"),
            models.Index(fields=["ip", "at"], name="accounts_loginfail_ip_at"),
            models.Index(fields=["at"], name="accounts_loginfail_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M}"


class LockScope(models.TextChoices):
    USERNAME = "username", _("用户名")  # before issue #10: a username from every address
    PAIR = "pair", _("用户名+地址")
    IP = "ip", _("IP 地址")


class LoginLockout(models.Model):
    """A username or an address refused sign-in until ``until`` (too many failures)."""

    scope = models.CharField(_("范围"), max_length=16, choices=LockScope.choices)
    key = models.CharField(_("用户名或地址"), max_length=150)
    since = models.DateTimeField(_("锁定时间"))
    until = models.DateTimeField(_("解锁时间"))

    class Meta:
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")
        indexes = [models.Index(fields=["scope", "key", "until"], name="accounts_lockout_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} → {self.until:%Y-%m-%d %H:%M}"


class RateCount(models.Model):
    """Requests one caller made in one fixed window (e.g. a partner's name checks per minute)."""

    key = models.CharField(max_length=100)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="accounts_ratecount_key_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window:%H:%M} ×{self.count}"


class LinkPurpose(models.TextChoices):
    INVITE = "invite", _("邀请")
    RESET = "reset", _("重置密码")


class PasswordLink(models.Model):
    """A one-time, time-limited link to choose a password: an invitation for a new user, or a
    reset for a forgotten password (issued by an officer or admin until e-mail exists).

    Only the SHA-256 of the link's secret is kept; it works once, until ``expires_at``, and
    issuing a new link for the same user retires the older ones.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_links")
    purpose = models.CharField(_("用途"), max_length=16, choices=LinkPurpose.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"))
    created_by = models.ForeignKey(
        User,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("设置密码链接")
        verbose_name_plural = _("设置密码链接")

    def __str__(self) -> str:
        return f"{self.user} {self.purpose} → {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)


class UserSession(models.Model):
    """One signed-in browser session of a user, so the user can see where it is signed in and
    end a session (a lost phone, a shared computer). Django's session row holds the data; this
    row only names it. Written at sign-in, removed at sign-out or when ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"))
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M} {self.ip}"
