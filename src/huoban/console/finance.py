"""Finance: entries to approve, payouts, the annual settlement and ledger verification
(R-LED-2, R-LED-3, R-LED-6, R-LED-8). Finance and admin only (R-VIS-2); other staff get 403."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban import clock
from huoban.audit.services import verify_audit_log
from huoban.commissions import ledger
from huoban.commissions.models import EntryKind, EntryStatus, LedgerEntry, Payout
from huoban.commissions.settlement import settle_year
from huoban.errors import DomainError, ValidationFailed
from huoban.explain import yuan
from huoban.pagination import page_of, query_without_page
from huoban.partners.models import Partner
from huoban.policy import sees_money
from huoban.web import View, actor_of, in_language, mark_invalid, send, staff_required

from .common import Column, ask_first, confirmed, exported, forbidden, refused
from .forms import AdjustmentForm, PayoutForm, SettlementForm


def finance_required(view: View) -> View:
    """Staff without finance (or admin) get a 403 page that says why (R-VIS-2)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sees_money(request.user):
            return forbidden(request, "finance", _("佣金与付款信息仅财务和管理员可见。"))
        return view(request, *args, **kwargs)

    return staff_required(wrapper)


def _entry_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("entry_ids") if v.isdigit()]


#: R-IMP-5: ledger entries as the approvals page shows them, with their explanation.
ENTRY_COLUMNS = [
    Column("#", lambda e: e.pk),
    Column(gettext_lazy("伙伴编号"), lambda e: e.partner.code),
    Column(gettext_lazy("伙伴"), lambda e: e.partner.name),
    Column(gettext_lazy("类型"), lambda e: str(e.get_kind_display())),
    Column(gettext_lazy("项目"), lambda e: e.project.title if e.project else ""),
    Column(gettext_lazy("基数"), lambda e: e.basis),
    Column(gettext_lazy("费率"), lambda e: e.rate),
    Column(gettext_lazy("金额"), lambda e: e.amount),
    Column(gettext_lazy("计佣日"), lambda e: e.earned_on),
    Column(gettext_lazy("到期日"), lambda e: e.due_on),
    Column(gettext_lazy("计算说明"), lambda e: e.explanation),
]
#: R-IMP-5: the payouts, as the payouts page lists them.
PAYOUT_COLUMNS = [
    Column(gettext_lazy("付款日"), lambda p: p.paid_on),
    Column(gettext_lazy("伙伴编号"), lambda p: p.partner.code),
    Column(gettext_lazy("伙伴"), lambda p: p.partner.name),
    Column(gettext_lazy("银行流水号"), lambda p: p.bank_reference),
    Column(gettext_lazy("金额"), lambda p: p.total),
    Column(gettext_lazy("经办"), lambda p: str(p.created_by) if p.created_by else ""),
]


@finance_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponseBase:
    """Pending entries, oldest earned first (R-LED-2)."""
    entries = (
        LedgerEntry.objects.visible_to(request.user)
        .filter(status=EntryStatus.PENDING)
        .select_related("partner", "project")
        .order_by("earned_on", "id")
    )
    download = exported(
        request, entries, ENTRY_COLUMNS, name="ledger-pending", title=_("待审批佣金")
    )
    if download is not None:
        return download
    pending = entries.aggregate(n=Count("id"), s=Sum("amount"))
    return render(
        request,
        "console/finance_approvals.html",
        {
            "nav": "finance",
            "tab": "approvals",
            "page": page_of(request, entries),
            "query": query_without_page(request),
            "pending": pending,
        },
    )


@finance_required
@require_POST
def approve(request: HttpRequest) -> HttpResponse:
    """Approve the selected pending entries through the service, one by one."""
    ids = _entry_ids(request)
    if not ids:
        messages.error(request, _("请至少选择一条。"))
        return redirect("console:finance")
    done = 0
    for entry_id in ids:
        try:
            entry = ledger.approve_entry(entry_id, actor=actor_of(request))
        except DomainError as e:
            messages.error(request, f"#{entry_id}: {in_language(e.message)}")
        else:
            done += entry.status == EntryStatus.APPROVED
    if done:
        messages.success(request, _("已审批 %(n)d 条。") % {"n": done})
    return redirect("console:finance")


PARTNERS_PER_PAGE = 50


