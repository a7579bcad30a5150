"""Partner portal pages (SPEC §1 partner user). Thin: parse a form, call the same service as the
API, render. Every object is looked up through the services' visibility (R-VIS-1); what the
partner may not see is 404 (R-VIS-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock
from huoban.accounts import throttle
from huoban.customers.matching import match_customer
from huoban.customers.models import Attribution
from huoban.customers.ownership import owner_of
from huoban.leads import services
from huoban.leads.models import OPEN_STATUSES, Category, Lead, ReasonCode, Status
from huoban.pagination import page_of, query_without_page
from huoban.partners.guards import paused_message
from huoban.partners.models import Partner
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus
from huoban.web import (
    actor_of,
    in_language,
    mark_invalid,
    partner_required,
    send,
    status_counts,
    visible_or_404,
)

from . import overview
from .forms import ITEM_LABELS, LEAD_ERROR_FIELDS, AppealForm, LeadForm, item_choices

RECENT = 5


def _lead_or_404(request: HttpRequest, lead_id: int) -> Lead:
    return visible_or_404(services.get_visible_lead, request, lead_id)


@partner_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The partner's start page: tier and progress, this year's earnings, what is due next,
    leads by status, customers owned, projects in delivery, earnings by month."""
    partner: Partner = request.user.partner  # type: ignore[union-attr,assignment]
    leads = services.visible_leads(request.user)
    counts = status_counts(
        leads.order_by().values("status").annotate(n=Count("id")), Status.choices
    )
    year = clock.today().year
    earnings, by_month = overview.year_earnings(partner, year)
    return render(
        request,
        "portal/home.html",
        {
            "nav": "home",
            "counts": counts,
            "total": sum(n for _code, _label, n in counts),
            "recent": leads[:RECENT],
            "now": clock.now(),
            "year": year,
            "progress": overview.tier_progress(partner),
            "earnings": earnings,
            "due_next": overview.due_next(partner),
            "by_month": by_month,
            "customers_owned": Attribution.objects.filter(partner=partner).count(),
            "in_delivery": Project.objects.visible_to(request.user)
            .filter(status=ProjectStatus.SIGNED)
            .count(),
        },
    )


