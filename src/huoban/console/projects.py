"""Projects: list, board by stage, the project page with milestones, payments, acceptance and
cancellation (SPEC §5). Money shown only to finance and admin (R-VIS-2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock, explain
from huoban.accounts.models import Role, User
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.credit import services as credit
from huoban.customers.models import Customer
from huoban.customers.ownership import owner_of
from huoban.errors import DomainError
from huoban.pagination import page_of, query_without_page
from huoban.partners.models import Tier
from huoban.policy import may_decide_share_schemes, may_sign_projects, sees_revenue_share
from huoban.projects import services
from huoban.projects.models import (
    CustomerPayment,
    Milestone,
    PaymentKind,
    Project,
    Stage,
    Status,
)
from huoban.sharing.forms import SchemeForm, ShareForm
from huoban.sharing.models import ProjectShare, SchemeStatus, ShareScheme
from huoban.sharing.services import add_share, approve_scheme, propose_scheme, scheme_figures
from huoban.web import actor_of, hx, mark_invalid, send, staff_required, visible_or_404

from .common import Column, ask_first, confirmed, exported, forbidden, refused, sees_money, settle
from .forms import (
    AcceptForm,
    AmendForm,
    CancelForm,
    MilestoneForm,
    PaymentForm,
    SigningForm,
)

BOARD_COLUMN = 12
DONE_STAGE = "done"


def _stage_label(code: str | None) -> str:
    return str(Stage(code).label) if code in Stage.values else str(Stage.MAINTENANCE.label)


#: R-IMP-5: the project list's columns, as the page shows them.
PROJECT_COLUMNS = [
    Column("#", lambda p: p.pk),
    Column(gettext_lazy("项目"), lambda p: p.title),
    Column(gettext_lazy("客户"), lambda p: p.customer.legal_name),
    Column(gettext_lazy("伙伴编号"), lambda p: p.partner.code),
    Column(gettext_lazy("伙伴"), lambda p: p.partner.name),
    Column(gettext_lazy("类型"), lambda p: str(p.get_kind_display())),
    Column(gettext_lazy("合同额"), lambda p: p.contract_amount),
    Column(gettext_lazy("签约日"), lambda p: p.signed_on),
    Column(
        gettext_lazy("当前阶段"),
        lambda p: _stage_label(p.current_stage) if p.status == "signed" else "",
    ),
    Column(gettext_lazy("状态"), lambda p: str(p.get_status_display())),
]


@staff_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponseBase:
    """Every project, newest signing first, filtered by status and partner."""
    status = request.GET.get("status", "")
    partner = request.GET.get("partner", "").strip()
    # The partners and customers of the page come in two more queries (prefetch), not a join:
    # a join made SQLite sort every project instead of walking the signing-date index.
    projects: QuerySet[Any] = Project.objects.visible_to(request.user).prefetch_related(
        "partner", "customer"
    )
    if status in Status.values:
        projects = projects.filter(status=status)
    if partner:
        projects = projects.filter(partner__code=partner)
    projects = projects.order_by("-signed_on", "-id")
    download = exported(request, projects, PROJECT_COLUMNS, name="projects", title=_("项目"))
    if download is not None:
        return download
    page = page_of(request, projects)
    for project in page:
        project.stage_label = _stage_label(project.current_stage)
    return render(
        request,
        "console/projects.html",
        {
            "nav": "projects",
            "page": page,
            "query": query_without_page(request),
            "status": status,
            "partner": partner,
            "statuses": Status.choices,
            "money": sees_money(request.user),
        },
    )


@staff_required
@require_GET
def project_board(request: HttpRequest) -> HttpResponse:
    """Projects in delivery by current stage (R-PROJ-3): counts in one grouped query, the
    latest few of each stage, all from the (status, current_stage, signed_on) index."""
    signed = Project.objects.visible_to(request.user).filter(status=Status.SIGNED)
    counts = {
        row["current_stage"]: row["n"]
        for row in signed.order_by().values("current_stage").annotate(n=Count("id"))
    }
    columns = []
    for code, label in Stage.choices:
        n = counts.get(code, 0)
        rows = (
            list(
                signed.filter(current_stage=code)
                .select_related("partner", "customer")
                .order_by("-signed_on", "-id")[:BOARD_COLUMN]
            )
            if n
            else []
        )
        columns.append({"code": code, "label": label, "projects": rows, "count": n})
    return render(request, "console/board.html", {"nav": "projects", "columns": columns})


def _project_or_404(request: HttpRequest, project_id: int) -> Project:
    return visible_or_404(services.get_visible, request, project_id)


def _forms_for(user: Any) -> dict[str, bool]:
    return {
        "may_pay": user.has_role(Role.FINANCE),
        "may_accept": user.has_role(Role.PM, Role.OFFICER),
        "may_cancel": user.has_role(Role.PM, Role.OFFICER),
        "may_edit_milestones": user.has_role(Role.PM, Role.OFFICER),
    }


def _project_page(
    request: HttpRequest,
    project: Project,
    *,
    payment_form: PaymentForm | None = None,
    accept_form: AcceptForm | None = None,
    cancel_form: CancelForm | None = None,
    amend_form: AmendForm | None = None,
    share_form: ShareForm | None = None,
    scheme_form: SchemeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    money = sees_money(user)
    # R-RS-1: the co-delivery partners; the ratio only for who may see it (R-PRF-3).
    shares = [
        (row, row.share if sees_revenue_share(user, row.partner_id) else None)
        for row in ProjectShare.objects.filter(project=project).select_related("partner")
    ]
    context: dict[str, Any] = {
        "nav": "projects",
        "page_url": reverse("console:project", kwargs={"project_id": project.pk}),
        "project": project,
        "milestones": project.milestones.order_by("position"),
        "payments": CustomerPayment.objects.filter(project=project)
        .select_related("refund_of", "recorded_by")
        .order_by("seq"),
        "received": services.received(project),
        "tier_label": dict(Tier.choices).get(project.tier_at_signing, project.tier_at_signing),
        "money": money,
        "payment_form": mark_invalid(
            payment_form or PaymentForm(initial={"kind": PaymentKind.PAYMENT})
        ),
        "accept_form": mark_invalid(accept_form or AcceptForm()),
        "cancel_form": mark_invalid(cancel_form or CancelForm()),
        # R-PROJ-2: the amount may be corrected until the first payment.
        "may_amend": user.has_role(Role.PM, Role.OFFICER)
        and project.status == Status.SIGNED
        and not project.payments.exists(),
        "amend_form": mark_invalid(
            amend_form or AmendForm(initial={"contract_amount": project.contract_amount})
        ),
        "edit": request.GET.get("edit", ""),
        "shares": shares,
        "shares_hidden": any(ratio is None for _row, ratio in shares),
        "may_add_share": may_sign_projects(user) and project.status != Status.CANCELLED,
        "share_form": mark_invalid(share_form or ShareForm()),
        # R-RS-1: the schemes side by side, figures per R-PRF-3; the gm proposes and approves.
        "schemes": [
            (row, scheme_figures(row) if sees_revenue_share(user, row.partner_id) else None)
            for row in ShareScheme.objects.filter(project=project).select_related(
                "partner", "project", "decided_by"
            )
        ],
        "may_decide_schemes": may_decide_share_schemes(user) and project.status != Status.CANCELLED,
        "scheme_form": mark_invalid(scheme_form or SchemeForm()),
        "proposed": SchemeStatus.PROPOSED,
        **_forms_for(user),
    }
    if money:
        context["earned"] = ledger.earned_on_project(project)
        context["entries"] = (
            LedgerEntry.objects.visible_to(request.user)
            .filter(project=project)
            .select_related("partner")
            .order_by("id")
        )
    if context["edit"] in Stage.values and context["may_edit_milestones"]:
        milestone = project.milestones.filter(stage=context["edit"]).first()
        if milestone is not None:
            context["milestone_form"] = _milestone_form(milestone)
    return render(request, "console/project.html", context, status=status)


@staff_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """One project: milestones, payments, acceptance, cancellation."""
    return _project_page(request, _project_or_404(request, project_id))


def _milestone_form(milestone: Milestone, data: Any = None) -> MilestoneForm:
    return MilestoneForm(
        data,
        prefix=milestone.stage,
        initial={
            "planned_on": milestone.planned_on,
            "actual_on": milestone.actual_on,
            "status": milestone.status,
            "note": milestone.note,
        },
    )


def _milestone_row(
    request: HttpRequest,
    project: Project,
    milestone: Milestone,
    form: MilestoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "console/_milestone_row.html",
        {
            "project": project,
            "m": milestone,
            "milestone_form": mark_invalid(form) if form is not None else None,
            "edit": milestone.stage if form is not None else "",
            "may_edit_milestones": True,
        },
        status=status,
    )


@staff_required
@require_GET
def milestone_edit(request: HttpRequest, project_id: int, stage: str) -> HttpResponse:
    """The inline edit row for one stage (HTMX); without HTMX, the page with that row open."""
    project = _project_or_404(request, project_id)
    milestone = project.milestones.filter(stage=stage).first()
    if milestone is None:
        raise Http404
    if not hx(request):
        return redirect(f"{reverse('console:project', args=[project.pk])}?edit={stage}")
    user: Any = request.user
    if not user.has_role(Role.PM, Role.OFFICER):
        return _milestone_row(request, project, milestone, status=403)
    return _milestone_row(request, project, milestone, _milestone_form(milestone))


@staff_required
@require_POST
def milestone_update(request: HttpRequest, project_id: int, stage: str) -> HttpResponse:
    """Update one stage through the service; HTMX gets the row back, a browser the page."""
    project = _project_or_404(request, project_id)
    milestone = project.milestones.filter(stage=stage).first()
    if milestone is None:
        raise Http404
    form = _milestone_form(milestone, request.POST)
    sent = send(
        form,
        lambda data: services.update_milestone(
            project.pk,
            stage,
            actor=actor_of(request),
            planned_on=data["planned_on"],
            actual_on=data["actual_on"],
            status=data["status"],
            note=data["note"],
        ),
    )
    if sent.refusal:
        status = refused(request, sent.refusal)
        if hx(request):
            return _milestone_row(request, project, milestone, status=status)
        return _project_page(request, project, status=status)
    if sent.ok:
        if hx(request):
            return _milestone_row(request, project, sent.value)
        messages.success(request, _("进度已更新。"))
        return redirect("console:project", project_id=project.pk)
    if hx(request):
        return _milestone_row(request, project, milestone, form, status=422)
    return _project_page(request, project, status=422)


@staff_required
@require_POST
def project_payment(request: HttpRequest, project_id: int) -> HttpResponse:
    """Record a customer payment or refund (finance; R-PROJ-4). A reused reference with other
    content answers 409 with the service's message."""
    project = _project_or_404(request, project_id)
    form = PaymentForm(request.POST)
    sent = send(
        form,
        lambda data: services.record_payment(
            project.pk,
            actor=actor_of(request),
            amount=data["amount"],
            received_on=data["received_on"],
            reference=data["reference"],
            kind=data["kind"],
            refund_of=data["refund_of"] or None,
            confirm_over_contract=bool(data.get("confirm_over_contract")),
        ),
    )
    if sent.refusal:
        return _project_page(
            request, project, payment_form=form, status=refused(request, sent.refusal)
        )
    if sent.ok:
        payment, created, _outcomes = sent.value
        if created:
            text = _("已登记回款流水 %(ref)s。") % {"ref": payment.reference}
            messages.success(request, text)
        else:
            messages.info(request, _("该流水已登记过，内容一致，未重复记录。"))
        return redirect("console:project", project_id=project.pk)
    return _project_page(request, project, payment_form=form, status=422)


