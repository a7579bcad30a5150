"""Agreements (SPEC §10.4): draft, legal review, gm approval, amendment, exit terms — one
business action, one transaction, one audit event each (R-AGR-1/2/4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from huoban import clock
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.calendar import add_business_days
from huoban.commissions.models import LedgerEntry
from huoban.core.files import take_upload
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.explain import Step
from huoban.notifications.services import Message, console_link, notify, staff_with
from huoban.partners.models import Partner
from huoban.partners.services import mark_approved
from huoban.policy import (
    may_approve_agreements,
    may_draft_agreements,
    may_file_agreements,
    may_review_agreements,
)
from huoban.terms.models import PartnerAgreement, PolicyVersion

from . import rules
from .models import IP_ITEMS, Agreement, AgreementFile, CustomerOwner, IpOwner, Kind, Status

# The terms a draft carries besides its kind and dates (R-AGR-1), with their defaults.
TERMS = (
    "title",
    "customer_name",
    "scheme",
    "our_duties",
    "their_duties",
    "ip",
    "customer_owner",
    "data_owner",
    "data_use_scope",
    "data_destroy_days",
    "data_security_level",
    "data_breach_damages",
    "notice_months",
    "penalty_rate",
    "major",
)


# R-AGR-3: a draft waiting longer than this is flagged.
DRAFT_WAIT_BUSINESS_DAYS = 10


def waiting_since(agreement: Agreement) -> dt.date:
    """The day the agreement began to wait for its current step: drafted, or reviewed."""
    at = agreement.reviewed_at if agreement.status == Status.REVIEWED else agreement.created_at
    return (at or agreement.created_at).astimezone(clock.local_tz()).date()


def waits_too_long(agreement: Agreement, today: dt.date) -> bool:
    """R-AGR-3: an agreement not yet approved more than 10 business days (R-CAL-3) after it
    began to wait for legal or the gm is flagged."""
    if agreement.status not in (Status.DRAFT, Status.REVIEWED):
        return False
    due = add_business_days(waiting_since(agreement), DRAFT_WAIT_BUSINESS_DAYS).date
    return today > due


def _get(agreement_id: int) -> Agreement:
    agreement = Agreement.objects.select_for_update().filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound("协议不存在 / No such agreement.")
    return agreement


def _clean_terms(kind: str, starts_on: dt.date | None, ends_on: dt.date | None,
                 terms: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:  # fmt: skip
    """The terms as the model stores them, and the field errors (R-AGR-1)."""
    errors: dict[str, str] = {}
    unknown = sorted(set(terms) - set(TERMS))
    if unknown:
        errors["terms"] = f"未知条款 / Unknown terms: {', '.join(unknown)}"
    if kind not in Kind.values:
        errors["kind"] = (
            "协议类型应为 referral、co_delivery、supply、channel 或 strategic"
            " / Kind is referral, co_delivery, supply, channel or strategic."
        )
    if starts_on is None:
        errors["starts_on"] = "请填写生效日 / The start date is required."
    if ends_on is None:
        errors["ends_on"] = "请填写到期日 / The end date is required."
    elif starts_on is not None and ends_on <= starts_on:
        errors["ends_on"] = "到期日应晚于生效日 / The end date must come after the start."
    clean: dict[str, Any] = {
        "title": str(terms.get("title") or "").strip(),
        "customer_name": str(terms.get("customer_name") or "").strip(),
        "our_duties": str(terms.get("our_duties") or "").strip(),
        "their_duties": str(terms.get("their_duties") or "").strip(),
        "data_owner": str(terms.get("data_owner") or "").strip(),
        "data_use_scope": str(terms.get("data_use_scope") or "").strip(),
        "data_security_level": str(terms.get("data_security_level") or "").strip(),
        "major": bool(terms.get("major", False)),
    }
    scheme = terms.get("scheme")
    if isinstance(scheme, dict) and scheme.get("kind") == "policy":
        errors.update(_policy_scheme_errors(kind, scheme))
        if "scheme.version" not in errors:
            scheme = {"kind": "policy", "version": scheme["version"]}
    elif scheme is not None:
        errors.update(rules.unit_scheme_errors(scheme))
    clean["scheme"] = scheme
    ip = dict(terms.get("ip") or {})
    for item in IP_ITEMS:
        ip.setdefault(item, IpOwner.PENDING.value)
    bad_ip = [k for k, v in ip.items() if k not in IP_ITEMS or v not in IpOwner.values]
    if bad_ip:
        errors["ip"] = (
            "知识产权按项目成果、通用平台、客户定制填写我方、对方、共有或待定"
            " / IP is per item (project, platform, customisation): ours, theirs, joint or pending."
        )
    clean["ip"] = ip
    # R-AGR-1: the customer relationship is ours, except in a referral agreement.
    default_owner = CustomerOwner.PARTNER if kind == Kind.REFERRAL else CustomerOwner.US
    owner = terms.get("customer_owner") or default_owner.value
    if owner not in CustomerOwner.values:
        errors["customer_owner"] = "客户关系归属应为 us 或 partner / The owner is us or partner."
    clean["customer_owner"] = owner
    days = terms.get("data_destroy_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        errors["data_destroy_days"] = "销毁期限为不小于 0 的天数 / Days, 0 or more."
    clean["data_destroy_days"] = days
    clean["data_breach_damages"] = _amount(terms, "data_breach_damages", errors)
    months = terms.get("notice_months", rules.NOTICE_MONTHS)
    if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 36:
        errors["notice_months"] = "通知期为 0–36 个月 / Notice is 0 to 36 months."
    clean["notice_months"] = months
    rate = _amount(terms, "penalty_rate", errors)
    if rate is None:
        rate = rules.PENALTY_RATE
    elif not Decimal(0) <= rate < 1:
        errors["penalty_rate"] = "违约金比例应在 0 与 1 之间 / The penalty rate is between 0 and 1."
    clean["penalty_rate"] = rate
    return clean, errors


def _policy_scheme_errors(kind: str, scheme: Mapping[str, Any]) -> dict[str, str]:
    """R-POL-2: a referral agreement may pin a commission policy version `{kind: "policy",
    version}`, confirmed in writing before cooperation (合作前书面确认锁定)."""
    errors: dict[str, str] = {}
    if kind != Kind.REFERRAL:
        errors["scheme.kind"] = (
            "只有引荐协议可以锁定佣金政策版本 / Only a referral agreement pins a policy version."
        )
    version = scheme.get("version")
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not PolicyVersion.objects.filter(version=version).exists()
    ):
        errors["scheme.version"] = "佣金政策版本不存在 / No such policy version."
    return errors


def pinned_version(agreement: Agreement) -> int | None:
    """The policy version a referral agreement pins (R-POL-2), if any."""
    scheme = agreement.scheme or {}
    return scheme.get("version") if scheme.get("kind") == "policy" else None


def _amount(terms: Mapping[str, Any], key: str, errors: dict[str, str]) -> Decimal | None:
    value = terms.get(key)
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        errors[key] = "应为不小于 0 的数 / A number of 0 or more."
        return None
    return amount


def _next_number(on: dt.date) -> str:
    """HZ + year + a four-digit sequence of the year's first versions (HZ20260001)."""
    prefix = f"HZ{on.year}"
    taken = Agreement.objects.filter(number__startswith=prefix, version=1).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic(durable=True)
