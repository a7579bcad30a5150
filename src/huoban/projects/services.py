"""Project operations (SPEC §5): signing, amendments, milestones, payments, acceptance,
cancellation. One transaction and one audit event each; every payment, refund, acceptance
and cancellation feeds the ledger in the same transaction (R-LED-4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum

from huoban import clock, explain, hooks
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.customers.models import Customer
from huoban.customers.ownership import owner_of
from huoban.errors import Conflict, NotFound, ValidationFailed
from huoban.leads.models import Lead
from huoban.money import ZERO, cny
from huoban.notifications.services import in_both
from huoban.partners.models import Partner
from huoban.terms import rules
from huoban.terms.models import PolicyVersion
from huoban.terms.services import policy_for

from . import notices
from .models import (
    CustomerPayment,
    HighMarginCategory,
    Kind,
    Milestone,
    MilestoneStatus,
    MilestoneUpdate,
    PaymentKind,
    Project,
    Stage,
    Status,
)

if TYPE_CHECKING:
    from huoban.commissions.ledger import Outcome  # the ledger's answer to the hook

NOT_FOUND = "项目不存在 / No such project."
# A single payment or refund may not exceed this multiple of the contract amount (D-SEC-money).
MAX_PAYMENT_FACTOR = 2


def project_snapshot(project: Project) -> dict[str, Any]:
    return {
        "customer": project.customer_id,
        "partner": project.partner_id,
        "lead": project.lead_id,
        "title": project.title,
        "contract_no": project.contract_no,
        "kind": project.kind,
        "high_margin": project.high_margin,
        "high_margin_category": project.high_margin_category,
        "contract_amount": str(project.contract_amount),
        "signed_on": project.signed_on.isoformat(),
        "cash_only": project.cash_only,
        "rate": str(project.rate),
        "commission_total": str(project.commission_total),
        "policy_version": project.policy_version_id,
        "status": project.status,
        "accepted_on": project.accepted_on.isoformat() if project.accepted_on else None,
        "cancelled_on": project.cancelled_on.isoformat() if project.cancelled_on else None,
    }


def get_visible(user: Any, project_id: int) -> Project:
    """The project if the caller may see it; NotFound otherwise (R-VIS-1, R-VIS-4)."""
    project = (
        Project.objects.visible_to(user)
        .select_related("partner", "customer", "policy_version")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound(NOT_FOUND)
    return project


def _lock(project_id: int) -> Project:
    # The project row lock serialises every event of one project (two concurrent postings of
    # the same payment, a payment racing an acceptance): the replay must see them in order.
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("partner", "partner__referrer", "policy_version")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound(NOT_FOUND)
    return project


def _book_commission(project: Project) -> list[Outcome]:
    """The ledger books what the project's events earn, in this transaction (R-LED-4, R-LED-5).

    Through the :data:`huoban.hooks.project_events_changed` hook: the ledger sits above projects.
    The co-delivery partners' shares follow through :data:`huoban.hooks.project_cash_shared`
    (R-RS-2).
    """
    outcomes = hooks.answers(
        hooks.project_events_changed, sender=Project, project=project, partner=project.partner
    )
    return outcomes + hooks.optional_answers(
        hooks.project_cash_shared, sender=Project, project=project, partner=project.partner
    )


def _amount_error(amount: Decimal) -> str | None:
    if amount <= 0:
        return "必须大于 0 / Must be greater than 0."
    if cny(amount) != amount:
        return "最多两位小数 / At most two decimal places."
    return None


def _rate(policy: rules.Policy, amount: Decimal, kind: str, high_margin: bool, tier: str) -> Any:
    return rules.project_rate(policy, amount, kind, high_margin, tier)


@dataclass(frozen=True)
class Signing:
    """A project as it would be signed: who owns it and the terms it would lock (R-PROJ-1, -2).

    What :func:`check_signing` answers — the console's preview before saving — and what
    :func:`create_project` saves; nothing is written to compute it."""

    customer: Customer
    partner: Partner
    lead: Lead | None
    manager: User | None
    policy_version: PolicyVersion
    rate: rules.RateResult
    total: rules.AmountResult
    confirmation: rules.AmountResult

    @property
    def explanation(self) -> str:
        return explain.explanation_text([*self.rate.explanation, *self.total.explanation])


def check_signing(
    *,
    customer_id: int,
    title: str,
    kind: str,
    high_margin: bool,
    contract_amount: Decimal,
    signed_on: dt.date,
    lead_id: int | None = None,
    high_margin_category: str | None = None,
    project_manager_id: int | None = None,
) -> Signing:
    """Validate a signing field by field and compute the terms it would lock; writes nothing.

    ValidationFailed names every bad field (Chinese / English)."""
    errors: dict[str, str] = {}
    customer = Customer.objects.filter(pk=customer_id).first()
    partner = None
    if customer is None:
        errors["customer_id"] = "客户不存在 / No such customer."
    else:
        partner = owner_of(customer)
        if partner is None:
            errors["customer_id"] = "客户尚未归属任何伙伴 / The customer is not attributed."
    lead = None
    if lead_id is not None:
        lead = Lead.objects.filter(pk=lead_id).first()
        if lead is None:
            errors["lead_id"] = "线索不存在 / No such lead."
        elif lead.status != "valid":
            errors["lead_id"] = "线索不是有效线索 / The lead is not valid."
        elif customer is not None and lead.customer_id != customer.pk:
            errors["lead_id"] = "线索不属于该客户 / The lead is not on this customer."
        elif partner is not None and lead.partner_id != partner.pk:
            errors["lead_id"] = "线索不属于客户的归属伙伴 / The lead is not the owner's."
    if not title.strip():
        errors["title"] = "不能为空 / Must not be empty."
    if kind not in Kind.values:
        errors["kind"] = "项目类型无效 / Not a project kind."
    message = _amount_error(contract_amount)
    if message:
        errors["contract_amount"] = message
    if high_margin and not high_margin_category:
        errors["high_margin_category"] = "高毛利项目须选择类别 / Required for high-margin."
    elif high_margin and high_margin_category not in HighMarginCategory.values:
        errors["high_margin_category"] = "类别无效 / Not a high-margin category."
    if not high_margin and high_margin_category:
        errors["high_margin_category"] = "非高毛利项目不设类别 / Only for high-margin."
    errors.update(clock.past_errors(signed_on=signed_on))
    manager = None
    if project_manager_id is not None:
        manager = User.objects.filter(pk=project_manager_id, is_active=True, role=Role.PM).first()
        if manager is None:
            errors["project_manager_id"] = "不是项目经理 / Not a project manager."
    if errors:
        raise ValidationFailed(errors)
    assert partner is not None and customer is not None
    policy_row = policy_for(signed_on, partner)
    policy = policy_row.to_policy()
    rate = _rate(policy, contract_amount, kind, high_margin, partner.tier)
    return Signing(
        customer=customer,
        partner=partner,
        lead=lead,
        manager=manager,
        policy_version=policy_row,
        rate=rate,
        total=rules.commission_total(rate.rate, contract_amount),
        confirmation=rules.confirmation_fee(policy, contract_amount),
    )


@transaction.atomic(durable=True)
def create_project(
    *,
    actor: User,
    customer_id: int,
    title: str,
    kind: str,
    high_margin: bool,
    contract_amount: Decimal,
    signed_on: dt.date,
    lead_id: int | None = None,
    high_margin_category: str | None = None,
    project_manager_id: int | None = None,
    cash_only: bool = False,
    contract_no: str = "",
) -> Project:
    """Sign a project for an attributed customer; lock rate, total and policy (R-PROJ-1, -2).
    The customer's credit decides whether it may be signed on credit (R-CRED-3, 409)."""
    return book_project(
        actor=actor,
        customer_id=customer_id,
        title=title,
        kind=kind,
        high_margin=high_margin,
        contract_amount=contract_amount,
        signed_on=signed_on,
        lead_id=lead_id,
        high_margin_category=high_margin_category,
        project_manager_id=project_manager_id,
        cash_only=cash_only,
        contract_no=contract_no,
    )


