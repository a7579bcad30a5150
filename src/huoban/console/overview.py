"""The partner overview in the console (合作伙伴总览, SPEC §10.1 R-PRF-3; R-UI-1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.performance.relations import columns, latest_health
from huoban.profiles import report
from huoban.profiles.overview import COMPLEMENT_LABELS, DEPTH_LABELS, TYPE_LABELS, build
from huoban.web import staff_required


@staff_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Counts by type, depth, region and complementarity, and one row per partner."""
    filters = _filters(request)
    data = _build(request, filters)
    relations = columns()

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
            # R-RISK-1, R-CRIS-6: live risks and open cases per partner
            "risks": {pk: c[1] for pk, c in relations.items() if c[1]},
            "cases": {pk: c[2] for pk, c in relations.items() if c[2]},
            "query": request.GET.urlencode(),
        },
    )


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
    data = _build(request, _filters(request))
    pdf = report.render_pdf(data, title=str(today), as_of=today, relations=columns())
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
