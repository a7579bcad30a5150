"""Each partner's relationship at a glance (R-PRF-3 with R-HLTH-1, R-RISK-1, R-CRIS-6): its
latest health, its open risks and its open cases — the columns the partner overview and its
monthly PDF add to what the profiles know. Three grouped queries, whatever the number of
partners; the profiles sit below this app and take the columns as given."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.utils import translation

from .models import Case as CrisisCase
from .models import CaseStatus, Colour, HealthAssessment, Risk

#: (health as shown, e.g. "4.3 良好" or "", open risks, open cases)
Columns = tuple[str, int, int]


def latest_health() -> dict[int, HealthAssessment]:
    """Each partner's latest health assessment, in one query."""
    newest = (
        HealthAssessment.objects.filter(partner_id=OuterRef("partner_id"))
        .order_by("-year", "-month", "-pk")
        .values("pk")[:1]
    )
    rows = HealthAssessment.objects.filter(pk=Subquery(newest))
    return {row.partner_id: row for row in rows}


def columns() -> dict[int, Columns]:
    """Per partner: its latest health (overall and colour, in Chinese: the report's language),
    its live risks and its open cases. Partners with none of them are absent."""
    health = latest_health()
    risks = dict(
        Risk.objects.live()
        .filter(partner__isnull=False)
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    cases = dict(
        CrisisCase.objects.filter(status=CaseStatus.OPEN)
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    out: dict[int, Columns] = {}
    with translation.override("zh-hans"):
        labels = {code: str(label) for code, label in Colour.choices}
    for partner_id in set(health) | set(risks) | set(cases):
        h = health.get(partner_id)
        shown = f"{h.overall} {labels.get(h.colour, h.colour)}" if h is not None else ""
        out[partner_id] = (shown, risks.get(partner_id, 0), cases.get(partner_id, 0))
    return out