def book_project(
    *,
    actor: User,
    customer_id: int,
    title: str,
    kind: str,
    high_margin: bool,
    contract_amount: Decimal,
    signed_on: dt.date,
    lead_id: int | None = None,
    high_margin_category: str | None = None,
    project_manager_id: int | None = None,
    cash_only: bool = False,
    contract_no: str = "",
) -> Project:
    """:func:`create_project` in the caller's transaction: for an import, whose rows are
    recorded all or none in one (R-IMP-1). Everyone else calls create_project."""
    require_role(actor, Role.OFFICER, Role.PM, Role.ADMIN)
    contract_no = (contract_no or "").strip()
    if len(contract_no) > 64:
        raise ValidationFailed({"contract_no": "合同编号最多 64 字 / At most 64 characters."})
    taken = Project.objects.filter(contract_no=contract_no).first() if contract_no else None
    if taken is not None:
        raise ValidationFailed(
            {"contract_no": f"合同编号已用于项目 #{taken.pk} / Project #{taken.pk} has it."}
        )
    signing = check_signing(
        customer_id=customer_id,
        title=title,
        kind=kind,
        high_margin=high_margin,
        contract_amount=contract_amount,
        signed_on=signed_on,
        lead_id=lead_id,
        high_margin_category=high_margin_category,
        project_manager_id=project_manager_id,
    )
    partner = signing.partner
    now = clock.now()
    project = Project.objects.create(
        customer=signing.customer,
        partner=partner,
        lead=signing.lead,
        title=title.strip(),
        contract_no=contract_no,
        kind=kind,
        high_margin=high_margin,
        high_margin_category=high_margin_category or "",
        contract_amount=contract_amount,
        signed_on=signed_on,
        cash_only=cash_only,
        project_manager=signing.manager,
        tier_at_signing=partner.tier,
        rate=signing.rate.rate,
        commission_total=signing.total.amount,
        rate_explanation=signing.explanation,
        policy_version=signing.policy_version,
        created_at=now,
    )
    Milestone.objects.bulk_create(
        Milestone(project=project, stage=stage, position=i, updated_at=now)
        for i, stage in enumerate(Stage.values, start=1)
    )
    credit = hooks.answers(hooks.project_signing, sender=Project, project=project, partner=partner)
    after = project_snapshot(project)
    if credit:
        after["credit"] = explain.explanation_text([s for d in credit for s in d.steps])
    record(actor, "project.create", project, after=after)
    notices.signed(project, actor=actor)
    hooks.project_signed.send(sender=Project, partner=project.partner)  # R-TIER-1
    return project


