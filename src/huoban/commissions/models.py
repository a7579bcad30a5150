"""Commission policy versions (佣金政策), partner agreements, the ledger (佣金台账) and payouts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.audit.models import AppendOnlyError, AppendOnlyModel
from huoban.commissions import rules


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


class PolicyVersion(models.Model):
    """One version of the commission policy (佣金政策版本, R-POL-1); frozen once used (R-POL-2)."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日"), db_index=True)
    parameters = models.JSONField(_("参数"))
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
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
        from huoban.projects.models import Project

        return Project.objects.filter(policy_version_id=self.pk).exists()

    def to_policy(self) -> rules.Policy:
        return policy_of(self.version, self.effective_from, self.parameters)


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

    class Meta:
        ordering = ["partner", "-signed_on", "-id"]
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        indexes = [models.Index(fields=["partner", "signed_on"], name="agreement_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner_id} → v{self.policy_version_id} ({self.signed_on})"


class EntryKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("引荐确认金")
    SETTLEMENT = "settlement", _("结算佣金")
    ANNUAL_BONUS = "annual_bonus", _("年度奖励")
    OVERRIDE = "override", _("推荐奖励")
    ADJUSTMENT = "adjustment", _("调整")
    LIQUIDATED_DAMAGES = "liquidated_damages", _("违约金")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已支付")


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def counted(self) -> LedgerEntryQuerySet:
        """Entries that count towards what is owed: adjustments only once twice approved."""
        return self.filter(effective=True)


class Payout(models.Model):
    """A payout (付款) of approved entries to a partner with the bank's reference (R-LED-8)."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="payouts"
    )
    bank_reference = models.CharField(_("银行流水号"), max_length=100, unique=True)
    paid_on = models.DateField(_("付款日"))
    # The sum of the entries: no fee of any kind is deducted (不收取任何服务费).
    total = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("付款")
        verbose_name_plural = _("付款")

    def __str__(self) -> str:
        return f"{self.bank_reference} {self.total}"


def entry_payload(
    *,
    partner_id: int,
    kind: str,
    project_id: int | None,
    payment_id: int | None,
    basis: Decimal,
    rate: Decimal,
    amount: Decimal,
    earned_on: dt.date,
    due_on: dt.date,
    due_estimated: bool,
    policy_version_id: int,
    explanation: str,
    event_key: str,
    reason: str,
    reverses_id: int | None,
    created_at: dt.datetime,
) -> dict[str, Any]:
    """A ledger entry's hashed fields: UTC instants, ISO dates, Decimals as fixed-place strings.

    One function for :meth:`LedgerEntry.chain_payload` and the bulk rebuild, which hashes rows
    it never turns into model instances.
    """
    return {
        "partner": partner_id,
        "kind": kind,
        "project": project_id,
        "payment": payment_id,
        "basis": f"{Decimal(basis):.2f}",
        "rate": f"{Decimal(rate):.4f}",
        "amount": f"{Decimal(amount):.2f}",
        "earned_on": earned_on.isoformat(),
        "due_on": due_on.isoformat(),
        "due_estimated": due_estimated,
        "policy_version": policy_version_id,
        "explanation": explanation,
        "event_key": event_key,
        "reason": reason,
        "reverses": reverses_id,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
    }


class LedgerEntry(AppendOnlyModel):
    """One amount owed to a partner (佣金台账条目, R-LED-1), chained per partner (R-LED-3).

    Append-only: the hashed fields never change. Only the workflow columns — ``status``,
    ``payout``, the two approvals of an adjustment and ``effective`` — move, and only through
    :meth:`set_workflow`, which updates those columns alone; they are kept out of the hash
    because a payout or an approval is a fact about the entry, not part of what was earned.
    """

    # No single-column index on partner or project: the composite indexes below lead with them
    # (an index fewer to maintain on every append: the ledger is the largest table).
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,
    )
    kind = models.CharField(_("类型"), max_length=20, choices=EntryKind.choices)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        db_index=False,
    )
    payment = models.ForeignKey(
        "projects.CustomerPayment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    basis = models.DecimalField(_("基数"), max_digits=14, decimal_places=2)
    rate = models.DecimalField(_("费率"), max_digits=6, decimal_places=4)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    earned_on = models.DateField(_("计佣日"), db_index=True)
    due_on = models.DateField(_("到期日"))
    due_estimated = models.BooleanField(_("到期日为估算"), default=False)
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    explanation = models.TextField(_("计算说明"))
    event_key = models.CharField(_("事件键"), max_length=120)
    reason = models.TextField(_("调整原因"), blank=True)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    created_at = models.DateTimeField(_("创建时间"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    # Workflow columns, outside the hash (see the class docstring).
    status = models.CharField(
        _("状态"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    effective = models.BooleanField(_("已生效"), default=True)
    # The day an adjustment became effective (its second approval): the month whose statement
    # it counts in (R-LED-10); other entries count in the month they were booked (created_at).
    effective_on = models.DateField(_("生效日"), null=True, blank=True)
    finance_approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admin_approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payout = models.ForeignKey(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    objects = LedgerEntryQuerySet.as_manager()

    WORKFLOW_FIELDS = frozenset(
        {
            "status",
            "effective",
            "effective_on",
            "finance_approved_by",
            "admin_approved_by",
            "payout",
        }
    )

    class Meta:
        ordering = ["partner", "id"]
        verbose_name = _("台账条目")
        verbose_name_plural = _("台账条目")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "event_key"], name="%(app_label)s_%(class)s_event_once"
            ),
        ]
        indexes = [
            # A partner's figures (totals, by month, what is due next) from the index alone: a big
            # partner has tens of thousands of wide rows spread over the whole table.
            models.Index(
                fields=["partner", "earned_on", "effective", "status", "amount", "due_on"],
                name="ledger_partner_figures_idx",
            ),
            models.Index(fields=["project", "kind"], name="ledger_project_kind_idx"),
            models.Index(fields=["status"], name="ledger_status_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.amount}"

    def chain_payload(self) -> dict[str, Any]:
        """The hashed fields (see :func:`entry_payload`)."""
        return entry_payload(
            partner_id=self.partner_id,
            kind=self.kind,
            project_id=self.project_id,
            payment_id=self.payment_id,
            basis=self.basis,
            rate=self.rate,
            amount=self.amount,
            earned_on=self.earned_on,
            due_on=self.due_on,
            due_estimated=self.due_estimated,
            policy_version_id=self.policy_version_id,
            explanation=self.explanation,
            event_key=self.event_key,
            reason=self.reason,
            reverses_id=self.reverses_id,
            created_at=self.created_at,
        )

    def set_workflow(self, **changes: Any) -> None:
        """Move the workflow columns only (status, approvals, payout); nothing hashed."""
        unknown = set(changes) - self.WORKFLOW_FIELDS
        if unknown:
            raise AppendOnlyError(f"LedgerEntry fields {sorted(unknown)} are append-only")
        for name, value in changes.items():
            setattr(self, name, value)
        columns: dict[str, Any] = {}
        for name in changes:
            field = self._meta.get_field(name)
            attname = field.attname if isinstance(field, models.Field) else name
            columns[attname] = getattr(self, attname)
        type(self).objects.filter(pk=self.pk).update(**columns)
