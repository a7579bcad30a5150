"""Crisis cases in the console (SPEC §10.8, R-CRIS-6; R-UI-1): a partner's cases with their
steps, due dates and log; officers close them with an outcome."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huoban import clock
from huoban.pagination import page_of, query_without_page
from huoban.partners.models import Partner
from huoban.performance.cases import close_case, record_data_breach, record_ownership_change
from huoban.performance.meetings import overdue_meetings
from huoban.performance.models import Case, CaseStatus, MeetingKind, Risk, Trigger
from huoban.policy import may_manage_partners
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import Column, exported, forbidden, partner_or_404, settle

NAV = "partners"


class OwnershipForm(forms.Form):
    changed_on = forms.DateField(
        label=gettext_lazy("变更日期"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    new_owner = forms.CharField(
        label=gettext_lazy("新控股方"), max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )  # fmt: skip


class BreachForm(forms.Form):
    detected_on = forms.DateField(
        label=gettext_lazy("发现日期"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=gettext_lazy("泄露情况"), max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )  # fmt: skip


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("关闭结论"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


def _page(
    request: HttpRequest, partner: Partner, *, failed: int | None = None,
    form: CloseForm | None = None, posted: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The partner's cases; ``posted`` is a refused recording form (its prefix and the form)."""
    sent = dict([posted]) if posted is not None else {}
    rows = Case.objects.visible_to(request.user).filter(partner=partner).select_related("owner")
    cases = [
        (c, mark_invalid(form) if form is not None and failed == c.pk
         else CloseForm(auto_id=f"case{c.pk}_%s"))
        for c in rows.order_by("-opened_at", "-pk")
    ]  # fmt: skip
    return render(
        request,
        "console/cases.html",
        {
            "nav": NAV,
            "partner": partner,
            "cases": cases,
            "may_close": may_manage_partners(request.user),
            "ownership_form": mark_invalid(
                sent.get("ownership") or OwnershipForm(auto_id="ownership_%s")
            ),
            "breach_form": mark_invalid(sent.get("breach") or BreachForm(auto_id="breach_%s")),
        },
        status=status,
    )


#: R-IMP-5: the case queue's columns, as the page shows them.
CASE_COLUMNS = [
    Column(gettext_lazy("伙伴编号"), lambda c: c.partner.code),
    Column(gettext_lazy("伙伴"), lambda c: c.partner.name),
    Column(gettext_lazy("触发"), lambda c: str(c.get_trigger_display())),
    Column(gettext_lazy("原因"), lambda c: c.reason),
    Column(gettext_lazy("负责人"), lambda c: str(c.owner) if c.owner else ""),
    Column(gettext_lazy("开启日"), lambda c: c.opened_on),
    Column(gettext_lazy("到期日"), lambda c: c.due_on),
    Column(gettext_lazy("状态"), lambda c: str(c.get_status_display())),
]


@staff_required
@require_GET
def case_queue(request: HttpRequest) -> HttpResponseBase:
    """The officers' queue of crisis cases across partners (R-CRIS-6), the earliest due first,
    with the risks past their review date (R-RISK-1) beside it. Bounded: one page of cases, the
    first 20 late risks and three counts."""
    status = request.GET.get("status", CaseStatus.OPEN)
    trigger = request.GET.get("trigger", "")
    rows = Case.objects.visible_to(request.user).select_related("partner", "owner")
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    if status in CaseStatus.values:
        rows = rows.filter(status=status)
    if trigger in Trigger.values:
        rows = rows.filter(trigger=trigger)
    download = exported(
        request, rows.order_by("due_on", "pk"), CASE_COLUMNS, name="cases", title=_("危机事件")
    )
    if download is not None:
        return download
    late_risks = (
        Risk.objects.visible_to(request.user)
        .live()
        .filter(next_review__lt=clock.today())
        .select_related("partner", "owner")
        .order_by("next_review", "pk")
    )
    # R-MEET-2: the partners with a meeting past due, the longest overdue first.
    late = overdue_meetings(clock.today())
    first_late = sorted(late, key=lambda pk: (min(d.next_due for d in late[pk]), pk))[:20]
    names = Partner.objects.visible_to(request.user).in_bulk(first_late)
    late_meetings = [
        {"partner": names[pk], "due": [(MeetingKind(d.kind).label, d.next_due) for d in late[pk]]}
        for pk in first_late
        if pk in names
    ]
    return render(
        request,
        "console/case_queue.html",
        {
            "nav": NAV,
            "page": page_of(request, rows.order_by("due_on", "pk")),
            "query": query_without_page(request),
            "status": status,
            "trigger": trigger,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in CaseStatus.choices],
            "triggers": Trigger.choices,
            "today": clock.today(),
            "late_risks": late_risks[:20],
            "late_risk_count": late_risks.count(),
            "late_meetings": late_meetings,
            "late_meeting_count": len(late),
        },
    )


@staff_required
@require_GET
def partner_cases(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, partner_or_404(request, code))


@staff_required
@require_POST
def case_close(request: HttpRequest, code: str, case_id: int) -> HttpResponse:
    partner = partner_or_404(request, code)
    if not Case.objects.filter(pk=case_id, partner=partner).exists():
        raise Http404
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("事件由伙伴关系官关闭。"))
    form = CloseForm(request.POST, auto_id=f"case{case_id}_%s")
    sent = send(
        form, lambda data: close_case(case_id, outcome=data["outcome"], actor=actor_of(request))
    )
    return settle(
        request,
        sent,
        done=_("事件已关闭。"),
        to=reverse("console:partner_cases", kwargs={"code": partner.code}),
        again=lambda status: _page(request, partner, failed=case_id, form=form, status=status),
    )


def _record(
    request: HttpRequest, code: str, form_class: type[forms.Form], prefix: str,
    service: Any, done: str,
) -> HttpResponse:  # fmt: skip
    """An officer records a case from the page's form (R-CRIS-3/4): its service, then back."""
    partner = partner_or_404(request, code)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("事件由伙伴关系官登记。"))
    form = form_class(request.POST, auto_id=f"{prefix}_%s")
    sent = send(form, lambda data: service(partner.code, actor=actor_of(request), **data))
    return settle(
        request,
        sent,
        done=done,
        to=reverse("console:partner_cases", kwargs={"code": partner.code}),
        again=lambda status: _page(request, partner, status=status, posted=(prefix, form)),
    )


@staff_required
@require_POST
def ownership_change(request: HttpRequest, code: str) -> HttpResponse:
    """Record a change of the partner's ownership (R-CRIS-4; officer, admin)."""
    done = _("已登记股权变更：30 天内决定继续合作或过渡。")
    return _record(request, code, OwnershipForm, "ownership", record_ownership_change, done)


@staff_required
@require_POST
def data_breach(request: HttpRequest, code: str) -> HttpResponse:
    """Record the partner's data breach (R-CRIS-3; officer, admin): exchange stops at once."""
    done = _("已登记数据泄露：API 令牌已撤销、导出已封锁，已通知法务。")
    return _record(request, code, BreachForm, "breach", record_data_breach, done)