@transaction.atomic(durable=True)
def amend_contract_amount(
    project_id: int, *, actor: User, contract_amount: Decimal, reason: str
) -> Project:
    """Correct the contract amount before the first payment, re-pricing it (R-PROJ-2)."""
    require_role(actor, Role.OFFICER, Role.PM, Role.ADMIN)
    project = _lock(project_id)
    errors: dict[str, str] = {}
    message = _amount_error(contract_amount)
    if message:
        errors["contract_amount"] = message
    if not reason.strip():
        errors["reason"] = "必须说明原因 / A reason is required."
    if errors:
        raise ValidationFailed(errors)
    if project.payments.exists():
        raise Conflict("首笔回款后合同额不可更改 / The amount is fixed after the first payment.")
    if project.status == Status.CANCELLED:
        raise Conflict("项目已取消 / The project is cancelled.")
    before = project_snapshot(project)
    policy = project.policy_version.to_policy()
    # Same policy version and the tier at signing: only the amount is corrected.
    rate = _rate(
        policy, contract_amount, project.kind, project.high_margin, project.tier_at_signing
    )
    total = rules.commission_total(rate.rate, contract_amount)
    project.contract_amount = contract_amount
    project.rate = rate.rate
    project.commission_total = total.amount
    project.rate_explanation = explain.explanation_text([*rate.explanation, *total.explanation])
    project.save(update_fields=["contract_amount", "rate", "commission_total", "rate_explanation"])
    after = {**project_snapshot(project), "reason": reason.strip()}
    record(actor, "project.amend", project, before=before, after=after)
    return project


_UNSET: Any = object()