def _payouts_page(
    request: HttpRequest,
    partner: Partner | None,
    form: PayoutForm | None = None,
    selected: list[int] | None = None,
    status: int = 200,
) -> HttpResponse:
    approved = LedgerEntry.objects.visible_to(request.user).filter(
        status=EntryStatus.APPROVED, effective=True
    )
    by_partner = (
        approved.order_by("partner__code")
        .values("partner__code", "partner__name")
        .annotate(n=Count("id"), s=Sum("amount"))
    )
    context: dict[str, Any] = {
        "nav": "finance",
        "tab": "payouts",
        "page_url": reverse("console:payouts")
        + (f"?partner={partner.code}" if partner is not None else ""),
        # Every partner with approved entries, 50 a page (``?ppage=``), none silently left out.
        "by_partner": page_of(request, by_partner, PARTNERS_PER_PAGE, param="ppage"),
        "partners_query": query_without_page(request, "ppage"),
        "partner": partner,
        "form": mark_invalid(form or PayoutForm(initial={"paid_on": clock.today()})),
        "selected": set(selected or []),
        "page": page_of(
            request,
            Payout.objects.visible_to(request.user)
            .select_related("partner", "created_by")
            .order_by("-paid_on", "-id"),
        ),
        "query": query_without_page(request),
    }
    if partner is not None:
        context["entries"] = (
            approved.filter(partner=partner).select_related("project").order_by("earned_on", "id")
        )
    return render(request, "console/finance_payouts.html", context, status=status)


def _partner(code: str) -> Partner:
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise Http404
    return partner


@finance_required
@require_GET
def payouts(request: HttpRequest) -> HttpResponseBase:
    """Approved entries by partner; choose a partner, tick entries, pay (R-LED-8). The export
    is the payouts made (R-IMP-5)."""
    made = (
        Payout.objects.visible_to(request.user)
        .select_related("partner", "created_by")
        .order_by("-paid_on", "-id")
    )
    download = exported(request, made, PAYOUT_COLUMNS, name="payouts", title=_("付款记录"))
    if download is not None:
        return download
    code = request.GET.get("partner", "")
    return _payouts_page(request, _partner(code) if code else None)


@finance_required
@require_POST
def payout_create(request: HttpRequest, code: str) -> HttpResponse:
    """Create a payout with a bank reference over the ticked approved entries; no fee."""
    partner = _partner(code)
    form = PayoutForm(request.POST)
    ids = _entry_ids(request)
    payable = LedgerEntry.objects.filter(
        partner=partner, pk__in=ids, status=EntryStatus.APPROVED, effective=True
    ).aggregate(n=Count("id"), s=Sum("amount"))
    if form.is_valid() and ids and payable["n"] == len(set(ids)) and not confirmed(request):
        return ask_first(
            request,
            nav="finance",
            title=_("付款"),
            lines=[
                _("向 %(name)s（%(code)s）付款 %(n)d 条，合计 ¥%(total)s，不收手续费。")
                % {
                    "name": partner.name,
                    "code": partner.code,
                    "n": payable["n"],
                    "total": yuan(payable["s"]),
                },
                _("银行流水号 %(ref)s，付款日 %(on)s。")
                % {
                    "ref": form.cleaned_data["bank_reference"].strip(),
                    "on": form.cleaned_data["paid_on"].isoformat(),
                },
                _("这些条目将标为已支付，并出现在伙伴的对账单上。"),
            ],
            cancel_url=f"{reverse('console:payouts')}?partner={partner.code}",
            button=_("确认付款"),
        )
    sent = send(
        form,
        lambda data: ledger.create_payout(
            partner,
            actor=actor_of(request),
            bank_reference=data["bank_reference"],
            paid_on=data["paid_on"],
            entry_ids=ids,
        ),
    )
    if sent.refusal:
        return _payouts_page(request, partner, form, ids, status=refused(request, sent.refusal))
    if sent.ok:
        payout, created = sent.value
        if created:
            messages.success(
                request,
                _("已付款 ¥%(total)s（%(ref)s）。")
                % {"total": payout.total, "ref": payout.bank_reference},
            )
        else:
            messages.info(request, _("该银行流水已登记过，未重复付款。"))
        return redirect("console:payouts")
    return _payouts_page(request, partner, form, ids, status=422)


@finance_required
@require_http_methods(["GET", "POST"])
def settlement(request: HttpRequest) -> HttpResponse:
    """Run the annual settlement of a finished year and show its lines (R-LED-6)."""
    results = None
    status = 200
    if request.method == "POST":
        form = SettlementForm(request.POST)
        sent = send(form, lambda data: settle_year(data["year"], actor=actor_of(request)))
        if sent.refusal:
            status = refused(request, sent.refusal)
        elif sent.ok:
            results = sent.value
            created = sum(1 for r in results if r.created)
            messages.success(
                request,
                _("%(year)d 年度结算完成：新增 %(n)d 条年度奖励。")
                % {"year": form.cleaned_data["year"], "n": created},
            )
        else:
            status = 422
    else:
        form = SettlementForm(initial={"year": clock.today().year - 1})
    rows = [r for r in results if r.performance > 0] if results is not None else None
    return render(
        request,
        "console/finance_settlement.html",
        {"nav": "finance", "tab": "settlement", "form": mark_invalid(form), "results": rows},
        status=status,
    )


