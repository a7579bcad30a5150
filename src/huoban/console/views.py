"""Staff console pages (SPEC §1 staff roles). Thin: parse a form, call the same service as the
API, render. Every staff role may read; the services refuse what a role may not do."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huoban import clock
from huoban.customers.consent import contacts_for
from huoban.customers.ownership import owner_of
from huoban.errors import DomainError
from huoban.leads import services
from huoban.leads.models import OPEN_STATUSES, Lead, Status
from huoban.pagination import page_of, query_without_page
from huoban.policy import may_sign_projects
from huoban.portal.forms import ITEM_LABELS
from huoban.web import actor_of, in_language, mark_invalid, send, staff_required, visible_or_404

from .common import Column, exported
from .forms import SignatureForm, VerdictForm

CONTACTS_SHOWN = 10


def _lead_or_404(request: HttpRequest, lead_id: int) -> Lead:
    return visible_or_404(services.get_visible_lead, request, lead_id)


def _local(moment: Any) -> str:
    return moment.astimezone(clock.local_tz()).strftime("%Y-%m-%d %H:%M") if moment else ""


#: R-IMP-5: the lead queue's columns, as the page shows them.
LEAD_COLUMNS = [
    Column("#", lambda lead: lead.pk),
    Column(gettext_lazy("客户名称"), lambda lead: lead.customer_name),
    Column(gettext_lazy("伙伴编号"), lambda lead: lead.partner.code),
    Column(gettext_lazy("伙伴"), lambda lead: lead.partner.name),
    Column(gettext_lazy("场景类别"), lambda lead: str(lead.get_category_display())),
    Column(gettext_lazy("报备时间"), lambda lead: _local(lead.submitted_at)),
    Column(gettext_lazy("评估截止"), lambda lead: _local(lead.sla_due_at)),
    Column(gettext_lazy("状态"), lambda lead: str(lead.get_status_display())),
]


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponseBase:
    """The lead queue: open leads by SLA due time, overdue first and highlighted (R-LEAD-3);
    a lead waiting behind an earlier one on the same customer is marked (R-ATT-3)."""
    now = clock.now()
    view = request.GET.get("view", "open")
    leads = services.with_waiting(services.visible_leads(request.user).select_related("partner"))
    if view == "overdue":
        leads = leads.filter(status__in=OPEN_STATUSES, sla_due_at__lt=now).order_by("sla_due_at")
    elif view == "all":
        leads = leads.order_by("-submitted_at", "-id")
    else:
        view = "open"
        leads = leads.filter(status__in=OPEN_STATUSES).order_by("sla_due_at", "id")
    download = exported(request, leads, LEAD_COLUMNS, name="leads", title=_("线索"))
    if download is not None:
        return download
    page = page_of(request, leads)
    rows = [
        {
            "lead": lead,
            "overdue": lead.status in OPEN_STATUSES and lead.sla_due_at < now,
            "waiting": lead.waiting,
        }
        for lead in page
    ]
    open_leads = services.visible_leads(request.user).filter(status__in=OPEN_STATUSES)
    return render(
        request,
        "console/queue.html",
        {
            "nav": "queue",
            "page": page,
            "rows": rows,
            "view": view,
            "views": [
                ("open", _("待评估")),
                ("overdue", _("已超时")),
                ("all", _("全部")),
            ],
            "open_count": open_leads.count(),
            "overdue_count": open_leads.filter(sla_due_at__lt=now).count(),
            "query": query_without_page(request),
            "now": now,
        },
    )


@staff_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """Appealed leads awaiting the two signatures, earliest due first (R-LEAD-4)."""
    leads = (
        services.visible_leads(request.user)
        .filter(status=Status.APPEALED)
        .select_related("partner")
        .prefetch_related("signatures__reviewer")
        .annotate(
            no_due=Case(
                When(second_review_due_on=None, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("no_due", "second_review_due_on", "appealed_at", "id")
    )
    return render(
        request,
        "console/reviews.html",
        {
            "nav": "reviews",
            "page": page_of(request, leads),
            "query": query_without_page(request),
            "today": clock.today(),
        },
    )


def _detail(
    request: HttpRequest,
    lead: Lead,
    *,
    verdict_form: VerdictForm | None = None,
    signature_form: SignatureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    customer = lead.customer
    contacts: list[dict[str, Any]] = []
    owner = None
    if customer is not None:
        contacts = contacts_for(request.user, customer, limit=CONTACTS_SHOWN)
        owner = owner_of(customer)
    signatures = list(lead.signatures.select_related("reviewer"))
    candidates = []
    if lead.status == Status.NEEDS_REVIEW:
        candidates = [(c, owner_of(c)) for c in services.match_candidates(lead)]
    return render(
        request,
        "console/lead_detail.html",
        {
            "nav": "reviews" if lead.status == Status.APPEALED else "queue",
            "page_url": reverse("console:lead", kwargs={"lead_id": lead.pk}),
            "lead": lead,
            # A valid lead on a registered customer is signed from here (R-PROJ-1).
            "may_sign": lead.status == Status.VALID
            and lead.customer_id is not None
            and may_sign_projects(request.user),
            "now": now,
            "overdue": lead.status in OPEN_STATUSES and lead.sla_due_at < now,
            "blocking": services.blocking_lead(lead) if lead.status == Status.PENDING else None,
            "item_label": ITEM_LABELS.get(lead.item, lead.item),
            "owner": owner,
            "contacts": contacts,
            "signatures": signatures,
            "candidates": candidates,
            "verdict_form": mark_invalid(verdict_form or VerdictForm()),
            "signature_form": mark_invalid(signature_form or SignatureForm()),
        },
        status=status,
    )


@staff_required
@require_GET
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    """One lead with the verdict form, the match decision or the second-review signatures."""
    return _detail(request, _lead_or_404(request, lead_id))


@staff_required
@require_POST
def lead_verdict(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Record a verdict (R-LEAD-3) through the same service as the API."""
    lead = _lead_or_404(request, lead_id)
    form = VerdictForm(request.POST)
    sent = send(
        form, lambda _: services.record_verdict(lead.pk, form.to_input(), actor=actor_of(request))
    )
    if sent.refusal:  # not pending, waiting, role
        messages.error(request, in_language(sent.refusal.message))
        return redirect("console:lead", lead_id=lead.pk)
    if sent.ok:
        messages.success(request, _("结论已记录。"))
        return redirect("console:lead", lead_id=lead.pk)
    return _detail(request, lead, verdict_form=form, status=422)