@transaction.atomic(durable=True)
def update_milestone(
    project_id: int,
    stage: str,
    *,
    actor: User,
    planned_on: Any = _UNSET,
    actual_on: Any = _UNSET,
    status: Any = _UNSET,
    note: Any = _UNSET,
) -> Milestone:
    """Update a stage of the progress board and keep the change in its history (R-PROJ-3)."""
    require_role(actor, Role.PM, Role.OFFICER, Role.ADMIN)
    project = _lock(project_id)
    milestone = Milestone.objects.filter(project=project, stage=stage).first()
    if milestone is None:
        raise ValidationFailed({"stage": "阶段无效 / Unknown stage."})
    if status is not _UNSET and status not in MilestoneStatus.values:
        raise ValidationFailed({"status": "取值无效 / Not one of the allowed values."})
    out_of_range = clock.planned_errors(
        planned_on=None if planned_on is _UNSET else planned_on,
        actual_on=None if actual_on is _UNSET else actual_on,
    )
    if out_of_range:
        raise ValidationFailed(out_of_range)
    changes: dict[str, Any] = {}
    for name, value in (
        ("planned_on", planned_on),
        ("actual_on", actual_on),
        ("status", status),
        ("note", note),
    ):
        if value is _UNSET:
            continue
        if name == "note" and value is None:
            value = ""
        old = getattr(milestone, name)
        if old != value:
            changes[name] = [
                old.isoformat() if isinstance(old, dt.date) else old,
                value.isoformat() if isinstance(value, dt.date) else value,
            ]
            setattr(milestone, name, value)
    if not changes:
        return milestone
    milestone.updated_at = clock.now()
    milestone.save()
    refresh_stage(project)
    MilestoneUpdate.objects.create(
        milestone=milestone, at=milestone.updated_at, actor=actor, changes=changes
    )
    record(actor, "project.milestone", milestone, after={"stage": stage, "changes": changes})
    if "status" in changes or "actual_on" in changes:
        notices.milestone(
            project,
            in_both(Stage(milestone.stage).label),
            in_both(MilestoneStatus(milestone.status).label),
            actor=actor,
        )
    return milestone


def _same_content(
    payment: CustomerPayment,
    amount: Decimal,
    received_on: dt.date,
    kind: str,
    refund_of: CustomerPayment | None,
) -> bool:
    return (
        payment.amount == amount
        and payment.received_on == received_on
        and payment.kind == kind
        and payment.refund_of_id == (refund_of.pk if refund_of is not None else None)
    )


def _next_seq(project: Project) -> int:
    project.event_count += 1
    project.save(update_fields=["event_count"])
    return project.event_count


@transaction.atomic(durable=True)
def record_payment(
    project_id: int,
    *,
    actor: User,
    amount: Decimal,
    received_on: dt.date,
    reference: str,
    kind: str = PaymentKind.PAYMENT,
    refund_of: int | str | None = None,
    confirm_over_contract: bool = False,
) -> tuple[CustomerPayment, bool, list[Outcome]]:
    """Record a customer payment or refund and earn its commission (R-PROJ-4, R-LED-4).

    Idempotent by reference: the same content again answers the existing payment (created
    False); other content under the same reference is a Conflict. A payment received before
    the signing is refused; one above MAX_PAYMENT_FACTOR × the contract amount is refused;
    one taking the net received above the contract amount needs confirm_over_contract and
    then flags the project (R-LED-10).
    """
    return book_payment(
        project_id,
        actor=actor,
        amount=amount,
        received_on=received_on,
        reference=reference,
        kind=kind,
        refund_of=refund_of,
        confirm_over_contract=confirm_over_contract,
    )


