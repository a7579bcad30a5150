"""Read-only questions other apps ask about projects (issue #11): the standing layer's tier
facts and the exit's hand-over list. No writes; the queries live with the models they read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max, Sum

from huoban.money import ZERO, cny
from huoban.partners.models import Partner

from .models import Project, Status


def signed_total(partner: Partner, first: dt.date, last: dt.date) -> Decimal:
    """Contract amounts of the partner's projects signed first..last, cancelled excluded."""
    total = (
        Project.objects.filter(partner=partner, signed_on__gte=first, signed_on__lte=last)
        .exclude(status=Status.CANCELLED)
        .aggregate(total=Sum("contract_amount"))["total"]
    )
    return cny(total or ZERO)


def last_signed_on(partner: Partner) -> dt.date | None:
    """The partner's latest signing that was not cancelled."""
    value: dt.date | None = (
        Project.objects.filter(partner=partner)
        .exclude(status=Status.CANCELLED)
        .aggregate(last=Max("signed_on"))["last"]
    )
    return value


def in_flight(partner: Partner) -> list[Project]:
    """Signed, neither accepted nor cancelled: the delivery to hand over (交接), oldest first."""
    return list(
        Project.objects.filter(partner=partner, status=Status.SIGNED)
        .select_related("customer")
        .order_by("signed_on", "id")
    )


def own_project(partner_id: int, project_id: int) -> Project | None:
    """The partner's project with this id; None for another partner's or an unknown one."""
    return Project.objects.filter(pk=project_id, partner_id=partner_id).first()
