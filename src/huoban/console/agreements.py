"""Agreements in the console (SPEC §10.4, R-AGR; R-UI-1): the list with what waits for whom,
the draft, legal's review, the gm's approval, the amendment and the exit quote."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.agreements import services
from huoban.agreements.forms import (
    SCHEME_FIELDS,
    AgreementForm,
    AmendForm,
    ApproveForm,
    ExitQuoteForm,
    FileForm,
    ReviewForm,
    SchemeFields,
    UnitReportForm,
)
from huoban.agreements.models import IP_ITEMS, Agreement, AgreementFile, Status, UnitReport
from huoban.agreements.units import report_units
from huoban.core.files import download
from huoban.errors import ValidationFailed
from huoban.pagination import page_of, query_without_page
from huoban.partners.models import Partner
from huoban.performance.models import Case, Trigger
from huoban.policy import (
    may_approve_agreements,
    may_draft_agreements,
    may_file_agreements,
    may_report_units,
    may_review_agreements,
    sees_agreement_terms,
)
from huoban.web import actor_of, mark_invalid, send, staff_required, status_counts

from .common import forbidden, refused, settle

NAV = "agreements"


def _agreement_or_404(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = (
        Agreement.objects.visible_to(request.user)
        .select_related("partner", "created_by", "reviewed_by", "approved_by", "amends")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


@staff_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Every agreement, newest first, by status; legal sees what waits for review, the gm what
    waits for approval (R-AGR-2)."""
    rows = Agreement.objects.visible_to(request.user).select_related("partner")
    partner_code = request.GET.get("partner", "").strip()
    if partner_code:
        rows = rows.filter(partner__code=partner_code)
    counts = status_counts(rows.values("status").annotate(n=Count("pk")), Status.choices)
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "console/agreements.html",
        {
            "nav": NAV,
            "page": page_of(request, rows.order_by("-created_at", "-pk")),
            "query": query_without_page(request),
            "counts": counts,
            "status": status,
            "partner_code": partner_code,
            "can_draft": may_draft_agreements(request.user),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    """Draft an agreement (officer, admin; R-AGR-1); it goes to legal for review."""
    if not may_draft_agreements(request.user):
        return forbidden(request, NAV, _("协议由伙伴关系官起草。"))
    if request.method == "GET":
        form = AgreementForm(initial={"partner_code": request.GET.get("partner", "")})
        return _new_page(request, form)
    form = AgreementForm(request.POST)
    sent = send(
        form,
        lambda data: services.draft_agreement(
            data["partner_code"].strip(),
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=actor_of(request),
            **_terms_or_raise(form),
        ),
        field_map=SCHEME_FIELDS,
    )
    if sent.ok:
        messages.success(
            request, _("协议 %(number)s 已起草，等待法务审核。") % {"number": sent.value.number}
        )
        return redirect("console:agreement", agreement_id=sent.value.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _new_page(request, form, status=status)


def _terms_or_raise(form: AgreementForm) -> dict[str, Any]:
    terms = form.terms()
    _refuse_unread_brackets(form)
    return terms


def _refuse_unread_brackets(form: SchemeFields) -> None:
    """A bracket line the form could not read is already on the field: the service is not
    called (an empty refusal keeps the form's own error)."""
    if form.errors:
        raise ValidationFailed({})


def _amendment(form: AmendForm) -> dict[str, Any]:
    scheme = form.scheme()
    _refuse_unread_brackets(form)
    return {} if scheme is None else {"scheme": scheme}


def _new_page(request: HttpRequest, form: AgreementForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "console/agreement_new.html",
        {"nav": NAV, "form": mark_invalid(form), "ip_items": IP_ITEMS},
        status=status,
    )


@staff_required
@require_GET
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """One agreement: its record and approvals; its terms and the exit quote for those who may
    read them (R-PRF-3); the review, approval and amendment for the roles that act."""
    agreement = _agreement_or_404(request, agreement_id)
    exit_form = ExitQuoteForm(request.GET or None)
    quote = None
    if sees_agreement_terms(request.user, agreement.partner_id) and exit_form.is_valid():
        quote = services.exit_quote(agreement, exit_form.cleaned_data["notice_on"])
    return _detail_page(request, agreement, exit_form=exit_form, quote=quote)


def _detail_page(
    request: HttpRequest, agreement: Agreement, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    versions = Agreement.objects.filter(number=agreement.number).order_by("version")
    context = {
        "nav": NAV,
        "agreement": agreement,
        "versions": versions,
        "sees_terms": sees_agreement_terms(user, agreement.partner_id),
        "ip_rows": [(label, agreement.ip.get(item, "pending")) for item, label in IP_ITEMS.items()],
        "can_review": may_review_agreements(user) and agreement.status == Status.DRAFT,
        "can_approve": may_approve_agreements(user) and agreement.status == Status.REVIEWED,
        "can_amend": may_draft_agreements(user)
        and agreement.status == Status.APPROVED
        and not Agreement.objects.filter(amends=agreement).exists(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "approve_form": mark_invalid(forms.get("approve_form") or ApproveForm()),
        "exit_form": forms.get("exit_form") or ExitQuoteForm(),
        "quote": forms.get("quote"),
        # R-CRIS-5 / R-AGR-4: an open performance-exit case lets either side end it without
        # compensation.
        "performance_exit": Case.objects.open()
        .filter(partner_id=agreement.partner_id, trigger=Trigger.PERFORMANCE_EXIT)
        .first(),
        # R-UNIT-2: an approved per-unit agreement takes its monthly reports here.
        "per_unit": (agreement.scheme or {}).get("kind") == "per_unit",
        "unit_reports": UnitReport.objects.filter(agreement=agreement).order_by("year", "month"),
        "can_report_units": may_report_units(user) and agreement.status == Status.APPROVED,
        "unit_form": mark_invalid(forms.get("unit_form") or UnitReportForm()),
        # R-AGR-1: its files; their content is the agreement's text (R-PRF-3).
        "files": AgreementFile.objects.filter(agreement=agreement).select_related("uploaded_by"),
        "can_file": may_file_agreements(user),
        "file_form": mark_invalid(forms.get("file_form") or FileForm()),
    }
    return render(request, "console/agreement.html", context, status=status)


@staff_required
@require_POST
def agreement_review(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Legal reviews the draft (R-AGR-2)."""
    agreement = _agreement_or_404(request, agreement_id)
    if not may_review_agreements(request.user):
        return forbidden(request, NAV, _("协议由法务审核。"))
    form = ReviewForm(request.POST)
    sent = send(
        form,
        lambda data: services.review_agreement(
            agreement.pk, note=data["note"], actor=actor_of(request)
        ),
    )
    return settle(
        request,
        sent,
        done=_("已审核，等待总经理审批。"),
        to=reverse("console:agreement", args=[agreement.pk]),
        again=lambda status: _detail_page(request, agreement, status=status, review_form=form),
    )


@staff_required
@require_POST
def agreement_approve(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The gm approves the reviewed agreement (R-AGR-2), with the board's approval if major."""
    agreement = _agreement_or_404(request, agreement_id)
    if not may_approve_agreements(request.user):
        return forbidden(request, NAV, _("协议由总经理审批。"))
    form = ApproveForm(request.POST)
    sent = send(
        form,
        lambda data: services.approve_agreement(
            agreement.pk,
            board_approved_on=data["board_approved_on"],
            board_minute=data["board_minute"],
            actor=actor_of(request),
        ),
    )
    return settle(
        request,
        sent,
        done=_("协议已审批生效。"),
        to=reverse("console:agreement", args=[agreement.pk]),
        again=lambda status: _detail_page(request, agreement, status=status, approve_form=form),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Amend an approved agreement: the next version, a draft through review and approval again
    (R-AGR-2; officer, admin)."""
    agreement = _agreement_or_404(request, agreement_id)
    if not may_draft_agreements(request.user):
        return forbidden(request, NAV, _("协议由伙伴关系官起草。"))
    if request.method == "GET":
        return _amend_page(request, agreement, AmendForm())
    form = AmendForm(request.POST)
    sent = send(
        form,
        lambda data: services.amend_agreement(
            agreement.pk,
            actor=actor_of(request),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            **_amendment(form),
        ),
        field_map=SCHEME_FIELDS,
    )
    if sent.ok:
        messages.success(
            request,
            _("修订版 v%(version)d 已起草，等待法务审核。") % {"version": sent.value.version},
        )
        return redirect("console:agreement", agreement_id=sent.value.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _amend_page(request, agreement, form, status=status)


def _amend_page(
    request: HttpRequest, agreement: Agreement, form: AmendForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "console/agreement_amend.html",
        {"nav": NAV, "agreement": agreement, "form": mark_invalid(form)},
        status=status,
    )


def partner_agreements(partner: Partner, user: Any) -> list[Agreement]:
    """The partner page's card: the partner's agreements, newest first."""
    return list(Agreement.objects.visible_to(user).filter(partner=partner).order_by("-created_at"))


@staff_required
@require_POST
def agreement_unit_report(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Enter a month's units under the approved per-unit agreement (officer, finance, admin;
    R-UNIT-2/3)."""
    agreement = _agreement_or_404(request, agreement_id)
    if not may_report_units(request.user):
        return forbidden(request, NAV, _("按件月报由伙伴关系官或财务登记。"))
    form = UnitReportForm(request.POST)
    sent = send(
        form,
        lambda data: report_units(
            agreement.partner.code,
            period=data["period"],
            units=data["units"],
            complaint_rate=data["complaint_rate"],
            nps=data["nps"],
            actor=actor_of(request),
        ),
    )
    if sent.ok and not sees_agreement_terms(request.user, agreement.partner_id):
        messages.success(request, _("月报已登记。"))  # the figures are not theirs to read
    elif sent.ok:
        report = sent.value
        messages.success(
            request,
            _("%(period)s 已登记：本月 %(amount)s，达标补差 %(true_up)s。")
            % {
                "period": f"{report.year}-{report.month:02d}",
                "amount": f"{report.amount:,.2f}",
                "true_up": f"{report.true_up:,.2f}",
            },
        )
    if sent.ok:
        page = reverse("console:agreement", kwargs={"agreement_id": agreement.pk})
        return redirect(page + "#units")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _detail_page(request, agreement, status=status, unit_form=form)


@staff_required
@require_POST
def agreement_file(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Keep a file with the agreement (R-AGR-1; officer, legal, gm, admin)."""
    agreement = _agreement_or_404(request, agreement_id)
    if not may_file_agreements(request.user):
        return forbidden(request, NAV, _("协议文件由伙伴关系官、法务或总经理上传。"))
    form = FileForm(request.POST, request.FILES)
    sent = send(
        form,
        lambda data: services.attach_agreement_file(
            agreement.pk, upload=data["file"], title=data["title"], actor=actor_of(request)
        ),
    )
    return settle(
        request,
        sent,
        done=_("已上传协议文件。"),
        to=reverse("console:agreement", args=[agreement.pk]) + "#files",
        again=lambda status: _detail_page(request, agreement, status=status, file_form=form),
    )


@staff_required
@require_GET
def agreement_file_download(request: HttpRequest, agreement_id: int, file_id: int) -> Any:
    """An agreement's file, for those who read its text (R-PRF-3)."""
    agreement = _agreement_or_404(request, agreement_id)
    row = AgreementFile.objects.filter(pk=file_id, agreement=agreement).first()
    if row is None:
        raise Http404
    if not sees_agreement_terms(request.user, agreement.partner_id):
        return forbidden(request, NAV, _("协议文本仅财务、总经理、法务、管理员可见。"))
    return download(row)
