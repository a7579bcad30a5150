"""Portal: the partner's commission ledger, its chain verification (R-LED-3), monthly
statements with their PDF and Excel downloads (R-LED-9), and recruited partners with the
override earned on them (R-LED-5).

The API serves the same statements to bearer tokens; these views serve them to the signed-in
partner user through the same ``commissions.statements`` functions. Only the partner's own
figures are ever shown (R-VIS-1, R-VIS-2).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, DateField, F, Q, Sum, When
from django.db.models.functions import ExtractMonth, ExtractYear, TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from huoban import clock
from huoban.commissions import ledger, statements
from huoban.commissions.models import EntryKind, LedgerEntry
from huoban.errors import Forbidden, ValidationFailed
from huoban.pagination import PAGE_SIZE, page_of, query_without_page
from huoban.partners.guards import require_data_exchange
from huoban.web import hx, partner_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _partner(request: HttpRequest) -> Any:
    return request.user.partner  # type: ignore[union-attr]


def _ledger_context(request: HttpRequest) -> dict[str, Any]:
    partner = _partner(request)
    entries = LedgerEntry.objects.visible_to(request.user).filter(partner=partner)
    return {
        "nav": "money",
        "tab": "ledger",
        "page": page_of(
            request, entries.select_related("project", "policy_version").order_by("-id")
        ),
        "totals": ledger.totals(entries),
        "chain_head": ledger.chain_head(partner),
        "query": query_without_page(request),
    }


@partner_required
@require_GET
def ledger_list(request: HttpRequest) -> HttpResponse:
    """The partner's ledger, newest entry first, with its totals and chain head."""
    return render(request, "portal/ledger.html", _ledger_context(request))


@partner_required
@require_http_methods(["POST"])
def ledger_verify(request: HttpRequest) -> HttpResponse:
    """Recompute the partner's hash chain (R-LED-3): ok, or the first entry that breaks it.

    With HTMX the result replaces the verify box; without, the ledger page shows it."""
    partner = _partner(request)
    result = ledger.verify_ledger(partner)[0].result
    context = {"verification": result, "stored_head": ledger.chain_head(partner)}
    if hx(request):
        return render(request, "portal/_verify.html", context)
    return render(request, "portal/ledger.html", _ledger_context(request) | context)


def _months(partner: Any) -> list[tuple[int, int]]:
    """Every month from the partner's start (or first entry) to this one, newest first."""
    today = clock.today()
    first_entry = LedgerEntry.objects.filter(partner=partner).order_by("earned_on").first()
    start = partner.created_at.astimezone(clock.local_tz()).date()
    if first_entry is not None and first_entry.earned_on < start:
        start = first_entry.earned_on
    months = []
    y, m = today.year, today.month
    while (y, m) >= (start.year, start.month):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return months


@partner_required
@require_GET
def statement_list(request: HttpRequest) -> HttpResponse:
    """The months with a statement, newest first, each with the entries booked in it (R-LED-10:
    the month an entry was recorded in, an adjustment the month it became effective)."""
    partner = _partner(request)
    page = Paginator(_months(partner), 24).get_page(request.GET.get("page"))
    booked = Case(
        When(kind=EntryKind.ADJUSTMENT, effective_on__isnull=False, then=F("effective_on")),
        default=TruncDate("created_at", tzinfo=clock.local_tz()),
        output_field=DateField(),
    )
    counts = {
        (r["y"], r["m"]): r
        for r in LedgerEntry.objects.filter(partner=partner)
        .counted()
        .annotate(booked=booked)
        .annotate(y=ExtractYear("booked"), m=ExtractMonth("booked"))
        .values("y", "m")
        .annotate(n=Count("id"), s=Sum("amount"))
    }
    rows = [
        {
            "year": y,
            "month": m,
            "label": f"{y:04d}-{m:02d}",
            "n": counts.get((y, m), {}).get("n", 0),
            "earned": counts.get((y, m), {}).get("s"),
        }
        for y, m in page.object_list
    ]
    return render(
        request,
        "portal/statement_list.html",
        {"nav": "money", "tab": "statements", "page": page, "rows": rows, "query": ""},
    )


def _statement(request: HttpRequest, year: str, month: str) -> statements.Statement:
    try:
        y, m = statements.parse_month(year=int(year), month=int(month))
    except ValidationFailed as e:  # a future or impossible month has no statement
        raise Http404 from e
    return statements.build_statement(_partner(request), y, m)


@partner_required
@require_GET
def statement_detail(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """One month's statement (R-LED-9): opening, entries, payouts, closing, chain head.

    The totals come from the whole statement; the entries are paged, since rendering each
    explanation is what made a busy month slow (bench/pages.py). Downloads keep every entry.
    """
    statement = _statement(request, year, month)
    page = Paginator(statement.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/statement_detail.html",
        {
            "nav": "money",
            "tab": "statements",
            "s": statement,
            "page": page,
            "query": query_without_page(request),
            "blocked": _blocked(request),
        },
    )


def _blocked(request: HttpRequest) -> str:
    """R-CRIS-3: why this partner may not download, or "" when it may."""
    try:
        require_data_exchange(request.user)
    except Forbidden as e:
        return e.message
    return ""


def _download(request: HttpRequest, year: str, month: str, ext: str) -> HttpResponse:
    blocked = _blocked(request)
    if blocked:
        context = {"nav": "money", "reason": blocked}
        return render(request, "portal/blocked.html", context, status=403)
    statement = _statement(request, year, month)
    if ext == "pdf":
        body, content_type = statements.render_pdf(statement), "application/pdf"
    else:
        body, content_type = statements.render_xlsx(statement), XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{statement.filename(ext)}"'
    return response


@partner_required
@require_GET
def statement_pdf(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """The statement as PDF, the same document as the API's ``….pdf``."""
    return _download(request, year, month, "pdf")


@partner_required
@require_GET
def statement_xlsx(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """The statement as Excel, the same workbook as the API's ``….xlsx``."""
    return _download(request, year, month, "xlsx")


@partner_required
@require_GET
def recruits(request: HttpRequest) -> HttpResponse:
    """Partners this partner recruited, and the override entries earned on them (R-LED-5)."""
    partner = _partner(request)
    overrides = LedgerEntry.objects.filter(partner=partner, kind=EntryKind.OVERRIDE)
    by_recruit = {
        r["project__partner"]: r["s"]
        for r in overrides.counted().values("project__partner").annotate(s=Sum("amount"))
    }
    recruited = partner.recruits.annotate(
        n_projects=Count("projects", filter=~Q(projects__status="cancelled"))
    ).order_by("code")
    recruit_page = Paginator(recruited, 20).get_page(request.GET.get("rpage"))
    for r in recruit_page.object_list:
        r.override_earned = by_recruit.get(r.pk)
    return render(
        request,
        "portal/recruits.html",
        {
            "nav": "money",
            "tab": "recruits",
            "recruit_page": recruit_page,
            "page": page_of(
                request,
                overrides.select_related("project__partner").order_by("-id"),
            ),
            "totals": ledger.totals(overrides),
            "query": query_without_page(request),
        },
    )
