"""Make the configured ``LANGUAGE_CODE`` the default language, whatever the browser says."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
