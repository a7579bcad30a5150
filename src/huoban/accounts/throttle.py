"""Login throttling and simple per-caller rate limits, counted in the database.

Every gunicorn worker sees the same rows, so the limits hold across processes and hosts. The
time comes from :func:`huoban.clock.now`, so tests move it.

Sign-in (login page, admin login, ``POST /api/v1/auth/token``): after
``LOGIN_FAILURES_PER_USERNAME`` failures for one username *from one address* within
``LOGIN_WINDOW_MINUTES``, that username is locked for that address only — 1 minute the first
time; within a day of a lockout, each further failure of the pair locks it again for twice as
long, at most ``LOGIN_LOCKOUT_MINUTES`` (a progressive delay). Someone guessing a user's
password from their own machine therefore cannot lock the user out of theirs (issue #10
finding 15: five wrong passwords used to lock any account, the admin's included, from
everywhere, again and again).
After ``LOGIN_FAILURES_PER_IP`` failures from one address (any usernames) the address is locked
for ``LOGIN_LOCKOUT_MINUTES``. Further attempts are refused without checking the password. A
successful sign-in clears the username's counter; an admin clears a username's lockouts with
:func:`unlock` (``huoban unlock USERNAME``). Each lockout and unlock writes one audit event.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest

from huoban import clock
from huoban.audit.services import record
from huoban.errors import DomainError, Forbidden

from .models import LockScope, LoginFailure, LoginLockout, RateCount, Role, User


class LoginRefused(DomainError):
    """Sign-in refused because the username or the address is locked (429)."""

    status = 429

    def __init__(self, until: dt.datetime, now: dt.datetime) -> None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        super().__init__(
            f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试 / "
            f"Too many failed sign-ins: locked, try again in {minutes} "
            f"minute{'' if minutes == 1 else 's'}."
        )
        self.until = until


def _conf(name: str) -> int:
    return int(settings.HUOBAN[name])


def username_key(username: str) -> str:
    """The counter's key for a username: case-folded, so "Alice" and "alice" count together."""
    return username.strip().casefold()[:150]


def client_ip(request: HttpRequest | None) -> str:
    """The caller's address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXIES`` = n reverse proxies in
    front, the n-th address from the right of ``X-Forwarded-For`` (the one the outermost trusted
    proxy saw; anything left of it the client may have written itself)."""
    if request is None:
        return "unknown"
    remote = str(request.META.get("REMOTE_ADDR") or "")
    trusted = _conf("TRUSTED_PROXIES")
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            return hops[-trusted][:45]
    return remote[:45] or "unknown"


def pair_key(username: str, ip: str) -> str:
    return f"{username_key(username)}|{ip}"[:150]


def active_lockout(username: str, ip: str) -> LoginLockout | None:
    """The lockout, if any, that refuses this username from this address, or this address."""
    return (
        LoginLockout.objects.filter(
            Q(scope=LockScope.PAIR, key=pair_key(username, ip)) | Q(scope=LockScope.IP, key=ip),
            until__gt=clock.now(),
        )
        .order_by("-until")
        .first()
    )


@transaction.atomic
def record_failure(username: str, ip: str) -> list[LoginLockout]:
    """Count one failed sign-in; lock the username and/or the address when a limit is reached.

    The failure is written before counting, so of two concurrent failures at least one sees
    the limit. Returns the lockouts this failure started (each audited)."""
    now = clock.now()
    key = username_key(username)
    window_start = now - dt.timedelta(minutes=_conf("LOGIN_WINDOW_MINUTES"))
    LoginFailure.objects.filter(at__lte=window_start).delete()
    # Ended lockouts are kept a day: they make the next one of the same pair longer.
    LoginLockout.objects.filter(until__lte=now - HISTORY).delete()
    LoginFailure.objects.create(username=key, ip=ip, at=now)
    recent = LoginFailure.objects.filter(at__gt=window_start)
    started = []
    limits: list[tuple[str, str, int, Any]] = [
        (
            LockScope.PAIR,
            pair_key(key, ip),
            _conf("LOGIN_FAILURES_PER_USERNAME"),
            recent.filter(username=key, ip=ip, cleared=False),
        ),
        (LockScope.IP, ip, _conf("LOGIN_FAILURES_PER_IP"), recent.filter(ip=ip)),
    ]
    for scope, lock_key, limit, failures in limits:
        earlier = LoginLockout.objects.filter(scope=scope, key=lock_key, since__gt=now - HISTORY)
        if scope == LockScope.PAIR and earlier.exists():
            limit = 1  # locked before today: every further failure locks again, for longer
        count = failures.count()
        if count < limit:
            continue
        if LoginLockout.objects.filter(scope=scope, key=lock_key, until__gt=now).exists():
            continue
        lock = LoginLockout.objects.create(
            scope=scope,
            key=lock_key,
            since=now,
            until=now + lockout_length(scope, earlier.count()),
        )
        record(
            None,
            "login.lockout",
            lock,
            after={
                "scope": str(scope),
                "key": lock_key,
                "failures": count,
                "last_username": key,
                "last_ip": ip,
                "until": lock.until,
            },
        )
        started.append(lock)
    return started


