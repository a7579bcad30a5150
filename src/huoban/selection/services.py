"""Selections (SPEC §10.3, R-SEL-1…4): one business action, one transaction, one audit event
each; `sign` makes the candidate a partner and opens its draft agreement (R-AGR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from huoban import clock, explain, hooks
from huoban.accounts.models import User
from huoban.agreements.rules import add_months
from huoban.agreements.services import draft_within
from huoban.assessing import score_errors
from huoban.audit.services import record
from huoban.core.files import take_upload
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.money import parse_measure
from huoban.partners.models import PartnerKind, PartnerType
from huoban.partners.services import register_partner
from huoban.policy import may_manage_partners

from . import rules
from .models import DD_SECTIONS, Candidate, CandidateFile, Decision, FileKind, Selection, Stage

TRIAL_MONTHS = 3  # R-SEL-2: the MVP trial, 3 months by default (and its one extension)

# R-SEL-4 with R-AGR-1: the agreement a signed candidate's type opens.
AGREEMENT_KIND = {
    PartnerType.CHANNEL: "channel",
    PartnerType.TECHNOLOGY: "co_delivery",
    PartnerType.SUPPLIER: "supply",
    PartnerType.STRATEGIC_INVESTOR: "strategic",
    PartnerType.OVERSEAS_AGENT: "channel",
}


def _require(actor: User) -> None:
    if not may_manage_partners(actor):
        raise Forbidden("甄选由伙伴关系官负责 / Partner officers run selections.")


def criteria_of(selection: Selection) -> list[rules.Criterion]:
    return [
        rules.Criterion(c["metric"], c["op"], Decimal(str(c["threshold"])), c.get("unit", ""))
        for c in selection.criteria
    ]


@transaction.atomic(durable=True)
def create_selection(
    *,
    title: str,
    partner_type: str,
    criteria: Sequence[Mapping[str, Any]],
    needs: str = "",
    offers: str = "",
    screening: Sequence[str] = (),
    actor: User,
) -> Selection:
    """A need for a partner with its screening checklist and trial success criteria (R-SEL-1)."""
    _require(actor)
    return open_selection(
        title=title, partner_type=partner_type, criteria=criteria, needs=needs, offers=offers,
        screening=screening, actor=actor,
    )  # fmt: skip


def open_selection(
    *,
    title: str,
    partner_type: str,
    criteria: Sequence[Mapping[str, Any]],
    needs: str = "",
    offers: str = "",
    screening: Sequence[str] = (),
    draft: bool = False,
    actor: User | None,
) -> Selection:
    """:func:`create_selection` in the caller's transaction, for a case that opens one (R-CRIS-1:
    a replacement selection, in draft); no actor when `huoban tick` escalates."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写标题 / The title is required."
    if partner_type not in PartnerType.values:
        errors["partner_type"] = (
            "伙伴类型应为 " + "、".join(PartnerType.values) + " / Unknown partner type."
        )
    clean: list[dict[str, Any]] = []
    for i, c in enumerate(criteria):
        metric = str(c.get("metric") or "").strip()
        threshold = parse_measure(c.get("threshold"))
        if not metric or c.get("op") not in ("gte", "lte") or threshold is None:
            errors[f"criteria[{i}]"] = (
                "每项标准需要指标、gte/lte 与阈值 / Each criterion needs a metric, gte or lte, "
                "and a threshold."
            )
            continue
        clean.append({"metric": metric, "op": c["op"], "threshold": str(threshold),
                      "unit": str(c.get("unit") or "")})  # fmt: skip
    metrics = [c["metric"] for c in clean]
    if len(set(metrics)) != len(metrics):
        errors["criteria"] = "指标不得重复 / Each metric once."
    if not criteria:
        errors["criteria"] = "至少一项试点成功标准 / At least one trial success criterion."
    if errors:
        raise ValidationFailed(errors)
    selection = Selection.objects.create(
        title=title.strip(),
        partner_type=partner_type,
        needs=needs.strip(),
        offers=offers.strip(),
        screening=[s.strip() for s in screening if s.strip()],
        criteria=clean,
        draft=draft,
        created_by=actor,
        created_at=clock.now(),
    )
    record(
        actor,
        "selection.create",
        selection,
        after={"title": selection.title, "partner_type": partner_type, "criteria": clean,
               "draft": draft},
    )  # fmt: skip
    return selection


