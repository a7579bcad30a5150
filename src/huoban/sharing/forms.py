"""The console's form for a co-delivery partner on a project (R-RS-1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import DEFAULT_SETTLE_DAYS

_TEXT = {"class": "form-control"}


class ShareForm(forms.Form):
    partner_code = forms.CharField(
        label=_("合作方伙伴编号"), max_length=20, widget=forms.TextInput(attrs=_TEXT)
    )
    share = forms.DecimalField(
        label=_("分成比例"),
        max_digits=6,
        decimal_places=4,
        help_text=_("客户回款的比例，如 0.40"),
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.0001"}),
    )
    settle_days = forms.IntegerField(
        label=_("结算工作日"),
        initial=DEFAULT_SETTLE_DAYS,
        min_value=0,
        max_value=60,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    role = forms.CharField(
        label=_("分工"), required=False, max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )


class SchemeForm(ShareForm):
    """A revenue-share scheme proposed for a co-delivery partner (R-RS-1): the share's fields
    and the scheme's name; its own element ids beside the share form on the project page."""

    label = forms.CharField(
        label=_("方案名称"),
        max_length=40,
        help_text=_("如“方案A”"),
        widget=forms.TextInput(attrs=_TEXT),
    )
    field_order = ["label", "partner_code", "share", "settle_days", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "scheme_%s")
        super().__init__(*args, **kwargs)