def draft_agreement(
    partner_code: str,
    *,
    kind: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    actor: User,
    **terms: Any,
) -> Agreement:
    """Draft a partner's written agreement (R-AGR-1); it waits for legal review (R-AGR-2)."""
    return draft_within(
        partner_code, kind=kind, starts_on=starts_on, ends_on=ends_on, actor=actor, **terms
    )


def draft_within(
    partner_code: str,
    *,
    kind: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    actor: User,
    **terms: Any,
) -> Agreement:
    """:func:`draft_agreement` inside the caller's transaction: a selection's `sign` opens the
    new partner's draft agreement in its own business action (R-SEL-4)."""
    if not may_draft_agreements(actor):
        raise Forbidden("只有伙伴关系官可以起草协议 / Only a partner officer drafts agreements.")
    partner = Partner.objects.filter(code=partner_code).first()
    if partner is None:
        raise ValidationFailed({"partner_code": "伙伴不存在 / No such partner."})
    clean, errors = _clean_terms(kind, starts_on, ends_on, terms)
    if errors:
        raise ValidationFailed(errors)
    assert starts_on is not None and ends_on is not None
    now = clock.now()
    agreement = Agreement.objects.create(
        partner=partner,
        number=_next_number(clock.today()),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
        created_at=now,
        **clean,
    )
    record(actor, "agreement.draft", agreement, after=_summary(agreement))
    _tell_next(agreement, actor)
    return agreement


