"""Account operations: create users, issue and revoke API tokens."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from huoban import clock
from huoban.audit.services import record
from huoban.errors import ValidationFailed

from .models import ApiToken, Role, User, hash_token
from .throttle import authenticate_throttled

if TYPE_CHECKING:  # the registry sits above accounts: no import at run time
    from huoban.partners.models import Partner


@transaction.atomic(durable=True)
def create_user(
    username: str,
    password: str,
    role: str,
    *,
    partner: Partner | None = None,
    display_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    """Create a staff or partner user with an Argon2-hashed password (SPEC §1); a partner user
    belongs to ``partner`` (the caller has looked it up: accounts sit below the registry)."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = f"未知角色 / unknown role: {role}"
    if not username or len(username) > 150:
        errors["username"] = "用户名必填且不超过150字符 / username is required (≤150 characters)"
    elif User.objects.filter(username=username).exists():
        errors["username"] = "用户名已存在 / username already taken"
    if len(password) < 8:
        errors["password"] = "密码至少8位 / password must be at least 8 characters"
    if role == Role.PARTNER:
        if partner is None:
            errors["partner"] = "伙伴用户必须指定伙伴 / a partner user needs --partner CODE"
    elif partner is not None:
        errors["partner"] = "员工账号不属于伙伴 / staff users belong to no partner"
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=username,
        role=role,
        partner=partner,
        display_name=display_name,
        email=email,
        is_staff=role != Role.PARTNER,  # every staff role reads the admin back office
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    record(
        actor,
        "user.create",
        user,
        after={"username": username, "role": role, "partner": partner.code if partner else None},
    )
    return user


@transaction.atomic(durable=True)
def issue_token(user: User, name: str = "", *, actor: User | None = None) -> str:
    """Issue a new API token; the raw value is returned once and only its hash is kept."""
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[3:9], key_hash=hash_token(raw), created_at=clock.now()
    )
    record(
        actor or user, "token.issue", token, after={"user": user.username, "prefix": token.prefix}
    )
    return raw


@transaction.atomic(durable=True)
def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Revoke an API token at once."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "token.revoke", token, after={"prefix": token.prefix})


def login_for_token(username: str, password: str, request: HttpRequest | None = None) -> str | None:
    """Exchange a username and password for a new token (POST /api/v1/auth/token).

    Throttled like the login page (huoban.accounts.throttle): raises ``LoginRefused`` (429)
    while the username or the caller's address is locked; None for wrong credentials."""
    user = authenticate_throttled(request, username, password)
    if user is None:
        return None
    return issue_token(user, "api-login")


def token_lifetime() -> dt.timedelta | None:
    """How long an API token is valid after it was issued (None: for ever)."""
    days = int(settings.HUOBAN["API_TOKEN_DAYS"])
    return dt.timedelta(days=days) if days > 0 else None


def token_expires_at(token: ApiToken) -> dt.datetime | None:
    lifetime = token_lifetime()
    return token.created_at + lifetime if lifetime is not None else None


def user_for_token(raw: str) -> User | None:
    """The active user of an unrevoked, unexpired token, else None (the API answers 401)."""
    token = (
        ApiToken.objects.select_related("user", "user__partner")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    expires_at = token_expires_at(token)
    if expires_at is not None and clock.now() >= expires_at:
        return None
    return token.user