@transaction.atomic(durable=True)
def add_candidate(selection_id: int, *, name: str, channel: str = "", actor: User) -> Candidate:
    """A candidate enters the selection at `sourced`, with the channel it came from (R-SEL-2)."""
    _require(actor)
    selection = Selection.objects.filter(pk=selection_id).first()
    if selection is None:
        raise NotFound("甄选不存在 / No such selection.")
    if not name.strip():
        raise ValidationFailed({"name": "请填写名称 / The name is required."})
    candidate = Candidate.objects.create(
        selection=selection, name=name.strip(), channel=channel.strip(), created_at=clock.now()
    )
    record(
        actor,
        "selection.candidate",
        candidate,
        after={"selection": selection.pk, "name": candidate.name, "channel": candidate.channel},
    )
    return candidate


def _candidate(candidate_id: int) -> Candidate:
    candidate = (
        Candidate.objects.select_for_update().select_related("selection")
        .filter(pk=candidate_id).first()
    )  # fmt: skip
    if candidate is None:
        raise NotFound("候选伙伴不存在 / No such candidate.")
    return candidate


def _dd_errors(answers: Mapping[str, Any]) -> dict[str, str]:
    bad = [s for s in answers if s not in DD_SECTIONS]
    if bad or not all(isinstance(v, list) for v in answers.values()):
        return {
            "due_diligence": "尽调清单按资源、技术、商务、文化四部分填写 / The checklist has four "
            "sections: resources, technology, commercial, culture."
        }
    return {}


@transaction.atomic(durable=True)
def move_stage(
    candidate_id: int,
    *,
    stage: str,
    actor: User,
    screening: Mapping[str, bool] | None = None,
    capability: Mapping[str, Any] | None = None,
    willingness: Mapping[str, Any] | None = None,
    nda_signed_on: dt.date | None = None,
    due_diligence: Mapping[str, Any] | None = None,
    trial_scope: str = "",
    trial_start: dt.date | None = None,
    trial_end: dt.date | None = None,
) -> Candidate:
    """Move a candidate to the next stage with what that stage records (R-SEL-2): the screening
    checklist with the capability and willingness assessments (optional, each dimension 1–5),
    the NDA's signing date, the due-diligence answers with their red flags, the
    trial's scope and dates (3 months by default). A skipped stage is refused (409)."""
    _require(actor)
    candidate = _candidate(candidate_id)
    expected = rules.next_stage(candidate.stage)
    if stage not in rules.STAGES:
        raise ValidationFailed({"stage": "未知阶段 / Unknown stage."})
    if expected != stage:
        raise Conflict(
            f"当前阶段为 {candidate.stage}，下一阶段只能是 {expected or '（无）'}，不得跳过 / The "
            f"candidate is at {candidate.stage}; the next stage is {expected or 'none'}: no "
            "stage may be skipped."
        )
    if due_diligence is not None:
        errors = _dd_errors(due_diligence)
        if errors:
            raise ValidationFailed(errors)
    assessed = {"capability": capability, "willingness": willingness}
    if stage == Stage.SCREENED:
        errors = {
            f"{kind}.{field}": message
            for kind, scores in assessed.items()
            if scores
            for field, message in score_errors(kind, scores).items()
        }
        if errors:
            raise ValidationFailed(errors)
    before = candidate.stage
    today = clock.today()
    if stage == Stage.SCREENED:
        items = candidate.selection.screening
        candidate.screening = {item: bool((screening or {}).get(item)) for item in items}
        candidate.capability = dict(capability or {})
        candidate.willingness = dict(willingness or {})
    elif stage == Stage.NDA:
        candidate.nda_signed_on = nda_signed_on or today
    elif stage == Stage.DUE_DILIGENCE:
        candidate.due_diligence = dict(due_diligence or {})
    elif stage == Stage.TRIAL:
        candidate.trial_scope = trial_scope.strip()
        candidate.trial_start = trial_start or today
        candidate.trial_end = trial_end or add_months(candidate.trial_start, TRIAL_MONTHS)
        if candidate.trial_end <= candidate.trial_start:
            raise ValidationFailed({"trial_end": "试点结束应晚于开始 / The end follows the start."})
    candidate.stage = stage
    candidate.save()
    record(
        actor,
        "selection.stage",
        candidate,
        before={"stage": before},
        after={
            "stage": stage,
            "red_flags": candidate.red_flags,
            **({k: dict(v) for k, v in assessed.items() if v} if stage == Stage.SCREENED else {}),
        },
    )
    return candidate


