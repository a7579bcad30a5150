"""The risk register in the console (SPEC §10.10, R-RISK-1; R-UI-1): a partner's risks with
their level, response and next review, overdue ones flagged; officers raise and review them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huoban import clock
from huoban.partners.models import Partner
from huoban.performance.models import Risk, RiskCategory, RiskLevel, RiskStatus
from huoban.performance.risks import overdue, raise_risk, review_risk
from huoban.policy import may_manage_partners
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import Column, exported, forbidden, partner_or_404, settle

NAV = "partners"
_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class RiskForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("风险"), max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )
    category = forms.ChoiceField(
        label=gettext_lazy("类别"), choices=RiskCategory.choices, widget=forms.Select(attrs=_SELECT)
    )
    level = forms.ChoiceField(
        label=gettext_lazy("等级"), choices=RiskLevel.choices, widget=forms.Select(attrs=_SELECT)
    )
    description = forms.CharField(
        label=gettext_lazy("风险描述"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )
    response = forms.CharField(
        label=gettext_lazy("应对措施"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("复核情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("等级"), choices=RiskLevel.choices, widget=forms.Select(attrs=_SELECT)
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"), choices=RiskStatus.choices, widget=forms.Select(attrs=_SELECT)
    )


def _page(
    request: HttpRequest,
    partner: Partner,
    *,
    form: RiskForm | None = None,
    failed: int | None = None,
    review: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    rows: list[Any] = []
    for risk in Risk.objects.visible_to(request.user).filter(partner=partner):
        initial = {"level": risk.level, "status": risk.status}
        review_form = (
            review if review is not None and failed == risk.pk
            else ReviewForm(initial=initial, auto_id=f"risk{risk.pk}_%s")
        )  # fmt: skip
        rows.append((risk, overdue(risk, today), mark_invalid(review_form)))
    return render(
        request,
        "console/risks.html",
        {
            "nav": NAV,
            "partner": partner,
            "rows": rows,
            "may_edit": may_manage_partners(request.user),
            "form": mark_invalid(form or RiskForm(auto_id="new_%s")),
        },
        status=status,
    )


#: R-IMP-5: a partner's risk register, as its page lists it.
RISK_COLUMNS = [
    Column(gettext_lazy("风险"), lambda r: r.title),
    Column(gettext_lazy("类别"), lambda r: str(r.get_category_display())),
    Column(gettext_lazy("等级"), lambda r: str(r.get_level_display())),
    Column(gettext_lazy("风险描述"), lambda r: r.description),
    Column(gettext_lazy("应对措施"), lambda r: r.response),
    Column(gettext_lazy("负责人"), lambda r: str(r.owner) if r.owner else ""),
    Column(gettext_lazy("状态"), lambda r: str(r.get_status_display())),
    Column(gettext_lazy("下次复核"), lambda r: r.next_review),
]


@staff_required
@require_http_methods(["GET", "POST"])
def partner_risks(request: HttpRequest, code: str) -> HttpResponseBase:
    partner = partner_or_404(request, code)
    if request.method == "GET":
        risks = (
            Risk.objects.visible_to(request.user).filter(partner=partner).select_related("owner")
        )
        download = exported(
            request, risks, RISK_COLUMNS, name=f"risks-{partner.code}", title=_("风险台账")
        )
        return download if download is not None else _page(request, partner)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("风险台账由伙伴关系官维护。"))
    form = RiskForm(request.POST, auto_id="new_%s")
    sent = send(form, lambda data: raise_risk(partner.code, actor=actor_of(request), **data))
    return settle(
        request,
        sent,
        done=_("风险已登记。"),
        to=reverse("console:partner_risks", kwargs={"code": partner.code}),
        again=lambda status: _page(request, partner, form=form, status=status),
    )


@staff_required
@require_POST
def risk_review(request: HttpRequest, code: str, risk_id: int) -> HttpResponse:
    partner = partner_or_404(request, code)
    if not Risk.objects.filter(pk=risk_id, partner=partner).exists():
        raise Http404
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("风险台账由伙伴关系官维护。"))
    form = ReviewForm(request.POST, auto_id=f"risk{risk_id}_%s")
    sent = send(form, lambda data: review_risk(risk_id, actor=actor_of(request), **data))
    return settle(
        request,
        sent,
        done=_("复核已记录。"),
        to=reverse("console:partner_risks", kwargs={"code": partner.code}),
        again=lambda status: _page(request, partner, failed=risk_id, review=form, status=status),
    )
