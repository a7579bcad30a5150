"""Channel analytics in the console (SPEC §10.13, R-ANL; R-UI-1): each channel's funnel,
revenue, cost, CAC, CLV, ROI, retention and achievement for a period, by partner, type or
region, with charts and an Excel export; officers and finance record a partner's costs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock
from huoban.analytics import board, services
from huoban.analytics.export import render_xlsx
from huoban.analytics.models import ChannelCost, CostCategory
from huoban.pagination import page_of, query_without_page
from huoban.partners.models import Partner
from huoban.policy import may_read_analytics, may_record_channel_costs, may_set_programme_targets
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, partner_or_404, settle

NAV = "analytics"
_TEXT = {"class": "form-control"}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("自"), required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    end = forms.DateField(
        label=gettext_lazy("至"), required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    group = forms.ChoiceField(
        label=gettext_lazy("按"),
        required=False,
        choices=[
            ("partner", gettext_lazy("伙伴")),
            ("type", gettext_lazy("伙伴类别")),
            ("region", gettext_lazy("地区")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CostForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("金额（元）"), max_length=20,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
    )  # fmt: skip
    spent_on = forms.DateField(
        label=gettext_lazy("发生日"),
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("类别"), choices=CostCategory.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )  # fmt: skip


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date, str]:
    today = clock.today()
    form = PeriodForm(request.GET or None)
    start, end, group = today.replace(month=1, day=1), today, "partner"
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        group = form.cleaned_data["group"] or group
        if clock.period_errors(start, end):
            form.add_error("end", _("期间无效：结束不早于开始，最长 10 年。"))
            start, end = today.replace(month=1, day=1), today
    elif not request.GET:
        form = PeriodForm(initial={"start": start, "end": end, "group": group})
    return form, start, end, group


def _chart(rows: list[services.Row], totals: services.Row) -> dict[str, Any]:
    t = totals.inputs
    # CAC needs new customers, CLV paying ones: chosen on the inputs, so only 20 rows' figures
    # are computed.
    shown = [r for r in rows if r.inputs.new_customers or r.inputs.lifetime_customers][:20]
    return {
        "funnel": [t.leads, t.valid_leads, t.projects, t.new_customers],
        "channels": [r.label for r in shown],
        "cac": [None if r.figures.cac is None else str(r.figures.cac) for r in shown],
        "clv": [None if r.figures.clv is None else str(r.figures.clv) for r in shown],
    }


@staff_required
@require_GET
def analytics(request: HttpRequest) -> HttpResponse:
    if not may_read_analytics(request.user):
        return forbidden(request, NAV, _("渠道分析供伙伴关系官、财务和总经理查看。"))
    form, start, end, group = _period(request)
    rows, totals = services.report(start, end, group=group)
    # The busiest channels first; 50 a page (there may be ten thousand partners).
    rows.sort(key=lambda r: (-r.inputs.revenue, -r.inputs.leads, r.channel))
    page = page_of(request, rows, 50)
    query = query_without_page(request)
    return render(
        request,
        "console/analytics.html",
        {
            "nav": NAV,
            "form": mark_invalid(form),
            "start": start,
            "end": end,
            "group": group,
            "page": page,
            "query": query,
            "totals": totals,
            "counted_at": services.counted_at(start, end),
            "chart": _chart(rows, totals),
            "export": reverse("console:analytics_xlsx") + (f"?{query}" if query else ""),
        },
    )


@staff_required
@require_POST
def analytics_refresh(request: HttpRequest) -> HttpResponse:
    """Count the period's channels now and keep them for today (D-ANL-3): what the daily job
    does for this year to date, when an analyst needs today's changes in."""
    if not may_read_analytics(request.user):
        return forbidden(request, NAV, _("渠道分析供伙伴关系官、财务和总经理查看。"))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return redirect("console:analytics")
    today = clock.today()
    start = form.cleaned_data["start"] or today.replace(month=1, day=1)
    end = form.cleaned_data["end"] or today
    if clock.period_errors(start, end):
        return redirect("console:analytics")
    services.take_snapshot(start, end)
    messages.success(request, _("已重新统计。"))
    query = urlencode(
        {"start": start.isoformat(), "end": end.isoformat(),
         "group": form.cleaned_data["group"] or "partner"}
    )  # fmt: skip
    return redirect(f"{reverse('console:analytics')}?{query}")