@finance_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    """Verify every partner's hash chain (R-LED-3): ok, or the first bad entry; or, with
    ``check=audit``, the audit log's chain and its stored head (issue #10)."""
    results = None
    audit = None
    names: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("check") == "audit":
        audit = verify_audit_log()
    elif request.method == "POST":
        results = ledger.verify_ledger()
        names = dict(
            Partner.objects.filter(code__in=[r.partner_code for r in results]).values_list(
                "code", "name"
            )
        )
    return render(
        request,
        "console/finance_verify.html",
        {
            "nav": "finance",
            "tab": "verify",
            "results": results,
            "audit": audit,
            "rows": [(r, names.get(r.partner_code, "")) for r in results or []],
            "bad": sum(1 for r in results if not r.result.ok) if results else 0,
            "combined": ledger.combined_head(results) if results else "",
        },
    )


# --- reversing adjustments (R-LED-2) ---------------------------------------------------------


def _adjustments_page(
    request: HttpRequest,
    form: AdjustmentForm | None = None,
    preview: ledger.AdjustmentCheck | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {k: request.GET[k] for k in ("partner", "reverses") if request.GET.get(k)}
    entries = (
        LedgerEntry.objects.visible_to(request.user)
        .filter(kind=EntryKind.ADJUSTMENT)
        .select_related(
            "partner", "project", "reverses", "finance_approved_by", "admin_approved_by"
        )
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "console/finance_adjustments.html",
        {
            "nav": "finance",
            "tab": "adjustments",
            "page": page_of(request, entries),
            "query": query_without_page(request),
            "form": mark_invalid(form or AdjustmentForm(initial=initial)),
            "preview": preview,
        },
        status=status,
    )


@finance_required
@require_http_methods(["GET", "POST"])
def adjustments(request: HttpRequest) -> HttpResponse:
    """Reversing and adjusting entries: propose one (a preview says what it will book, then
    确认提交), and each one's two approvals, finance and admin (R-LED-2)."""
    if request.method == "GET":
        return _adjustments_page(request)
    form = AdjustmentForm(request.POST)
    actor = actor_of(request)

    def act(data: dict[str, Any]) -> Any:
        partner = Partner.objects.filter(code=data["partner"]).first()
        if partner is None:
            raise ValidationFailed({"partner": "没有这个伙伴 / No such partner."})
        args = {
            "actor": actor,
            "reason": data["reason"],
            "amount": data["amount"],
            "reverses_id": data["reverses"],
        }
        if not data["confirm"]:
            return ledger.check_adjustment(partner, **args)
        return ledger.propose_adjustment(partner, **args)

    sent = send(form, act)
    if sent.ok and isinstance(sent.value, ledger.AdjustmentCheck):
        confirmed = AdjustmentForm(initial={**form.cleaned_data, "confirm": True})
        for field in ("partner", "reverses", "amount", "reason"):  # what was previewed is sent
            confirmed.fields[field].widget.attrs["readonly"] = True
        return _adjustments_page(request, confirmed, preview=sent.value)
    if sent.ok:
        entry = sent.value
        messages.success(
            request,
            _("已提交调整 #%(id)d（¥%(amount)s）：财务与管理员各批准一次后生效。")
            % {"id": entry.pk, "amount": yuan(entry.amount)},
        )
        return redirect("console:adjustments")
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _adjustments_page(request, form, status=status)


@finance_required
@require_POST
def adjustment_approve(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One of the two approvals of an adjustment: finance's or admin's, never the same person's
    twice (R-LED-2)."""
    entry = (
        LedgerEntry.objects.visible_to(request.user)
        .filter(pk=entry_id, kind=EntryKind.ADJUSTMENT)
        .first()
    )
    if entry is None:
        raise Http404
    try:
        entry = ledger.approve_entry(entry.pk, actor=actor_of(request))
    except DomainError as e:
        return _adjustments_page(request, status=refused(request, e))
    if entry.effective:
        messages.success(request, _("调整 #%(id)d 已生效。") % {"id": entry.pk})
    else:
        messages.success(request, _("已批准调整 #%(id)d，等待另一方批准。") % {"id": entry.pk})
    return redirect("console:adjustments")
