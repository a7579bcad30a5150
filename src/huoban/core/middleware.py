"""Huoban's middleware: the default language, the Content-Security-Policy, the input guard."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control


class DefaultLanguageMiddleware:
    """Ignore the browser's ``Accept-Language``; keep the explicit language switch.

    Huoban is used by a Chinese company's staff and partners, whose browsers run in
    any locale (an English Windows, a Japanese Mac, …). Chinese is the product's
    default language, and English is something a user *chooses*: through the
    language switch (``/i18n/setlang/``), which sets the ``django_language`` cookie.

    Django's ``LocaleMiddleware`` looks at the language cookie first, then at the
    ``Accept-Language`` header, then at ``settings.LANGUAGE_CODE``. Removing the
    header before it runs leaves exactly "cookie, else ``LANGUAGE_CODE``". This
    middleware must therefore come directly before
    ``django.middleware.locale.LocaleMiddleware`` in ``MIDDLEWARE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Everything the pages load is served by Huoban itself (vendored Bootstrap, Bootstrap Icons,
# HTMX, ECharts; Django admin; django-ninja's Swagger UI): no inline script or style anywhere,
# data: only for images (Bootstrap's SVG icons in CSS, the blank favicon).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send the ``Content-Security-Policy`` header on every response that has none yet.

    Django 5.2 has no CSP support of its own. A view that needs another policy sets the header
    itself; this middleware leaves it alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every API answer, every page a signed-in user sees and
    every download: contacts, commissions and statements must not stay in a browser's or a
    proxy's cache on a shared office computer (issue #10 finding 14). Static files, served
    before this middleware by WhiteNoise, keep their long cache lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/api/")
            or getattr(user, "is_authenticated", False)
            or "attachment" in response.headers.get("Content-Disposition", "")
        ):
            if "Cache-Control" in response.headers:
                del response.headers["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
        return response


NUL_MESSAGE = "不能包含空字符 / Must not contain NUL characters."
RANGE_MESSAGE = "数值超出范围 / Number out of range."
DEPTH_MESSAGE = "嵌套层级过深 / Nested too deeply."
# No Huoban body nests deeper than a few levels; 32 leaves room and keeps every parser (ours,
# pydantic's, the JSON decoder's) far from Python's recursion limit.
MAX_JSON_DEPTH = 32
_INT64 = (-(2**63), 2**63 - 1)


def _bad_json_values(value: Any, path: tuple[str, ...], errors: dict[str, str]) -> None:
    """Collect, by field path ("customer.name", "entry_ids.3"), the values no database keeps:
    text with a NUL character (PostgreSQL refuses it, SQLite's FTS5 chokes on it) and integers
    beyond 64 bits (no integer column holds them)."""
    where = ".".join(path) or "__all__"
    if len(path) > MAX_JSON_DEPTH:
        errors.setdefault("__all__", DEPTH_MESSAGE)
        return
    if isinstance(value, str):
        if "\x00" in value:
            errors.setdefault(where, NUL_MESSAGE)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            errors.setdefault(where, RANGE_MESSAGE)
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                errors.setdefault(".".join((*path, key.replace("\x00", ""))), NUL_MESSAGE)
            _bad_json_values(item, (*path, key), errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _bad_json_values(item, (*path, str(index)), errors)


def bad_input(request: HttpRequest) -> dict[str, str]:
    """Field path → message for input that would reach the database as a server error."""
    errors: dict[str, str] = {}
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            errors.setdefault(key.replace("\x00", "") or "__all__", NUL_MESSAGE)
    if request.content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                errors.setdefault(key.replace("\x00", "") or "__all__", NUL_MESSAGE)
    elif request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except RecursionError:
            return {"__all__": DEPTH_MESSAGE}
        except ValueError:
            return errors  # not JSON: the API answers that itself
        _bad_json_values(data, (), errors)
    return errors


class InputGuardMiddleware:
    """Refuse input no database can keep before any view sees it.

    The API answers 422 ``{"detail": {"field.path": "中文 / English"}}`` (ARCHITECTURE §6); a
    page answers 400. Django's form fields already refuse NUL characters, but several pages and
    the API read query parameters and JSON directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = bad_input(request)
        if errors:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": errors}, status=422)
            return HttpResponseBadRequest(
                "\n".join(f"{field}: {message}" for field, message in errors.items()),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
