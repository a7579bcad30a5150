"""Customer credit (SPEC §10.12, R-CRED): finance's credit reviews, the gm's approval of large
limits, finance's approval to exceed a limit, billing plans, and the risk matrix answering the
projects' signing hook (:data:`huoban.hooks.project_signing`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from huoban import clock, hooks
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.customers.models import Customer
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.explain import Step, explanation_text, yuan
from huoban.money import ZERO, cny, parse_amount
from huoban.policy import may_approve_credit_limits, may_review_credit
from huoban.projects.models import CustomerPayment, PaymentKind, Project, Status

from . import reminders, rules
from .models import CreditExcess, CreditReview, Instalment, Rating, ReviewStatus, RiskLevel

MAX_SOURCES = 10


# --- the customer's standing -------------------------------------------------------------


def _credit_projects(customer: Customer, exclude: int | None = None) -> list[Project]:
    projects = Project.objects.filter(customer=customer).exclude(status=Status.CANCELLED)
    if exclude is not None:
        projects = projects.exclude(pk=exclude)
    return list(projects.order_by("id"))


def _received(project_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        CustomerPayment.objects.filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        .annotate(
            paid=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
            refunded=Sum("amount", filter=Q(kind=PaymentKind.REFUND)),
        )
    )
    return {
        row["project_id"]: cny((row["paid"] or ZERO) - (row["refunded"] or ZERO)) for row in rows
    }


def exposure(customer: Customer, *, exclude: int | None = None) -> Decimal:
    """R-CRED-3: the contract amounts of the customer's open projects on credit minus the cash
    received on them (a project paid in full adds nothing; cash-only projects grant no credit)."""
    projects = [p for p in _credit_projects(customer, exclude) if not p.cash_only]
    received = _received([p.pk for p in projects])
    return cny(
        sum(
            (max(p.contract_amount - received.get(p.pk, ZERO), ZERO) for p in projects),
            ZERO,
        )
    )


def _plans(projects: list[Project]) -> dict[int, list[tuple[Decimal, dt.date]]]:
    plans: dict[int, list[tuple[Decimal, dt.date]]] = defaultdict(list)
    for row in Instalment.objects.filter(project__in=projects).order_by("project_id", "due_on"):
        plans[row.project_id].append((row.amount, row.due_on))
    return plans


def max_overdue_days(customer: Customer, today: dt.date) -> int:
    """R-CRED-1: the longest overdue receivable among the customer's open projects."""
    projects = _credit_projects(customer)
    plans = _plans(projects)
    if not plans:
        return 0
    received = _received(list(plans))
    return max(
        rules.overdue_days(plan, received.get(pid, ZERO), today) for pid, plan in plans.items()
    )


def payment_history(customer: Customer, today: dt.date) -> dict[str, Any]:
    """R-CRED-2's computed payment history: instalments due so far, those overdue now, the
    average days late of the instalments due (paid late or still open)."""
    projects = _credit_projects(customer)
    plans = _plans(projects)
    payments: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for pay in CustomerPayment.objects.filter(project_id__in=list(plans)).order_by("received_on"):
        sign = -1 if pay.kind == PaymentKind.REFUND else 1
        payments[pay.project_id].append((pay.received_on, sign * pay.amount))
    due: list[int] = []
    overdue_now = 0
    received = _received(list(plans))
    for pid, plan in plans.items():
        late = rules.days_late(plan, payments[pid], today)
        due.extend(days for days in late if days is not None)
        cumulative = ZERO
        for amount, due_on in plan:
            cumulative += amount
            if due_on < today and received.get(pid, ZERO) < cumulative:
                overdue_now += 1
    average = str((Decimal(sum(due)) / len(due)).quantize(Decimal("0.1"))) if due else None
    return {
        "projects": len(projects),
        "instalments_due": len(due),
        "instalments_overdue": overdue_now,
        "average_days_late": average,
        "max_days_overdue": max_overdue_days(customer, today),
    }


