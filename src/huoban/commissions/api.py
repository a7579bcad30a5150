"""Ledger endpoints (ARCHITECTURE §6; SPEC §7), mounted at the API root with full paths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status as Answer
from pydantic import Field

from huoban import money
from huoban.access import Forbidden, require_role
from huoban.accounts.models import Role
from huoban.errors import NotFound, ValidationFailed
from huoban.pagination import MAX_PAGE_SIZE, PageParams
from huoban.partners.guards import require_data_exchange
from huoban.partners.models import Partner
from huoban.policy import sees_partner_money
from huoban.projects.models import Project
from huoban.terms.models import PolicyVersion
from huoban.web import actor_of

from . import ledger, statements
from .models import LedgerEntry, Payout
from .schemas import EntryOut, LedgerOut, PayoutOut, SettlementOut, StatementOut, VerifyOut
from .settlement import settle_year

router = Router(tags=["ledger"])


class LedgerQuery(PageParams):
    year: int | None = Field(None, ge=2000, le=2100)
    # A ledger is read whole more often than not (statements, reconciliation): the largest page.
    page_size: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class VerifyQuery(Schema):
    partner: str | None = Field(None, max_length=16)


class PayoutIn(Schema):
    bank_reference: str = Field(min_length=1, max_length=100)
    paid_on: dt.date
    entry_ids: list[int] = Field(min_length=1, max_length=1000)


class AdjustmentIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    reverses: int | None = None
    project_id: int | None = None


def _partner_for_commission(user: Any, code: str) -> Partner:
    """The partner whose figures the caller may see: finance, admin, itself (R-VIS-2)."""
    partner = Partner.objects.visible_to(user).filter(code=code).first()
    if partner is None:
        raise NotFound("伙伴不存在 / No such partner.")
    if not sees_partner_money(user, partner.pk):
        raise Forbidden("无权查看佣金 / Your role may not see commissions.")
    return partner


def render_entry(entry: LedgerEntry, versions: dict[int, int] | None = None) -> dict[str, Any]:
    """One entry as the API shows it; `versions` (policy id → version number) spares a lookup
    of the policy per entry."""
    version = (
        versions[entry.policy_version_id] if versions is not None else entry.policy_version.version
    )
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "project_id": entry.project_id,
        "payment_id": entry.payment_id,
        "basis": money.fmt(entry.basis),
        "rate": money.fmt_rate(entry.rate),
        "amount": money.fmt(entry.amount),
        "earned_on": entry.earned_on,
        "due_on": entry.due_on,
        "due_estimated": entry.due_estimated,
        "status": entry.status,
        "effective": entry.effective,
        "policy_version": version,
        "reason": entry.reason,
        "reverses": entry.reverses_id,
        "payout_id": entry.payout_id,
        "explanation": entry.explanation,
        "hash": entry.hash,
    }


@router.get(
    "/partners/{code}/ledger",
    response=LedgerOut,
    summary="A partner's ledger (finance, admin, itself)",
)
def partner_ledger(request: HttpRequest, code: str, query: Query[LedgerQuery]) -> dict[str, Any]:
    partner = _partner_for_commission(request.user, code)
    # One table only: joined with the policies, a planner may walk the whole ledger by policy
    # (the big partners' pages took seconds at a million payments); the few versions are a map.
    entries = LedgerEntry.objects.visible_to(request.user).filter(partner=partner)
    if query.year is not None:
        entries = entries.filter(earned_on__year=query.year)
    page = query.window(entries.order_by("id"))
    versions = dict(PolicyVersion.objects.values_list("id", "version"))
    return {
        "items": [render_entry(e, versions) for e in page],
        "count": entries.count(),
        "totals": {k: money.fmt(v) for k, v in ledger.totals(entries).items()},
        "chain_head": ledger.chain_head(partner),
    }


@router.get(
    "/ledger/verify", response=VerifyOut, summary="Verify the ledger chains (finance, admin)"
)
def verify(request: HttpRequest, query: Query[VerifyQuery]) -> dict[str, Any]:

    require_role(request.user, Role.FINANCE)
    partner = None
    if query.partner:
        partner = Partner.objects.filter(code=query.partner).first()
        if partner is None:
            raise NotFound("伙伴不存在 / No such partner.")
    results = ledger.verify_ledger(partner)
    bad = next((r for r in results if not r.result.ok), None)
    if partner is not None:
        head = results[0].result.head
    else:
        head = ledger.combined_head(results)
    body: dict[str, Any] = {
        "ok": bad is None,
        "checked": sum(r.result.checked for r in results),
        "head": head,
        "chains": [
            {
                "partner_code": r.partner_code,
                "ok": r.result.ok,
                "checked": r.result.checked,
                "head": r.result.head,
            }
            for r in results
        ],
    }
    if bad is not None:
        body["first_bad"] = bad.result.first_bad
        body["first_bad_partner"] = bad.partner_code
        body["reason"] = bad.result.reason
    return body


@router.post(
    "/ledger/entries/{entry_id}/approve",
    response=EntryOut,
    summary="Approve an entry (finance; adjustments: finance and admin)",
)
def approve(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    entry = ledger.approve_entry(entry_id, actor=actor_of(request))
    return render_entry(LedgerEntry.objects.select_related("policy_version").get(pk=entry.pk))


@router.post(
    "/partners/{code}/adjustments",
    response={201: EntryOut},
    summary="Propose a reversing or adjusting entry (finance, admin)",
)
def adjust(request: HttpRequest, code: str, payload: AdjustmentIn) -> Answer:
    partner = _partner_for_commission(request.user, code)
    project = None
    if payload.project_id is not None:
        project = Project.objects.filter(pk=payload.project_id, partner=partner).first()
        if project is None:
            raise ValidationFailed({"project_id": "该伙伴没有此项目 / No such project."})
    entry = ledger.propose_adjustment(
        partner,
        actor=actor_of(request),
        reason=payload.reason,
        amount=payload.amount,
        reverses_id=payload.reverses,
        project=project,
    )
    return Answer(201, render_entry(entry))


def render_payout(payout: Payout) -> dict[str, Any]:
    return {
        "id": payout.pk,
        "partner_code": payout.partner.code,
        "bank_reference": payout.bank_reference,
        "paid_on": payout.paid_on,
        "total": money.fmt(payout.total),
        "fee": "0.00",
        "entry_ids": sorted(payout.entries.values_list("id", flat=True)),
    }


@router.post(
    "/partners/{code}/payouts",
    response={200: PayoutOut, 201: PayoutOut},
    summary="Pay approved entries with a bank reference (finance)",
)
def payout(request: HttpRequest, code: str, payload: PayoutIn) -> Answer:
    partner = _partner_for_commission(request.user, code)
    result, created = ledger.create_payout(
        partner,
        actor=actor_of(request),
        bank_reference=payload.bank_reference,
        paid_on=payload.paid_on,
        entry_ids=payload.entry_ids,
    )
    return Answer(201 if created else 200, render_payout(result))


# --- annual settlement (R-LED-6) and statements (R-LED-9) ------------------------------------


class AnnualSettlementIn(Schema):
    year: int = Field(ge=2000, le=2100)


@router.post(
    "/settlements/annual",
    response=SettlementOut,
    summary="Settle a finished year's annual bonuses (finance, admin); idempotent",
)
def annual_settlement(request: HttpRequest, payload: AnnualSettlementIn) -> dict[str, Any]:

    results = settle_year(payload.year, actor=actor_of(request))
    return {
        "year": payload.year,
        "items": [
            {
                "partner_code": r.partner_code,
                "performance": money.fmt(r.performance),
                "rate": money.fmt_rate(r.rate),
                "amount": money.fmt(r.amount),
                "created": r.created,
                "entry_id": r.entry.pk if r.entry is not None else None,
            }
            for r in results
        ],
    }


class StatementQuery(Schema):
    format: Literal["json", "pdf", "xlsx"] = "json"


class StatementMonthQuery(StatementQuery):
    month: str = Field(max_length=7)


def _statement(
    request: HttpRequest,
    code: str,
    year: int | None,
    month: int | None,
    fmt: str,
    text: str | None = None,
) -> Any:

    partner = _partner_for_commission(request.user, code)
    require_data_exchange(request.user)  # R-CRIS-3: no export while a breach is handled
    y, m = statements.parse_month(text, year=year, month=month)
    statement = statements.build_statement(partner, y, m)
    if fmt == "json":
        return statements.render_json(statement)
    if fmt == "pdf":
        body, content_type = statements.render_pdf(statement), "application/pdf"
    else:
        body, content_type = (
            statements.render_xlsx(statement),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{statement.filename(fmt)}"'
    return response


@router.get(
    "/partners/{code}/statements",
    response=StatementOut,
    summary="A partner's monthly statement, ?month=YYYY-MM (finance, admin, itself)",
)
def statement_by_query(request: HttpRequest, code: str, query: Query[StatementMonthQuery]) -> Any:
    return _statement(request, code, None, None, query.format, query.month)


@router.get(
    "/partners/{code}/statements/{int:year}-{int:month}",
    response=StatementOut,
    summary="A partner's monthly statement as JSON, or ?format=pdf|xlsx (finance, admin, itself)",
)
def statement(
    request: HttpRequest, code: str, year: int, month: int, query: Query[StatementQuery]
) -> Any:
    return _statement(request, code, year, month, query.format)


def _file(content_type: str) -> dict[str, Any]:
    """The OpenAPI entry of an answer that is a file, not JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"description": "OK", "content": {content_type: binary}}}}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/partners/{code}/statements/{int:year}-{int:month}.pdf",
    summary="A partner's monthly statement as PDF (finance, admin, itself)",
    openapi_extra=_file("application/pdf"),
)
def statement_pdf(request: HttpRequest, code: str, year: int, month: int) -> Any:
    return _statement(request, code, year, month, "pdf")


@router.get(
    "/partners/{code}/statements/{int:year}-{int:month}.xlsx",
    summary="A partner's monthly statement as Excel (finance, admin, itself)",
    openapi_extra=_file(XLSX),
)
def statement_xlsx(request: HttpRequest, code: str, year: int, month: int) -> Any:
    return _statement(request, code, year, month, "xlsx")