@staff_required
@require_GET
def analytics_xlsx(request: HttpRequest) -> HttpResponse:
    if not may_read_analytics(request.user):
        return forbidden(request, NAV, _("渠道分析供伙伴关系官、财务和总经理查看。"))
    _form, start, end, group = _period(request)
    rows, totals = services.report(start, end, group=group)
    response = HttpResponse(
        render_xlsx(rows, totals, start, end),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"channels-{start.isoformat()}-{end.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_GET
def channel_trend(request: HttpRequest, code: str) -> HttpResponse:
    """One channel month by month, the last 12 months (R-ANL-1): leads, projects, revenue,
    cost and ROI as a chart with its table."""
    if not may_read_analytics(request.user):
        return forbidden(request, NAV, _("渠道分析供伙伴关系官、财务和总经理查看。"))
    partner = None if code == services.DIRECT else partner_or_404(request, code)
    months = services.channel_months(partner.pk if partner else None, clock.today())
    return render(
        request,
        "console/channel_trend.html",
        {
            "nav": NAV,
            "partner": partner,
            "months": months,
            "chart": {
                "months": [m.month for m in months],
                "leads": [m.figures.inputs.leads for m in months],
                "projects": [m.figures.inputs.projects for m in months],
                "revenue": [str(m.figures.inputs.revenue) for m in months],
                "cost": [str(m.figures.cost) for m in months],
            },
        },
    )


def _costs_page(
    request: HttpRequest, partner: Partner, form: CostForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "console/channel_costs.html",
        {
            "nav": "partners",
            "partner": partner,
            "costs": ChannelCost.objects.filter(partner=partner).select_related("recorded_by"),
            "may_record": may_record_channel_costs(request.user),
            "form": mark_invalid(
                form or CostForm(initial={"spent_on": clock.today()}, auto_id="cost_%s")
            ),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def partner_costs(request: HttpRequest, code: str) -> HttpResponse:
    """A partner's channel costs; officers and finance record one (R-ANL-1)."""
    partner = partner_or_404(request, code)
    if request.method == "GET":
        return _costs_page(request, partner)
    if not may_record_channel_costs(request.user):
        return forbidden(request, "partners", _("渠道费用由伙伴关系官或财务登记。"))
    form = CostForm(request.POST, auto_id="cost_%s")
    sent = send(
        form, lambda data: services.record_cost(partner.code, actor=actor_of(request), **data)
    )
    return settle(
        request, sent, done=_("渠道费用已登记。"),
        to=reverse("console:partner_costs", kwargs={"code": partner.code}),
        again=lambda status: _costs_page(request, partner, form, status),
    )  # fmt: skip


class TargetsForm(forms.Form):
    new_customers = forms.CharField(
        label=gettext_lazy("新增客户数量（每月）"), max_length=10,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric"}),
    )  # fmt: skip
    channel_roi = forms.CharField(
        label=gettext_lazy("渠道 ROI（1.2 即 120%）"), max_length=10,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
    )  # fmt: skip
    retention = forms.CharField(
        label=gettext_lazy("年度留存率（0.85 即 85%）"), max_length=10,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
    )  # fmt: skip
    agent_achievement = forms.CharField(
        label=gettext_lazy("代理达成率"), max_length=10,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
    )  # fmt: skip
    rating_accuracy = forms.CharField(
        label=gettext_lazy("信用评级准确率"), max_length=10,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "decimal"}),
    )  # fmt: skip


def _board_page(
    request: HttpRequest, form: TargetsForm | None = None, status: int = 200
) -> HttpResponse:
    kpis, trend = board.board()
    if form is None:
        form = TargetsForm(
            initial={k: v.normalize() for k, v in board.targets().items()}, auto_id="target_%s"
        )
    goal = board.targets()["new_customers"]
    return render(
        request,
        "console/kpi_board.html",
        {
            "nav": NAV,
            "kpis": kpis,
            "trend": trend,
            "chart": {
                "months": [m for m, _ in trend],
                "counts": [n for _, n in trend],
                "target": str(goal),
            },
            "may_edit": may_set_programme_targets(request.user),
            "form": mark_invalid(form),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def kpi_board(request: HttpRequest) -> HttpResponse:
    """R-ANL-2: the programme KPI board; the gm edits its targets."""
    if not may_read_analytics(request.user):
        return forbidden(request, NAV, _("渠道分析供伙伴关系官、财务和总经理查看。"))
    if request.method == "GET":
        return _board_page(request)
    if not may_set_programme_targets(request.user):
        return forbidden(request, NAV, _("项目目标由总经理设定。"))
    form = TargetsForm(request.POST, auto_id="target_%s")
    sent = send(form, lambda data: board.set_targets(actor=actor_of(request), values=data))
    return settle(
        request, sent, done=_("目标已更新。"), to=reverse("console:kpi_board"),
        again=lambda status: _board_page(request, form, status),
    )  # fmt: skip
