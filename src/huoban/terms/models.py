"""Commission terms (佣金政策): the policy versions (R-POL-1) and the partner agreements that pin
one (R-POL-2). The rules they parameterise are the pure functions in :mod:`huoban.terms.rules`.

This app sits below projects (a project locks the terms it is signed under) and below the
ledger (which applies them); it imports neither (docs/architecture.md). The tables keep their
original names (``commissions_policyversion``, ``commissions_partneragreement``): the models moved
here from the commissions app without touching the data (D-FRAME-11).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet
from huoban.terms import rules


class PolicyInUse(Exception):
    """A policy version that a project uses never changes (R-POL-2)."""


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def parameters_of(policy: rules.Policy) -> dict[str, Any]:
    """A rules.Policy as the JSON stored on a PolicyVersion row (Decimals as strings)."""
    return {
        "ladder": [[_dec(upper), str(rate)] for upper, rate in policy.ladder],
        "renewal_bonus": str(policy.renewal_bonus),
        "high_margin_bonus": str(policy.high_margin_bonus),
        "tier_uplift": {tier: str(rate) for tier, rate in policy.tier_uplift.items()},
        "cap": str(policy.cap),
        "confirmation_rate": str(policy.confirmation_rate),
        "payout_business_days": policy.payout_business_days,
        "annual_ladder": [[str(lower), str(rate)] for lower, rate in policy.annual_ladder],
        "override_rate": str(policy.override_rate),
        "tail_years": policy.tail_years,
        "liquidated_damages_rate": str(policy.liquidated_damages_rate),
        "clawback": policy.clawback,
        "demote_after_grace": policy.demote_after_grace,
        "renewal_kinds": sorted(policy.renewal_kinds),
    }


def policy_of(version: int, effective_from: dt.date, p: dict[str, Any]) -> rules.Policy:
    """The stored JSON back as a rules.Policy."""
    return rules.Policy(
        version=version,
        effective_from=effective_from,
        ladder=tuple(
            (None if upper is None else Decimal(upper), Decimal(rate))
            for upper, rate in p["ladder"]
        ),
        renewal_bonus=Decimal(p["renewal_bonus"]),
        high_margin_bonus=Decimal(p["high_margin_bonus"]),
        tier_uplift=MappingProxyType({k: Decimal(v) for k, v in p["tier_uplift"].items()}),
        cap=Decimal(p["cap"]),
        confirmation_rate=Decimal(p["confirmation_rate"]),
        payout_business_days=int(p["payout_business_days"]),
        annual_ladder=tuple((Decimal(lo), Decimal(rate)) for lo, rate in p["annual_ladder"]),
        override_rate=Decimal(p["override_rate"]),
        tail_years=int(p["tail_years"]),
        liquidated_damages_rate=Decimal(p["liquidated_damages_rate"]),
        clawback=bool(p.get("clawback", False)),
        demote_after_grace=bool(p.get("demote_after_grace", False)),
        renewal_kinds=frozenset(p.get("renewal_kinds", ["renewal", "increment", "iteration"])),
    )


class PolicyVersionQuerySet(ScopedQuerySet["PolicyVersion"]):
    """Whose rows: every signed-in user: the programme's published terms (R-VIS-1)."""

    partner_path = "*"


class PolicyVersion(models.Model):
    """One version of the commission policy (佣金政策版本, R-POL-1); frozen once used (R-POL-2)."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日"), db_index=True)
    parameters = models.JSONField(_("参数"))
    created_at = models.DateTimeField(_("创建时间"))

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        db_table = "commissions_policyversion"
        ordering = ["version"]
        verbose_name = _("佣金政策版本")
        verbose_name_plural = _("佣金政策版本")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.used:
            raise PolicyInUse(f"policy v{self.version} is used by a project and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.used:
            raise PolicyInUse(f"policy v{self.version} is used by a project and cannot change")
        return super().delete(*args, **kwargs)

    @property
    def used(self) -> bool:
        """True once any project is signed under this version."""
        if self.pk is None:
            return False
        return self.projects.exists()

    def to_policy(self) -> rules.Policy:
        return policy_of(self.version, self.effective_from, self.parameters)


class PartnerAgreementQuerySet(ScopedQuerySet["PartnerAgreement"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class PartnerAgreement(models.Model):
    """A partner's written agreement (合作协议) that may pin a policy version (R-POL-2)."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="agreements"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="agreements"
    )
    signed_on = models.DateField(_("签订日"))
    note = models.TextField(_("备注"), blank=True)

    objects = PartnerAgreementQuerySet.as_manager()

    class Meta:
        db_table = "commissions_partneragreement"
        ordering = ["partner", "-signed_on", "-id"]
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        indexes = [models.Index(fields=["partner", "signed_on"], name="agreement_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} → v{self.policy_version_id} ({self.signed_on})"
