"""Lead operations (SPEC §4, R-ATT-3): submit, resolve a possible match, judge, appeal, and the
two-person second review. Each public function is one transaction with one audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from huoban import clock, hooks
from huoban.access import require_partner_user, require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.calendar import add_business_days
from huoban.customers.attribution import AlreadyAttributed, attach_attribution
from huoban.customers.decisions import remember_decision
from huoban.customers.matching import match_customer
from huoban.customers.models import Contact, Customer
from huoban.customers.normalize import clean_display_name, legal_form_only
from huoban.customers.ownership import owner_of
from huoban.customers.registry import NAME_SAYS_NOTHING, add_contact, get_or_create_customer
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.explain import explanation_text
from huoban.notifications.services import first_time
from huoban.partners.guards import require_active_partner, require_not_paused
from huoban.uscc import normalize_uscc, uscc_error

from . import notices
from .models import (
    CATEGORY_ITEMS,
    OPEN_STATUSES,
    Category,
    Lead,
    ReasonCode,
    SecondReviewSignature,
    Status,
    Verdict,
)

ALREADY_REGISTERED = "该客户已被其他伙伴报备 / This customer is already registered."
EVALUATOR_ROLES = (Role.OFFICER, Role.PRESALES)


def visible_leads(user: Any) -> QuerySet[Lead]:
    """The leads a user may see (R-VIS-1): staff see all, a partner user its partner's only."""
    return Lead.objects.visible_to(user)


def get_visible_lead(user: Any, lead_id: int) -> Lead:
    lead = visible_leads(user).filter(pk=lead_id).first()
    if lead is None:
        raise NotFound("线索不存在 / Lead not found.")
    return lead


def snapshot(lead: Lead) -> dict[str, Any]:
    return {
        "status": lead.status,
        "customer": lead.customer_id,
        "verdict": lead.verdict,
        "reason_code": lead.reason_code,
        "quote_min": lead.quote_min,
        "quote_max": lead.quote_max,
        "appealed_at": lead.appealed_at,
    }


# --- submission ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadInput:
    """What a partner submits (R-LEAD-1), already parsed into Python values."""

    customer_name: str
    category: str
    need: str
    contact_name: str
    customer_uscc: str = ""
    customer_region: str = ""
    customer_industry: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_is_decision_maker: bool = False
    item: str = ""
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    expected_start: dt.date | None = None


def _validate_submission(data: LeadInput) -> str:
    errors: dict[str, str] = {}
    if not clean_display_name(data.customer_name):
        errors["customer.name"] = "客户名称必填 / Customer name is required."
    elif legal_form_only(data.customer_name):
        errors["customer.name"] = NAME_SAYS_NOTHING
    uscc = ""
    if data.customer_uscc.strip():
        uscc = normalize_uscc(data.customer_uscc)
        if (msg := uscc_error(uscc)) is not None:
            errors["customer.uscc"] = msg
    if not data.contact_name.strip():
        errors["contact.name"] = "联系人姓名必填 / Contact name is required."
    if data.category not in Category.values:
        errors["category"] = "场景类别无效 / Unknown scenario category."
    elif data.item and data.item not in {code for code, _ in CATEGORY_ITEMS[data.category]}:
        errors["item"] = "该类别下没有此项 / This item is not in the chosen category."
    if not data.need.strip():
        errors["need"] = "需求简述必填 / Describe the need."
    for field in ("budget_min", "budget_max"):
        value = getattr(data, field)
        if value is not None and value < 0:
            errors[field] = "预算不能为负 / A budget cannot be negative."
    if (
        data.budget_min is not None
        and data.budget_max is not None
        and data.budget_min > data.budget_max
        and "budget_min" not in errors
    ):
        errors["budget_max"] = "预算上限应不低于下限 / The maximum must not be below the minimum."
    errors.update(clock.planned_errors(expected_start=data.expected_start))
    if errors:
        raise ValidationFailed(errors)
    return uscc


