"""Co-delivery partners on a project and their revenue-share entries (SPEC §10.5, R-RS-1/2):
one business action, one transaction, one audit event; the entries are booked in the project
service's transaction through the projects' hook, like the commission."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum

from huoban import calendar, clock, explain, hooks
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.commissions.ledger import Outcome, append_entry, payment_id_of, project_events
from huoban.commissions.models import EntryKind
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.partners.guards import require_not_paused
from huoban.partners.models import Partner
from huoban.policy import may_decide_share_schemes, may_sign_projects
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus

from . import rules
from .models import ProjectShare, SchemeStatus, ShareScheme


def connect_hooks() -> None:
    """Answer the projects' cash hook after the commission ledger; idempotent."""
    hooks.project_cash_shared.connect(
        _project_cash_shared, dispatch_uid="sharing.project_cash_shared", weak=False
    )


def _project_cash_shared(sender: Any, *, project: Project, **kwargs: Any) -> list[Outcome]:
    return book_shares(project)


def _due_step(received_on: Any, days: int) -> tuple[Any, bool, explain.Step]:
    """R-RS-2 with R-CAL-3: due ``days`` business days after the payment's received date."""
    due = calendar.add_business_days(received_on, days)
    note = calendar.explain(due)
    zh = f"到账日 {received_on.isoformat()} 后第 {days} 个工作日 → 应付日 {due.date.isoformat()}"
    en = f"{days} business days after {received_on.isoformat()} → due {due.date.isoformat()}"
    if note:
        zh, en = f"{zh}（{note}）", f"{en} ({note})"
    return due.date, due.estimated, explain.Step(zh, en)


def book_shares(project: Project) -> list[Outcome]:
    """Book, for each co-delivery partner of ``project``, the revenue share of every payment
    and refund not yet in its ledger (R-RS-2); a replay writes nothing. Runs in the caller's
    transaction with the project locked."""
    shares = list(ProjectShare.objects.filter(project=project).select_related("partner"))
    if not shares:
        return []
    events = project_events(project)
    payments = {p.pk: p for p in project.payments.all()}
    out: list[Outcome] = []
    for share in shares:
        role = share.role or "合作交付"
        head = explain.Step(
            f"合作方 {share.partner.code} 在项目 #{project.pk} 的分成（{role}）",
            f"co-delivery partner {share.partner.code}'s share of project #{project.pk}",
        )
        for item in rules.share_entries(share.share, events):
            due_on, estimated, due_step = _due_step(item.earned_on, share.settle_days)
            text = explain.explanation_text([head, *item.explanation, due_step])
            payment_id = payment_id_of(item.event_key)
            entry = append_entry(
                share.partner,
                kind=EntryKind.REVENUE_SHARE,
                project=project,
                payment=payments.get(payment_id) if payment_id is not None else None,
                policy_version=project.policy_version,
                basis=item.basis,
                rate=share.share,
                amount=item.amount,
                earned_on=item.earned_on,
                due_on=due_on,
                due_estimated=estimated,
                explanation=text,
                event_key=f"share:{share.pk}:{item.event_key}",
            )
            out.append(
                Outcome(share.partner.code, EntryKind.REVENUE_SHARE, item.event_key, entry, text)
            )
    return out


def _share_value(value: Any) -> Decimal | None:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return share if share.is_finite() else None