def _tell_next(agreement: Agreement, actor: User) -> None:
    """R-AGR-2 with R-NOTE-1: a draft (or an amendment) is for legal to review, a reviewed
    agreement for the gm to approve; they are told through the outbox (`agreement.submitted`)."""
    who, zh_step, en_step = (
        (Role.LEGAL, "待法务审核", "waits for legal review")
        if agreement.status == Status.DRAFT
        else (Role.GM, "待总经理审批", "waits for the general manager's approval")
    )
    name = agreement.partner.name
    notify(
        Message(
            "agreement.submitted",
            f"{name} 的{agreement.get_kind_display()} {agreement.number} v{agreement.version}"
            f"{zh_step}",
            f"{name}'s agreement {agreement.number} v{agreement.version} {en_step}",
            "草稿等待超过 10 个工作日将被标记（R-AGR-3）。",
            "It is flagged after 10 business days of waiting (R-AGR-3).",
            console_link("agreement", agreement_id=agreement.pk),
            data={
                "agreement_id": agreement.pk,
                "partner_code": agreement.partner.code,
                "status": agreement.status,
            },
        ),
        staff_with(who),
        actor=actor,
    )


def _summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "partner": agreement.partner.code,
        "number": agreement.number,
        "version": agreement.version,
        "kind": agreement.kind,
        "status": agreement.status,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "major": agreement.major,
    }


@transaction.atomic(durable=True)
def review_agreement(agreement_id: int, *, note: str, actor: User) -> Agreement:
    """Legal reviews a draft (R-AGR-2); the gm approves it next."""
    if not may_review_agreements(actor):
        raise Forbidden("只有法务可以审核协议 / Only legal reviews agreements.")
    agreement = _get(agreement_id)
    if agreement.status != Status.DRAFT:
        raise Conflict("只有草稿可以审核 / Only a draft can be reviewed.")
    agreement.status = Status.REVIEWED
    agreement.reviewed_by = actor
    agreement.reviewed_at = clock.now()
    agreement.review_note = note.strip()
    agreement.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record(
        actor,
        "agreement.review",
        agreement,
        before={"status": Status.DRAFT},
        after={**_summary(agreement), "note": agreement.review_note},
    )
    _tell_next(agreement, actor)
    return agreement


@transaction.atomic(durable=True)
def approve_agreement(
    agreement_id: int,
    *,
    board_approved_on: dt.date | None = None,
    board_minute: str = "",
    actor: User,
) -> Agreement:
    """The gm approves a reviewed agreement (R-AGR-2); a major one records the board's approval
    (date and minute reference). Approved, its scheme is in force and it never changes; the
    version it amends is superseded."""
    if not may_approve_agreements(actor):
        raise Forbidden("只有总经理可以审批协议 / Only the general manager approves agreements.")
    agreement = _get(agreement_id)
    if agreement.status != Status.REVIEWED:
        raise Conflict(
            "协议须先经法务审核，才能审批 / An agreement is approved only after legal review."
        )
    minute = board_minute.strip()
    if agreement.major:
        errors = {}
        if board_approved_on is None:
            errors["board_approved_on"] = (
                "重大协议须填写董事会审批日 / A major agreement needs the board's approval date."
            )
        if not minute:
            errors["board_minute"] = (
                "重大协议须填写董事会决议编号 / A major agreement needs the board's minute."
            )
        if errors:
            raise ValidationFailed(errors)
    agreement.status = Status.APPROVED
    agreement.approved_by = actor
    agreement.approved_at = clock.now()
    agreement.board_approved_on = board_approved_on if agreement.major else None
    agreement.board_minute = minute if agreement.major else ""
    agreement.save(
        update_fields=["status", "approved_by", "approved_at", "board_approved_on", "board_minute"]
    )
    if agreement.amends_id is not None:
        Agreement.objects.filter(pk=agreement.amends_id).update(status=Status.SUPERSEDED)
    # R-AGR-2: approving a new partner's agreement approves the partner too.
    partner = Partner.objects.select_for_update().get(pk=agreement.partner_id)
    partner_approved = partner.approved_at is None
    if partner_approved:
        mark_approved(partner, actor)
    pinned = pinned_version(agreement)
    if pinned is not None:
        # R-POL-2: from its start, the partner's projects use the pinned version.
        PartnerAgreement.objects.create(
            partner=agreement.partner,
            policy_version=PolicyVersion.objects.get(version=pinned),
            signed_on=agreement.starts_on,
            note=f"{agreement.number} v{agreement.version}",
        )
    record(
        actor,
        "agreement.approve",
        agreement,
        before={"status": Status.REVIEWED},
        after={
            **_summary(agreement),
            "board_minute": agreement.board_minute,
            "pinned_policy_version": pinned,
            "partner_approved": partner_approved,
        },
    )
    return agreement