@partner_required
@require_http_methods(["GET", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    """Submit a lead (R-LEAD-1) through the same service as ``POST /api/v1/leads``."""
    form = LeadForm(request.POST or None)
    if request.method == "POST":
        sent = send(
            form,
            lambda _: services.submit_lead(form.to_input(), actor=actor_of(request)),
            LEAD_ERROR_FIELDS,
        )
        if sent.refusal:  # exited partner (read-only), role
            form.add_error(None, in_language(sent.refusal.message))
        elif sent.ok:
            lead = sent.value
            if lead.status == Status.DUPLICATE:
                messages.warning(request, _("该客户已被报备，线索记为重复报备。"))
            elif lead.status == Status.NEEDS_REVIEW:
                messages.info(request, _("已提交。客户可能已被报备，将由伙伴关系官确认。"))
            else:
                messages.success(request, _("线索已提交，等待评估。"))
            return redirect("portal:lead", lead_id=lead.pk)
    category = form.data.get("category") if form.is_bound else None
    if category in Category.values:
        form.fields["item"].choices = item_choices(category)  # type: ignore[attr-defined]
    # R-CRIS-2: say it before the form is filled in, not after.
    partner = Partner.objects.filter(
        pk=actor_of(request).partner_id or 0, paused_since__isnull=False
    ).first()
    return render(
        request,
        "portal/lead_form.html",
        {
            "nav": "new",
            "form": mark_invalid(form),
            "paused": paused_message(partner) if partner is not None else "",
        },
        status=422 if form.errors else 200,
    )


@partner_required
@require_GET
def lead_items(request: HttpRequest) -> HttpResponse:
    """HTMX: the item ``<select>`` for one category."""
    form = LeadForm(initial={"item": request.GET.get("item", "")})
    category = request.GET.get("category", "")
    form.fields["item"].choices = item_choices(category if category in Category.values else None)  # type: ignore[attr-defined]
    return render(request, "portal/_item_select.html", {"field": form["item"]})


@partner_required
@require_GET
def name_check(request: HttpRequest) -> HttpResponse:
    """HTMX: instant feedback while a partner types the customer's name (R-ATT-2).

    Says only "already registered" when another partner owns the customer, "possibly
    registered" for a possible match, nothing otherwise: never who owns it (R-VIS-1). Limited
    to NAME_CHECKS_PER_MINUTE per user, so the registry cannot be probed name by name (429).
    """
    limit = int(settings.HUOBAN["NAME_CHECKS_PER_MINUTE"])
    if not throttle.allow(f"name-check:{request.user.pk}", limit):
        return render(request, "portal/_name_check.html", {"answer": "throttled"}, status=429)
    name = request.GET.get("customer_name", "").strip()[:200]
    uscc = request.GET.get("customer_uscc", "").strip()[:40] or None
    answer = ""
    if name or uscc:
        match = match_customer(name, uscc)
        if match.kind == "exact" and match.customer is not None:
            owner = owner_of(match.customer)
            if owner is not None and owner.pk != request.user.partner_id:  # type: ignore[union-attr]
                answer = "registered"
        elif match.kind == "possible":
            answer = "possible"
    return render(request, "portal/_name_check.html", {"answer": answer})


@partner_required
@require_GET
def lead_list(request: HttpRequest) -> HttpResponse:
    """The partner's leads, newest first, filtered by status, paginated."""
    status = request.GET.get("status", "")
    leads = services.visible_leads(request.user)
    if status in Status.values:
        leads = leads.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "portal/lead_list.html",
        {
            "nav": "leads",
            "page": page_of(request, leads),
            "status": status,
            "statuses": [("", _("全部")), *Status.choices],
            "query": query_without_page(request),
            "now": clock.now(),
        },
    )


def _detail_context(request: HttpRequest, lead: Lead, appeal_form: AppealForm) -> dict[str, Any]:
    now = clock.now()
    window = dt.timedelta(days=int(settings.HUOBAN["APPEAL_WINDOW_DAYS"]))
    appeal_until = lead.verdict_at + window if lead.verdict_at else None
    can_appeal = (
        lead.status == Status.INVALID
        and lead.appealed_at is None
        and appeal_until is not None
        and now <= appeal_until
        and not request.user.partner.is_exited  # type: ignore[union-attr]
    )
    return {
        "nav": "leads",
        "lead": lead,
        "now": now,
        "is_open": lead.status in OPEN_STATUSES,
        "overdue": lead.status in OPEN_STATUSES and lead.sla_due_at < now,
        "item_label": ITEM_LABELS.get(lead.item, lead.item),
        "reason_label": ReasonCode(lead.reason_code).label if lead.reason_code else "",
        "can_appeal": can_appeal,
        "appeal_until": appeal_until,
        "appeal_form": mark_invalid(appeal_form),
    }


@partner_required
@require_GET
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    """One lead: the verdict, its reason or quote range, the SLA countdown, the appeal."""
    lead = _lead_or_404(request, lead_id)
    return render(request, "portal/lead_detail.html", _detail_context(request, lead, AppealForm()))


@partner_required
@require_POST
def lead_appeal(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Appeal an invalid verdict once, within 30 days (R-LEAD-4)."""
    lead = _lead_or_404(request, lead_id)
    form = AppealForm(request.POST)
    sent = send(
        form, lambda data: services.appeal(lead.pk, data["reason"], actor=actor_of(request))
    )
    if sent.refusal:
        messages.error(request, in_language(sent.refusal.message))
        return redirect("portal:lead", lead_id=lead.pk)
    if sent.ok:
        messages.success(request, _("申诉已提交，将由伙伴关系官与售前共同复核。"))
        return redirect("portal:lead", lead_id=lead.pk)
    return render(
        request, "portal/lead_detail.html", _detail_context(request, lead, form), status=422
    )
