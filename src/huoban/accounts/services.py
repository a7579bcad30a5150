"""Account operations: create users, issue and revoke API tokens."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from huoban import clock
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed

from .models import ApiToken, LinkPurpose, PasswordLink, Role, User, hash_token
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
    return new_user(
        username,
        role,
        password=password,
        partner=partner,
        display_name=display_name,
        email=email,
        actor=actor,
    )


def new_user(
    username: str,
    role: str,
    *,
    password: str | None,
    partner: Partner | None = None,
    display_name: str = "",
    email: str = "",
    must_change_password: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user in the caller's transaction (the building block of :func:`create_user`
    and of the invitations). ``password=None`` makes an account that cannot sign in until its
    user chooses a password through a link."""
    errors: dict[str, str] = {}
    username = username.strip()
    if role not in Role.values:
        errors["role"] = f"未知角色 / unknown role: {role}"
    if not username or len(username) > 150:
        errors["username"] = "用户名必填且不超过150字符 / username is required (≤150 characters)"
    elif not USERNAME.fullmatch(username):
        errors["username"] = (
            "用户名只能包含字母、数字和 @ . + - _ / "
            "a username has only letters, digits and @ . + - _"
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = "用户名已存在 / username already taken"
    if password is not None and (message := password_problem(password)):
        errors["password"] = message
    if role == Role.PARTNER:
        if partner is None:
            errors["partner"] = "伙伴用户必须指定伙伴 / a partner user needs --partner CODE"
    elif partner is not None:
        errors["partner"] = "员工账号不属于伙伴 / staff users belong to no partner"
    if email and not EMAIL.fullmatch(email):
        errors["email"] = "邮箱格式不正确 / not an e-mail address"
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=username,
        role=role,
        partner=partner,
        display_name=display_name.strip(),
        email=email.strip(),
        is_staff=role != Role.PARTNER,  # every staff role reads the admin back office
        is_superuser=role == Role.ADMIN,
        must_change_password=must_change_password,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    record(
        actor,
        "user.create",
        user,
        after={"username": username, "role": role, "partner": partner.code if partner else None},
    )
    return user


USERNAME = re.compile(r"[\w.@+-]+")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD = 8


def password_problem(password: str) -> str | None:
    """Why a new password is refused (bilingual), or None."""
    if len(password) < MIN_PASSWORD:
        return "密码至少8位 / password must be at least 8 characters"
    if password.isdigit():
        return "密码不能全是数字 / a password may not be digits only"
    return None


# --- password links: invitations and resets --------------------------------------------------

#: How long a link stays usable: an invitation a week, a reset a day.
LINK_LIFETIME = {
    LinkPurpose.INVITE: dt.timedelta(days=7),
    LinkPurpose.RESET: dt.timedelta(hours=24),
}


def new_password_link(user: User, purpose: str, *, actor: User | None) -> tuple[PasswordLink, str]:
    """Issue a one-time link for ``user`` in the caller's transaction: the link and its raw
    secret, returned once (only its hash is kept). Older unused links of the user stop
    working."""
    if not user.is_active:
        raise Conflict("账号已停用，不能签发链接 / the account is disabled: no link can be issued")
    now = clock.now()
    PasswordLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    raw = PasswordLink.new_raw()
    link = PasswordLink.objects.create(
        user=user,
        purpose=purpose,
        key_hash=hash_token(raw),
        created_at=now,
        created_by=actor,
        expires_at=now + LINK_LIFETIME[LinkPurpose(purpose)],
    )
    after = {"username": user.username, "expires_at": link.expires_at.isoformat()}
    if purpose == LinkPurpose.INVITE:
        record(actor, "user.invite_link", user, after=after)
    else:
        record(actor, "user.reset_link", user, after=after)
    return link, raw


def usable_link(raw: str) -> PasswordLink | None:
    """The link a raw secret names, if it is unused, unexpired and its user active."""
    link = (
        PasswordLink.objects.select_related("user")
        .filter(key_hash=hash_token(raw), used_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )
    if link is None or not link.user.is_active:
        return None
    return link


@transaction.atomic(durable=True)
def set_password_by_link(raw: str, password: str) -> User:
    """Choose a password through an invitation or reset link; the link is spent."""
    link = usable_link(raw)
    if link is None:
        raise NotFound("链接无效或已过期 / the link is invalid or has expired")
    # Two tabs sending the same link: the second finds it spent.
    if (
        PasswordLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=clock.now())
        == 0
    ):
        raise NotFound("链接无效或已过期 / the link is invalid or has expired")
    if message := password_problem(password):
        raise ValidationFailed({"password": message})
    user = link.user
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(user, "user.password_set", user, after={"via": link.purpose})
    return user


@transaction.atomic(durable=True)
def change_password(user: User, *, old_password: str, new_password: str, actor: User) -> User:
    """A signed-in user changes its own password (the old one is asked for again)."""
    if actor.pk != user.pk:
        raise Forbidden("只能修改自己的密码 / you may change only your own password")
    errors: dict[str, str] = {}
    if not user.check_password(old_password):
        errors["old_password"] = "当前密码不正确 / the current password is wrong"
    if message := password_problem(new_password):
        errors["new_password"] = message
    elif new_password == old_password:
        errors["new_password"] = "新密码不能与当前密码相同 / choose a password you do not use now"
    if errors:
        raise ValidationFailed(errors)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor, "user.password_change", user, after={"username": user.username})
    return user


