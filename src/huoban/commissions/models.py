"""The commission ledger (佣金台账) and payouts. The terms they follow (policy versions, partner
agreements) are in :mod:`huoban.terms.models`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from huoban.audit.models import AppendOnlyError, AppendOnlyModel
from huoban.policy import money_scope


class EntryKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("引荐确认金")
    SETTLEMENT = "settlement", _("结算佣金")
    ANNUAL_BONUS = "annual_bonus", _("年度奖励")
    OVERRIDE = "override", _("推荐奖励")
    ADJUSTMENT = "adjustment", _("调整")
    LIQUIDATED_DAMAGES = "liquidated_damages", _("违约金")
    REVENUE_SHARE = "revenue_share", _("合作分成")  # R-RS-2: a co-delivery partner's share
    UNIT_COMMISSION = "unit_commission", _("按件佣金")  # R-UNIT-3: a month's units, net
    TRUE_UP = "true_up", _("达标补差")  # R-UNIT-2: the base target reached


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已支付")


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def counted(self) -> LedgerEntryQuerySet:
        """Entries that count towards what is owed: adjustments only once twice approved."""
        return self.filter(effective=True)

    def visible_to(self, user: Any) -> LedgerEntryQuerySet:
        """Finance and admin see every entry; a partner user its own partner's; other staff
        none (R-VIS-2, :func:`huoban.policy.money_scope`)."""
        scope = money_scope(user)
        if scope is None:
            return self.none()
        return self if scope == "all" else self.filter(partner_id=scope)


class PayoutQuerySet(models.QuerySet["Payout"]):
    def visible_to(self, user: Any) -> PayoutQuerySet:
        """As ledger entries: finance and admin all, a partner user its own (R-VIS-2)."""
        scope = money_scope(user)
        if scope is None:
            return self.none()
        return self if scope == "all" else self.filter(partner_id=scope)


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

    objects = PayoutQuerySet.as_manager()

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
        "terms.PolicyVersion", on_delete=models.PROTECT, related_name="ledger_entries"
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
            # The finance queues (issue #12, R-UI-3): what waits in a status, oldest earned first,
            # and its count and sum from the index alone (no pass over the whole table).
            models.Index(fields=["status", "earned_on", "id"], name="ledger_status_earned_idx"),
            models.Index(
                fields=["status", "effective", "kind", "amount"], name="ledger_status_amount_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.amount}"

    @property
    def owed_by_partner(self) -> bool:
        """A per-unit amount the partner owes us (R-LED-1, R-UNIT-1 `receivable`, seed 002):
        booked negative, shown as owed by the partner rather than as a deduction."""
        return self.kind in (EntryKind.UNIT_COMMISSION, EntryKind.TRUE_UP) and self.amount < 0

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
