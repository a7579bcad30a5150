"""Sign-in forms for the login page and the admin: Django's, with login throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from huoban.web import in_language

from .throttle import LoginRefused, authenticate_throttled


class ThrottledLoginMixin:
    """Replace ``AuthenticationForm.clean``: a locked username or address is refused with the
    reason before its password is looked at (huoban.accounts.throttle)."""

    request: Any
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_throttled(self.request, username, password)
            except LoginRefused as e:
                raise forms.ValidationError(in_language(e.message), code="throttled") from e
            if self.user_cache is None:
                raise self.get_invalid_login_error()  # type: ignore[attr-defined]
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
        return self.cleaned_data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The login page's form (``/login/``)."""


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login form (``/admin/login/``): same throttle, same counters."""
