"""Sign-in forms for the login page and the admin (Django's, with login throttling), and the
password forms (a link's, one's own change)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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


def _password(label: str | Any, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": autocomplete}),
    )


class _NewPasswordTwice(forms.Form):
    """A new password typed twice; the service judges its strength."""

    new_field = "password"
    repeat_field = "password2"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get(self.new_field), data.get(self.repeat_field)
        if first is not None and second is not None and first != second:
            self.add_error(self.repeat_field, _("两次输入的密码不一致。"))
        return data


class LinkPasswordForm(_NewPasswordTwice):
    """Choose a password through an invitation or reset link."""

    password = _password(_("新密码"), "new-password")
    password2 = _password(_("再输入一次"), "new-password")


class ChangePasswordForm(_NewPasswordTwice):
    """Change one's own password: the current one, then the new one twice."""

    new_field = "new_password"
    repeat_field = "new_password2"

    old_password = _password(_("当前密码"), "current-password")
    new_password = _password(_("新密码"), "new-password")
    new_password2 = _password(_("再输入一次"), "new-password")
