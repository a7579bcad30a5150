"""Sign a user out when the session is too old or has been idle too long; hold a user who must
change its password on the password page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from huoban import clock

from .sessions import expiry_reason, idle_seconds, touch


class SessionTimeoutMiddleware:
    """After ``AuthenticationMiddleware`` and ``MessageMiddleware``: a session past its absolute
    age or idle limit is logged out before the view runs, so the page answers as for anyone
    signed out (the login page, with a message saying why)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = clock.now().timestamp()
            reason = expiry_reason(request.session, now)
            if reason is None:
                touch(request.session, now)
            else:
                logout(request)
                if reason == "idle":
                    text = _("您已 %(minutes)d 分钟未操作，已自动退出，请重新登录。") % {
                        "minutes": idle_seconds() // 60
                    }
                else:
                    text = _("登录已满 %(hours)d 小时，请重新登录。") % {
                        "hours": settings.SESSION_COOKIE_AGE // 3600
                    }
                messages.info(request, text)
        return self.get_response(request)


class PasswordChangeMiddleware:
    """After ``SessionTimeoutMiddleware``: a user whose password someone else chose (an admin's
    reset, ``must_change_password``) sees only the password page until it chooses its own;
    signing out, switching the language and the static files stay open."""

    OPEN = ("/logout/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.OPEN)
        ):
            target = reverse("password_change")
            if request.path != target:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("请先修改密码。")}, status=403)
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
