"""Portal: breaches by the company (R-VIOL-1). A partner reports one on its own project; once
an admin confirms it, the partner claims the liquidated damages (30 % of the project's
contract amount under its locked policy), booked once as a ledger entry with its explanation.
An exited partner may still claim: the money is owed to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huoban.commissions.models import EntryKind, LedgerEntry
from huoban.core.templatetags.huoban_tags import yuan
from huoban.errors import DomainError, NotFound
from huoban.partners.models import CompanyViolation
from huoban.projects.models import Project
from huoban.standing.violations import (
    claim_liquidated_damages,
    damages_event_key,
    report_company_violation,
)
from huoban.web import actor_of, in_language, mark_invalid, partner_required, send

from .forms import CompanyViolationForm


def _projects(request: HttpRequest) -> Any:
    return Project.objects.visible_to(request.user).order_by("-signed_on", "-id")


def _page(
    request: HttpRequest, form: CompanyViolationForm | None = None, status: int = 200
) -> HttpResponse:
    partner: Any = request.user.partner  # type: ignore[union-attr]
    reports = list(
        CompanyViolation.objects.visible_to(request.user)
        .select_related("project")
        .order_by("-reported_at", "-id")
    )
    claimed = {
        e.event_key: e
        for e in LedgerEntry.objects.visible_to(request.user).filter(
            kind=EntryKind.LIQUIDATED_DAMAGES,
            event_key__in=[damages_event_key(v) for v in reports],
        )
    }
    return render(
        request,
        "portal/violations.html",
        {
            "nav": "money",
            "tab": "violations",
            "page_url": reverse("portal:violations"),
            "rows": [(v, claimed.get(damages_event_key(v))) for v in reports],
            "form": mark_invalid(form or CompanyViolationForm(projects=_projects(request))),
            "read_only": partner.is_exited,
        },
        status=status,
    )


@partner_required
@require_GET
def violation_list(request: HttpRequest) -> HttpResponse:
    """The partner's reports, their decisions and claims, and the report form."""
    return _page(request)


@partner_required
@require_POST
def violation_report(request: HttpRequest) -> HttpResponse:
    form = CompanyViolationForm(request.POST, projects=_projects(request))
    sent = send(
        form,
        lambda data: report_company_violation(
            actor=actor_of(request),
            project_id=data["project"].pk,
            kind=data["kind"],
            description=data["description"],
        ),
        {"project_id": "project"},
    )
    if sent.ok:
        messages.success(request, _("已提交违约报告，管理员核实后会给出结论。"))
        return redirect("portal:violations")
    status = sent.refusal.status if sent.refusal else 422
    if sent.refusal:
        form.add_error(None, in_language(sent.refusal.message))
    return _page(request, form, status)


@partner_required
@require_POST
def violation_claim(request: HttpRequest, violation_id: int) -> HttpResponse:
    """Claim the liquidated damages of a confirmed violation (once; a second claim answers the
    same entry)."""
    try:
        entry, created = claim_liquidated_damages(violation_id, actor=actor_of(request))
    except NotFound as e:
        raise Http404 from e
    except DomainError as e:
        messages.error(request, in_language(e.message))
        return _page(request, status=e.status)
    if created:
        messages.success(
            request,
            _("已记入违约金 ¥%(amount)s，%(due)s 前支付。")
            % {"amount": yuan(entry.amount), "due": entry.due_on.isoformat()},
        )
    return redirect("portal:violations")