@transaction.atomic(durable=True)
def record_trial(
    candidate_id: int, *, results: Mapping[str, Any], actor: User
) -> tuple[Candidate, rules.TrialDecision]:
    """Record a trial's results and decide by R-SEL-3: `sign`, `extend` (the candidate stays in
    `trial` for 3 more months, once only) or `stop`."""
    _require(actor)
    candidate = _candidate(candidate_id)
    if candidate.stage != Stage.TRIAL:
        raise Conflict("候选伙伴不在试点阶段 / The candidate is not in its trial.")
    criteria = criteria_of(candidate.selection)
    errors: dict[str, str] = {}
    actual: dict[str, Decimal] = {}
    for c in criteria:
        value = parse_measure(results.get(c.metric))
        if value is None:
            errors[f"results.{c.metric}"] = "请填写该指标的实际值 / The result is required."
        else:
            actual[c.metric] = value
    unknown = sorted(set(results) - {c.metric for c in criteria})
    if unknown:
        errors["results"] = f"未知指标 / Unknown metrics: {', '.join(unknown)}"
    if errors:
        raise ValidationFailed(errors)
    second = len(candidate.trials) >= 1
    decided = rules.trial_decision(criteria, actual, second_trial=second)
    candidate.trials = [
        *candidate.trials,
        {
            "results": {k: str(v) for k, v in actual.items()},
            "failed": list(decided.failed),
            "decision": decided.decision,
            "at": clock.now().isoformat(),
        },
    ]
    candidate.decision = decided.decision
    candidate.decision_explanation = explain.explanation_text(decided.explanation)
    if decided.decision == Decision.EXTEND:
        assert candidate.trial_end is not None
        candidate.trial_end = add_months(candidate.trial_end, TRIAL_MONTHS)
    else:
        candidate.stage = Stage.DECIDED
    candidate.save()
    record(
        actor,
        "selection.trial",
        candidate,
        after={
            "results": {k: str(v) for k, v in actual.items()},
            "failed": list(decided.failed),
            "decision": decided.decision,
            "trial": len(candidate.trials),
        },
    )
    return candidate, decided


@transaction.atomic(durable=True)
def override_decision(candidate_id: int, *, decision: str, reason: str, actor: User) -> Candidate:
    """An officer decides otherwise than the rule, with a written reason (R-SEL-3, audited)."""
    _require(actor)
    candidate = _candidate(candidate_id)
    if candidate.stage not in (Stage.TRIAL, Stage.DECIDED) or not candidate.trials:
        raise Conflict("试点结果登记后才能改判 / Decide otherwise only after a trial's results.")
    errors = {}
    if decision not in (Decision.SIGN, Decision.STOP):
        errors["decision"] = "改判为 sign 或 stop / Decide sign or stop."
    if not reason.strip():
        errors["reason"] = "改判须写明理由 / Deciding otherwise needs a written reason."
    if errors:
        raise ValidationFailed(errors)
    before = candidate.decision
    candidate.decision = decision
    candidate.override_reason = reason.strip()
    candidate.stage = Stage.DECIDED
    candidate.save(update_fields=["decision", "override_reason", "stage"])
    record(
        actor,
        "selection.override",
        candidate,
        before={"decision": before},
        after={"decision": decision, "reason": candidate.override_reason},
    )
    return candidate


