"""The consent form's fields, shared by the portal (the owning partner grants) and the console
(an officer records the written consent): who, until when, a note (R-ATT-7)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huoban.accounts.models import STAFF_ROLES, Role


def staff_role_choices() -> list[tuple[str, Any]]:
    return [("", _("（不按角色）")), *((r.value, r.label) for r in Role if r in STAFF_ROLES)]


class ConsentFields(forms.Form):
    """One staff user (by username) or one staff role, and the expiry; the service checks one
    grantee, a staff grantee and an expiry in the future and within a year."""

    grantee_username = forms.CharField(
        label=_("员工用户名"),
        required=False,
        max_length=150,
        help_text=_("填写员工用户名，或选择下方的角色（二选一）。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    grantee_role = forms.ChoiceField(
        label=_("员工角色"),
        required=False,
        choices=staff_role_choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    expires_at = forms.DateTimeField(
        label=_("到期时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(
            attrs={"class": "form-control", "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