def review_in_force(customer: Customer, day: dt.date) -> CreditReview | None:
    return (
        CreditReview.objects.filter(customer=customer)
        .in_force_on(day)
        .order_by("-valid_from", "-recorded_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class Standing:
    """A customer's credit as it holds today (R-CRED-3), for the signing check and the pages."""

    review: CreditReview | None
    risk: rules.Risk
    credit_limit: Decimal | None
    exposure: Decimal
    overdue_days: int

    @property
    def explanation(self) -> str:
        return explanation_text(self.risk.steps)


def standing(customer: Customer, *, today: dt.date | None = None, exclude: int | None = None) -> (
    Standing
):  # fmt: skip
    today = today or clock.today()
    review = review_in_force(customer, today)
    overdue = max_overdue_days(customer, today)
    risk = rules.effective_risk(
        review.risk if review else None,
        dishonest_debtor=bool(review and review.dishonest_debtor),
        max_overdue_days=overdue,
    )
    return Standing(
        review=review,
        risk=risk,
        credit_limit=review.credit_limit if review else None,
        exposure=exposure(customer, exclude=exclude),
        overdue_days=overdue,
    )


# --- the signing hook (R-CRED-3) -----------------------------------------------------------


def check_project(project: Project) -> rules.Decision:
    """The risk matrix for a project being signed (already written, in the signing's
    transaction): refuses with 409 and says why; uses finance's approval to exceed a limit."""
    customer = Customer.objects.select_for_update().get(pk=project.customer_id)
    held = standing(customer, exclude=project.pk)
    excess = (
        CreditExcess.objects.filter(
            customer=customer, project__isnull=True, amount__gte=project.contract_amount
        )
        .order_by("approved_at", "id")
        .first()
    )
    decision = rules.signing_decision(
        held.risk.level,
        credit_limit=held.credit_limit,
        exposure=held.exposure,
        amount=project.contract_amount,
        cash_only=project.cash_only,
        excess_approved=excess is not None,
    )
    if decision.refusal == "cash_only":
        raise Conflict(
            f"客户「{customer.legal_name}」信用风险为高，不予赊销：须以全额预付（cash_only）签约 "
            f"/ The customer's credit risk is high: no credit, sign it cash only (100% before "
            "work starts)."
        )
    if decision.refusal == "limit":
        limit = held.credit_limit or ZERO
        raise Conflict(
            f"客户「{customer.legal_name}」信用敞口将达 {yuan(decision.exposure_after)}，"
            f"超过信用额度 {yuan(limit)}：须财务批准超额或全额预付 / "
            f"The customer's exposure would be {yuan(decision.exposure_after)}, over its credit "
            f"limit {yuan(limit)}: finance must approve the excess, or sign it cash only."
        )
    risk_steps = held.risk.steps
    if excess is not None and decision.exposure_after > (held.credit_limit or ZERO):
        excess.project = project
        excess.save(update_fields=["project"])
    return rules.Decision(
        decision.allowed, None, decision.exposure_after, (*risk_steps, *decision.steps)
    )


def _on_signing(sender: Any, *, project: Project, **kwargs: Any) -> list[rules.Decision]:
    return [check_project(project)]


def connect_hooks() -> None:
    hooks.project_signing.connect(_on_signing, dispatch_uid="credit.project_signing", weak=False)


# --- credit reviews (R-CRED-2) -------------------------------------------------------------


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("客户不存在 / No such customer.")
    return customer


def snapshot(review: CreditReview) -> dict[str, Any]:
    return {
        "customer": review.customer_id,
        "rating": review.rating,
        "assessed_risk": review.assessed_risk,
        "risk": review.risk,
        "credit_limit": None if review.credit_limit is None else str(review.credit_limit),
        "dishonest_debtor": review.dishonest_debtor,
        "valid_from": review.valid_from.isoformat(),
        "valid_until": review.valid_until.isoformat(),
        "status": review.status,
    }


@transaction.atomic(durable=True)
def record_review(
    customer_id: int,
    *,
    actor: User,
    rating: str,
    risk: str,
    credit_limit: Any = None,
    dishonest_debtor: bool = False,
    sources: Any = (),
    registered_capital: Any = None,
    years_in_operation: Any = None,
    note: str = "",
) -> CreditReview:
    """Finance records a credit review (R-CRED-2). A dishonest-debtor finding forces `high`
    (R-CRED-3); a limit above 1,000,000.00 waits for the gm's approval, the review in force
    until then stays so; otherwise it is in force from today for 12 months."""
    if not may_review_credit(actor):
        raise Forbidden("资信调查由财务登记 / Finance records credit reviews.")
    customer = _customer(customer_id)
    errors: dict[str, str] = {}
    if rating not in Rating.values:
        errors["rating"] = "评级为 A、B、C 或 D / Rating is A, B, C or D."
    if risk not in RiskLevel.values:
        errors["risk"] = "风险为 high、medium 或 low / Risk is high, medium or low."
    limit = None
    if credit_limit not in (None, ""):
        limit = parse_amount(credit_limit)
        if limit is None or limit < 0 or limit != limit.quantize(Decimal("0.01")):
            errors["credit_limit"] = "额度为 0 或以上的金额，至多两位小数 / A non-negative amount."
            limit = None
        elif limit >= Decimal("1e12"):
            errors["credit_limit"] = "额度过大 / The limit is too large."
    capital = None
    if registered_capital not in (None, ""):
        capital = parse_amount(registered_capital)
        if capital is None or capital < 0 or capital >= Decimal("1e14"):
            errors["registered_capital"] = "注册资本为 0 或以上的金额 / A non-negative amount."
            capital = None
    years = None
    if years_in_operation not in (None, ""):
        try:
            years = int(str(years_in_operation))
        except ValueError:
            years = -1
        if not 0 <= years <= 500:
            errors["years_in_operation"] = "经营年限为 0–500 的整数 / Whole years, 0 to 500."
    if isinstance(sources, str):
        sources = [line for line in sources.splitlines()]
    found = [str(s).strip() for s in (sources or []) if str(s).strip()]
    if len(found) > MAX_SOURCES or any(len(s) > 200 for s in found):
        errors["sources"] = (
            "至多 10 个来源，每个 200 字以内 / At most 10 sources, 200 characters each."
        )
    if len(note) > 2000:
        errors["note"] = "说明至多 2000 字 / The note is at most 2,000 characters."
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    assessed = rules.effective_risk(risk, dishonest_debtor=dishonest_debtor, max_overdue_days=0)
    steps = list(assessed.steps)
    needs_gm = limit is not None and limit > rules.GM_LIMIT
    if needs_gm:
        steps.append(
            Step(
                f"信用额度 {yuan(limit or ZERO)} 超过 {yuan(rules.GM_LIMIT)}，须总经理审批",
                f"A limit of {yuan(limit or ZERO)} is over {yuan(rules.GM_LIMIT)}: the gm approves",
            )
        )
    review = CreditReview.objects.create(
        customer=customer,
        sources=found,
        registered_capital=capital,
        years_in_operation=years,
        payment_history=payment_history(customer, today),
        dishonest_debtor=dishonest_debtor,
        rating=rating,
        assessed_risk=risk,
        risk=assessed.level,
        credit_limit=limit,
        valid_from=today,
        valid_until=rules.valid_until(today),
        status=ReviewStatus.PENDING if needs_gm else ReviewStatus.IN_FORCE,
        note=note.strip(),
        explanation=explanation_text(steps),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    record(actor, "credit.review", review, after=snapshot(review))
    if needs_gm:
        reminders.tell_gm(review)
    return review


@transaction.atomic(durable=True)
def decide_review(review_id: int, *, actor: User, approve: bool, note: str = "") -> CreditReview:
    """The gm approves (or declines) a credit limit above 1,000,000.00 (R-CRED-2, 授信审批).
    Approved, it is in force from the day of approval for its 12 months."""
    if not may_approve_credit_limits(actor):
        raise Forbidden("大额授信由总经理审批 / The general manager approves large limits.")
    review = CreditReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound("资信调查不存在 / No such credit review.")
    if review.status != ReviewStatus.PENDING:
        raise Conflict("该资信调查已审批 / This review has been decided already.")
    if not approve and not note.strip():
        raise ValidationFailed({"note": "不批准须写明理由 / Say why it is declined."})
    if len(note) > 2000:
        raise ValidationFailed({"note": "至多 2000 字 / At most 2,000 characters."})
    before = snapshot(review)
    today = clock.today()
    review.status = ReviewStatus.IN_FORCE if approve else ReviewStatus.DECLINED
    if approve:
        review.valid_from = today
        review.valid_until = rules.valid_until(today)
    review.decided_by = actor
    review.decided_at = clock.now()
    review.decision_note = note.strip()
    review.save()
    record(actor, "credit.decide", review, before=before, after=snapshot(review))
    return review


@transaction.atomic(durable=True)
def approve_excess(customer_id: int, *, actor: User, amount: Any, note: str) -> CreditExcess:
    """Finance approves one project of up to ``amount`` over a medium-risk customer's limit
    (R-CRED-3); the next such signing uses it."""
    if not may_review_credit(actor):
        raise Forbidden("超额度由财务批准 / Finance approves an excess over the limit.")
    customer = _customer(customer_id)
    errors: dict[str, str] = {}
    value = parse_amount(amount)
    if (
        value is None
        or value <= 0
        or value != value.quantize(Decimal("0.01"))
        or (value >= Decimal("1e12"))
    ):
        errors["amount"] = "项目金额上限须为正数，至多两位小数 / A positive amount."
    if not note.strip() or len(note) > 2000:
        errors["note"] = "须写明理由（至多 2000 字） / Say why (at most 2,000 characters)."
    if errors:
        raise ValidationFailed(errors)
    assert value is not None
    excess = CreditExcess.objects.create(
        customer=customer,
        amount=value,
        note=note.strip(),
        approved_by=actor,
        approved_at=clock.now(),
    )
    record(
        actor,
        "credit.excess",
        excess,
        after={"customer": customer.pk, "amount": str(value), "note": excess.note},
    )
    return excess


# --- billing plans (R-CRED-1) --------------------------------------------------------------

MAX_INSTALMENTS = 24


@dataclass(frozen=True)
class PlannedInstalment:
    position: int
    amount: Decimal
    due_on: dt.date
    covered: bool
    overdue_days: int


def plan_of(project: Project, today: dt.date | None = None) -> list[PlannedInstalment]:
    """The project's billing plan with what the cash received covers and how late the rest is."""
    today = today or clock.today()
    received = _received([project.pk]).get(project.pk, ZERO)
    rows: list[PlannedInstalment] = []
    cumulative = ZERO
    for row in Instalment.objects.filter(project=project).order_by("due_on", "position"):
        cumulative += row.amount
        covered = received >= cumulative
        late = 0 if covered or row.due_on >= today else (today - row.due_on).days
        rows.append(PlannedInstalment(row.position, row.amount, row.due_on, covered, late))
    return rows


@transaction.atomic(durable=True)
def set_billing_plan(project_id: int, *, actor: User, instalments: Any) -> list[Instalment]:
    """Finance sets a project's billing plan (R-CRED-1): instalments in due-date order whose
    amounts make up the contract amount; a new plan replaces the old one, both audited."""
    if not may_review_credit(actor):
        raise Forbidden("收款计划由财务维护 / Finance keeps billing plans.")
    project = Project.objects.select_for_update(of=("self",)).filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在 / No such project.")
    errors: dict[str, str] = {}
    items = instalments if isinstance(instalments, list | tuple) else None
    if not items or len(items) > MAX_INSTALMENTS:
        raise ValidationFailed({"instalments": "须有 1–24 期 / A plan has 1 to 24 instalments."})
    parsed: list[tuple[Decimal, dt.date]] = []
    for i, item in enumerate(items):
        data = item if isinstance(item, dict) else {}
        amount = parse_amount(data.get("amount"))
        if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            errors[f"instalments[{i}].amount"] = "金额须为正数，至多两位小数 / A positive amount."
        due = data.get("due_on")
        if isinstance(due, str):
            try:
                due = dt.date.fromisoformat(due)
            except ValueError:
                due = None
        if not isinstance(due, dt.date):
            errors[f"instalments[{i}].due_on"] = "日期格式为 YYYY-MM-DD / A date, YYYY-MM-DD."
        else:
            errors.update(
                {f"instalments[{i}].{k}": v for k, v in clock.day_errors(due_on=due).items()}
            )
            if parsed and amount is not None and due < parsed[-1][1]:
                errors[f"instalments[{i}].due_on"] = (
                    "各期应收日须按先后排列 / Instalments are in due-date order."
                )
        if amount is not None and isinstance(due, dt.date):
            parsed.append((amount, due))
    if not errors and sum((a for a, _ in parsed), ZERO) != project.contract_amount:
        errors["instalments"] = (
            f"各期合计 {yuan(sum((a for a, _ in parsed), ZERO))} 须等于合同额 "
            f"{yuan(project.contract_amount)} / The instalments must add up to the contract."
        )
    if errors:
        raise ValidationFailed(errors)
    before = [
        {"amount": str(r.amount), "due_on": r.due_on.isoformat()}
        for r in Instalment.objects.filter(project=project)
    ]
    Instalment.objects.filter(project=project).delete()
    rows = Instalment.objects.bulk_create(
        Instalment(project=project, position=i, amount=amount, due_on=due)
        for i, (amount, due) in enumerate(parsed, start=1)
    )
    after = [{"amount": str(a), "due_on": d.isoformat()} for a, d in parsed]
    record(
        actor,
        "credit.billing_plan",
        project,
        before={"instalments": before} if before else None,
        after={"instalments": after},
    )
    return rows


# --- rating accuracy (R-CRED-4) ------------------------------------------------------------


def rating_accuracy(today: dt.date | None = None) -> rules.Accuracy:
    """R-CRED-4 over every review in force whose validity has ended by ``today``: each judged
    on the instalments of its customer due during its validity, as they stood at its end.
    Three queries whatever the number of reviews."""
    today = today or clock.today()
    reviews = list(
        CreditReview.objects.filter(status=ReviewStatus.IN_FORCE, valid_until__lt=today).only(
            "customer_id", "risk", "valid_from", "valid_until"
        )
    )
    customers = {r.customer_id for r in reviews}
    plans: dict[int, list[tuple[int, Decimal, dt.date]]] = defaultdict(list)
    for row in Instalment.objects.filter(project__customer_id__in=customers).values_list(
        "project_id", "project__customer_id", "amount", "due_on"
    ):
        plans[row[1]].append((row[0], row[2], row[3]))
    payments: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for project_id, kind, amount, day in (
        CustomerPayment.objects.filter(project__customer_id__in=customers)
        .order_by("received_on")
        .values_list("project_id", "kind", "amount", "received_on")
    ):
        payments[project_id].append((day, -amount if kind == PaymentKind.REFUND else amount))
    outcomes = []
    for review in reviews:
        by_project: dict[int, list[tuple[Decimal, dt.date]]] = defaultdict(list)
        for project_id, amount, due_on in plans.get(review.customer_id, []):
            by_project[project_id].append((amount, due_on))
        late: list[int | None] = []
        for project_id, plan in by_project.items():
            ordered = sorted(plan, key=lambda item: item[1])
            paid = [p for p in payments.get(project_id, []) if p[0] <= review.valid_until]
            days = rules.days_late(ordered, paid, review.valid_until)
            late.extend(
                d for (_, due_on), d in zip(ordered, days, strict=True)
                if review.valid_from <= due_on <= review.valid_until
            )  # fmt: skip
        outcomes.append(rules.borne_out(review.risk, late))
    return rules.accuracy(outcomes)
