"""The console's home (工作台): each role's own queues with what is due, one card a queue, and
the links to work them (R-UI-1: navigation by role). A fixed handful of COUNT queries, whatever
the data (R-UI-3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.agreements.models import Agreement
from huoban.agreements.models import Status as AgreementStatus
from huoban.agreements.services import waits_too_long
from huoban.commissions.models import EntryKind, EntryStatus, LedgerEntry
from huoban.credit.models import CreditReview, ReviewStatus
from huoban.leads.models import OPEN_STATUSES, Lead, Status
from huoban.partners.models import (
    OPEN_INQUIRY_STATUSES,
    ApplicationStatus,
    CompanyViolation,
    CompanyViolationStatus,
    Partner,
    PartnerInquiry,
    PartnerStatus,
    TierApplication,
)
from huoban.performance.models import Case, CaseStatus, Risk
from huoban.policy import (
    may_decide_company_violations,
    may_judge_leads,
    may_manage_partners,
    may_manage_staff,
    sees_money,
)
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus
from huoban.sharing.models import SchemeStatus, ShareScheme
from huoban.web import staff_required


@dataclass(frozen=True)
class Card:
    """One queue on the home page: how many wait, how many are late, where to work them."""

    title: str | Promise
    count: int
    url: str
    late: int = 0
    late_label: str | Promise = ""
    amount: Decimal | None = None
    note: str | Promise = ""


def _lead_cards(user: User) -> list[Card]:
    now = clock.now()
    leads = Lead.objects.visible_to(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        late=Count("id", filter=Q(status__in=OPEN_STATUSES, sla_due_at__lt=now)),
        appealed=Count("id", filter=Q(status=Status.APPEALED)),
        late_review=Count(
            "id", filter=Q(status=Status.APPEALED, second_review_due_on__lt=clock.today())
        ),
    )
    return [
        Card(
            _("待研判线索"),
            leads["open"],
            reverse("console:queue"),
            leads["late"],
            _("超过 24 小时"),
        ),
        Card(
            _("申诉复核"),
            leads["appealed"],
            reverse("console:reviews"),
            leads["late_review"],
            _("已过复核期限"),
        ),
    ]


def _partner_cards(user: User) -> list[Card]:
    today = clock.today()
    inquiries = PartnerInquiry.objects.visible_to(user).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_INQUIRY_STATUSES)),
        late=Count("id", filter=Q(status="new", contact_due_on__lt=today)),
    )
    applications = TierApplication.objects.visible_to(user).aggregate(
        open=Count("id", filter=Q(status=ApplicationStatus.PENDING)),
        late=Count("id", filter=Q(status=ApplicationStatus.PENDING, due_on__lt=today)),
    )
    cases = Case.objects.visible_to(user).aggregate(
        open=Count("id", filter=Q(status=CaseStatus.OPEN)),
        late=Count("id", filter=Q(status=CaseStatus.OPEN, due_on__lt=today)),
    )
    risks = Risk.objects.visible_to(user).live().filter(next_review__lt=today).count()
    return [
        Card(
            _("处理中的危机事件"),
            cases["open"],
            reverse("console:cases"),
            cases["late"],
            _("已过到期日"),
        ),
        Card(
            _("已过复核日的风险"),
            risks,
            reverse("console:cases") + "#late-risks",
            note=_("高风险 5 个工作日内应对，中风险每月、低风险每季度复核"),
        ),
        Card(
            _("合作申请"),
            inquiries["open"],
            reverse("console:inquiries"),
            inquiries["late"],
            _("超过 2 个工作日未联系"),
        ),
        Card(
            _("战略伙伴申请"),
            applications["open"],
            reverse("console:applications"),
            applications["late"],
            _("超过 5 个工作日未答复"),
        ),
    ]


def _money_cards(user: User) -> list[Card]:
    # Three filtered aggregates, each read from the ledger's status indexes.
    entries = LedgerEntry.objects.visible_to(user)
    pending = (
        entries.filter(status=EntryStatus.PENDING)
        .exclude(kind=EntryKind.ADJUSTMENT)
        .aggregate(n=Count("id"), s=Sum("amount"))
    )
    payable = entries.filter(status=EntryStatus.APPROVED, effective=True).aggregate(
        n=Count("id"),
        s=Sum("amount"),
        overdue=Count("id", filter=Q(due_on__lt=clock.today())),
    )
    adjustments = entries.filter(status=EntryStatus.PENDING, kind=EntryKind.ADJUSTMENT).count()
    return [
        Card(_("待审批佣金"), pending["n"], reverse("console:finance"), amount=pending["s"]),
        Card(
            _("待付款"),
            payable["n"],
            reverse("console:payouts"),
            payable["overdue"],
            _("已过付款期限"),
            amount=payable["s"],
        ),
        Card(
            _("待批准的冲销调整"),
            adjustments,
            reverse("console:adjustments"),
            note=_("财务与管理员各批准一次"),
        ),
    ]


def _pm_cards(user: User) -> list[Card]:
    mine = Project.objects.visible_to(user).filter(
        project_manager=user, status=ProjectStatus.SIGNED
    )
    return [
        Card(
            _("我负责的在途项目"),
            mine.count(),
            f"{reverse('console:projects')}?status=signed",
        )
    ]


def _admin_cards(user: User) -> list[Card]:
    staff = User.objects.filter(role__in=STAFF_ROLES).aggregate(
        total=Count("id", filter=Q(is_active=True)),
        waiting=Count("id", filter=Q(is_active=True, must_change_password=True)),
    )
    return [
        Card(
            _("伙伴报告的我方违约"),
            CompanyViolation.objects.visible_to(user)
            .filter(status=CompanyViolationStatus.REPORTED)
            .count(),
            f"{reverse('console:partners')}",
            note=_("在伙伴页面确认或驳回"),
        ),
        Card(
            _("员工账号"),
            staff["total"],
            reverse("console:staff"),
            staff["waiting"],
            _("待修改初始密码"),
        ),
    ]


def _agreement_cards(user: User, status: str, title: Any) -> list[Card]:
    """Legal's drafts to review, the gm's reviewed agreements to approve (R-AGR-2); late after
    10 business days (R-AGR-3)."""
    waiting = list(Agreement.objects.visible_to(user).filter(status=status))
    today = clock.today()
    late = sum(1 for a in waiting if waits_too_long(a, today))
    return [
        Card(
            title,
            len(waiting),
            f"{reverse('console:agreements')}?status={status}",
            late,
            _("等待超过 10 个工作日"),
        )
    ]


@staff_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """工作台: the signed-in role's queues."""
    user: Any = request.user
    cards: list[Card] = []
    if may_judge_leads(user):
        cards += _lead_cards(user)
    if may_manage_partners(user):
        cards += _partner_cards(user)
    if user.has_role(Role.PM) and user.role != Role.ADMIN:
        cards += _pm_cards(user)
    if sees_money(user):
        cards += _money_cards(user)
    if user.role == Role.LEGAL:
        cards += _agreement_cards(user, AgreementStatus.DRAFT, _("待审核的协议"))
    if user.role == Role.GM:
        cards += _agreement_cards(user, AgreementStatus.REVIEWED, _("待审批的协议"))
        # R-AGR-2: new partners waiting for the gm's approval.
        waiting = (
            Partner.objects.visible_to(user)
            .filter(approved_at__isnull=True)
            .exclude(status=PartnerStatus.EXITED)
            .count()
        )
        cards.append(
            Card(_("待批准的新伙伴"), waiting, f"{reverse('console:partners')}?approval=pending")
        )
        # R-RS-1: revenue-share schemes proposed and not yet decided, by project.
        proposed = ShareScheme.objects.filter(status=SchemeStatus.PROPOSED)
        first = proposed.order_by("project_id").values_list("project_id", flat=True).first()
        cards.append(
            Card(
                _("待批准的分成方案"),
                proposed.count(),
                reverse("console:project", kwargs={"project_id": first}) + "#schemes"
                if first
                else reverse("console:projects"),
            )
        )
        # R-CRED-2: credit limits above 1,000,000.00 waiting for the gm (授信审批).
        pending = CreditReview.objects.visible_to(user).filter(status=ReviewStatus.PENDING)
        customer = pending.order_by("recorded_at").values_list("customer_id", flat=True).first()
        cards.append(
            Card(
                _("待审批的大额授信"),
                pending.count(),
                reverse("console:customer_credit", kwargs={"customer_id": customer})
                if customer
                else reverse("console:lookup"),
            )
        )
    if may_decide_company_violations(user) and may_manage_staff(user):
        cards += _admin_cards(user)
    return render(request, "console/home.html", {"nav": "home", "cards": cards})
