"""Portal: the partner's customers, projects and a project's progress board (R-PROJ-3), its
payments and the commission earned on it with every entry's explanation (R-LED-1).

Projects come from ``projects.services.get_visible`` (R-VIS-1): another partner's project is
404 (R-VIS-4). Commission figures are shown only to the project's own partner (R-VIS-2).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.pagination import page_of, query_without_page
from huoban.projects import services as projects
from huoban.projects.models import Project, Status
from huoban.web import partner_required, visible_or_404

from . import overview

# The progress board refreshes itself this often (HTMX polling, R-PROJ-3 "visible at once").
MILESTONE_POLL = "every 30s"


def _partner(request: HttpRequest) -> Any:
    return request.user.partner  # type: ignore[union-attr]


def _project_or_404(request: HttpRequest, project_id: int) -> Project:
    return visible_or_404(projects.get_visible, request, project_id)


@partner_required
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    """The customers the partner owns (and those of its own projects), with project counts."""
    partner = _partner(request)
    customers = (
        overview.customers_of(partner, request.user)
        .select_related("attribution")
        .annotate(n_projects=Count("projects", filter=Q(projects__partner=partner), distinct=True))
        .order_by("legal_name", "id")
    )
    return render(
        request,
        "portal/customer_list.html",
        {"nav": "customers", "tab": "customers", "page": page_of(request, customers)},
    )


@partner_required
@require_GET
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """One customer and the partner's projects with it."""
    partner = _partner(request)
    customer = overview.customers_of(partner, request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    owned = getattr(getattr(customer, "attribution", None), "partner_id", None) == partner.pk
    mine = Project.objects.visible_to(request.user).filter(customer=customer)
    return render(
        request,
        "portal/customer_detail.html",
        {
            "nav": "customers",
            "customer": customer,
            "owned": owned,
            "page": page_of(request, mine),
        },
    )


@partner_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The partner's projects, filtered by status, newest signing first."""
    status = request.GET.get("status", "")
    items = Project.objects.visible_to(request.user).select_related("customer")
    if status in Status.values:
        items = items.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "portal/project_list.html",
        {
            "nav": "customers",
            "tab": "projects",
            "page": page_of(request, items),
            "status": status,
            "statuses": [("", _("全部")), *Status.choices],
            "query": query_without_page(request),
        },
    )


def _milestones(project: Project) -> dict[str, Any]:
    return {
        "project": project,
        "milestones": list(project.milestones.order_by("position")),
        "poll": MILESTONE_POLL,
        "refreshed_at": clock.now(),
    }


@partner_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """A project: progress board, payments, and (to its partner) the commission entries."""
    project = _project_or_404(request, project_id)
    sees_commission = project.partner_id == request.user.partner_id  # type: ignore[union-attr]
    context: dict[str, Any] = {
        "nav": "customers",
        "project": project,
        "received": projects.received(project),
        "payments": page_of(request, project.payments.select_related("refund_of").order_by("seq")),
        "sees_commission": sees_commission,
        **_milestones(project),
    }
    if sees_commission:
        entries = LedgerEntry.objects.visible_to(request.user).filter(
            partner_id=project.partner_id, project=project
        )
        context["commission_earned"] = ledger.earned_on_project(project)
        context["entry_totals"] = ledger.totals(entries)
        context["entries"] = list(entries.select_related("policy_version").order_by("id"))
    return render(request, "portal/project_detail.html", context)


@partner_required
@require_GET
def project_milestones(request: HttpRequest, project_id: int) -> HttpResponse:
    """HTMX: the progress board fragment, polled every 30 s so updates show without reload."""
    project = _project_or_404(request, project_id)
    return render(request, "portal/_milestones.html", _milestones(project))
