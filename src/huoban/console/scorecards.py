"""Scorecards in the console (SPEC §10.7, R-KPI; R-UI-1): a partner's months with their trend
and the month's form, prefilled from the month before; the programme ranked by the latest total
and band (R-KPI-4)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock
from huoban.partners.models import Partner, PartnerStatus
from huoban.performance.forms import ScorecardForm, TemplateForm, line_of
from huoban.performance.models import Band, Scorecard, ScorecardTemplate
from huoban.performance.services import record_scorecard, set_scorecard_template
from huoban.policy import may_manage_partners
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import Column, exported, forbidden, partner_or_404, settle

NAV = "scorecards"


def _month_to_record(cards: list[Scorecard]) -> str:
    """The month before this one, or this one when the month before is recorded already."""
    today = clock.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if cards and (cards[0].year, cards[0].month) >= (year, month):
        year, month = today.year, today.month
    return f"{year:04d}-{month:02d}"


@staff_required
@require_http_methods(["GET", "POST"])
def partner_scorecards(request: HttpRequest, code: str) -> HttpResponse:
    """A partner's scorecards, newest first, with the trend; officers record a month."""
    partner = partner_or_404(request, code)
    cards = list(
        Scorecard.objects.visible_to(request.user)
        .current()
        .filter(partner=partner)
        .order_by("-year", "-month")
    )
    may_record = may_manage_partners(request.user) and partner.status != PartnerStatus.EXITED
    if request.method == "POST":
        if not may_manage_partners(request.user):
            return forbidden(request, NAV, _("记分卡由伙伴关系官登记。"))
        form = ScorecardForm(request.POST)
        sent = send(
            form,
            lambda data: record_scorecard(
                partner.code, period=data["period"], kpis=form.kpis(), actor=actor_of(request)
            ),
        )
        page = reverse("console:partner_scorecards", kwargs={"code": partner.code})
        return settle(
            request,
            sent,
            done=lambda card: (
                _("已登记 %(period)s 记分卡：%(total)s 分。")
                % {"period": card.period, "total": card.total}
            ),
            to=page,
            again=lambda status: _page(request, partner, cards, form, may_record, status),
        )
    form = ScorecardForm(
        initial={"period": _month_to_record(cards), "lines": _starting_lines(partner, cards)}
    )
    return _page(request, partner, cards, form, may_record, 200)


def _template_of(partner: Partner) -> ScorecardTemplate | None:
    return ScorecardTemplate.objects.filter(partner=partner).first()


def _starting_lines(partner: Partner, cards: list[Scorecard]) -> str:
    """R-KPI-1 (D-KPI-2): the month starts from the partner's template, or else from the month
    before's KPIs; the actuals left to fill."""
    template = _template_of(partner)
    items = template.items if template else (cards[0].items if cards else [])
    return "\n".join(line_of(item) for item in items)


@staff_required
@require_POST
def scorecard_template(request: HttpRequest, code: str) -> HttpResponse:
    """Officers set the partner's scorecard template (R-KPI-1; D-KPI-2)."""
    partner = partner_or_404(request, code)
    if not may_manage_partners(request.user) or partner.status == PartnerStatus.EXITED:
        return forbidden(request, NAV, _("记分卡模板由伙伴关系官设定。"))
    form = TemplateForm(request.POST)
    sent = send(
        form,
        lambda data: set_scorecard_template(
            partner.code, kpis=form.kpis(), actor=actor_of(request)
        ),
    )
    cards = list(
        Scorecard.objects.visible_to(request.user)
        .current()
        .filter(partner=partner)
        .order_by("-year", "-month")
    )
    return settle(
        request,
        sent,
        done=lambda template: _("已保存记分卡模板：%(n)d 项指标。") % {"n": len(template.items)},
        to=reverse("console:partner_scorecards", kwargs={"code": partner.code}) + "#template",
        again=lambda status: _page(
            request,
            partner,
            cards,
            ScorecardForm(
                initial={
                    "period": _month_to_record(cards),
                    "lines": _starting_lines(partner, cards),
                }
            ),
            True,
            status,
            template_form=form,
        ),
    )


def _page(
    request: HttpRequest,
    partner: Partner,
    cards: list[Scorecard],
    form: ScorecardForm,
    may_record: bool,
    status: int,
    *,
    template_form: TemplateForm | None = None,
) -> HttpResponse:
    template = _template_of(partner)
    if template_form is None:
        lines = "\n".join(line_of(i, template=True) for i in template.items) if template else ""
        template_form = TemplateForm(initial={"template": lines})
    oldest_first = list(reversed(cards))
    names: list[str] = list(dict.fromkeys(i["name"] for c in oldest_first for i in c.items))
    chart = {
        "months": [c.period for c in oldest_first],
        "total": [str(c.total) for c in oldest_first],
        "kpis": [
            {
                "name": name,
                "scores": [
                    next((i["score"] for i in c.items if i["name"] == name), None)
                    for c in oldest_first
                ],
            }
            for name in names
        ],
    }
    return render(
        request,
        "console/scorecards.html",
        {
            "nav": NAV,
            "partner": partner,
            "cards": cards,
            "names": names,
            "chart": chart,
            "form": mark_invalid(form),
            "may_record": may_record,
            "bands": dict(Band.choices),
            "template": template,
            "template_form": mark_invalid(template_form),
        },
        status=status,
    )


#: R-IMP-5: the ranking's columns, as the page shows them.
RANKING_COLUMNS = [
    Column(gettext_lazy("伙伴编号"), lambda c: c.partner.code),
    Column(gettext_lazy("伙伴"), lambda c: c.partner.name),
    Column(gettext_lazy("最近月份"), lambda c: c.period),
    Column(gettext_lazy("总分"), lambda c: c.total),
    Column(gettext_lazy("等级"), lambda c: str(c.get_band_display())),
]


@staff_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponseBase:
    """R-KPI-4: partners ranked by their latest scorecard's total, with its band."""
    latest: dict[int, Scorecard] = {}
    rows = (
        Scorecard.objects.visible_to(request.user)
        .current()
        .select_related("partner")
        .order_by("partner_id", "-year", "-month")
    )
    for card in rows:
        latest.setdefault(card.partner_id, card)
    ranked: list[Any] = sorted(latest.values(), key=lambda c: (-c.total, c.partner.code))
    download = exported(request, ranked, RANKING_COLUMNS, name="scorecards", title=_("记分卡排名"))
    if download is not None:
        return download
    return render(
        request,
        "console/scorecard_ranking.html",
        {"nav": NAV, "ranked": ranked, "bands": dict(Band.choices)},
    )
