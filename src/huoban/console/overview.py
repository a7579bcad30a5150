"""The partner overview in the console (合作伙伴总览, SPEC §10.1 R-PRF-3; R-UI-1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.performance.models import HealthAssessment, Risk
from huoban.profiles import report
from huoban.profiles.overview import COMPLEMENT_LABELS, DEPTH_LABELS, TYPE_LABELS, build
from huoban.web import staff_required


@staff_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Counts by type, depth, region and complementarity, and one row per partner."""
    filters = _filters(request)
    data = _build(request, filters)

    def counted(counter: Counter[str], labels: Mapping[str, Any]) -> list[tuple[str, Any, int]]:
        return [(key, labels.get(key, key), n) for key, n in sorted(counter.items())]

    return render(
        request,
        "console/overview.html",
        {
            "nav": "overview",
            "data": data,
            "filters": filters,
            "by_type": counted(data.by_type, TYPE_LABELS),
            "by_depth": counted(data.by_depth, DEPTH_LABELS),
            "by_region": counted(data.by_region, {}),
            "by_complementarity": counted(data.by_complementarity, COMPLEMENT_LABELS),
            "type_labels": TYPE_LABELS,
            "depth_labels": DEPTH_LABELS,
            "complement_labels": COMPLEMENT_LABELS,
            "reports": report.archived(),
            # R-HLTH-1: each partner's latest monthly health (the performance app's)
            "health": latest_health(),
            # R-RISK-1: live risks per partner
            "risks": dict(
                Risk.objects.live()
                .filter(partner__isnull=False)
                .values("partner_id")
                .annotate(n=Count("pk"))
                .values_list("partner_id", "n")
            ),
            "query": request.GET.urlencode(),
        },
    )


def latest_health() -> dict[int, HealthAssessment]:
    """Each partner's latest health assessment, in one query."""
    latest: dict[int, HealthAssessment] = {}
    for row in HealthAssessment.objects.order_by("partner_id", "-year", "-month"):
        latest.setdefault(row.partner_id, row)
    return latest


def _filters(request: HttpRequest) -> dict[str, str]:
    keys = ("type", "depth", "region", "complementarity")
    return {k: request.GET.get(k, "").strip() for k in keys}


def _build(request: HttpRequest, filters: Mapping[str, str]) -> Any:
    return build(
        request.user,
        clock.today(),
        type_=filters["type"],
        depth=filters["depth"],
        region=filters["region"],
        complementarity=filters["complementarity"],
    )


@staff_required
@require_GET
def overview_pdf(request: HttpRequest) -> HttpResponse:
    """The overview as it stands, with the page's filters, as a PDF (R-PRF-3)."""
    today = clock.today()
    pdf = report.render_pdf(_build(request, _filters(request)), title=str(today), as_of=today)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="overview-{today}.pdf"'
    return response


@staff_required
@require_GET
def overview_report(request: HttpRequest, name: str) -> HttpResponse:
    """A monthly report `huoban tick` wrote (R-PRF-3); only names it could have written."""
    if not report.REPORT_NAME.match(name):
        raise Http404
    path = report.reports_dir() / name
    if not path.is_file():
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
