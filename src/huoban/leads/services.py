"""Lead operations (SPEC §4)."""

from __future__ import annotations

from huoban import clock

from .models import OPEN_STATUSES, Lead


def flag_overdue_leads() -> int:
    """Mark open leads past their verdict due time as breached (R-LEAD-3); returns how many."""
    return Lead.objects.filter(
        status__in=OPEN_STATUSES, sla_due_at__lt=clock.now(), sla_breached=False
    ).update(sla_breached=True)
