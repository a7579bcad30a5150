"""Bank-statement reconciliation in the console (SPEC §14, R-IMP-4; R-UI-1): finance uploads
the bank's export, sees each incoming line matched, suggested or unmatched with its reason,
confirms the chosen lines as payments in one step and names the project of the others."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.errors import DomainError, ValidationFailed
from huoban.imports.bank import assign_line, confirm_lines, upload_statement
from huoban.imports.models import BankLine, BankStatement, LineStatus
from huoban.pagination import page_of
from huoban.web import actor_of, in_language, mark_invalid, send

from .common import refused
from .finance import finance_required


class StatementForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("银行流水（网银导出的 .xlsx 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )


@finance_required
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest) -> HttpResponseBase:
    """The statements uploaded, newest first; upload another."""
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        sent = send(
            form, lambda _data: upload_statement(request.FILES["file"], actor=actor_of(request))
        )
        if sent.ok and sent.value is not None:
            return redirect("console:bank_statement", statement_id=sent.value.pk)
        status = refused(request, sent.refusal) if sent.refusal else 422
        return _list(request, form, status)
    return _list(request, form, 200)


def _list(request: HttpRequest, form: StatementForm, status: int) -> HttpResponse:
    rows = (
        BankStatement.objects.visible_to(request.user)
        .select_related("uploaded_by")
        .annotate(
            n=Count("lines"),
            open=Count("lines", filter=~Q(lines__status=LineStatus.RECORDED)),
        )
        .order_by("-uploaded_at", "-pk")
    )
    return render(
        request,
        "console/bank_statements.html",
        {
            "nav": "finance",
            "tab": "bank",
            "form": mark_invalid(form),
            "page": page_of(request, rows),
        },
        status=status,
    )


def _statement_or_404(request: HttpRequest, statement_id: int) -> BankStatement:
    found = BankStatement.objects.visible_to(request.user).filter(pk=statement_id).first()
    if found is None:
        raise Http404
    return found


@finance_required
@require_GET
def statement(request: HttpRequest, statement_id: int) -> HttpResponse:
    """A statement's lines: matched and suggested ones to confirm, the others to assign."""
    found = _statement_or_404(request, statement_id)
    lines = list(
        BankLine.objects.visible_to(request.user)
        .filter(statement=found)
        .select_related("project", "project__customer", "payment")
        .order_by("row")
    )
    counts = {
        value: sum(1 for line in lines if line.status == value) for value in LineStatus.values
    }
    return render(
        request,
        "console/bank_statement.html",
        {
            "nav": "finance",
            "tab": "bank",
            "statement": found,
            "lines": lines,
            "open_lines": [line for line in lines if line.status != LineStatus.RECORDED],
            "counts": [(value, label, counts[value]) for value, label in LineStatus.choices],
        },
    )


def _say(request: HttpRequest, exc: DomainError) -> None:
    """A refusal on the page: each line's or field's message, or the service's."""
    if isinstance(exc, ValidationFailed):
        for key, message in exc.errors.items():
            where = _("第 %(n)s 行：") % {"n": key[4:]} if key.startswith("row ") else ""
            messages.error(request, f"{where}{in_language(message)}")
    else:
        refused(request, exc)


@finance_required
@require_POST
def confirm(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Record the ticked lines as payments, all or none."""
    found = _statement_or_404(request, statement_id)
    ids = [int(v) for v in request.POST.getlist("line_ids") if v.isdigit()]
    ids = list(BankLine.objects.filter(statement=found, pk__in=ids).values_list("pk", flat=True))
    try:
        done = confirm_lines(ids, actor=actor_of(request))
    except DomainError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已入账 %(n)d 笔回款。") % {"n": len(done)})
    return redirect("console:bank_statement", statement_id=found.pk)


@finance_required
@require_POST
def assign(request: HttpRequest, statement_id: int, line_id: int) -> HttpResponse:
    """Name the project of a line by its id or contract number."""
    found = _statement_or_404(request, statement_id)
    if not BankLine.objects.filter(statement=found, pk=line_id).exists():
        raise Http404
    try:
        assign_line(line_id, project=request.POST.get("project", ""), actor=actor_of(request))
    except DomainError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已指定项目。"))
    return redirect("console:bank_statement", statement_id=found.pk)