@transaction.atomic(durable=True)
def amend_agreement(
    agreement_id: int,
    *,
    actor: User,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    **terms: Any,
) -> Agreement:
    """An amendment (seed 002's yearly adjustment) of an approved agreement: the next version,
    a draft with the same terms except those given, through review and approval again
    (R-AGR-2). The approved version stays as it was until the amendment is approved."""
    if not may_draft_agreements(actor):
        raise Forbidden("只有伙伴关系官可以起草协议 / Only a partner officer drafts agreements.")
    current = _get(agreement_id)
    if current.status != Status.APPROVED:
        raise Conflict("只有生效中的协议可以修订 / Only an approved agreement can be amended.")
    if Agreement.objects.filter(amends=current).exists():
        raise Conflict("该协议已有修订版 / This agreement already has an amendment.")
    merged = {name: getattr(current, name) for name in TERMS}
    merged.update(terms)
    starts = starts_on or current.starts_on
    ends = ends_on or current.ends_on
    clean, errors = _clean_terms(current.kind, starts, ends, merged)
    if errors:
        raise ValidationFailed(errors)
    amendment = Agreement.objects.create(
        partner=current.partner,
        number=current.number,
        version=current.version + 1,
        amends=current,
        kind=current.kind,
        starts_on=starts,
        ends_on=ends,
        created_by=actor,
        created_at=clock.now(),
        **clean,
    )
    record(
        actor,
        "agreement.amend",
        amendment,
        before={"version": current.version},
        after={**_summary(amendment), "changed": sorted(terms)},
    )
    _tell_next(amendment, actor)
    return amendment


@dataclass(frozen=True)
class ExitQuote:
    """R-AGR-4 for one agreement on one notice date: the agreement year's commission, the
    earliest end and the penalty, with the steps that explain them."""

    year_start: dt.date
    commission: Decimal
    terms: rules.ExitTerms

    @property
    def explanation(self) -> tuple[Step, ...]:
        first = Step(
            f"协议年度自 {self.year_start.isoformat()} 起（生效日或最近一个周年日）",
            f"the agreement year runs from {self.year_start.isoformat()} (the start or the last "
            "anniversary)",
        )
        return (first, *self.terms.explanation)


def exit_quote(agreement: Agreement, notice_on: dt.date) -> ExitQuote:
    """What ending ``agreement`` early by a notice on ``notice_on`` costs (R-AGR-4): the
    commission earned by its partner since the agreement's last anniversary, up to the notice
    date, times the penalty rate; the end no earlier than the notice period later."""
    year_start = rules.last_anniversary(agreement.starts_on, notice_on)
    commission = LedgerEntry.objects.filter(
        partner_id=agreement.partner_id,
        effective=True,
        earned_on__gte=year_start,
        earned_on__lte=notice_on,
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    terms = rules.early_exit(
        notice_on,
        commission,
        notice_months=agreement.notice_months,
        penalty_rate=agreement.penalty_rate,
    )
    return ExitQuote(year_start, commission, terms)


@transaction.atomic(durable=True)
def attach_agreement_file(
    agreement_id: int, *, upload: Any, title: str = "", actor: User
) -> AgreementFile:
    """Keep a file with an agreement (R-AGR-1): the signed copy, an annex, the board's minute.
    Officers, legal, the gm and admins; an approved agreement takes files too (its signed copy
    comes after approval) while its terms never change."""
    if not may_file_agreements(actor):
        raise Forbidden(
            "协议文件由伙伴关系官、法务或总经理上传 / Officers, legal and the general manager "
            "keep an agreement's files."
        )
    agreement = _get(agreement_id)
    errors: dict[str, str] = {}
    taken = take_upload(upload, title, errors)
    if errors:
        raise ValidationFailed(errors)
    assert taken is not None
    row = AgreementFile(agreement=agreement, uploaded_by=actor, uploaded_at=clock.now())
    row.keep(taken)
    row.save()
    record(
        actor,
        "agreement.file",
        row,
        after={
            "agreement": agreement.number,
            "title": row.title,
            "size": row.size,
            "sha256": row.sha256,
        },
    )
    return row