@staff_required
@require_POST
def lead_match(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Decide a possible customer match (R-ATT-2): one of the customers named, or a new one."""
    lead = _lead_or_404(request, lead_id)
    choice = request.POST.get("decision")
    named = {str(c.pk): c.pk for c in services.match_candidates(lead)}
    if choice == "new":
        customer_id = None
    elif choice == "candidate" and request.POST.get("customer_id", "") in named:
        customer_id = named[request.POST["customer_id"]]
    elif choice == "candidate" and "customer_id" not in request.POST and len(named) == 1:
        customer_id = next(iter(named.values()))
    else:
        messages.error(request, _("请选择是否为同一客户。"))
        return redirect("console:lead", lead_id=lead.pk)
    try:
        services.resolve_match(lead.pk, customer_id, actor=actor_of(request))
    except DomainError as e:
        messages.error(request, in_language(e.message))
    else:
        messages.success(request, _("客户匹配已确认。"))
    return redirect("console:lead", lead_id=lead.pk)


@staff_required
@require_POST
def lead_sign(request: HttpRequest, lead_id: int) -> HttpResponse:
    """Sign the second review of an appealed lead (R-LEAD-4)."""
    lead = _lead_or_404(request, lead_id)
    form = SignatureForm(request.POST)
    sent = send(
        form,
        lambda _: services.sign_second_review(lead.pk, form.to_input(), actor=actor_of(request)),
    )
    if sent.refusal:
        messages.error(request, in_language(sent.refusal.message))
        return redirect("console:lead", lead_id=lead.pk)
    if sent.ok:
        signed = sent.value
        if signed.final_at is not None and signed.status != Status.APPEALED:
            messages.success(request, _("双人复核完成，结论已生效。"))
        else:
            messages.success(request, _("已签署，等待另一位复核人。"))
        return redirect("console:lead", lead_id=lead.pk)
    return _detail(request, lead, signature_form=form, status=422)