def set_active(user: User, active: bool, *, actor: User) -> User:
    """Disable or re-enable an account in the caller's transaction; a disabled user cannot sign
    in, its sessions and tokens stop working at their next request, its links are void."""
    if actor.pk == user.pk and not active:
        raise Conflict("不能停用自己的账号 / you cannot disable your own account")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    before, after = {"is_active": not active}, {"is_active": active}
    if active:
        record(actor, "user.enable", user, before=before, after=after)
    else:
        record(actor, "user.disable", user, before=before, after=after)
    return user


@transaction.atomic(durable=True)
def issue_token(user: User, name: str = "", *, actor: User | None = None) -> str:
    """Issue a new API token; the raw value is returned once and only its hash is kept.

    Refused (403) for a user of a partner whose data exchange is stopped (R-CRIS-3)."""
    if _data_blocked(user):
        raise Forbidden(
            "伙伴的数据交换已暂停（数据泄露事件处理中），不能签发 API 令牌 / Data exchange with "
            "this partner is stopped while a data-breach case is open: no API token (R-CRIS-3)."
        )
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
    if user.must_change_password:
        raise Forbidden(
            "请先在网页上修改管理员设置的密码 / change the password an admin set (on the web) first"
        )
    return issue_token(user, "api-login")


def token_lifetime() -> dt.timedelta | None:
    """How long an API token is valid after it was issued (None: for ever)."""
    days = int(settings.HUOBAN["API_TOKEN_DAYS"])
    return dt.timedelta(days=days) if days > 0 else None


def token_expires_at(token: ApiToken) -> dt.datetime | None:
    lifetime = token_lifetime()
    return token.created_at + lifetime if lifetime is not None else None


def _data_blocked(user: User) -> bool:
    """R-CRIS-3, read through the relation (accounts sits below the partner registry) and from
    the database, not from a partner object loaded before the case was recorded."""
    return (
        user.partner_id is not None
        and User.objects.filter(pk=user.pk, partner__data_blocked_since__isnull=False).exists()
    )


def user_for_token(raw: str) -> User | None:
    """The active user of an unrevoked, unexpired token, else None (the API answers 401)."""
    token = (
        ApiToken.objects.select_related("user", "user__partner")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    partner = token.user.partner  # loaded with the token, just now
    if partner is not None and partner.data_blocked_since is not None:  # R-CRIS-3
        return None
    expires_at = token_expires_at(token)
    if expires_at is not None and clock.now() >= expires_at:
        return None
    return token.user
