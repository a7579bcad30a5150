"""The partner overview (合作伙伴总览, SPEC §10.1 R-PRF-3): counts by type, depth, region and
complementarity, and per partner its cooperation amount this year, open projects, criticality
and next review — the page that replaces seed 001's hand-written one. A fixed number of queries
whatever the number of partners."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from huoban.agreements.models import Agreement
from huoban.agreements.models import Status as AgreementStatus
from huoban.agreements.rules import add_months, last_anniversary
from huoban.partners.models import Partner, PartnerStatus, PartnerType
from huoban.projects.models import Project
from huoban.projects.models import Status as ProjectStatus
from huoban.sharing.models import ProjectShare

from .models import Complementarity, CriticalityAssessment, Depth, DepthDecision, PartnerProfile

TYPE_LABELS = {"referral": _("引荐伙伴"), **dict(PartnerType.choices)}
DEPTH_LABELS = {**dict(Depth.choices), "unconfirmed": _("未确认")}
COMPLEMENT_LABELS = {**dict(Complementarity.choices), "pending": _("待补充")}

#: The caller of :func:`build` for the monthly report `huoban tick` writes: every partner, as
#: staff see them (R-PRF-3).
PROGRAMME = object()


@dataclass
class Row:
    partner: Partner
    types: list[str]
    depth: str
    complementarity: str
    amount: Decimal
    open_projects: int
    grade: str
    next_review: dt.date | None


@dataclass
class Overview:
    rows: list[Row]
    by_type: Counter[str] = field(default_factory=Counter)
    by_depth: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_complementarity: Counter[str] = field(default_factory=Counter)
    total_amount: Decimal = Decimal("0")


def _latest(rows: Any, attr: str) -> dict[int, str]:
    """The newest value of ``attr`` per partner from rows ordered newest first."""
    out: dict[int, str] = {}
    for partner_id, value in rows.values_list("partner_id", attr):
        out.setdefault(partner_id, value)
    return out


def next_review(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> dt.date | None:
    """The next yearly review of an agreement (its next anniversary, R-AGR-3) before its end."""
    upcoming = add_months(last_anniversary(starts_on, today), 12)
    if today < starts_on:
        upcoming = add_months(starts_on, 12)
    return upcoming if upcoming < ends_on else None


def build(
    user: Any,
    today: dt.date,
    *,
    type_: str = "",
    depth: str = "",
    region: str = "",
    complementarity: str = "",
) -> Overview:
    scope = Partner.objects.all() if user is PROGRAMME else Partner.objects.visible_to(user)
    partners = list(scope.exclude(status=PartnerStatus.EXITED).order_by("code"))
    year = today.year
    live = Project.objects.exclude(status=ProjectStatus.CANCELLED)
    referred = dict(
        live.filter(signed_on__year=year)
        .values("partner_id")
        .annotate(s=Sum("contract_amount"))
        .values_list("partner_id", "s")
    )
    co_delivered = dict(
        ProjectShare.objects.filter(project__signed_on__year=year)
        .exclude(project__status=ProjectStatus.CANCELLED)
        .values("partner_id")
        .annotate(s=Sum("project__contract_amount"))
        .values_list("partner_id", "s")
    )
    open_projects = dict(
        live.filter(status=ProjectStatus.SIGNED)
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    grades = _latest(CriticalityAssessment.objects.order_by("-assessed_at", "-pk"), "grade")
    depths = _latest(DepthDecision.objects.order_by("-decided_at", "-pk"), "depth")
    complements = dict(PartnerProfile.objects.values_list("partner_id", "complementarity"))
    reviews: dict[int, dt.date] = {}
    in_force = Agreement.objects.filter(
        status=AgreementStatus.APPROVED, ends_on__gte=today
    ).values_list("partner_id", "starts_on", "ends_on")
    for partner_id, starts_on, ends_on in in_force:
        upcoming = next_review(starts_on, ends_on, today)
        if upcoming and (partner_id not in reviews or upcoming < reviews[partner_id]):
            reviews[partner_id] = upcoming
    overview = Overview(rows=[])
    for p in partners:
        row = Row(
            partner=p,
            types=list(p.types or []),
            depth=depths.get(p.pk, ""),
            complementarity=complements.get(p.pk, ""),
            amount=(referred.get(p.pk) or Decimal(0)) + (co_delivered.get(p.pk) or Decimal(0)),
            open_projects=open_projects.get(p.pk, 0),
            grade=grades.get(p.pk, ""),
            next_review=reviews.get(p.pk),
        )
        overview.by_type.update(row.types or ["referral"])
        overview.by_depth[row.depth or "unconfirmed"] += 1
        overview.by_region[p.region or "—"] += 1
        overview.by_complementarity[row.complementarity or "pending"] += 1
        if type_ and type_ not in (row.types or ["referral"]):
            continue
        if depth and row.depth != depth:
            continue
        if region and p.region != region:
            continue
        if complementarity and row.complementarity != complementarity:
            continue
        overview.rows.append(row)
        overview.total_amount += row.amount
    return overview