def book_payment(
    project_id: int,
    *,
    actor: User,
    amount: Decimal,
    received_on: dt.date,
    reference: str,
    kind: str = PaymentKind.PAYMENT,
    refund_of: int | str | None = None,
    confirm_over_contract: bool = False,
) -> tuple[CustomerPayment, bool, list[Outcome]]:
    """:func:`record_payment` in the caller's transaction: for an import, whose rows are
    recorded all or none in one (R-IMP-1, R-IMP-3). Everyone else calls record_payment."""
    require_role(actor, Role.FINANCE)
    project = _lock(project_id)
    errors: dict[str, str] = {}
    reference = reference.strip()
    if not reference:
        errors["reference"] = "不能为空 / Must not be empty."
    message = _amount_error(amount)
    if message:
        errors["amount"] = message
    errors.update(clock.past_errors(received_on=received_on))
    if "received_on" not in errors and received_on < project.signed_on:
        errors["received_on"] = (
            f"到账日不能早于签约日 {project.signed_on.isoformat()} / "
            f"Must not be before the signing date {project.signed_on.isoformat()}."
        )
    if not message and amount > project.contract_amount * MAX_PAYMENT_FACTOR:
        errors["amount"] = (
            f"单笔金额不能超过合同额的 {MAX_PAYMENT_FACTOR} 倍 / "
            f"A single amount cannot exceed {MAX_PAYMENT_FACTOR} times the contract amount."
        )
    original: CustomerPayment | None = None
    if kind == PaymentKind.REFUND:
        if refund_of is None:
            errors["refund_of"] = "退款须指明原回款 / A refund must name its payment."
        else:
            lookup: dict[str, int | str] = (
                {"pk": refund_of}
                if isinstance(refund_of, int)
                else {"reference": str(refund_of).strip()}
            )
            original = project.payments.filter(kind=PaymentKind.PAYMENT, **lookup).first()
            if original is None:
                errors["refund_of"] = "本项目没有该笔回款 / No such payment on this project."
    elif refund_of is not None:
        errors["refund_of"] = "只有退款可指明原回款 / Only a refund names a payment."
    if errors:
        raise ValidationFailed(errors)
    existing = project.payments.filter(reference=reference).first()
    if existing is not None:
        if _same_content(existing, amount, received_on, kind, original):
            return existing, False, []
        raise Conflict("该流水号已登记为不同内容 / This reference is recorded with other content.")
    if original is not None:
        refunded = original.refunds.aggregate(s=Sum("amount"))["s"] or ZERO
        if refunded + amount > original.amount:
            raise ValidationFailed(
                {
                    "amount": f"退款合计不能超过原回款 {original.amount}（已退 {refunded}）/ "
                    f"Refunds cannot exceed the payment {original.amount} "
                    f"({refunded} refunded)."
                }
            )
    over_contract = False
    if kind == PaymentKind.PAYMENT:
        net_after = received(project) + amount
        if net_after > project.contract_amount:
            if not confirm_over_contract:
                raise ValidationFailed(
                    {
                        "amount": f"回款净额将达 {net_after}，超出合同额 "
                        f"{project.contract_amount}，须确认 / The net received would be "
                        f"{net_after}, above the contract amount {project.contract_amount}: "
                        "confirm it."
                    }
                )
            over_contract = True
    payment = CustomerPayment.objects.create(
        project=project,
        kind=kind,
        amount=amount,
        received_on=received_on,
        reference=reference,
        refund_of=original,
        seq=_next_seq(project),
        recorded_by=actor,
        created_at=clock.now(),
    )
    if over_contract and project.over_contract_at is None:
        project.over_contract_at = clock.now()
        project.save(update_fields=["over_contract_at"])
    outcomes = _book_commission(project)
    mine = [o for o in outcomes if o.event_key == f"{kind}:{payment.pk}"]
    record(
        actor,
        f"project.{kind}",
        payment,
        after={
            "project": project.pk,
            "amount": str(payment.amount),
            "received_on": received_on.isoformat(),
            "reference": reference,
            "refund_of": payment.refund_of_id,
            "over_contract": over_contract,
            "entries": [o.entry.pk for o in mine if o.entry is not None],
        },
    )
    own = [o for o in mine if o.entry is not None and o.partner_code == project.partner.code]
    notices.payment_recorded(
        project, kind, explain.yuan(payment.amount), received_on.isoformat(), len(own), actor=actor
    )
    return payment, True, mine