def _attach_customer(lead: Lead, customer: Customer) -> None:
    """Bind a lead to its customer, store the contact, and mark it duplicate if another partner
    already owns the customer (R-ATT-3, R-VIS-1: the answer names no owner)."""
    lead.customer = customer
    owner = owner_of(customer)
    if owner is not None and owner.pk != lead.partner_id:
        # The contact stays on the duplicate lead only: adding it to the owner's customer would
        # hand the owner a competitor's contact and tell it who registered (R-VIS-1).
        lead.contact = None
        lead.status = Status.DUPLICATE
        lead.explanation = ALREADY_REGISTERED
        return
    lead.contact = add_contact(
        customer,
        name=lead.contact_name,
        title=lead.contact_title,
        phone=lead.contact_phone,
        is_decision_maker=lead.contact_is_decision_maker,
    )
    lead.status = Status.PENDING


@transaction.atomic(durable=True)
def submit_lead(data: LeadInput, *, actor: User) -> Lead:
    """Register a lead for an end customer and queue it for a verdict (R-LEAD-1, R-ATT-2/3)."""
    actor = require_partner_user(actor)
    assert actor.partner is not None
    require_active_partner(actor)  # R-EXIT-1
    require_not_paused(actor.partner_id)  # R-CRIS-2
    uscc = _validate_submission(data)
    now = clock.now()
    lead = Lead(
        partner=actor.partner,
        submitted_by=actor,
        submitted_at=now,
        sla_due_at=now + dt.timedelta(hours=int(settings.HUOBAN["LEAD_SLA_HOURS"])),
        customer_name=clean_display_name(data.customer_name),
        customer_uscc=uscc,
        customer_region=data.customer_region.strip(),
        customer_industry=data.customer_industry.strip(),
        contact_name=data.contact_name.strip(),
        contact_title=data.contact_title.strip(),
        contact_phone=data.contact_phone.strip(),
        contact_is_decision_maker=data.contact_is_decision_maker,
        category=data.category,
        item=data.item,
        need=data.need.strip(),
        budget_min=data.budget_min,
        budget_max=data.budget_max,
        expected_start=data.expected_start,
    )
    match = match_customer(lead.customer_name, uscc or None)
    if match.kind == "exact" and match.customer is not None:
        _attach_customer(lead, match.customer)
    elif match.kind == "possible" and match.customer is not None:
        lead.status = Status.NEEDS_REVIEW
        lead.candidate_customer = match.customer
        lead.match_score = match.score
        lead.match_explanation = explanation_text(match.explanation)
    else:
        customer, _created = get_or_create_customer(
            lead.customer_name,
            uscc=uscc or None,
            region=lead.customer_region,
            industry=lead.customer_industry,
        )
        _attach_customer(lead, customer)
    lead.save()
    if lead.status == Status.NEEDS_REVIEW and match.also:
        lead.other_candidates.set(match.also)
    record(actor, "lead.submit", lead, after=snapshot(lead) | {"match": match.kind})
    notices.submitted(lead, actor=actor)
    return lead


# --- the queue (R-ATT-3) ------------------------------------------------------------------


def blocking_lead(lead: Lead) -> Lead | None:
    """The earliest open lead of another partner on the same customer submitted before this one."""
    if lead.customer_id is None:
        return None
    return (
        Lead.objects.filter(customer_id=lead.customer_id, status__in=OPEN_STATUSES)
        .exclude(partner_id=lead.partner_id)
        .filter(
            Q(submitted_at__lt=lead.submitted_at)
            | Q(submitted_at=lead.submitted_at, pk__lt=lead.pk)
        )
        .order_by("submitted_at", "pk")
        .first()
    )


