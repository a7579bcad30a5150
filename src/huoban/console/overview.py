"""The partner overview in the console (合作伙伴总览, SPEC §10.1 R-PRF-3; R-UI-1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from huoban import clock
from huoban.partners.models import PartnerType
from huoban.profiles.models import Complementarity, Depth
from huoban.profiles.overview import build
from huoban.web import staff_required

TYPE_LABELS = {"referral": _("引荐伙伴"), **dict(PartnerType.choices)}
DEPTH_LABELS = {**dict(Depth.choices), "unconfirmed": _("未确认")}
COMPLEMENT_LABELS = {**dict(Complementarity.choices), "pending": _("待补充")}


@staff_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Counts by type, depth, region and complementarity, and one row per partner."""
    filters = {
        k: request.GET.get(k, "").strip() for k in ("type", "depth", "region", "complementarity")
    }
    data = build(
        request.user,
        clock.today(),
        type_=filters["type"],
        depth=filters["depth"],
        region=filters["region"],
        complementarity=filters["complementarity"],
    )

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
        },
    )
