"""Partner criticality (R-CRIT-1, R-CRIT-2) and capability/willingness assessments (R-ASM-1):
one business action, one transaction, one audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, Sum

from huoban import clock, hooks
from huoban.access import require_role
from huoban.accounts.models import User
from huoban.agreements.models import Agreement, Kind
from huoban.agreements.models import Status as AgreementStatus
from huoban.assessing import score_errors
from huoban.audit.services import record
from huoban.errors import Forbidden, NotFound, ValidationFailed
from huoban.explain import Step, explanation_text
from huoban.partners.models import Partner
from huoban.policy import GRADERS, may_manage_partners
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus

from . import rules
from .models import (
    FACTS,
    Assessment,
    Complementarity,
    CriticalityAssessment,
    DeliveryReview,
    Depth,
    DepthDecision,
    Investment,
    KeyContact,
    PartnerProfile,
    Substitutability,
)


def latest_criticality(partner: Partner) -> CriticalityAssessment | None:
    return (
        CriticalityAssessment.objects.filter(partner=partner)
        .order_by("-assessed_at", "-pk")
        .first()
    )


@transaction.atomic(durable=True)
def assess_criticality(
    code: str,
    *,
    strategic_value: int,
    substitutability: str,
    investment: str = "",
    reason: str = "",
    actor: User,
) -> CriticalityAssessment:
    """Grade a partner S/A/B/C from its strategic value and substitutability (R-CRIT-1); the
    grade is kept with its explanation and reason beside the earlier ones (R-CRIT-2)."""
    require_role(actor, *GRADERS)
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    if strategic_value not in range(1, 6):
        errors["strategic_value"] = "战略价值为 1–5 星 / Strategic value is 1 to 5 stars."
    if substitutability not in Substitutability.values:
        errors["substitutability"] = (
            "可替代性应为 hard、normal 或 easy / Substitutability is hard, normal or easy."
        )
    if investment and investment not in Investment.values:
        errors["investment"] = (
            "所需投入应为 high、medium 或 low / Investment is high, medium or low."
        )
    previous = latest_criticality(partner)
    if errors:
        raise ValidationFailed(errors)
    result = rules.criticality(strategic_value, substitutability)
    if previous is not None and previous.grade != result.grade and not reason.strip():
        raise ValidationFailed({"reason": "等级变化须说明理由 / A change of grade needs a reason."})
    assessment = CriticalityAssessment.objects.create(
        partner=partner,
        strategic_value=strategic_value,
        substitutability=substitutability,
        investment=investment,
        grade=result.grade,
        explanation=explanation_text(result.explanation),
        reason=reason.strip(),
        assessed_by=actor,
        assessed_at=clock.now(),
    )
    record(
        actor,
        "partner.criticality",
        assessment,
        before={"grade": previous.grade} if previous else None,
        after={
            "partner": partner.code,
            "strategic_value": strategic_value,
            "substitutability": substitutability,
            "investment": investment,
            "grade": result.grade,
            "reason": assessment.reason,
        },
    )
    return assessment


def latest_assessment(partner: Partner, kind: str) -> Assessment | None:
    return (
        Assessment.objects.filter(partner=partner, kind=kind)
        .order_by("-assessed_at", "-pk")
        .first()
    )


@transaction.atomic(durable=True)
def record_assessment(
    code: str,
    *,
    kind: str,
    scores: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    actor: User,
) -> Assessment:
    """Record a capability (4 dimensions) or willingness (3 signals) assessment, each 1–5
    (R-ASM-1): its score, the trend against the last one of its kind, the explanation."""
    require_role(actor, *GRADERS)
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if kind not in rules.DIMENSIONS:
        raise ValidationFailed({"kind": "类型应为 capability 或 willingness / Unknown kind."})
    dimensions = rules.DIMENSIONS[kind]
    errors = score_errors(kind, scores)
    if errors:
        raise ValidationFailed(errors)
    clean = {d: int(scores[d]) for d in dimensions}
    result = rules.assessment_score(kind, clean)
    previous = latest_assessment(partner, kind)
    assessment = Assessment.objects.create(
        partner=partner,
        kind=kind,
        scores=clean,
        notes={d: n.strip() for d, n in (notes or {}).items() if d in dimensions and n.strip()},
        score=result.score,
        trend=rules.trend(previous.score if previous else None, result.score),
        explanation=explanation_text(result.explanation),
        assessed_by=actor,
        assessed_at=clock.now(),
    )
    record(
        actor,
        "partner.assessment",
        assessment,
        before={"score": str(previous.score)} if previous else None,
        after={
            "partner": partner.code,
            "kind": kind,
            "scores": clean,
            "score": str(result.score),
            "trend": assessment.trend,
        },
    )
    return assessment


# --- depth (R-PRF-2) --------------------------------------------------------------------------


def cooperation_figures(partner: Partner, year: int) -> tuple[int, Decimal, bool]:
    """R-PRF-2's inputs: the partner's cooperation projects (referred or co-delivered, not
    cancelled), the year's cooperation amount (their contract amounts, signed in ``year``) and
    whether an approved strategic agreement is in force today."""
    live = Project.objects.exclude(status=ProjectStatus.CANCELLED)
    mine = live.filter(Q(partner=partner) | Q(shares__partner=partner)).distinct()
    count = mine.count()
    amount = live.filter(pk__in=mine.filter(signed_on__year=year).values("pk")).aggregate(
        s=Sum("contract_amount")
    )["s"] or Decimal("0")
    today = clock.today()
    strategic = Agreement.objects.filter(
        partner=partner,
        kind=Kind.STRATEGIC,
        status=AgreementStatus.APPROVED,
        starts_on__lte=today,
        ends_on__gte=today,
    ).exists()
    return count, amount, strategic


def suggested_depth(partner: Partner) -> rules.DepthSuggestion:
    count, amount, strategic = cooperation_figures(partner, clock.today().year)
    return rules.suggest_depth(count, amount, strategic)


def latest_depth(partner: Partner) -> DepthDecision | None:
    return DepthDecision.objects.filter(partner=partner).order_by("-decided_at", "-pk").first()


@transaction.atomic(durable=True)
def confirm_depth(code: str, *, depth: str, reason: str = "", actor: User) -> DepthDecision:
    """An officer confirms the partner's depth (R-PRF-2), kept with the suggestion of the day;
    a depth other than the suggestion, or a change, needs a reason."""
    if not may_manage_partners(actor):
        raise Forbidden("合作深度由伙伴关系官确认 / Partner officers confirm the depth.")
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if depth not in Depth.values:
        raise ValidationFailed(
            {"depth": "合作深度为 strategic、important 或 ordinary / Unknown depth."}
        )
    suggestion = suggested_depth(partner)
    previous = latest_depth(partner)
    changed = previous is not None and previous.depth != depth
    if (depth != suggestion.depth or changed) and not reason.strip():
        raise ValidationFailed(
            {
                "reason": "与建议不同或调整深度须写明理由 / A depth other than the suggestion, or "
                "a change, needs a reason."
            }
        )
    decision = DepthDecision.objects.create(
        partner=partner,
        depth=depth,
        suggested=suggestion.depth,
        explanation=explanation_text(suggestion.explanation),
        reason=reason.strip(),
        decided_by=actor,
        decided_at=clock.now(),
    )
    record(
        actor,
        "partner.depth",
        decision,
        before={"depth": previous.depth} if previous else None,
        after={
            "partner": partner.code,
            "depth": depth,
            "suggested": suggestion.depth,
            "reason": decision.reason,
        },
    )
    return decision


# --- basic facts and key contacts (R-PRF-1) ---------------------------------------------------


def profile_of(partner: Partner) -> PartnerProfile:
    """The partner's profile, empty (everything 待补充) before the first edit; not saved."""
    found = PartnerProfile.objects.filter(partner=partner).first()
    return found or PartnerProfile(partner=partner, updated_at=clock.now())


