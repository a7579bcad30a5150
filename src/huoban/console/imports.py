"""Imports in the console (SPEC §14, R-IMP-1; R-UI-1): upload a file of a kind, see every row
checked — the bad rows with their column and message — and confirm a clean file, which is then
applied all or nothing; the history of imports; the template of each kind to download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.imports.blanks import template_csv, template_xlsx
from huoban.imports.kinds import KINDS
from huoban.imports.models import ImportKind, ImportRun
from huoban.imports.services import apply_checked, check_upload
from huoban.pagination import page_of
from huoban.policy import may_import
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused

NAV = "imports"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("导入什么"), choices=ImportKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    file = forms.FileField(
        label=gettext_lazy("文件（.xlsx 或 .csv，≤30 MB）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in ImportKind.choices if may_import(user, v)]


def _no(request: HttpRequest) -> HttpResponse:
    return forbidden(
        request,
        NAV,
        _(
            "数据导入由录入同类数据的岗位使用：回款由财务，项目由伙伴关系官或项目经理，伙伴、客户和记分卡由伙伴关系官。"
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """Upload and check a file; the history below."""
    if not may_import(request.user):
        return _no(request)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        sent = send(
            form,
            lambda data: check_upload(data["kind"], request.FILES["file"], actor=actor_of(request)),
        )
        if sent.ok and sent.value is not None:
            return redirect("console:import_run", run_id=sent.value.run_id)
        return _page(request, form, refused(request, sent.refusal) if sent.refusal else 422)
    return _page(request, form, 200)


def _page(request: HttpRequest, form: UploadForm, status: int) -> HttpResponse:
    mine = [kind for kind in KINDS if may_import(request.user, kind)]
    runs = ImportRun.objects.visible_to(request.user).filter(kind__in=mine).select_related("actor")
    return render(
        request,
        "console/imports.html",
        {
            "nav": NAV,
            "form": mark_invalid(form),
            "page": page_of(request, runs.order_by("-started_at", "-pk")),
            "kinds": [
                (ImportKind(k.name).label, k)
                for k in KINDS.values()
                if may_import(request.user, k.name)
            ],
        },
        status=status,
    )


def _run_or_404(request: HttpRequest, run_id: int) -> ImportRun:
    """A run of a kind the user imports (another kind's runs are another role's data)."""
    run = (
        ImportRun.objects.visible_to(request.user).select_related("actor").filter(pk=run_id).first()
    )
    if run is None or not may_import(request.user, run.kind):
        raise Http404
    return run


@staff_required
@require_GET
def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """One check or import: its summary, every bad row, and the confirmation of a clean check."""
    if not may_import(request.user):
        return _no(request)
    run = _run_or_404(request, run_id)
    applied_later = (
        ImportRun.objects.filter(
            kind=run.kind, sha256=run.sha256, applied=True, started_at__gte=run.started_at
        )
        .order_by("started_at")
        .first()
    )
    may_confirm = (
        run.dry_run
        and not run.failed
        and not run.errors
        and bool(run.file)
        and applied_later is None
        and may_import(request.user, run.kind)
    )
    return render(
        request,
        "console/import_run.html",
        {"nav": NAV, "run": run, "may_confirm": may_confirm, "applied_later": applied_later},
    )


@staff_required
@require_POST
def import_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    """Confirm a clean check: the file is imported all or nothing."""
    if not may_import(request.user):
        return _no(request)
    run = _run_or_404(request, run_id)
    sent = send(
        forms.Form(request.POST), lambda _data: apply_checked(run.pk, actor=actor_of(request))
    )
    if sent.refusal is not None:
        refused(request, sent.refusal)
        return redirect("console:import_run", run_id=run.pk)
    assert sent.value is not None
    return redirect("console:import_run", run_id=sent.value.run_id)


@staff_required
@require_GET
def import_template(request: HttpRequest, kind: str, ext: str) -> HttpResponse:
    """The template of a kind, .xlsx with an example and notes or .csv with the headers."""
    found = KINDS.get(kind)
    if found is None or ext not in ("xlsx", "csv"):
        raise Http404
    if not may_import(request.user, kind):
        return _no(request)
    if ext == "xlsx":
        body, mime = (
            template_xlsx(found),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        body, mime = template_csv(found), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename=huoban-{kind}-template.{ext}"
    return response