def _check_terms(
    project: Project, *, partner_code: str, share: Any, settle_days: int | None
) -> tuple[Partner, Decimal, int]:
    """The co-delivery terms of R-RS-1, field by field: a partner other than the referring one,
    0 < s < 1 with at most four decimals, the project's locked shares and s summing to less
    than 1, settle days 0–60. Raises ValidationFailed with every failing field."""
    errors: dict[str, str] = {}
    partner = Partner.objects.filter(code=partner_code).first()
    if partner is None:
        errors["partner_code"] = "伙伴不存在 / No such partner."
    elif partner.pk == project.partner_id:
        errors["partner_code"] = (
            "引荐伙伴不能同时是合作方：合作方不拥有客户 / The referring partner cannot also be "
            "a co-delivery partner: a co-delivery partner never owns the customer."
        )
    value = _share_value(share)
    if value is None or not Decimal(0) < value < 1:
        errors["share"] = "分成比例应大于 0 且小于 1 / A share is above 0 and below 1."
    elif value != value.quantize(Decimal("0.0001")):
        errors["share"] = "分成比例最多四位小数 / A share has at most four decimals."
    else:
        taken = locked_share(project)
        if taken + value >= 1:
            errors["share"] = (
                f"本项目分成合计须小于 1（已有 {taken}）/ The shares of a project must sum to "
                f"less than 1 ({taken} already)."
            )
    days = rules.DEFAULT_SETTLE_DAYS if settle_days is None else settle_days
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
        errors["settle_days"] = "结算工作日为 0–60 天 / Settle days are 0 to 60."
    if errors:
        raise ValidationFailed(errors)
    assert partner is not None and value is not None
    require_not_paused(partner.pk)  # R-CRIS-2: no new co-delivery project while paused
    return partner, value, days


def locked_share(project: Project) -> Decimal:
    """The sum of the shares locked on ``project`` (0 when none)."""
    taken = ProjectShare.objects.filter(project=project).aggregate(s=Sum("share"))["s"]
    return Decimal(taken or 0)


def _lock_share(
    project: Project, partner: Partner, value: Decimal, days: int, role: str, actor: User
) -> tuple[ProjectShare, int]:
    """Create the project's share for ``partner`` and book the cash already received; the
    count of entries booked. In the caller's transaction, the project locked."""
    if ProjectShare.objects.filter(project=project, partner=partner).exists():
        raise Conflict("该合作方已在本项目 / This partner already co-delivers the project.")
    row = ProjectShare.objects.create(
        project=project,
        partner=partner,
        share=value,
        role=role.strip(),
        settle_days=days,
        created_by=actor,
        created_at=clock.now(),
    )
    booked = [o for o in book_shares(project) if o.entry is not None]
    return row, len(booked)


@transaction.atomic(durable=True)
def add_share(
    project_id: int,
    *,
    partner_code: str,
    share: Any,
    settle_days: int | None = None,
    role: str = "",
    actor: User,
) -> ProjectShare:
    """Put a co-delivery partner on a project with its share of the customer's cash (R-RS-1);
    the payments already received are booked for it at once (R-RS-2)."""
    if not may_sign_projects(actor):
        raise Forbidden(
            "合作方由伙伴关系官或项目经理登记 / Officers and project managers add co-delivery "
            "partners."
        )
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在 / No such project.")
    partner, value, days = _check_terms(
        project, partner_code=partner_code, share=share, settle_days=settle_days
    )
    row, booked = _lock_share(project, partner, value, days, role, actor)
    record(
        actor,
        "project.share",
        row,
        after={
            "project": project.pk,
            "partner": partner.code,
            "share": str(value),
            "settle_days": days,
            "role": row.role,
            "booked": booked,
        },
    )
    return row


def _may_decide(actor: User) -> None:
    if not may_decide_share_schemes(actor):
        raise Forbidden(
            "分成方案由总经理提出和批准 / The general manager proposes and approves revenue-share "
            "schemes."
        )


