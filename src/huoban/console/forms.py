"""Console forms: they parse what staff type into the services' inputs (R-LEAD-3, R-LEAD-4)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from huoban.leads.models import ReasonCode, Verdict
from huoban.leads.services import VerdictInput

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _amount(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )


def _text(label: StrOrPromise, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": rows}),
    )


class VerdictForm(forms.Form):
    """A verdict: valid with a feasibility note and a quote range, or invalid with a reason
    code and a written explanation (R-LEAD-3). The service says which fields are missing."""

    verdict = forms.ChoiceField(
        label=_("结论"),
        choices=Verdict.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    feasibility = _text(_("可行性评估"))
    quote_min = _amount(_("报价下限（元）"))
    quote_max = _amount(_("报价上限（元）"))
    reason_code = forms.ChoiceField(
        label=_("无效原因"),
        required=False,
        choices=[("", "—"), *list(ReasonCode.choices)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    explanation = _text(_("说明"))

    def to_input(self) -> VerdictInput:
        data = self.cleaned_data
        quote_min: Decimal | None = data["quote_min"]
        quote_max: Decimal | None = data["quote_max"]
        return VerdictInput(
            verdict=data["verdict"],
            explanation=data["explanation"],
            reason_code=data["reason_code"] if data["verdict"] == Verdict.INVALID else "",
            feasibility=data["feasibility"] if data["verdict"] == Verdict.VALID else "",
            quote_min=quote_min if data["verdict"] == Verdict.VALID else None,
            quote_max=quote_max if data["verdict"] == Verdict.VALID else None,
        )


class SignatureForm(forms.Form):
    """One reviewer's signature on an appealed lead (R-LEAD-4)."""

    verdict = forms.ChoiceField(
        label=_("复核结论"),
        choices=Verdict.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    explanation = _text(_("复核说明"), required=True)
    feasibility = _text(_("可行性评估"), rows=2)
    quote_min = _amount(_("报价下限（元）"))
    quote_max = _amount(_("报价上限（元）"))

    def to_input(self) -> VerdictInput:
        data = self.cleaned_data
        valid = data["verdict"] == Verdict.VALID
        return VerdictInput(
            verdict=data["verdict"],
            explanation=data["explanation"],
            feasibility=data["feasibility"] if valid else "",
            quote_min=data["quote_min"] if valid else None,
            quote_max=data["quote_max"] if valid else None,
        )