def with_waiting(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """Annotate each lead with `waiting` (R-ATT-3) in the same query: the per-row
    :func:`blocking_lead` made list pages one query per row."""
    earlier = (
        Lead.objects.filter(customer_id=OuterRef("customer_id"), status__in=OPEN_STATUSES)
        .exclude(partner_id=OuterRef("partner_id"))
        .filter(
            Q(submitted_at__lt=OuterRef("submitted_at"))
            | Q(submitted_at=OuterRef("submitted_at"), pk__lt=OuterRef("pk"))
        )
    )
    return leads.annotate(
        waiting=Case(
            When(Q(status=Status.PENDING) & Exists(earlier), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _win_customer(lead: Lead) -> list[int]:
    """Make the lead's partner the owner (first valid lead, R-ATT-3) and turn the other
    partners' open leads on the customer into duplicates; the ids of those leads (a side
    effect the verdict's audit event lists)."""
    assert lead.customer is not None and lead.customer_id is not None
    try:
        attach_attribution(lead.customer, lead.partner, lead=lead, source="lead")
    except AlreadyAttributed:
        lead.status = Status.DUPLICATE
        lead.explanation = f"{ALREADY_REGISTERED} ({lead.explanation})".strip()
        return []
    losing = Lead.objects.filter(customer_id=lead.customer_id, status__in=OPEN_STATUSES).exclude(
        partner_id=lead.partner_id
    )
    made_duplicate = sorted(losing.values_list("id", flat=True))
    losing.update(status=Status.DUPLICATE, explanation=ALREADY_REGISTERED)
    # The other partners' contacts go back to their own leads only (the lead keeps its
    # contact_* fields): the new owner must not receive a competitor's contact (R-VIS-1).
    others = Lead.objects.filter(customer_id=lead.customer_id, contact__isnull=False).exclude(
        partner_id=lead.partner_id
    )
    contact_ids = list(others.values_list("contact_id", flat=True))
    if contact_ids:
        others.update(contact=None)
        Contact.objects.filter(pk__in=contact_ids).delete()
    return made_duplicate


@dataclass(frozen=True)
class VerdictInput:
    verdict: str
    explanation: str = ""
    reason_code: str = ""
    feasibility: str = ""
    quote_min: Decimal | None = None
    quote_max: Decimal | None = None


def _validate_verdict(data: VerdictInput) -> None:
    errors: dict[str, str] = {}
    if data.verdict == Verdict.VALID:
        if not data.feasibility.strip():
            errors["feasibility"] = (
                "有效结论需附可行性评估 / A valid verdict needs a feasibility note."
            )
        if data.quote_min is None:
            errors["quote_min"] = "有效结论需附报价区间 / A valid verdict needs a quote range."
        elif data.quote_min <= 0:
            errors["quote_min"] = "报价下限应大于 0 / The minimum quote must be above 0."
        if data.quote_max is None:
            errors["quote_max"] = "有效结论需附报价区间 / A valid verdict needs a quote range."
        elif data.quote_min is not None and data.quote_max < data.quote_min:
            errors["quote_max"] = (
                "报价上限应不低于下限 / The maximum must not be below the minimum."
            )
    elif data.verdict == Verdict.INVALID:
        if data.reason_code not in ReasonCode.values:
            errors["reason_code"] = (
                "无效结论需附原因代码 no_intent/no_authority/price_probing/fake/other / "
                "An invalid verdict needs a reason code."
            )
        if not data.explanation.strip():
            errors["explanation"] = (
                "无效结论需附书面说明 / An invalid verdict needs a written explanation."
            )
    else:
        errors["verdict"] = "结论应为 valid 或 invalid / The verdict must be valid or invalid."
    if errors:
        raise ValidationFailed(errors)


def _lock_visible(user: Any, lead_id: int, *roles: str) -> Lead:
    """Lock a lead the user may see (404 otherwise, R-VIS-4), then check the role (403)."""
    get_visible_lead(user, lead_id)
    if roles == (Role.PARTNER,):
        require_partner_user(user)
    elif roles:
        require_role(user, *roles)
    return (
        Lead.objects.select_for_update(of=("self",))
        .select_related("partner", "customer")
        .get(pk=lead_id)
    )


@transaction.atomic(durable=True)
def record_verdict(lead_id: int, data: VerdictInput, *, actor: User) -> Lead:
    """Judge a pending lead valid (feasibility + quote range) or invalid (reason code +
    explanation) (R-LEAD-3); the first valid lead wins the customer (R-ATT-3)."""
    lead = _lock_visible(actor, lead_id, *EVALUATOR_ROLES)
    _validate_verdict(data)
    if lead.status == Status.NEEDS_REVIEW:
        raise Conflict("请先确认客户匹配 / Resolve the possible customer match first.")
    if lead.status != Status.PENDING:
        raise Conflict(
            f"线索状态为 {lead.status}，不能评估 / A {lead.status} lead cannot be judged."
        )
    earlier = blocking_lead(lead)
    if earlier is not None:
        raise Conflict(
            f"同一客户有更早的线索 #{earlier.pk} 待评估 / An earlier lead #{earlier.pk} on this "
            "customer is pending (R-ATT-3)."
        )
    before = snapshot(lead)
    now = clock.now()
    lead.verdict = data.verdict
    lead.verdict_at = now
    lead.first_verdict_at = lead.first_verdict_at or now
    lead.verdict_by = actor
    lead.explanation = data.explanation.strip()
    if data.verdict == Verdict.VALID:
        lead.status = Status.VALID
        lead.feasibility = data.feasibility.strip()
        lead.quote_min, lead.quote_max = data.quote_min, data.quote_max
        lead.reason_code = ""
        made_duplicate = _win_customer(lead)
    else:
        made_duplicate = []
        lead.status = Status.INVALID
        lead.reason_code = data.reason_code
    lead.save()
    after = snapshot(lead) | ({"made_duplicate": made_duplicate} if made_duplicate else {})
    record(actor, "lead.verdict", lead, before=before, after=after)
    notices.verdict(lead, made_duplicate, actor=actor)
    if lead.status == Status.VALID:
        hooks.lead_valid.send(sender=Lead, partner=lead.partner)  # R-TIER-1
    return lead


def match_candidates(lead: Lead) -> list[Customer]:
    """The customers a lead awaiting a match decision was found like: the best first, then those
    named beside it (issue #13)."""
    first = [lead.candidate_customer] if lead.candidate_customer is not None else []
    others = lead.other_candidates.order_by("pk")
    return first + [c for c in others if c not in first]


@transaction.atomic(durable=True)
def resolve_match(lead_id: int, customer_id: int | None, *, actor: User) -> Lead:
    """Decide a possible match (R-ATT-2): the same customer as `customer_id`, or a new one.

    Every decision on a customer the matcher named is kept (issue #13): the one chosen is the
    same as the submitted name, the others named beside it are not; "new" says none of them is.
    """
    lead = _lock_visible(actor, lead_id, Role.OFFICER, Role.PRESALES)
    if lead.status != Status.NEEDS_REVIEW:
        raise Conflict("该线索无需确认客户 / This lead has no open customer match.")
    before = snapshot(lead)
    named = match_candidates(lead)
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise ValidationFailed({"customer_id": "客户不存在 / No such customer."})
    else:
        customer = None
    for candidate in named:
        if customer is None or candidate.pk != customer.pk:
            # Never asked again for this name and this customer.
            remember_decision(lead.customer_name, candidate, same=False, actor=actor)
    if customer is not None and customer.pk in {c.pk for c in named}:
        remember_decision(lead.customer_name, customer, same=True, actor=actor)
    if customer is None:
        customer, _ = get_or_create_customer(
            lead.customer_name,
            uscc=lead.customer_uscc or None,
            region=lead.customer_region,
            industry=lead.customer_industry,
        )
    _attach_customer(lead, customer)
    lead.save()
    record(actor, "lead.resolve_match", lead, before=before, after=snapshot(lead))
    return lead


# --- appeal and second review (R-LEAD-4) ---------------------------------------------------


@transaction.atomic(durable=True)
def appeal(lead_id: int, reason: str, *, actor: User) -> Lead:
    """Appeal an invalid verdict once, within 30 days, with a reason (R-LEAD-4)."""
    lead = _lock_visible(actor, lead_id, Role.PARTNER)
    require_active_partner(actor)  # R-EXIT-1
    if not reason.strip():
        raise ValidationFailed({"reason": "申诉理由必填 / Give a reason for the appeal."})
    if lead.status != Status.INVALID or lead.verdict_at is None:
        raise Conflict("只有无效线索可以申诉 / Only an invalid lead can be appealed.")
    if lead.appealed_at is not None:
        raise Conflict("每条线索只能申诉一次 / A lead can be appealed once.")
    window = dt.timedelta(days=settings.HUOBAN["APPEAL_WINDOW_DAYS"])
    if clock.now() > lead.verdict_at + window:
        raise Conflict("已超过30天申诉期 / The 30-day appeal window has closed.")
    before = snapshot(lead)
    due = add_business_days(clock.today(), int(settings.HUOBAN["SECOND_REVIEW_BUSINESS_DAYS"]))
    lead.status = Status.APPEALED
    lead.appeal_reason = reason.strip()
    lead.appealed_at = clock.now()
    lead.second_review_due_on = due.date
    lead.second_review_due_estimated = due.estimated
    lead.save()
    record(actor, "lead.appeal", lead, before=before, after=snapshot(lead))
    notices.appealed(lead, actor=actor)
    return lead


def _seat(user: User) -> str:
    return "presales" if user.role == Role.PRESALES else "officer"


@transaction.atomic(durable=True)
def sign_second_review(lead_id: int, data: VerdictInput, *, actor: User) -> Lead:
    """Sign the second review; the verdict is final when one officer and one presales user,
    two different people, have signed the same verdict (R-LEAD-4)."""
    lead = _lock_visible(actor, lead_id, *EVALUATOR_ROLES)
    errors: dict[str, str] = {}
    if data.verdict not in Verdict.values:
        errors["verdict"] = "结论应为 valid 或 invalid / The verdict must be valid or invalid."
    if not data.explanation.strip():
        errors["explanation"] = "复核需附书面说明 / A second review needs a written explanation."
    if data.quote_min is not None and data.quote_min <= 0:
        errors["quote_min"] = "报价下限应大于 0 / The minimum quote must be above 0."
    if (
        data.quote_min is not None
        and data.quote_max is not None
        and data.quote_max < data.quote_min
    ):
        errors["quote_max"] = "报价上限应不低于下限 / The maximum must not be below the minimum."
    if errors:
        raise ValidationFailed(errors)
    if lead.status != Status.APPEALED:
        raise Conflict("该线索不在复核中 / This lead is not under second review.")
    before = snapshot(lead)
    SecondReviewSignature.objects.update_or_create(
        lead=lead,
        reviewer=actor,
        defaults={
            "seat": _seat(actor),
            "verdict": data.verdict,
            "explanation": data.explanation.strip(),
            "at": clock.now(),
        },
    )
    signatures = {s.seat: s for s in lead.signatures.all()}
    officer, presales = signatures.get("officer"), signatures.get("presales")
    final = (
        officer is not None
        and presales is not None
        and officer.reviewer_id != presales.reviewer_id
        and officer.verdict == presales.verdict
    )
    made_duplicate: list[int] = []
    if final:
        assert officer is not None
        lead.final_at = clock.now()
        lead.verdict = officer.verdict
        lead.verdict_at = clock.now()
        lead.verdict_by = actor
        lead.explanation = data.explanation.strip()
        if officer.verdict == Verdict.VALID:
            lead.status = Status.VALID
            lead.reason_code = ""
            if data.quote_min is not None:
                lead.quote_min, lead.quote_max = data.quote_min, data.quote_max
            if data.feasibility:
                lead.feasibility = data.feasibility.strip()
            made_duplicate = _win_customer(lead)
        else:
            lead.status = Status.INVALID
    lead.save()
    after = snapshot(lead) | {"seat": _seat(actor), "signed": data.verdict, "final": final}
    if made_duplicate:
        after["made_duplicate"] = made_duplicate
    record(actor, "lead.second_review.sign", lead, before=before, after=after)
    if final:
        notices.review_decided(lead, made_duplicate, actor=actor)
    if final and lead.status == Status.VALID:
        hooks.lead_valid.send(sender=Lead, partner=lead.partner)  # R-TIER-1
    return lead


# --- SLA (R-LEAD-3) -------------------------------------------------------------------------


def overdue_leads() -> QuerySet[Lead]:
    """Open leads past their verdict due time, oldest due first."""
    return Lead.objects.filter(status__in=OPEN_STATUSES, sla_due_at__lt=clock.now()).order_by(
        "sla_due_at"
    )


SLA_REMINDER_HOURS = 4  # R-NOTE-1: lead.sla_due, 4 hours before the verdict is due


def remind_due_leads() -> int:
    """Tell the judges of each open lead whose verdict falls due within the next 4 hours
    (lead.sla_due, R-NOTE-1), once per lead and due time however often it runs; returns how
    many leads were reminded. Each lead in its own transaction."""
    now = clock.now()
    due_soon = (
        Lead.objects.filter(
            status__in=OPEN_STATUSES,
            sla_due_at__gt=now,
            sla_due_at__lte=now + dt.timedelta(hours=SLA_REMINDER_HOURS),
        )
        .select_related("partner")
        .order_by("sla_due_at", "pk")
    )
    reminded = 0
    for lead in due_soon:
        with transaction.atomic():
            if first_time("lead.sla_due", f"lead:{lead.pk}:{lead.sla_due_at.isoformat()}"):
                notices.sla_due(lead)
                reminded += 1
    return reminded


def flag_overdue_leads() -> int:
    """Mark open leads past their verdict due time as breached (R-LEAD-3); returns how many."""
    return Lead.objects.filter(
        status__in=OPEN_STATUSES, sla_due_at__lt=clock.now(), sla_breached=False
    ).update(sla_breached=True)


def _sla_figures(submitted: int, judged: int, on_time: int, overdue_open: int) -> dict[str, Any]:
    measured = judged + overdue_open
    compliance = (
        (Decimal(on_time) * 100 / Decimal(measured)).quantize(Decimal("0.1")) if measured else None
    )
    return {
        "submitted": submitted,
        "judged": judged,
        "judged_on_time": on_time,
        "overdue_open": overdue_open,
        "compliance_percent": compliance,
    }


def _sla_counts() -> dict[str, Any]:
    return {
        "submitted": Count("id"),
        "judged": Count("id", filter=Q(first_verdict_at__isnull=False)),
        "on_time": Count(
            "id", filter=Q(first_verdict_at__isnull=False, first_verdict_at__lte=F("sla_due_at"))
        ),
        "overdue_open": Count("id", filter=Q(status__in=OPEN_STATUSES, sla_due_at__lt=clock.now())),
    }


def sla_report(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """SLA compliance of leads submitted in [start, end) (R-LEAD-3): a lead is on time when its
    first verdict came by its due time; open leads past due count as misses. One query."""
    row = Lead.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        **_sla_counts()
    )
    return _sla_figures(row["submitted"], row["judged"], row["on_time"], row["overdue_open"])


def sla_by_month(start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, Any]]:
    """:func:`sla_report` of every local month in [start, end) that has leads, keyed
    "YYYY-MM", in one grouped query (the dashboard's twelve months)."""
    rows = (
        Lead.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(m=TruncMonth("submitted_at", tzinfo=clock.local_tz()))
        .values("m")
        .annotate(**_sla_counts())
        .order_by()
    )
    return {
        f"{r['m'].year}-{r['m'].month:02d}": _sla_figures(
            r["submitted"], r["judged"], r["on_time"], r["overdue_open"]
        )
        for r in rows
    }