@transaction.atomic(durable=True)
def accept_project(
    project_id: int, *, actor: User, accepted_on: dt.date
) -> tuple[Project, bool, list[Outcome]]:
    """Record the project's acceptance 验收 and earn its settlement (R-PROJ-5, R-LED-4)."""
    require_role(actor, Role.PM, Role.OFFICER, Role.ADMIN)
    project = _lock(project_id)
    if accepted_on < project.signed_on:
        raise ValidationFailed(
            {"accepted_on": "验收日不能早于签约日 / Must not be before signing."}
        )
    if accepted_on > clock.today():
        raise ValidationFailed({"accepted_on": "不能晚于今天 / Must not be in the future."})
    if project.status == Status.CANCELLED:
        raise Conflict("项目已取消 / The project is cancelled.")
    if project.accepted_on is not None:
        if project.accepted_on == accepted_on:
            return project, False, []
        raise Conflict("项目已于其他日期验收 / The project was accepted on another date.")
    before = project_snapshot(project)
    project.accepted_on = accepted_on
    project.status = Status.ACCEPTED
    project.accepted_seq = _next_seq(project)
    project.save(update_fields=["accepted_on", "status", "accepted_seq"])
    outcomes = _book_commission(project)
    mine = [o for o in outcomes if o.event_key == "acceptance"]
    entries = [o.entry.pk for o in mine if o.entry is not None]
    record(
        actor,
        "project.accept",
        project,
        before=before,
        after=project_snapshot(project) | {"entries": entries},
    )
    own = [o for o in mine if o.entry is not None and o.partner_code == project.partner.code]
    notices.accepted(project, len(own), actor=actor)
    return project, True, mine


def check_cancellation(project: Project, *, cancelled_on: dt.date, reason: str) -> None:
    """The field checks of :func:`cancel_project`, writing nothing (the console asks for
    confirmation only once they pass)."""
    errors: dict[str, str] = {}
    if cancelled_on < project.signed_on:
        errors["cancelled_on"] = "取消日不能早于签约日 / Must not be before signing."
    if cancelled_on > clock.today():
        errors["cancelled_on"] = "不能晚于今天 / Must not be in the future."
    if not reason.strip():
        errors["reason"] = "必须说明原因 / A reason is required."
    if errors:
        raise ValidationFailed(errors)
    if project.status == Status.CANCELLED and project.cancelled_on != cancelled_on:
        raise Conflict("项目已取消 / The project is already cancelled.")


def current_stage_of(project: Project) -> str:
    """The first stage not done, by position; maintenance once every stage is done."""
    stage = (
        Milestone.objects.filter(project=project)
        .exclude(status=MilestoneStatus.DONE)
        .order_by("position")
        .values_list("stage", flat=True)
        .first()
    )
    return stage or Stage.MAINTENANCE


def refresh_stage(project: Project) -> None:
    """Keep the project's board column in step with its milestones (in the caller's
    transaction)."""
    stage = current_stage_of(project)
    if project.current_stage != stage:
        project.current_stage = stage
        project.save(update_fields=["current_stage"])


@transaction.atomic(durable=True)
def cancel_project(project_id: int, *, actor: User, cancelled_on: dt.date, reason: str) -> Project:
    """Cancel a project: what was credited stays, later events earn nothing (R-PROJ-5)."""
    require_role(actor, Role.OFFICER, Role.PM, Role.ADMIN)
    project = _lock(project_id)
    check_cancellation(project, cancelled_on=cancelled_on, reason=reason)
    if project.status == Status.CANCELLED:
        if project.cancelled_on == cancelled_on:
            return project
        raise Conflict("项目已取消 / The project is already cancelled.")
    before = project_snapshot(project)
    project.cancelled_on = cancelled_on
    project.cancel_reason = reason.strip()
    project.status = Status.CANCELLED
    project.cancelled_seq = _next_seq(project)
    project.save(update_fields=["cancelled_on", "cancel_reason", "status", "cancelled_seq"])
    _book_commission(project)
    record(actor, "project.cancel", project, before=before, after=project_snapshot(project))
    return project


def received(project: Project) -> Decimal:
    """Net received R: payments minus refunds (R-LED-4)."""
    rows = project.payments.order_by().values_list("kind").annotate(s=Sum("amount"))
    sums = {kind: total for kind, total in rows}
    return cny(sums.get(PaymentKind.PAYMENT, ZERO) - sums.get(PaymentKind.REFUND, ZERO))