@transaction.atomic(durable=True)
def propose_scheme(
    project_id: int,
    *,
    partner_code: str,
    label: str,
    share: Any,
    settle_days: int | None = None,
    role: str = "",
    actor: User,
) -> ShareScheme:
    """Record one revenue-share scheme for a co-delivery partner on a project, to compare side
    by side with the others before one is approved (R-RS-1; seed 001's 方案A and 方案B)."""
    _may_decide(actor)
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise NotFound("项目不存在 / No such project.")
    if project.status == ProjectStatus.CANCELLED:
        raise Conflict("项目已取消 / The project is cancelled.")
    name = label.strip()
    try:
        partner, value, days = _check_terms(
            project, partner_code=partner_code, share=share, settle_days=settle_days
        )
    except ValidationFailed as failed:
        if not name or len(name) > 40:
            failed.errors["label"] = LABEL_ERROR
        raise ValidationFailed(failed.errors) from None
    if not name or len(name) > 40:
        raise ValidationFailed({"label": LABEL_ERROR})
    if ProjectShare.objects.filter(project=project, partner=partner).exists():
        raise Conflict(
            "该合作方的分成已锁定在本项目 / This partner's share is already locked on the project."
        )
    if ShareScheme.objects.filter(project=project, partner=partner, label=name).exists():
        raise ValidationFailed(
            {"label": "该合作方已有同名方案 / This partner already has a scheme of that name."}
        )
    scheme = ShareScheme.objects.create(
        project=project,
        partner=partner,
        label=name,
        share=value,
        role=role.strip(),
        settle_days=days,
        proposed_by=actor,
        proposed_at=clock.now(),
    )
    record(
        actor,
        "project.share_scheme",
        scheme,
        after={
            "project": project.pk,
            "partner": partner.code,
            "label": name,
            "share": str(value),
            "settle_days": days,
            "role": scheme.role,
        },
    )
    return scheme


LABEL_ERROR = "方案名称 1–40 字，如“方案A” / A scheme is named in 1 to 40 characters, e.g. 方案A."


@transaction.atomic(durable=True)
def approve_scheme(scheme_id: int, *, actor: User) -> ShareScheme:
    """Approve one proposed scheme (R-RS-1): its terms become the project's share, locked, the
    cash already received is booked at once (R-RS-2), and the partner's other schemes on the
    project are set aside."""
    _may_decide(actor)
    found = ShareScheme.objects.filter(pk=scheme_id).first()
    if found is None:
        raise NotFound("分成方案不存在 / No such scheme.")
    project = Project.objects.select_for_update().get(pk=found.project_id)
    scheme = ShareScheme.objects.select_related("partner").get(pk=scheme_id)
    if scheme.status != SchemeStatus.PROPOSED:
        raise Conflict("该方案已处理 / This scheme has already been decided.")
    if project.status == ProjectStatus.CANCELLED:
        raise Conflict("项目已取消 / The project is cancelled.")
    require_not_paused(scheme.partner_id)  # R-CRIS-2
    taken = locked_share(project)
    if taken + scheme.share >= 1:
        raise Conflict(
            f"本项目分成合计须小于 1（已锁定 {taken}）/ The shares of a project must sum to less "
            f"than 1 ({taken} locked)."
        )
    row, booked = _lock_share(
        project, scheme.partner, scheme.share, scheme.settle_days, scheme.role, actor
    )
    now = clock.now()
    set_aside = list(
        ShareScheme.objects.filter(
            project=project, partner=scheme.partner, status=SchemeStatus.PROPOSED
        )
        .exclude(pk=scheme.pk)
        .values_list("label", flat=True)
    )
    ShareScheme.objects.filter(
        project=project, partner=scheme.partner, status=SchemeStatus.PROPOSED
    ).exclude(pk=scheme.pk).update(status=SchemeStatus.SET_ASIDE, decided_by=actor, decided_at=now)
    scheme.status = SchemeStatus.APPROVED
    scheme.decided_by = actor
    scheme.decided_at = now
    scheme.locked_as = row
    scheme.save(update_fields=["status", "decided_by", "decided_at", "locked_as"])
    record(
        actor,
        "project.share_scheme_approved",
        scheme,
        after={
            "project": project.pk,
            "partner": scheme.partner.code,
            "label": scheme.label,
            "share": str(scheme.share),
            "set_aside": set_aside,
            "booked": booked,
        },
    )
    return scheme


def scheme_figures(scheme: ShareScheme) -> rules.SchemeAmounts:
    """A scheme's amounts on its project's contract (R-RS-1), with the shares locked for the
    project's other co-delivery partners taken off ours."""
    others = (
        ProjectShare.objects.filter(project_id=scheme.project_id)
        .exclude(partner_id=scheme.partner_id)
        .aggregate(s=Sum("share"))["s"]
    )
    return rules.scheme_amounts(scheme.project.contract_amount, scheme.share, Decimal(others or 0))