@transaction.atomic(durable=True)
def reject_candidate(candidate_id: int, *, reason: str, actor: User) -> Candidate:
    """Refuse a candidate at any stage, with a reason (R-SEL-2)."""
    _require(actor)
    candidate = _candidate(candidate_id)
    if candidate.stage in (Stage.SIGNED, Stage.REJECTED):
        raise Conflict("该候选伙伴已结束 / This candidate's selection is over.")
    if not reason.strip():
        raise ValidationFailed({"reason": "请写明淘汰理由 / A reason is required."})
    before = candidate.stage
    candidate.stage = Stage.REJECTED
    candidate.rejected_reason = reason.strip()
    candidate.save(update_fields=["stage", "rejected_reason"])
    record(
        actor,
        "selection.reject",
        candidate,
        before={"stage": before},
        after={"reason": candidate.rejected_reason},
    )
    return candidate


@transaction.atomic(durable=True)
def sign_candidate(candidate_id: int, *, actor: User) -> Candidate:
    """`sign` (R-SEL-4): the candidate becomes a partner of the selection's type and its draft
    agreement opens for legal review (R-AGR-2), starting today for a year."""
    _require(actor)
    candidate = _candidate(candidate_id)
    if candidate.stage != Stage.DECIDED or candidate.decision != Decision.SIGN:
        raise Conflict("只有决定签约的候选伙伴可以签约 / Only a candidate decided `sign` signs.")
    partner_type = candidate.selection.partner_type
    partner = register_partner(
        name=candidate.name,
        kind=PartnerKind.ORGANIZATION,
        types=[partner_type],
        actor=actor,
    )
    today = clock.today()
    agreement = draft_within(
        partner.code,
        kind=AGREEMENT_KIND.get(PartnerType(partner_type), "channel"),
        starts_on=today,
        ends_on=add_months(today, 12) - dt.timedelta(days=1),
        title=f"{candidate.name}合作协议",
        actor=actor,
    )
    candidate.stage = Stage.SIGNED
    candidate.partner = partner
    candidate.agreement = agreement
    candidate.save(update_fields=["stage", "partner", "agreement"])
    # R-SEL-4: its screening assessments go with it (its files stay linked to the candidate).
    assessments = {
        kind: dict(scores)
        for kind, scores in (
            ("capability", candidate.capability),
            ("willingness", candidate.willingness),
        )
        if scores
    }
    carried = hooks.optional_answers(
        hooks.candidate_signed, partner=partner, assessments=assessments, actor=actor
    )
    record(
        actor,
        "selection.sign",
        candidate,
        after={
            "partner": partner.code,
            "agreement": agreement.number,
            "assessments": len(carried),
        },
    )
    return candidate


@transaction.atomic(durable=True)
def attach_candidate_file(
    candidate_id: int, *, kind: str, upload: Any, title: str = "", actor: User
) -> CandidateFile:
    """Keep a candidate's file (R-SEL-2): the signed NDA, due-diligence material, a trial
    report. It stays with the candidate, and with the partner once signed (R-SEL-4)."""
    _require(actor)
    candidate = _candidate(candidate_id)
    errors: dict[str, str] = {}
    if kind not in FileKind.values:
        errors["kind"] = "类别为 nda、due_diligence、trial 或 other / Unknown kind."
    taken = take_upload(upload, title, errors)
    if errors:
        raise ValidationFailed(errors)
    assert taken is not None
    row = CandidateFile(candidate=candidate, kind=kind, uploaded_by=actor, uploaded_at=clock.now())
    row.keep(taken)
    row.save()
    record(
        actor,
        "selection.file",
        row,
        after={
            "candidate": candidate.name,
            "kind": kind,
            "title": row.title,
            "size": row.size,
            "sha256": row.sha256,
        },
    )
    return row
