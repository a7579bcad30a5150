"""Selections in the console (SPEC §10.3, R-SEL; R-UI-1): the list with a new need, the
selection's candidates side by side, and each candidate's next step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.assessing import assessment_score
from huoban.core.files import download
from huoban.errors import DomainError
from huoban.policy import may_manage_partners
from huoban.selection import rules, services
from huoban.selection.forms import (
    SCORE_FIELDS,
    CandidateFileForm,
    CandidateForm,
    OverrideForm,
    RejectForm,
    SelectionForm,
    StageForm,
    TrialForm,
)
from huoban.selection.models import Candidate, CandidateFile, Selection, Stage
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused

NAV = "selections"
FORBIDDEN = "甄选由伙伴关系官负责。"


@staff_required
@require_http_methods(["GET", "POST"])
def selection_list(request: HttpRequest) -> HttpResponse:
    """Every selection with its candidates' count; officers start a new one (R-SEL-1)."""
    form = SelectionForm()
    status = 200
    if request.method == "POST":
        if not may_manage_partners(request.user):
            return forbidden(request, NAV, _(FORBIDDEN))
        form = SelectionForm(request.POST)
        sent = send(
            form,
            lambda data: services.create_selection(
                title=data["title"],
                partner_type=data["partner_type"],
                criteria=data["criteria"],
                needs=data["needs"],
                offers=data["offers"],
                screening=form.screening_items(),
                actor=actor_of(request),
            ),
        )
        if sent.ok:
            messages.success(request, _("甄选已发起。"))
            return redirect("console:selection", selection_id=sent.value.pk)
        status = refused(request, sent.refusal) if sent.refusal else 422
    rows = Selection.objects.visible_to(request.user).annotate(n=Count("candidates"))
    return render(
        request,
        "console/selections.html",
        {
            "nav": NAV,
            "selections": rows.order_by("-created_at"),
            "form": mark_invalid(form),
            "may_run": may_manage_partners(request.user),
        },
        status=status,
    )


def _selection_or_404(request: HttpRequest, selection_id: int) -> Selection:
    found = Selection.objects.visible_to(request.user).filter(pk=selection_id).first()
    if found is None:
        raise Http404
    return found


