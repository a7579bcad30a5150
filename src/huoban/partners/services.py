"""Partner operations: registration, recruitment links (SPEC §1, R-LED-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.policy import may_approve_partners
from huoban.uscc import normalize_uscc, uscc_error

from .models import Partner, PartnerKind, PartnerStatus, PartnerType, Tier, TierChange

CODE_PREFIX = "P"


def _next_code() -> str:
    last = (
        Partner.objects.filter(code__regex=r"^P[0-9]{5,}$")
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last[1:]) + 1 if last else 1
    return f"{CODE_PREFIX}{number:05d}"


def _validate(
    name: str,
    kind: str,
    types: list[str],
    uscc: str | None,
    referrer_code: str | None,
    *,
    exclude: Partner | None = None,
) -> tuple[str | None, Partner | None]:
    errors: dict[str, str] = {}
    if not name or not name.strip():
        errors["name"] = "名称必填 / Name is required."
    elif len(name) > 200:
        errors["name"] = "名称过长 / Name is too long (≤200)."
    if kind not in PartnerKind.values:
        errors["kind"] = (
            "类型应为 individual 或 organization / kind must be individual or organization."
        )
    unknown = [t for t in types if t not in PartnerType.values]
    if unknown:
        errors["types"] = f"未知合作类别 {', '.join(unknown)} / unknown partner types."
    code = None
    if uscc:
        code = normalize_uscc(uscc)
        if kind == PartnerKind.INDIVIDUAL:
            errors["uscc"] = "个人伙伴没有统一社会信用代码 / An individual has no USCC."
        elif (msg := uscc_error(code)) is not None:
            errors["uscc"] = msg
        elif (
            Partner.objects.filter(uscc=code)
            .exclude(pk__in=[exclude.pk] if exclude is not None else [])
            .exists()
        ):
            errors["uscc"] = "该信用代码已登记为伙伴 / A partner with this USCC exists."
    referrer = None
    if referrer_code:
        referrer = Partner.objects.filter(code=referrer_code).first()
        if referrer is None:
            errors["referrer_code"] = f"推荐伙伴不存在 / No partner {referrer_code}."
    if errors:
        raise ValidationFailed(errors)
    return code, referrer


def uscc_check(raw: str) -> tuple[bool, str]:
    """(valid, bilingual message) for a USCC as an officer types it on the registration form:
    the check character (GB 32100), and whether a partner already has it."""
    code = normalize_uscc(raw)
    if (message := uscc_error(code)) is not None:
        return False, message
    existing = Partner.objects.filter(uscc=code).only("code", "name").first()
    if existing is not None:
        return False, (
            f"该信用代码已登记为伙伴 {existing.code} {existing.name} / "
            f"partner {existing.code} {existing.name} has this USCC"
        )
    return True, "信用代码校验通过 / the USCC is valid"


def register_partner(
    *,
    name: str,
    kind: str,
    actor: User | None,
    types: list[str] | None = None,
    region: str = "",
    uscc: str | None = None,
    referrer_code: str | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    code: str | None = None,
) -> Partner:
    """Register a partner at the light tier with a unique code; optional recruiter (R-LED-5).

    Officers and admins register partners; ``actor=None`` is the system (the command line's
    imports and the test fixtures), recorded as such in the audit log."""
    if actor is not None:
        require_role(actor, Role.OFFICER)
    types = list(types or [])
    clean_uscc, referrer = _validate(name, kind, types, uscc, referrer_code)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                partner = Partner.objects.create(
                    code=code or _next_code(),
                    name=name.strip(),
                    kind=kind,
                    types=types,
                    region=region,
                    uscc=clean_uscc,
                    referrer=referrer,
                    contact_name=contact_name,
                    contact_phone=contact_phone,
                    tier=Tier.LIGHT,
                    tier_since=clock.today(),
                    created_at=clock.now(),
                )
                TierChange.objects.create(
                    partner=partner,
                    at=clock.now(),
                    from_tier="",
                    to_tier=Tier.LIGHT,
                    reason="新伙伴默认轻协同 / new partners start at light",
                    actor=actor,
                )
                record(actor, "partner.register", partner, after=partner_snapshot(partner))
                return partner
        except IntegrityError:
            if code:
                raise Conflict(f"伙伴编号已存在 / partner code {code} exists") from None
            continue  # another registration took the same code: take the next one
    raise Conflict("无法分配伙伴编号，请重试 / could not allocate a partner code, retry")


def partner_snapshot(partner: Partner) -> dict[str, Any]:
    return {
        "code": partner.code,
        "name": partner.name,
        "kind": partner.kind,
        "types": partner.types,
        "region": partner.region,
        "uscc": partner.uscc,
        "referrer": partner.referrer.code if partner.referrer else None,
        "tier": partner.tier,
        "status": partner.status,
    }


@transaction.atomic(durable=True)
def update_partner_profile(
    partner: Partner,
    *,
    actor: User,
    name: str,
    types: list[str],
    region: str = "",
    uscc: str | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Partner:
    """Correct a partner's record (a renamed company, a new contact, the USCC it registered
    later); officers and admins. The kind, the tier and the recruiter have their own rules and
    are not changed here (R-TIER, R-LED-5)."""
    require_role(actor, Role.OFFICER)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    errors: dict[str, str] = {}
    if len(region) > 100:
        errors["region"] = "地区过长 / at most 100 characters"
    if len(contact_name) > 100:
        errors["contact_name"] = "联系人过长 / at most 100 characters"
    if len(contact_phone) > 32:
        errors["contact_phone"] = "电话过长 / at most 32 characters"
    try:
        clean_uscc, _referrer = _validate(name, partner.kind, types, uscc, None, exclude=partner)
    except ValidationFailed as e:
        errors = {**e.errors, **errors}
    if errors:
        raise ValidationFailed(errors)
    before = partner_snapshot(partner) | {
        "contact_name": partner.contact_name,
        "contact_phone": partner.contact_phone,
    }
    partner.name = name.strip()
    partner.types = list(types)
    partner.region = region.strip()
    partner.uscc = clean_uscc
    partner.contact_name = contact_name.strip()
    partner.contact_phone = contact_phone.strip()
    partner.save(update_fields=["name", "types", "region", "uscc", "contact_name", "contact_phone"])
    after = partner_snapshot(partner) | {
        "contact_name": partner.contact_name,
        "contact_phone": partner.contact_phone,
    }
    record(actor, "partner.update", partner, before=before, after=after)
    return partner


@transaction.atomic(durable=True)
def set_referrer(partner: Partner, referrer_code: str | None, *, actor: User) -> Partner:
    """Change who recruited a partner; self-recruitment and cycles are refused (R-LED-5).
    Officers and admins only."""
    require_role(actor, Role.OFFICER)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = partner_snapshot(partner)
    referrer = None
    if referrer_code:
        referrer = Partner.objects.filter(code=referrer_code).first()
        if referrer is None:
            raise ValidationFailed(
                {"referrer_code": f"推荐伙伴不存在 / No partner {referrer_code}."}
            )
        if referrer.pk == partner.pk:
            raise ValidationFailed(
                {"referrer_code": "不能推荐自己 / A partner cannot recruit itself."}
            )
        seen = {partner.pk}
        walk: Partner | None = referrer
        while walk is not None:
            if walk.pk in seen:
                raise ValidationFailed(
                    {"referrer_code": "推荐关系成环 / This would make a recruitment cycle."}
                )
            seen.add(walk.pk)
            walk = walk.referrer
    partner.referrer = referrer
    partner.save(update_fields=["referrer"])
    record(actor, "partner.set_referrer", partner, before=before, after=partner_snapshot(partner))
    return partner


def mark_approved(partner: Partner, actor: User) -> dt.datetime:
    """Record the gm's approval of a new partner (R-AGR-2) on the locked row; the caller's
    action records the audit event (approving the partner, or its first agreement)."""
    now = clock.now()
    partner.approved_at = now
    partner.approved_by = actor
    partner.save(update_fields=["approved_at", "approved_by"])
    return now


@transaction.atomic(durable=True)
def approve_partner(code: str, *, actor: User) -> Partner:
    """The general manager approves a new partner (R-AGR-2). Approving its first agreement
    approves it too (`agreements.services.approve_agreement`)."""
    if not may_approve_partners(actor):
        raise Forbidden("新伙伴由总经理批准 / The general manager approves new partners.")
    partner = Partner.objects.select_for_update().filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if partner.approved_at is not None:
        raise Conflict("该伙伴已批准 / This partner is already approved.")
    if partner.status == PartnerStatus.EXITED:
        raise Conflict("伙伴已退出 / The partner has exited.")
    approved_at = mark_approved(partner, actor)
    record(
        actor,
        "partner.approve",
        partner,
        before={"approved_at": None},
        after={"code": partner.code, "approved_at": approved_at.isoformat()},
    )
    return partner