HISTORY = dt.timedelta(days=1)


def lockout_length(scope: str, earlier: int) -> dt.timedelta:
    """How long a new lockout lasts: an address, ``LOGIN_LOCKOUT_MINUTES``; a username from one
    address, 1 minute doubled for each of its ``earlier`` lockouts within a day, at most
    ``LOGIN_LOCKOUT_MINUTES`` (1, 2, 4, 8, 15, 15 … with the default 15)."""
    cap = _conf("LOGIN_LOCKOUT_MINUTES")
    if scope != LockScope.PAIR:
        return dt.timedelta(minutes=cap)
    return dt.timedelta(minutes=min(cap, 2 ** min(earlier, 16)))


@transaction.atomic
def unlock(username: str, *, actor: User | None) -> int:
    """Lift every lockout of ``username`` (from any address) and clear its failed sign-ins;
    audited as ``login.unlock``. ``actor`` is an admin, or None for the server's operator at
    the shell (``huoban unlock``). Returns how many lockouts were lifted."""
    if actor is not None and not (
        isinstance(actor, User) and actor.is_active and actor.has_role(Role.ADMIN)
    ):
        raise Forbidden("只有管理员可以解除锁定 / Only an admin may lift a lockout.")
    key = username_key(username)
    active = LoginLockout.objects.filter(
        Q(scope=LockScope.USERNAME, key=key) | Q(scope=LockScope.PAIR, key__startswith=f"{key}|"),
        until__gt=clock.now(),
    )
    lifted, _ = active.delete()
    LoginFailure.objects.filter(username=key, cleared=False).update(cleared=True)
    record(actor, "login.unlock", None, object_type="accounts.user", object_id=key,
           after={"username": key, "lifted": lifted})  # fmt: skip
    return lifted


def authenticate_throttled(
    request: HttpRequest | None, username: str, password: str
) -> User | None:
    """Check a username and password unless the username or the address is locked.

    Raises :class:`LoginRefused` (429) while locked, without looking at the password. Returns
    the user, or None for a wrong username or password (counted as a failure)."""
    ip = client_ip(request)
    lock = active_lockout(username, ip)
    if lock is not None:
        raise LoginRefused(lock.until, clock.now())
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User) and user.is_active:
        LoginFailure.objects.filter(username=username_key(username), cleared=False).update(
            cleared=True
        )
        return user
    record_failure(username, ip)
    return None


def allow(key: str, limit: int, *, seconds: int = 60) -> bool:
    """Count one request of ``key`` in the current fixed window; False once over ``limit``.

    One row per key and window, incremented in the database (shared by every worker); the
    key's older windows are deleted when a new one starts."""
    now = clock.now()
    start = dt.datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=dt.UTC)
    with transaction.atomic():
        if not RateCount.objects.filter(key=key, window=start).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, window=start, count=1)
            except IntegrityError:  # another worker created it first
                RateCount.objects.filter(key=key, window=start).update(count=F("count") + 1)
            RateCount.objects.filter(key=key, window__lt=start).delete()
        count = RateCount.objects.filter(key=key, window=start).values_list("count", flat=True)
        return (count.first() or 0) <= limit
