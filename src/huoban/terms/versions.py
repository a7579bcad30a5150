"""Keeping the commission policy (R-POL-1, R-POL-2): the admin writes a new version from the
current one; a version no project uses yet may still be corrected; a used one never changes.

The parameters are checked here, whatever page or command sends them: a ladder that does not
rise, a rate outside 0–100 %, a confirmation fee above the cap would each make every later
commission wrong, so each is refused with the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min

from huoban import clock
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.policy import may_manage_reference_data

from .models import PolicyVersion

ONE = Decimal("1")
RATE_FIELDS = (
    "renewal_bonus",
    "high_margin_bonus",
    "cap",
    "confirmation_rate",
    "override_rate",
    "liquidated_damages_rate",
)
TIERS = ("light", "deep", "strategic")


def _rate(value: Any) -> Decimal | None:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return rate if rate.is_finite() and 0 <= rate <= ONE else None


def parameter_errors(p: dict[str, Any]) -> dict[str, str]:
    """Field-level, bilingual errors of a version's parameters (empty when they hold)."""
    errors: dict[str, str] = {}
    bad_rate = "应为 0%～100% / a rate between 0% and 100%"
    for field in RATE_FIELDS:
        if _rate(p.get(field)) is None:
            errors[field] = bad_rate
    cap, confirmation = _rate(p.get("cap")), _rate(p.get("confirmation_rate"))
    if cap is not None and cap == 0:
        errors["cap"] = "上限不能为 0 / the cap cannot be 0"
    if cap is not None and confirmation is not None and confirmation > cap:
        errors["confirmation_rate"] = (
            "引荐确认金不能超过佣金上限 / the confirmation fee cannot exceed the cap"
        )
    uplift = p.get("tier_uplift") or {}
    if set(uplift) != set(TIERS) or any(_rate(v) is None for v in uplift.values()):
        errors["tier_uplift"] = bad_rate
    ladder = p.get("ladder") or []
    if not ladder:
        errors["ladder"] = "至少一档 / at least one step"
    else:
        uppers = [upper for upper, _rate_ in ladder]
        if uppers[-1] is not None or None in uppers[:-1]:
            errors["ladder"] = "最后一档须为“以上” / the last step is open-ended (above)"
        elif any(_rate(r) is None for _u, r in ladder):
            errors["ladder"] = bad_rate
        elif any(Decimal(a) >= Decimal(b) for a, b in pairwise(uppers[:-1])):
            errors["ladder"] = "上限须逐档递增 / the upper bounds must rise"
        elif uppers[:-1] and Decimal(uppers[0]) <= 0:
            errors["ladder"] = "上限须大于 0 / upper bounds are above 0"
    annual = p.get("annual_ladder") or []
    lowers = [lower for lower, _r in annual]
    if any(_rate(r) is None for _l, r in annual):
        errors["annual_ladder"] = bad_rate
    elif any(Decimal(a) >= Decimal(b) for a, b in pairwise(lowers)):
        errors["annual_ladder"] = "下限须逐档递增 / the lower bounds must rise"
    elif lowers and Decimal(lowers[0]) <= 0:
        errors["annual_ladder"] = "下限须大于 0 / lower bounds are above 0"
    for field, top in (("payout_business_days", 60), ("tail_years", 20)):
        value = p.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            errors[field] = f"应为 0～{top} 的整数 / a whole number from 0 to {top}"
    return errors


def _require(actor: User) -> None:
    if not may_manage_reference_data(actor):
        raise Forbidden("佣金政策由管理员维护 / the commission policy is kept by admins")


def _check(
    effective_from: dt.date,
    parameters: dict[str, Any],
    *,
    after: dt.date | None,
    before: dt.date | None = None,
) -> None:
    errors = parameter_errors(parameters)
    if effective_from <= clock.today():
        errors["effective_from"] = (
            "生效日须晚于今天（已签项目不受影响）/ "
            "the effective date must be after today (signed projects keep their terms)"
        )
    elif after is not None and effective_from <= after:
        errors["effective_from"] = (
            f"须晚于上一版本的生效日 {after} / must be after the previous version's {after}"
        )
    elif before is not None and effective_from >= before:
        errors["effective_from"] = (
            f"须早于下一版本的生效日 {before} / must be before the next version's {before}"
        )
    if errors:
        raise ValidationFailed(errors)


def _snapshot(version: PolicyVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "effective_from": version.effective_from.isoformat(),
        "parameters": version.parameters,
    }


@transaction.atomic(durable=True)
def create_policy_version(
    *, effective_from: dt.date, parameters: dict[str, Any], actor: User
) -> PolicyVersion:
    """A new version, numbered after the last, effective from a future date (R-POL-2)."""
    _require(actor)
    last = PolicyVersion.objects.select_for_update().order_by("-version").first()
    latest_start = PolicyVersion.objects.aggregate(m=Max("effective_from"))["m"]
    _check(effective_from, parameters, after=latest_start)
    version = PolicyVersion.objects.create(
        version=(last.version if last else 0) + 1,
        effective_from=effective_from,
        parameters=parameters,
        created_at=clock.now(),
    )
    record(actor, "policy.create", version, after=_snapshot(version))
    return version


@transaction.atomic(durable=True)
def update_policy_version(
    version_id: int, *, effective_from: dt.date, parameters: dict[str, Any], actor: User
) -> PolicyVersion:
    """Correct a version no project uses yet; a used one is refused (R-POL-2)."""
    _require(actor)
    version = PolicyVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise NotFound("没有这个政策版本 / no such policy version")
    if version.used:
        raise Conflict(
            f"v{version.version} 已有项目使用，不能修改 / v{version.version} is used by a project "
            "and never changes"
        )
    earlier = PolicyVersion.objects.filter(version__lt=version.version).aggregate(
        m=Max("effective_from")
    )["m"]
    later = PolicyVersion.objects.filter(version__gt=version.version).aggregate(
        m=Min("effective_from")
    )["m"]
    _check(effective_from, parameters, after=earlier, before=later)
    before = _snapshot(version)
    version.effective_from, version.parameters = effective_from, parameters
    version.save()
    record(actor, "policy.update", version, before=before, after=_snapshot(version))
    return version


def versions_with_use() -> Any:
    """Every version with the number of projects and agreements that use it."""
    return PolicyVersion.objects.annotate(
        project_count=Count("projects", distinct=True),
        agreement_count=Count("agreements", distinct=True),
    ).order_by("-version")