@transaction.atomic(durable=True)
def update_profile(code: str, *, actor: User, **facts: Any) -> PartnerProfile:
    """Set a partner's complementarity and basic facts (R-PRF-1); what is left empty stays
    待补充. Only the fields given change."""
    if not may_manage_partners(actor):
        raise Forbidden("伙伴信息由伙伴关系官维护 / Partner officers keep the partner's facts.")
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    unknown = sorted(set(facts) - {*FACTS, "complementarity"})
    errors: dict[str, str] = {}
    if unknown:
        errors["facts"] = f"未知字段 / Unknown fields: {', '.join(unknown)}"
    if facts.get("complementarity") not in (None, "", *Complementarity.values):
        errors["complementarity"] = (
            "互补类型为 technology、resource 或 product / Complementarity is technology, "
            "resource or product."
        )
    size = facts.get("team_size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
        errors["team_size"] = "团队规模为不小于 0 的整数 / The team size is 0 or more."
    if errors:
        raise ValidationFailed(errors)
    profile = PartnerProfile.objects.select_for_update().filter(partner=partner).first()
    before = None if profile is None else {f: str(getattr(profile, f) or "") for f in FACTS}
    profile = profile or PartnerProfile(partner=partner)
    for name, value in facts.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.updated_at = clock.now()
    try:
        profile.full_clean(exclude=["partner"])
    except DjangoValidationError as e:
        raise ValidationFailed(
            {k: "；".join(str(m) for m in v) for k, v in e.message_dict.items()}
        ) from e
    profile.save()
    record(
        actor,
        "partner.profile",
        profile,
        before=before,
        after={
            "partner": partner.code,
            **{f: str(getattr(profile, f) or "") for f in FACTS},
            "complementarity": profile.complementarity,
            "to_complete": profile.to_complete(),
        },
    )
    return profile


@transaction.atomic(durable=True)
def add_key_contact(
    code: str,
    *,
    name: str,
    layer: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    wechat: str = "",
    actor: User,
) -> KeyContact:
    """A key contact at the partner, by layer (R-PRF-1)."""
    if not may_manage_partners(actor):
        raise Forbidden("伙伴信息由伙伴关系官维护 / Partner officers keep the partner's facts.")
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    contact = KeyContact(
        partner=partner,
        name=name.strip(),
        layer=layer,
        title=title.strip(),
        phone=phone.strip(),
        email=email.strip(),
        wechat=wechat.strip(),
        created_at=clock.now(),
    )
    try:
        contact.full_clean(exclude=["partner"])
    except DjangoValidationError as e:
        raise ValidationFailed(
            {k: "；".join(str(m) for m in v) for k, v in e.message_dict.items()}
        ) from e
    contact.save()
    record(
        actor,
        "partner.contact",
        contact,
        after={"partner": partner.code, "name": contact.name, "layer": layer},
    )
    return contact


# --- the co-delivery review (R-ASM-2) ---------------------------------------------------------


def latest_delivery_review(partner: Partner) -> DeliveryReview | None:
    return DeliveryReview.objects.filter(partner=partner).order_by("-reviewed_at", "-pk").first()


@transaction.atomic(durable=True)
def record_delivery_review(
    code: str, *, ratings: Iterable[tuple[str, str]], note: str = "", actor: User
) -> DeliveryReview:
    """Rate a co-delivering partner per dimension (R-ASM-2): excellent / good / to_verify / weak;
    the `to_verify` ones stay open until a later review rates them. `ratings` are (dimension,
    rating) pairs — a mapping's `.items()` will do — kept in the order given."""
    require_role(actor, *GRADERS)
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    given = list(ratings)
    for dimension, word in given:
        rating = rules.rating_of(str(word))
        name = str(dimension).strip()
        if not name or len(name) > 50:
            errors["ratings"] = "维度名称 1–50 字 / A dimension is 1 to 50 characters."
        elif name in clean:
            errors[f"ratings.{name}"] = "维度重复 / This dimension is rated twice."
        elif rating is None:
            errors[f"ratings.{name}"] = (
                "评级为 excellent、good、to_verify 或 weak（优秀、良好、待验证、较弱）"
                " / A rating is excellent, good, to_verify or weak."
            )
        else:
            clean[name] = rating
    if not given:
        errors["ratings"] = "至少评一个维度 / Rate at least one dimension."
    if errors:
        raise ValidationFailed(errors)
    pairs = [[d, r] for d, r in clean.items()]
    review = DeliveryReview.objects.create(
        partner=partner,
        ratings=pairs,
        note=note.strip(),
        reviewed_by=actor,
        reviewed_at=clock.now(),
    )
    record(
        actor,
        "partner.delivery_review",
        review,
        after={
            "partner": partner.code,
            "ratings": pairs,
            "open": rules.open_dimensions(review.rated()),
        },
    )
    return review


def connect_hooks() -> None:
    """Answer a signed candidate's hook with its assessments (R-SEL-4); idempotent."""
    hooks.candidate_signed.connect(
        _candidate_signed, dispatch_uid="profiles.candidate_signed", weak=False
    )


def _candidate_signed(
    sender: Any, *, partner: Partner, assessments: Mapping[str, Any], actor: User, **kw: Any
) -> list[Assessment]:
    """R-SEL-4: the screening's capability and willingness become the new partner's first
    assessments, in the sign's transaction (its audit event counts them)."""
    out = []
    for kind, scores in assessments.items():
        clean = {d: int(scores[d]) for d in rules.DIMENSIONS[kind]}
        result = rules.assessment_score(kind, clean)
        out.append(
            Assessment.objects.create(
                partner=partner,
                kind=kind,
                scores=clean,
                notes={},
                score=result.score,
                trend=rules.trend(None, result.score),
                explanation=explanation_text(
                    [Step("甄选初筛时评估", "assessed at the selection's screening"),
                     *result.explanation]
                ),
                assessed_by=actor,
                assessed_at=clock.now(),
            )
        )  # fmt: skip
    return out