@staff_required
@require_POST
def project_scheme(request: HttpRequest, project_id: int) -> HttpResponse:
    """Propose a revenue-share scheme for a co-delivery partner (gm, admin; R-RS-1)."""
    project = _project_or_404(request, project_id)
    if not may_decide_share_schemes(request.user):
        return forbidden(request, "projects", _("分成方案由总经理提出和批准。"))
    form = SchemeForm(request.POST)
    sent = send(
        form,
        lambda data: propose_scheme(
            project.pk,
            partner_code=data["partner_code"].strip(),
            label=data["label"],
            share=data["share"],
            settle_days=data["settle_days"],
            role=data["role"],
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=_("已记录分成方案，可与其他方案并列比较后批准。"),
        to=reverse("console:project", kwargs={"project_id": project.pk}) + "#schemes",
        again=lambda status: _project_page(request, project, scheme_form=form, status=status),
    )


@staff_required
@require_POST
def scheme_approve(request: HttpRequest, project_id: int, scheme_id: int) -> HttpResponse:
    """Approve one scheme: its share is locked on the project, the others set aside (gm)."""
    project = _project_or_404(request, project_id)
    if not may_decide_share_schemes(request.user):
        return forbidden(request, "projects", _("分成方案由总经理提出和批准。"))
    scheme = ShareScheme.objects.filter(pk=scheme_id, project=project).first()
    if scheme is None:
        raise Http404
    try:
        approve_scheme(scheme.pk, actor=actor_of(request))
    except DomainError as error:
        return _project_page(request, project, status=refused(request, error))
    messages.success(
        request,
        _("已批准%(label)s：分成比例已锁定在本项目，其他方案未采用。") % {"label": scheme.label},
    )
    return redirect(reverse("console:project", kwargs={"project_id": project.pk}) + "#schemes")


@staff_required
@require_POST
def project_accept(request: HttpRequest, project_id: int) -> HttpResponse:
    """Record acceptance 验收 (pm, officer, admin; R-PROJ-5)."""
    project = _project_or_404(request, project_id)
    form = AcceptForm(request.POST)
    sent = send(
        form,
        lambda data: services.accept_project(
            project.pk, actor=actor_of(request), accepted_on=data["accepted_on"]
        ),
    )
    if sent.refusal:
        return _project_page(
            request, project, accept_form=form, status=refused(request, sent.refusal)
        )
    if sent.ok:
        messages.success(request, _("已记录验收。"))
        return redirect("console:project", project_id=project.pk)
    return _project_page(request, project, accept_form=form, status=422)


@staff_required
@require_POST
def project_share(request: HttpRequest, project_id: int) -> HttpResponse:
    """Add a co-delivery partner with its share (officer, pm, admin; R-RS-1)."""
    project = _project_or_404(request, project_id)
    if not may_sign_projects(request.user):
        return forbidden(request, "projects", _("合作方由伙伴关系官或项目经理登记。"))
    form = ShareForm(request.POST)
    sent = send(
        form,
        lambda data: add_share(
            project.pk,
            partner_code=data["partner_code"].strip(),
            share=data["share"],
            settle_days=data["settle_days"],
            role=data["role"],
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=_("已登记合作方，已到账的回款已按比例计入其台账。"),
        to=reverse("console:project", kwargs={"project_id": project.pk}) + "#shares",
        again=lambda status: _project_page(request, project, share_form=form, status=status),
    )


@staff_required
@require_POST
def project_cancel(request: HttpRequest, project_id: int) -> HttpResponse:
    """Cancel a project (pm, officer, admin; R-PROJ-5): what was credited stays."""
    project = _project_or_404(request, project_id)
    form = CancelForm(request.POST)
    checked = (
        send(
            form,
            lambda data: services.check_cancellation(
                project, cancelled_on=data["cancelled_on"], reason=data["reason"]
            ),
        )
        if not confirmed(request) and may_sign_projects(request.user)
        else None
    )
    if checked is not None and checked.refusal:
        return _project_page(
            request, project, cancel_form=form, status=refused(request, checked.refusal)
        )
    if checked is not None and not checked.ok:
        return _project_page(request, project, cancel_form=form, status=422)
    if checked is not None:
        return ask_first(
            request,
            nav="projects",
            title=_("取消项目"),
            lines=[
                _("项目“%(title)s”（%(partner)s，合同额 ¥%(amount)s）于 %(on)s 取消。")
                % {
                    "title": project.title,
                    "partner": project.partner.name,
                    "amount": explain.yuan(project.contract_amount),
                    "on": form.cleaned_data["cancelled_on"].isoformat(),
                },
                _("此后不再登记回款、验收，也不再产生佣金；已记入的佣金条目保留。"),
                _("如需冲回已记佣金，由财务另行提出冲销调整。"),
            ],
            cancel_url=reverse("console:project", kwargs={"project_id": project.pk}),
            button=_("确认取消项目"),
        )
    sent = send(
        form,
        lambda data: services.cancel_project(
            project.pk,
            actor=actor_of(request),
            cancelled_on=data["cancelled_on"],
            reason=data["reason"],
        ),
    )
    if sent.refusal:
        return _project_page(
            request, project, cancel_form=form, status=refused(request, sent.refusal)
        )
    if sent.ok:
        messages.success(request, _("项目已取消。"))
        return redirect("console:project", project_id=project.pk)
    return _project_page(request, project, cancel_form=form, status=422)


@staff_required
@require_POST
def project_amend(request: HttpRequest, project_id: int) -> HttpResponse:
    """Correct the contract amount before the first payment (pm, officer, admin; R-PROJ-2)."""
    project = _project_or_404(request, project_id)
    form = AmendForm(request.POST)
    sent = send(
        form,
        lambda data: services.amend_contract_amount(
            project.pk,
            actor=actor_of(request),
            contract_amount=data["contract_amount"],
            reason=data["reason"],
        ),
    )
    if sent.refusal:
        return _project_page(
            request, project, amend_form=form, status=refused(request, sent.refusal)
        )
    if sent.ok:
        amended = sent.value
        messages.success(
            request,
            _("合同金额已更正：费率 %(rate)s，佣金总额 ¥%(total)s。")
            % {"rate": explain.pct(amended.rate), "total": explain.yuan(amended.commission_total)},
        )
        return redirect("console:project", project_id=project.pk)
    return _project_page(request, project, amend_form=form, status=422)


# --- signing (R-PROJ-1, R-PROJ-2) ------------------------------------------------------------


def _pm_choices() -> list[tuple[int, str]]:
    return [
        (u.pk, u.display_name or u.username)
        for u in User.objects.filter(role=Role.PM, is_active=True).order_by("username")
    ]


def _signing_page(
    request: HttpRequest,
    customer: Customer,
    form: SigningForm,
    preview: services.Signing | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "projects",
        "customer": customer,
        "owner": owner_of(customer),
        "form": mark_invalid(form),
        "preview": preview,
        "credit": credit.standing(customer),  # R-CRED-3: what the signing will be held to
    }
    return render(request, "console/project_sign.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def project_sign(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Sign a project for an attributed customer (officer, pm, admin): 预览 shows the rate, the
    policy version, the total and the 8% confirmation it would lock, with their explanation;
    签约 saves through the API's service. Nothing is written before 签约."""
    customer = Customer.objects.visible_to(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    if not may_sign_projects(request.user):
        return forbidden(request, "projects", _("项目签约由伙伴关系官、项目经理和管理员登记。"))
    managers = _pm_choices()
    if request.method == "GET":
        lead = request.GET.get("lead", "")
        initial = {"signed_on": clock.today(), "lead": int(lead) if lead.isdigit() else None}
        return _signing_page(request, customer, SigningForm(initial=initial, managers=managers))
    form = SigningForm(request.POST, managers=managers)
    if request.POST.get("action") != "sign":
        checked = send(form, lambda _: services.check_signing(**form.service_fields(customer.pk)))
        if checked.ok:
            return _signing_page(request, customer, form, preview=checked.value)
        return _signing_page(request, customer, form, status=422)
    sent = send(
        form,
        lambda data: services.create_project(
            actor=actor_of(request),
            cash_only=data["cash_only"],
            contract_no=data["contract_no"],
            **form.service_fields(customer.pk),
        ),
    )
    if sent.refusal:
        return _signing_page(request, customer, form, status=refused(request, sent.refusal))
    if not sent.ok:
        return _signing_page(request, customer, form, status=422)
    project = sent.value
    messages.success(
        request,
        _("已签约：锁定费率 %(rate)s，佣金总额 ¥%(total)s。")
        % {
            "rate": explain.pct(project.rate),
            "total": explain.yuan(project.commission_total),
        },
    )
    return redirect("console:project", project_id=project.pk)
