"""The partner forms both sides use: the public application (seed 000's 咨询对接回执) and a
partner user added with an invitation link (the officer's partner page, the partner's own
administrator in the portal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Tier

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _text(label: StrOrPromise, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": rows}),
    )


class InquiryForm(forms.Form):
    """What the receipt asks; the service judges each field. ``website`` is a honeypot: people
    never see it, scripts fill it in."""

    name = forms.CharField(
        label=_("公司 / 个人名称"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}),
    )
    contact = forms.CharField(
        label=_("联系人"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "tel", "inputmode": "tel"}
        ),
    )
    intended_tier = forms.ChoiceField(
        label=_("意向合作梯度"),
        choices=Tier.choices,
        initial=Tier.LIGHT,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    resources = _text(_("主要资源领域"))
    note = _text(_("其他需求或建议"))
    website = forms.CharField(
        required=False,
        label=_("网站（请留空）"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class PartnerUserForm(forms.Form):
    """Add a partner user (R-UI-1): it chooses its own password through the invitation link."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录用，字母、数字和 @ . + - _。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "none"}),
    )
    display_name = forms.CharField(
        label=_("姓名"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.CharField(
        label=_("邮箱"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "form-control"}),
    )