def _candidate_or_404(request: HttpRequest, candidate_id: int) -> Candidate:
    found = (
        Candidate.objects.visible_to(request.user)
        .select_related("selection")
        .filter(pk=candidate_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@staff_required
@require_GET
def selection_detail(request: HttpRequest, selection_id: int) -> HttpResponse:
    return _detail_page(request, _selection_or_404(request, selection_id))


def _ids(candidate: Candidate, form: str) -> str:
    """Each candidate's forms have their own element ids on the page (two have a `reason`)."""
    return f"c{candidate.pk}_{form}_%s"


def _detail_page(
    request: HttpRequest,
    selection: Selection,
    *,
    status: int = 200,
    failed: Candidate | None = None,
    failed_form: Any = None,
    candidate_form: CandidateForm | None = None,
) -> HttpResponse:
    candidates = list(
        selection.candidates.select_related("partner", "agreement")
        .prefetch_related("files")
        .order_by("pk")
    )
    rows = []
    for c in candidates:
        nxt = rules.next_stage(c.stage)
        forms: dict[str, Any] = {
            "stage": StageForm(initial={"stage": nxt}, auto_id=_ids(c, "stage"))
            if nxt else None,
            "trial": TrialForm(selection.criteria, auto_id=_ids(c, "trial"))
            if c.stage == Stage.TRIAL else None,
            "override": OverrideForm(auto_id=_ids(c, "override"))
            if c.trials and c.stage in (Stage.TRIAL, Stage.DECIDED) else None,
            "reject": RejectForm(auto_id=_ids(c, "reject"))
            if c.stage not in (Stage.SIGNED, Stage.REJECTED) else None,
            "file": CandidateFileForm(auto_id=_ids(c, "file")),
        }  # fmt: skip
        if failed is not None and failed.pk == c.pk and failed_form is not None:
            kinds: dict[str, type] = {
                "stage": StageForm, "trial": TrialForm, "override": OverrideForm,
                "reject": RejectForm, "file": CandidateFileForm,
            }  # fmt: skip
            key = next(k for k, cls in kinds.items() if isinstance(failed_form, cls))
            forms[key] = failed_form
        rows.append(
            {
                "candidate": c,
                "next": nxt,
                "next_label": Stage(nxt).label if nxt else "",
                "forms": {k: mark_invalid(v) if v is not None else None for k, v in forms.items()},
                "last_trial": c.trials[-1] if c.trials else None,
                "capability": assessment_score("capability", c.capability).score
                if c.capability
                else None,
                "willingness": assessment_score("willingness", c.willingness).score
                if c.willingness
                else None,
                "open": failed is not None and failed.pk == c.pk,
            }
        )
    return render(
        request,
        "console/selection.html",
        {
            "nav": NAV,
            "selection": selection,
            "rows": rows,
            "may_run": may_manage_partners(request.user),
            "candidate_form": mark_invalid(candidate_form or CandidateForm()),
            "stage_labels": dict(Stage.choices),
        },
        status=status,
    )


@staff_required
@require_POST
def candidate_add(request: HttpRequest, selection_id: int) -> HttpResponse:
    selection = _selection_or_404(request, selection_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = CandidateForm(request.POST)
    sent = send(
        form,
        lambda data: services.add_candidate(
            selection.pk, name=data["name"], channel=data["channel"], actor=actor_of(request)
        ),
    )
    if sent.ok:
        return redirect("console:selection", selection_id=selection.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _detail_page(request, selection, status=status, candidate_form=form)


def _after(request: HttpRequest, candidate: Candidate, sent: Any, form: Any, ok: str) -> Any:
    """The common ending of a candidate action: back to the selection, or the page with the
    form's errors (or the service's refusal) on that candidate."""
    if sent.ok:
        messages.success(request, ok)
        page = reverse("console:selection", kwargs={"selection_id": candidate.selection_id})
        return redirect(f"{page}#candidate-{candidate.pk}")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _detail_page(
        request, candidate.selection, status=status, failed=candidate, failed_form=form
    )


@staff_required
@require_POST
def candidate_stage(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = StageForm(request.POST, auto_id=_ids(candidate, "stage"))
    screened = set(request.POST.getlist("screen"))
    sent = send(
        form,
        lambda data: services.move_stage(
            candidate.pk,
            stage=data["stage"],
            actor=actor_of(request),
            screening={item: item in screened for item in candidate.selection.screening},
            capability=form.scores("capability") if data["stage"] == Stage.SCREENED else None,
            willingness=form.scores("willingness") if data["stage"] == Stage.SCREENED else None,
            nda_signed_on=data["nda_signed_on"],
            due_diligence=form.due_diligence() if data["stage"] == Stage.DUE_DILIGENCE else None,
            trial_scope=data["trial_scope"],
            trial_start=data["trial_start"],
            trial_end=data["trial_end"],
        ),
        SCORE_FIELDS,
    )
    return _after(request, candidate, sent, form, _("已进入下一阶段。"))


@staff_required
@require_POST
def candidate_trial(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = TrialForm(candidate.selection.criteria, request.POST, auto_id=_ids(candidate, "trial"))
    sent = send(
        form,
        lambda data: services.record_trial(
            candidate.pk, results=form.results(), actor=actor_of(request)
        ),
    )
    return _after(request, candidate, sent, form, _("试点结果已登记。"))


@staff_required
@require_POST
def candidate_decision(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = OverrideForm(request.POST, auto_id=_ids(candidate, "override"))
    sent = send(
        form,
        lambda data: services.override_decision(
            candidate.pk, decision=data["decision"], reason=data["reason"], actor=actor_of(request)
        ),
    )
    return _after(request, candidate, sent, form, _("已改判。"))


@staff_required
@require_POST
def candidate_reject(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = RejectForm(request.POST, auto_id=_ids(candidate, "reject"))
    sent = send(
        form,
        lambda data: services.reject_candidate(
            candidate.pk, reason=data["reason"], actor=actor_of(request)
        ),
    )
    return _after(request, candidate, sent, form, _("已淘汰。"))


@staff_required
@require_POST
def candidate_sign(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """`sign` (R-SEL-4): the partner and its draft agreement, then the agreement's page."""
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    try:
        signed = services.sign_candidate(candidate.pk, actor=actor_of(request))
    except DomainError as e:
        status = refused(request, e)
        return _detail_page(request, candidate.selection, status=status)
    messages.success(request, _("已签约：伙伴已建档，协议草稿已提交法务审核。"))
    return redirect("console:agreement", agreement_id=signed.agreement_id)


@staff_required
@require_POST
def candidate_file(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Keep a candidate's file: the signed NDA, due-diligence material (R-SEL-2)."""
    candidate = _candidate_or_404(request, candidate_id)
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _(FORBIDDEN))
    form = CandidateFileForm(request.POST, request.FILES, auto_id=_ids(candidate, "file"))
    sent = send(
        form,
        lambda data: services.attach_candidate_file(
            candidate.pk,
            kind=data["kind"],
            upload=data["file"],
            title=data["title"],
            actor=actor_of(request),
        ),
    )
    return _after(request, candidate, sent, form, _("已上传文件。"))


@staff_required
@require_GET
def candidate_file_download(request: HttpRequest, candidate_id: int, file_id: int) -> Any:
    """A candidate's file, for staff (selections are staff-only)."""
    candidate = _candidate_or_404(request, candidate_id)
    row = CandidateFile.objects.filter(pk=file_id, candidate=candidate).first()
    if row is None:
        raise Http404
    return download(row)
