"""Sign a user out when the session is too old or has been idle too long."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
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
