"""Read-only questions other apps ask about leads (issue #11): the standing layer's tier facts.
No writes; the queries live with the models they read."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from huoban.partners.models import Partner

from .models import Lead, Status


def valid_submitted_between(
    partner: Partner, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """When the partner's valid leads were submitted, start ≤ submitted_at < end."""
    return list(
        Lead.objects.filter(
            partner=partner, status=Status.VALID, submitted_at__gte=start, submitted_at__lt=end
        ).values_list("submitted_at", flat=True)
    )


def last_valid_verdict_at(partner: Partner) -> dt.datetime | None:
    """When the partner's latest valid lead was judged valid."""
    value: dt.datetime | None = Lead.objects.filter(partner=partner, status=Status.VALID).aggregate(
        last=Max("verdict_at")
    )["last"]
    return value
