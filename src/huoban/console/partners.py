"""Partner 360: the partner list and one partner's whole picture (SPEC §8, §9, R-VIS-2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock
from huoban.accounts.models import Role, User
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.customers.models import Attribution
from huoban.errors import DomainError, NotFound, ValidationFailed
from huoban.leads.models import Lead
from huoban.leads.models import Status as LeadStatus
from huoban.pagination import page_of, query_without_page
from huoban.partners.inquiries import convert_inquiry, decline_inquiry, mark_inquiry_contacted
from huoban.partners.models import (
    OPEN_INQUIRY_STATUSES,
    ApplicationStatus,
    CompanyViolation,
    ExitKind,
    InquiryStatus,
    Partner,
    PartnerInquiry,
    PartnerStatus,
    PartnerViolation,
    Tier,
    TierApplication,
    TierChange,
)
from huoban.partners.services import (
    approve_partner,
    register_partner,
    set_referrer,
    update_partner_profile,
    uscc_check,
)
from huoban.partners.users import (
    Issued,
    invite_partner_user,
    issue_partner_user_link,
    set_partner_admin,
    set_partner_user_active,
)
from huoban.partners.views import link_shown_once
from huoban.performance.forms import HealthForm
from huoban.performance.meetings import schedule as meeting_schedule
from huoban.performance.models import Case, HealthAssessment, Risk, Scorecard
from huoban.performance.services import previous_month, record_health
from huoban.policy import (
    may_approve_partners,
    may_decide_company_violations,
    may_draft_agreements,
    may_grade_partners,
    may_manage_partner_users,
    may_manage_partners,
)
from huoban.profiles import rules as profile_rules
from huoban.profiles.models import (
    FACTS,
    AssessmentKind,
    ContactLayer,
    CriticalityAssessment,
    DepthDecision,
    Grade,
    KeyContact,
    PartnerProfile,
)
from huoban.profiles.services import (
    add_key_contact,
    assess_criticality,
    confirm_depth,
    latest_assessment,
    latest_delivery_review,
    profile_of,
    record_assessment,
    record_delivery_review,
    suggested_depth,
    update_profile,
)
from huoban.projects import selectors as project_selectors
from huoban.projects.models import Project
from huoban.selection.models import Candidate
from huoban.standing.tier_services import decide_application
from huoban.standing.violations import (
    check_exit,
    decide_company_violation,
    exit_partner,
    grant_white_label,
    record_partner_violation,
    revoke_white_label,
)
from huoban.web import actor_of, in_language, mark_invalid, send, staff_required, status_counts

from .agreements import partner_agreements
from .common import Column, ask_first, confirmed, exported, forbidden, refused, sees_money, settle
from .forms import (
    AssessmentForm,
    CriticalityForm,
    DecisionForm,
    DeliveryReviewForm,
    DepthForm,
    ExitForm,
    InquiryHandlingForm,
    KeyContactForm,
    PartnerForm,
    PartnerProfileForm,
    PartnerUserForm,
    ProfileForm,
    ViolationForm,
)

RECENT = 10
USERS = 50  # a partner has a handful of users; the page says when there are more
ISSUED_LINK = "console.issued_link"  # the session key of a link shown once


#: R-IMP-5: the partner list's columns, as the page shows them.
PARTNER_COLUMNS = [
    Column(gettext_lazy("编号"), lambda p: p.code),
    Column(gettext_lazy("名称"), lambda p: p.name),
    Column(gettext_lazy("类型"), lambda p: str(p.get_kind_display())),
    Column(gettext_lazy("地区"), lambda p: p.region),
    Column(gettext_lazy("合作梯度"), lambda p: str(p.get_tier_display())),
    Column(gettext_lazy("关键等级"), lambda p: p.grade or ""),
    Column(gettext_lazy("状态"), lambda p: str(p.get_status_display())),
    Column(gettext_lazy("加入时间"), lambda p: p.created_at.astimezone(clock.local_tz()).date()),
]


@staff_required
@require_GET
def partner_list(request: HttpRequest) -> HttpResponseBase:
    """Every partner, searchable by code or name, filterable by tier and criticality grade
    (R-CRIT-2: the grade shows on every partner list and filters it)."""
    q = request.GET.get("q", "").strip()
    tier = request.GET.get("tier", "")
    grade = request.GET.get("grade", "")
    latest_grade = (
        CriticalityAssessment.objects.visible_to(request.user)
        .filter(partner=OuterRef("pk"))
        .order_by("-assessed_at", "-pk")
        .values("grade")[:1]
    )
    partners = (
        Partner.objects.visible_to(request.user)
        .annotate(grade=Subquery(latest_grade))
        .order_by("code")
    )
    if q:
        partners = partners.filter(Q(code=q.upper()) | Q(name__contains=q))
    if tier in Tier.values:
        partners = partners.filter(tier=tier)
    if grade in Grade.values:
        partners = partners.filter(grade=grade)
    elif grade == "none":
        partners = partners.filter(grade__isnull=True)
    approval = request.GET.get("approval", "")
    if approval == "pending":  # R-AGR-2: new partners waiting for the gm
        partners = partners.filter(approved_at__isnull=True)
    download = exported(request, partners, PARTNER_COLUMNS, name="partners", title=_("伙伴"))
    if download is not None:
        return download
    return render(
        request,
        "console/partners.html",
        {
            "nav": "partners",
            "page": page_of(request, partners),
            "query": query_without_page(request),
            "q": q,
            "tier": tier,
            "tiers": Tier.choices,
            "grade": grade,
            "grades": Grade.choices,
            "approval": approval,
            "may_register": may_manage_partners(request.user),
            "pending_applications": TierApplication.objects.visible_to(request.user)
            .filter(status=ApplicationStatus.PENDING)
            .count(),
            "open_inquiries": PartnerInquiry.objects.visible_to(request.user)
            .filter(status__in=OPEN_INQUIRY_STATUSES)
            .count(),
        },
    )


def _officers_only(request: HttpRequest) -> HttpResponse | None:
    """The page of a partner-management action for a role that may not take it: a 403 that
    says why, and no form (R-UI-1)."""
    if may_manage_partners(request.user):
        return None
    return forbidden(request, "partners", _("伙伴的登记与资料由伙伴关系官和管理员维护。"))


@staff_required
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    """Register a partner (officer, admin; R-UI-1) through the same service as the API."""
    if (refusal := _officers_only(request)) is not None:
        return refusal
    inquiry = _inquiry_to_convert(request)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if inquiry is not None:
            initial = {
                "name": inquiry.name,
                "contact_name": inquiry.contact,
                "contact_phone": inquiry.phone,
                "inquiry": inquiry.pk,
            }
        form = PartnerForm(initial=initial)
        return render(
            request,
            "console/partner_new.html",
            {"nav": "partners", "form": form, "inquiry": inquiry},
        )
    form = PartnerForm(request.POST)

    def register(data: dict[str, Any]) -> Partner:
        fields = {
            "name": data["name"],
            "kind": data["kind"],
            "types": list(data["types"]),
            "region": data["region"].strip(),
            "uscc": data["uscc"].strip() or None,
            "referrer_code": data["referrer_code"].strip().upper() or None,
            "contact_name": data["contact_name"].strip(),
            "contact_phone": data["contact_phone"].strip(),
            "actor": actor_of(request),
        }
        if inquiry is not None:
            return convert_inquiry(inquiry.pk, **fields)
        return register_partner(**fields)

    sent = send(form, register)
    if sent.ok:
        partner = sent.value
        messages.success(
            request,
            _("已登记伙伴 %(name)s（%(code)s），初始为轻协同。")
            % {"name": partner.name, "code": partner.code},
        )
        return redirect("console:partner", code=partner.code)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return render(
        request,
        "console/partner_new.html",
        {"nav": "partners", "form": mark_invalid(form), "inquiry": inquiry},
        status=status,
    )


@staff_required
@require_GET
def partner_uscc_check(request: HttpRequest) -> HttpResponse:
    """HTMX: the USCC checked as the officer types it (check character, already a partner)."""
    if (refusal := _officers_only(request)) is not None:
        return refusal
    raw = request.GET.get("uscc", "").strip()[:40]
    ok, message = uscc_check(raw) if raw else (True, "")
    return render(
        request,
        "console/_uscc_check.html",
        {"ok": ok, "message": in_language(message) if message else ""},
    )


def _inquiry_to_convert(request: HttpRequest) -> PartnerInquiry | None:
    """The open application named by ``?inquiry=`` (or the form's hidden field), else None."""
    raw = request.POST.get("inquiry") or request.GET.get("inquiry") or ""
    if not raw.isdigit():
        return None
    return (
        PartnerInquiry.objects.visible_to(request.user)
        .filter(pk=int(raw), status__in=OPEN_INQUIRY_STATUSES)
        .first()
    )


def _partner_or_404(request: HttpRequest, code: str) -> Partner:
    partner = (
        Partner.objects.visible_to(request.user)
        .select_related("referrer", "account_manager")
        .filter(code=code)
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def _partner_page(
    request: HttpRequest,
    partner: Partner,
    exit_form: ExitForm | None = None,
    status: int = 200,
    violation_form: ViolationForm | None = None,
    user_form: PartnerUserForm | None = None,
    criticality_form: CriticalityForm | None = None,
    depth_form: DepthForm | None = None,
    delivery_form: DeliveryReviewForm | None = None,
    health_form: HealthForm | None = None,
    profile_form: ProfileForm | None = None,
    contact_form: KeyContactForm | None = None,
    assessment_form: AssessmentForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    issued = request.session.pop(ISSUED_LINK, None)
    if issued and issued.get("partner") != partner.code:
        issued = None
    money = sees_money(user)
    lead_rows = (
        Lead.objects.filter(partner=partner).order_by().values("status").annotate(n=Count("id"))
    )
    context: dict[str, Any] = {
        "nav": "partners",
        "page_url": reverse("console:partner", kwargs={"code": partner.code}),
        "partner": partner,
        "users": User.objects.filter(partner=partner).order_by("username")[:USERS],
        "user_count": User.objects.filter(partner=partner).count(),
        "may_manage_users": may_manage_partner_users(user, partner.pk),
        "user_form": mark_invalid(user_form or PartnerUserForm()),
        "issued": issued,
        "tier_history": TierChange.objects.filter(partner=partner)
        .select_related("actor")
        .order_by("-at", "-id")[:RECENT],
        "lead_counts": status_counts(lead_rows, LeadStatus.choices),
        "leads": Lead.objects.filter(partner=partner).order_by("-submitted_at", "-id")[:RECENT],
        "customers": Attribution.objects.filter(partner=partner)
        .select_related("customer")
        .order_by("-since", "-id")[:RECENT],
        "customer_count": Attribution.objects.filter(partner=partner).count(),
        "projects": Project.objects.filter(partner=partner)
        .select_related("customer")
        .order_by("-signed_on", "-id")[:RECENT],
        "project_count": Project.objects.filter(partner=partner).count(),
        "violations": PartnerViolation.objects.filter(partner=partner).order_by(
            "-occurred_on", "-id"
        )[:RECENT],
        "company_violations": CompanyViolation.objects.filter(partner=partner)
        .select_related("project")
        .order_by("-reported_at", "-id")[:RECENT],
        "money": money,
        "may_exit": user.has_role(Role.OFFICER) and partner.status != PartnerStatus.EXITED,
        "exit_form": mark_invalid(exit_form or ExitForm()),
        "may_record_violation": may_manage_partners(user),
        "may_decide_company_violations": may_decide_company_violations(user),
        "decision_form": DecisionForm(auto_id="cv_%s"),
        # R-TIER-5: only a strategic partner; the service also checks R-VIOL-2.
        "may_grant_white_label": may_manage_partners(user)
        and partner.tier == Tier.STRATEGIC
        and not partner.white_label
        and partner.status != PartnerStatus.EXITED,
        "may_revoke_white_label": may_manage_partners(user) and partner.white_label,
        "may_approve_partner": may_approve_partners(user)
        and partner.approved_at is None
        and partner.status != PartnerStatus.EXITED,
        "violation_form": mark_invalid(
            violation_form or ViolationForm(initial={"occurred_on": clock.today()})
        ),
    }
    # R-ASM-2: the latest delivery review, its 待验证 dimensions open.
    review = latest_delivery_review(partner)
    context["delivery_review"] = review
    # R-KPI-4: the latest monthly scorecard.
    context["scorecard"] = (
        Scorecard.objects.visible_to(user)
        .current()
        .filter(partner=partner)
        .order_by("-year", "-month")
        .first()
    )
    # R-HLTH-1: the latest monthly health and the month's form for officers.
    context["health"] = (
        HealthAssessment.objects.visible_to(user)
        .filter(partner=partner)
        .order_by("-year", "-month")
        .first()
    )
    context["may_record_health"] = may_manage_partners(user)
    context["health_form"] = mark_invalid(
        health_form or HealthForm(initial={"period": previous_month()})
    )
    # R-RISK-1: the live risks and how many are overdue.
    live = list(Risk.objects.visible_to(user).live().filter(partner=partner))
    context["risks_live"] = len(live)
    context["risks_overdue"] = sum(1 for r in live if r.next_review < clock.today())
    # R-MEET-2: overdue meetings show on the partner page.
    context["meetings_overdue"] = sum(
        1 for d in meeting_schedule(partner, clock.today()) if d.overdue
    )
    # R-CRIS-6: open crisis cases show on the partner page.
    context["open_cases"] = Case.objects.visible_to(user).open().filter(partner=partner).count()
    # R-SEL-4: the selection it came from, with the candidate's files.
    context["candidate"] = (
        Candidate.objects.filter(partner=partner)
        .select_related("selection")
        .prefetch_related("files")
        .first()
    )
    context["delivery_open"] = profile_rules.open_dimensions(review.rated()) if review else []
    if may_grade_partners(user):
        rated = "\n".join(f"{d} {RATING_WORDS[r]}" for d, r in review.rated()) if review else ""
        context["delivery_form"] = mark_invalid(
            delivery_form or DeliveryReviewForm(initial={"ratings": rated})
        )
    # R-PRF-1: the basic facts (待补充 listed) and the key contacts by layer.
    profile = profile_of(partner)
    labels = {f.name: f.verbose_name for f in PartnerProfile._meta.fields}
    context["facts"] = [(labels[f], getattr(profile, f)) for f in FACTS]
    context["complementarity"] = profile.get_complementarity_display()
    context["to_complete"] = len(profile.to_complete())
    context["key_contacts"] = [
        (label, [c for c in contacts if c.layer == layer])
        for contacts in [list(KeyContact.objects.filter(partner=partner))]
        for layer, label in ContactLayer.choices
    ]
    if may_manage_partners(user):
        context["profile_form"] = mark_invalid(profile_form or ProfileForm(instance=profile))
        context["contact_form"] = mark_invalid(contact_form or KeyContactForm())
    # R-PRF-2: the confirmed depth, today's suggestion and the history.
    suggestion = suggested_depth(partner)
    context["depth_history"] = list(
        DepthDecision.objects.visible_to(user)
        .filter(partner=partner)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")[:5]
    )
    context["depth_suggestion"] = suggestion
    context["depth_explanation"] = "\n".join(
        in_language(str(step)) for step in suggestion.explanation
    )
    if may_manage_partners(user):
        latest_depth = context["depth_history"][0].depth if context["depth_history"] else None
        context["depth_form"] = mark_invalid(
            depth_form or DepthForm(initial={"depth": latest_depth or suggestion.depth})
        )
    # R-AGR-1: the partner's written agreements, each version, newest first.
    context["agreements"] = partner_agreements(partner, user)
    context["may_draft_agreements"] = may_draft_agreements(user)
    grades = CriticalityAssessment.objects.visible_to(user).filter(partner=partner)
    history = list(grades.select_related("assessed_by").order_by("-assessed_at", "-pk")[:5])
    context["criticality"] = history[0] if history else None
    context["criticality_history"] = history
    if history:  # R-CRIT-2: the grade sets the management strategy, in the page's language
        context["strategy"] = in_language(str(profile_rules.STRATEGY[history[0].grade]))
    context["assessments"] = [
        (label, latest_assessment(partner, kind)) for kind, label in AssessmentKind.choices
    ]
    if may_grade_partners(user):
        context["assessment_forms"] = [
            (
                kind,
                label,
                mark_invalid(
                    assessment_form
                    if assessment_form is not None and assessment_form.kind == kind
                    else AssessmentForm(kind)
                ),
            )
            for kind, label in AssessmentKind.choices
        ]
        latest = history[0] if history else None
        initial = (
            {
                "strategic_value": latest.strategic_value,
                "substitutability": latest.substitutability,
                "investment": latest.investment,
            }
            if latest
            else {"strategic_value": 3, "substitutability": "normal"}
        )  # the form starts from the current grading
        context["criticality_form"] = mark_invalid(
            criticality_form or CriticalityForm(initial=initial)
        )
    if money:
        entries = LedgerEntry.objects.visible_to(request.user).filter(partner=partner)
        context["totals"] = ledger.totals(entries)
        context["chain_head"] = ledger.chain_head(partner)
    return render(request, "console/partner.html", context, status=status)


@staff_required
@require_GET
def partner_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Partner 360: profile, users, tier history, leads, customers, projects, ledger (finance
    and admin only, R-VIS-2), violations and exit."""
    return _partner_page(request, _partner_or_404(request, code))


@staff_required
@require_POST
def partner_profile(request: HttpRequest, code: str) -> HttpResponse:
    """Set the partner's basic facts and complementarity (officer, admin; R-PRF-1)."""
    partner = _partner_or_404(request, code)
    if not may_manage_partners(request.user):
        return forbidden(request, "partners", _("伙伴信息由伙伴关系官维护。"))
    form = ProfileForm(request.POST, instance=profile_of(partner))
    sent = send(
        form,
        lambda data: update_profile(
            partner.code, actor=actor_of(request), **{f: data[f] for f in form.Meta.fields}
        ),
    )
    return settle(
        request,
        sent,
        done=_("基本信息已保存。"),
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#facts",
        again=lambda status: _partner_page(request, partner, status=status, profile_form=form),
    )


@staff_required
@require_POST
def partner_contact(request: HttpRequest, code: str) -> HttpResponse:
    """Add a key contact at the partner, by layer (officer, admin; R-PRF-1)."""
    partner = _partner_or_404(request, code)
    if not may_manage_partners(request.user):
        return forbidden(request, "partners", _("伙伴信息由伙伴关系官维护。"))
    form = KeyContactForm(request.POST)
    sent = send(
        form,
        lambda data: add_key_contact(
            partner.code, actor=actor_of(request), **{f: data[f] for f in form.Meta.fields}
        ),
    )
    return settle(
        request,
        sent,
        done=_("已添加关键联系人。"),
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#facts",
        again=lambda status: _partner_page(request, partner, status=status, contact_form=form),
    )


RATING_WORDS = {"excellent": "优秀", "good": "良好", "to_verify": "待验证", "weak": "较弱"}


@staff_required
@require_POST
def partner_delivery_review(request: HttpRequest, code: str) -> HttpResponse:
    """Rate a co-delivering partner per dimension (officer, gm, admin; R-ASM-2)."""
    partner = _partner_or_404(request, code)
    if not may_grade_partners(request.user):
        return forbidden(request, "partners", _("交付能力由伙伴关系官、总经理或管理员评估。"))
    form = DeliveryReviewForm(request.POST)
    sent = send(
        form,
        lambda data: record_delivery_review(
            partner.code, ratings=data["ratings"], note=data["note"], actor=actor_of(request)
        ),
    )
    return settle(
        request,
        sent,
        done=_("交付能力评估已记录。"),
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#delivery",
        again=lambda status: _partner_page(request, partner, status=status, delivery_form=form),
    )


@staff_required
@require_POST
def partner_depth(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm the partner's depth against the suggestion (officer, admin; R-PRF-2)."""
    partner = _partner_or_404(request, code)
    if not may_manage_partners(request.user):
        return forbidden(request, "partners", _("合作深度由伙伴关系官确认。"))
    form = DepthForm(request.POST)
    sent = send(
        form,
        lambda data: confirm_depth(
            partner.code, depth=data["depth"], reason=data["reason"], actor=actor_of(request)
        ),
    )
    return settle(
        request,
        sent,
        done=_("合作深度已确认。"),
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#depth",
        again=lambda status: _partner_page(request, partner, status=status, depth_form=form),
    )


@staff_required
@require_POST
def partner_criticality(request: HttpRequest, code: str) -> HttpResponse:
    """Grade the partner S/A/B/C (officer, admin; R-CRIT-1) through the service."""
    partner = _partner_or_404(request, code)
    if not may_grade_partners(request.user):
        return forbidden(request, "partners", _("关键等级由伙伴关系官或管理员评定。"))
    form = CriticalityForm(request.POST)
    sent = send(
        form,
        lambda data: assess_criticality(
            partner.code,
            strategic_value=data["strategic_value"],
            substitutability=data["substitutability"],
            investment=data["investment"],
            reason=data["reason"],
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=lambda row: _("关键等级已评定：%(grade)s。") % {"grade": row.grade},
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#criticality",
        again=lambda status: _partner_page(request, partner, status=status, criticality_form=form),
    )


@staff_required
@require_POST
def partner_assessment(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Record a capability or willingness assessment (officer, admin; R-ASM-1)."""
    partner = _partner_or_404(request, code)
    if kind not in AssessmentKind.values:
        raise Http404
    if not may_grade_partners(request.user):
        return forbidden(request, "partners", _("能力与意愿由伙伴关系官或管理员评估。"))
    form = AssessmentForm(kind, request.POST)
    sent = send(
        form,
        lambda data: record_assessment(
            partner.code,
            kind=kind,
            scores=form.scores(),
            notes=form.notes(),
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=lambda row: _("评估已记录：%(score)s 分。") % {"score": row.score},
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#assessments",
        again=lambda status: _partner_page(request, partner, status=status, assessment_form=form),
    )


@staff_required
@require_POST
def partner_exit(request: HttpRequest, code: str) -> HttpResponse:
    """Record a partner's exit (officer, admin; R-EXIT-1) through the service."""
    partner = _partner_or_404(request, code)
    form = ExitForm(request.POST)
    checked = (
        send(
            form,
            lambda data: check_exit(
                kind=data["kind"],
                on_date=data["on"],
                note=data["note"],
                notice_on=data["notice_on"],
            ),
        )
        if not confirmed(request) and may_manage_partners(request.user)
        else None
    )
    if checked is not None and not checked.ok:
        return _partner_page(request, partner, form, status=422)
    if checked is not None and partner.status != PartnerStatus.EXITED:
        data = form.cleaned_data
        in_flight = project_selectors.in_flight(partner)
        return ask_first(
            request,
            nav="partners",
            title=_("伙伴退出"),
            lines=[
                _("%(name)s（%(code)s）于 %(on)s 退出合作：%(kind)s。")
                % {
                    "name": partner.name,
                    "code": partner.code,
                    "on": data["on"].isoformat(),
                    "kind": ExitKind(data["kind"]).label,
                },
                _("此后其用户只能查看，不能报备线索、申请梯度或授权联系人。"),
                _("已计佣金与在途项目的佣金照付（R-EXIT-1）。"),
                _("有 %(n)d 个在途项目需要交接。") % {"n": len(in_flight)},
            ],
            cancel_url=reverse("console:partner", kwargs={"code": partner.code}),
            button=_("确认退出"),
        )
    sent = send(
        form,
        lambda data: exit_partner(
            partner,
            kind=data["kind"],
            on_date=data["on"],
            actor=actor_of(request),
            note=data["note"],
            notice_on=data["notice_on"],
        ),
    )
    if sent.refusal:
        return _partner_page(request, partner, form, status=refused(request, sent.refusal))
    if sent.ok:
        result = sent.value
        messages.success(request, _("已记录退出。"))
        for warning in result.warnings:
            messages.warning(request, in_language(warning))
        if result.in_flight:
            messages.info(
                request,
                _("有 %(n)d 个在途项目需要交接。") % {"n": len(result.in_flight)},
            )
        return redirect("console:partner", code=partner.code)
    return _partner_page(request, partner, form, status=422)


@staff_required
@require_POST
def partner_violation(request: HttpRequest, code: str) -> HttpResponse:
    """Record a partner violation (officer, admin; R-VIOL-2) through the service."""
    partner = _partner_or_404(request, code)
    form = ViolationForm(request.POST)
    sent = send(
        form,
        lambda data: record_partner_violation(
            partner,
            actor=actor_of(request),
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            description=data["description"],
        ),
    )
    if sent.ok:
        messages.success(request, _("已记录违规：12 个月内不能晋级深度协同，也不能获授贴牌输出。"))
        return redirect("console:partner", code=partner.code)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _partner_page(request, partner, status=status, violation_form=form)


# --- strategic applications (R-TIER-2) --------------------------------------------------------


def _applications_page(
    request: HttpRequest,
    forms: dict[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = (
        TierApplication.objects.visible_to(request.user)
        .filter(status=ApplicationStatus.PENDING)
        .select_related("partner", "applied_by")
        .order_by("due_on", "applied_at", "id")
    )
    decided = (
        TierApplication.objects.visible_to(request.user)
        .exclude(status=ApplicationStatus.PENDING)
        .select_related("partner", "decided_by")
        .order_by("-decided_at", "-id")[:RECENT]
    )
    forms = forms or {}
    rows = [
        (a, mark_invalid(forms.get(a.pk) or DecisionForm(auto_id=f"app{a.pk}_%s"))) for a in pending
    ]
    return render(
        request,
        "console/applications.html",
        {
            "nav": "partners",
            "page_url": reverse("console:applications"),
            "rows": rows,
            "decided": decided,
            "today": clock.today(),
            "may_decide": may_manage_partners(request.user),
        },
        status=status,
    )


@staff_required
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    """Strategic applications waiting for a decision, the due date first (R-TIER-2: 5 business
    days), and the latest decisions."""
    return _applications_page(request)


@staff_required
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """Approve (the partner becomes strategic) or reject, with a reason (officer, admin)."""
    form = DecisionForm(request.POST, auto_id=f"app{application_id}_%s")
    sent = send(
        form,
        lambda data: decide_application(
            application_id, actor=actor_of(request), approve=data["approve"], note=data["note"]
        ),
    )
    if sent.ok:
        app = sent.value
        if app.status == ApplicationStatus.APPROVED:
            text = _("已批准：%(name)s 升级为战略伙伴。") % {"name": app.partner.name}
        else:
            text = _("已驳回 %(name)s 的申请。") % {"name": app.partner.name}
        messages.success(request, text)
        return redirect("console:applications")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _applications_page(request, {application_id: form}, status=status)


@staff_required
@require_POST
def partner_white_label(request: HttpRequest, code: str) -> HttpResponse:
    """Grant white-label output to a strategic partner (officer, admin; R-TIER-5, R-VIOL-2)."""
    partner = _partner_or_404(request, code)
    try:
        grant_white_label(partner, actor=actor_of(request))
    except DomainError as e:
        partner.refresh_from_db()
        return _partner_page(request, partner, status=refused(request, e))
    messages.success(request, _("已授予贴牌输出。"))
    return redirect("console:partner", code=partner.code)


@staff_required
@require_POST
def partner_white_label_revoke(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw white-label output with a reason (officer, admin; R-TIER-5)."""
    partner = _partner_or_404(request, code)
    try:
        revoke_white_label(partner, actor=actor_of(request), reason=request.POST.get("reason", ""))
    except DomainError as e:
        partner.refresh_from_db()
        return _partner_page(request, partner, status=refused(request, e))
    messages.success(request, _("已撤销贴牌输出。"))
    return redirect("console:partner", code=partner.code)


@staff_required
@require_POST
def company_violation_decide(request: HttpRequest, code: str, violation_id: int) -> HttpResponse:
    """An admin confirms or rejects a company violation the partner reported, with a note
    (R-VIOL-1); once confirmed the partner may claim the liquidated damages."""
    partner = _partner_or_404(request, code)
    if not CompanyViolation.objects.filter(pk=violation_id, partner=partner).exists():
        raise Http404
    form = DecisionForm(request.POST)
    sent = send(
        form,
        lambda data: decide_company_violation(
            violation_id, actor=actor_of(request), confirm=data["approve"], note=data["note"]
        ),
    )
    if sent.ok:
        messages.success(request, _("已处理伙伴报告的违约。"))
        return redirect("console:partner", code=partner.code)
    status = refused(request, sent.refusal) if sent.refusal else 422
    if not sent.refusal:  # the short form sits in a list: its errors go on top of the page
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return _partner_page(request, partner, status=status)


# --- partner users (R-UI-1) -------------------------------------------------------------------


def _show_link_once(request: HttpRequest, partner: Partner, issued: Issued) -> HttpResponse:
    """Keep the link for the next page view only (post/redirect/get: a refresh never re-posts
    and never shows the link again)."""
    request.session[ISSUED_LINK] = {"partner": partner.code, **link_shown_once(request, issued)}
    return redirect(reverse("console:partner", kwargs={"code": partner.code}) + "#users")


@staff_required
@require_POST
def partner_user_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a partner user with a one-time invitation link (officer, admin)."""
    partner = _partner_or_404(request, code)
    form = PartnerUserForm(request.POST)
    sent = send(
        form,
        # The form's fields are the service's: username, display_name, email.
        lambda data: invite_partner_user(partner, actor=actor_of(request), **data),
    )
    if sent.ok:
        messages.success(
            request, _("已添加用户 %(username)s。") % {"username": sent.value.user.username}
        )
        return _show_link_once(request, partner, sent.value)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _partner_page(request, partner, status=status, user_form=form)


@staff_required
@require_POST
def partner_user_link(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    """Issue a new invitation or password-reset link for a partner user (officer, admin)."""
    partner = _partner_or_404(request, code)
    try:
        issued = issue_partner_user_link(partner, user_id, actor=actor_of(request))
    except NotFound as e:
        raise Http404 from e
    except DomainError as e:
        return _partner_page(request, partner, status=refused(request, e))
    messages.success(request, _("已签发新链接，旧链接作废。"))
    return _show_link_once(request, partner, issued)


@staff_required
@require_POST
def partner_user_active(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    """Disable a partner user (it can no longer sign in) or enable it again (officer, admin)."""
    partner = _partner_or_404(request, code)
    active = request.POST.get("active") == "yes"
    try:
        user = set_partner_user_active(partner, user_id, active, actor=actor_of(request))
    except NotFound as e:
        raise Http404 from e
    except DomainError as e:
        return _partner_page(request, partner, status=refused(request, e))
    text = (
        _("已启用 %(username)s。") if active else _("已停用 %(username)s，其登录与令牌立即失效。")
    )
    messages.success(request, text % {"username": user.username})
    return redirect(reverse("console:partner", kwargs={"code": partner.code}) + "#users")


# --- public applications (seed 000's 咨询对接回执, R-UI-1) -----------------------------------


def _inquiries_page(
    request: HttpRequest, forms: dict[int, InquiryHandlingForm] | None = None, status: int = 200
) -> HttpResponse:
    visible = PartnerInquiry.objects.visible_to(request.user)
    open_rows = visible.filter(status__in=OPEN_INQUIRY_STATUSES).order_by(
        "contact_due_on", "submitted_at", "id"
    )
    handled = (
        visible.exclude(status__in=OPEN_INQUIRY_STATUSES)
        .select_related("handled_by", "partner")
        .order_by("-handled_at", "-id")
    )
    forms = forms or {}
    page = page_of(request, open_rows)
    return render(
        request,
        "console/inquiries.html",
        {
            "nav": "partners",
            "page_url": reverse("console:inquiries"),
            "page": page,
            "query": query_without_page(request),
            "rows": [
                (i, mark_invalid(forms.get(i.pk) or InquiryHandlingForm(auto_id=f"inq{i.pk}_%s")))
                for i in page
            ],
            "handled": handled[:RECENT],
            "today": clock.today(),
            "may_handle": may_manage_partners(request.user),
        },
        status=status,
    )


@staff_required
@require_GET
def inquiries(request: HttpRequest) -> HttpResponse:
    """Public applications waiting for an officer, the contact due date first (2 business
    days), and the latest handled ones."""
    return _inquiries_page(request)


@staff_required
@require_POST
def inquiry_handle(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    """Record the contact (with a note) or decline (with a reason) — officers and admins."""
    if not PartnerInquiry.objects.visible_to(request.user).filter(pk=inquiry_id).exists():
        raise Http404
    form = InquiryHandlingForm(request.POST, auto_id=f"inq{inquiry_id}_%s")

    def handle(data: dict[str, Any]) -> PartnerInquiry:
        if data["action"] == "decline":
            return decline_inquiry(inquiry_id, actor=actor_of(request), reason=data["note"])
        return mark_inquiry_contacted(inquiry_id, actor=actor_of(request), note=data["note"])

    sent = send(form, handle, field_map={"reason": "note"})
    if sent.ok:
        inquiry = sent.value
        if inquiry.status == InquiryStatus.REJECTED:
            text = _("已谢绝 %(name)s 的申请。")
        else:
            text = _("已记录与 %(name)s 的联系。")
        messages.success(request, text % {"name": inquiry.name})
        return redirect("console:inquiries")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _inquiries_page(request, {inquiry_id: form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Correct a partner's record (officer, admin); other staff get the 403 page."""
    partner = _partner_or_404(request, code)
    if (refusal := _officers_only(request)) is not None:
        return refusal
    if request.method == "GET":
        form = PartnerProfileForm(
            initial={
                "name": partner.name,
                "types": partner.types,
                "region": partner.region,
                "uscc": partner.uscc or "",
                "contact_name": partner.contact_name,
                "contact_phone": partner.contact_phone,
            }
        )
        return render(
            request,
            "console/partner_edit.html",
            {"nav": "partners", "form": form, "partner": partner},
        )
    form = PartnerProfileForm(request.POST)
    sent = send(
        form,
        lambda data: update_partner_profile(
            partner,
            actor=actor_of(request),
            name=data["name"],
            types=list(data["types"]),
            region=data["region"],
            uscc=data["uscc"].strip() or None,
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        ),
    )
    if sent.ok:
        messages.success(request, _("已保存伙伴资料。"))
        return redirect("console:partner", code=partner.code)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return render(
        request,
        "console/partner_edit.html",
        {"nav": "partners", "form": mark_invalid(form), "partner": partner},
        status=status,
    )


@staff_required
@require_POST
def partner_user_admin(request: HttpRequest, code: str, user_id: int) -> HttpResponse:
    """Appoint a partner user its partner's administrator, or take it back (officer, admin)."""
    partner = _partner_or_404(request, code)
    admin = request.POST.get("admin") == "yes"
    try:
        user = set_partner_admin(partner, user_id, admin, actor=actor_of(request))
    except NotFound as e:
        raise Http404 from e
    except DomainError as e:
        return _partner_page(request, partner, status=refused(request, e))
    text = (
        _("%(username)s 现为伙伴管理员，可在门户中管理本伙伴的用户。")
        if admin
        else _("%(username)s 不再是伙伴管理员。")
    )
    messages.success(request, text % {"username": user.username})
    return redirect(reverse("console:partner", kwargs={"code": partner.code}) + "#users")


@staff_required
@require_POST
def partner_referrer(request: HttpRequest, code: str) -> HttpResponse:
    """Change who recruited a partner, or clear it (officers, admins; R-LED-5: no self, no
    cycle)."""
    partner = _partner_or_404(request, code)
    referrer_code = request.POST.get("referrer_code", "").strip().upper() or None
    try:
        set_referrer(partner, referrer_code, actor=actor_of(request))
    except DomainError as e:
        partner.refresh_from_db()
        if isinstance(e, ValidationFailed):
            for message in e.errors.values():
                messages.error(request, in_language(message))
            return _partner_page(request, partner, status=422)
        return _partner_page(request, partner, status=refused(request, e))
    messages.success(request, _("已更新推荐人。"))
    return redirect("console:partner", code=partner.code)


@staff_required
@require_POST
def partner_approve(request: HttpRequest, code: str) -> HttpResponse:
    """The general manager approves a new partner (R-AGR-2)."""
    partner = _partner_or_404(request, code)
    if not may_approve_partners(request.user):
        return forbidden(request, "partners", _("新伙伴由总经理批准。"))
    try:
        approve_partner(partner.code, actor=actor_of(request))
    except DomainError as error:
        return _partner_page(request, partner, status=refused(request, error))
    messages.success(request, _("已批准新伙伴。"))
    return redirect("console:partner", code=partner.code)


@staff_required
@require_POST
def partner_health(request: HttpRequest, code: str) -> HttpResponse:
    """Record the partner's monthly health (officer, admin; R-HLTH-1)."""
    partner = _partner_or_404(request, code)
    if not may_manage_partners(request.user):
        return forbidden(request, "partners", _("健康度由伙伴关系官评估。"))
    form = HealthForm(request.POST)
    sent = send(
        form,
        lambda data: record_health(
            partner.code,
            period=data["period"],
            ratings={k: v for k, v in data.items() if k != "period"},
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=lambda row: _("健康度已记录：%(overall)s。") % {"overall": row.overall},
        to=reverse("console:partner", kwargs={"code": partner.code}) + "#health",
        again=lambda status: _partner_page(request, partner, status=status, health_form=form),
    )
