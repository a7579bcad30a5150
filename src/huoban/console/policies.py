"""Commission policy versions (R-POL-1, R-POL-2): every staff role reads them and sees which
projects use which; the admin writes a new version from the current one and may correct a
version no project uses yet."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huoban.policy import may_manage_reference_data
from huoban.projects.models import Project
from huoban.terms.models import PolicyVersion
from huoban.terms.versions import create_policy_version, update_policy_version, versions_with_use
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused
from .policy_forms import PolicyForm

FIELD_MAP = {"tier_uplift": "uplift_deep"}  # the service's field → the form's field
PROJECTS_SHOWN = 20


def _admins_only(request: HttpRequest) -> HttpResponse | None:
    if may_manage_reference_data(request.user):
        return None
    return forbidden(request, "policies", _("佣金政策由管理员维护。"))


@staff_required
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    """Every version, newest first, with the projects and agreements that use it."""
    return render(
        request,
        "console/policies.html",
        {
            "nav": "policies",
            "versions": versions_with_use(),
            "may_edit": may_manage_reference_data(request.user),
        },
    )


def _version_or_404(version: int) -> PolicyVersion:
    row = versions_with_use().filter(version=version).first()
    if row is None:
        raise Http404
    return row


def _detail_page(
    request: HttpRequest, row: PolicyVersion, form: PolicyForm | None = None, status: int = 200
) -> HttpResponse:
    used = row.project_count > 0  # type: ignore[attr-defined]
    may_edit = may_manage_reference_data(request.user) and not used
    if may_edit and form is None:
        form = PolicyForm(
            initial={
                "effective_from": row.effective_from,
                **PolicyForm.initial_from(row.parameters),
            }
        )
    context: dict[str, Any] = {
        "nav": "policies",
        "page_url": reverse("console:policy", kwargs={"version": row.version}),
        "row": row,
        "policy": row.to_policy(),
        "used": used,
        # The latest recorded (a version can hold every project: no sort of them all).
        "projects": Project.objects.filter(policy_version=row)
        .prefetch_related("partner", "customer")
        .order_by("-id")[:PROJECTS_SHOWN],
        "may_edit": may_edit,
        "form": mark_invalid(form) if form is not None else None,
    }
    return render(request, "console/policy.html", context, status=status)


@staff_required
@require_GET
def policy_detail(request: HttpRequest, version: int) -> HttpResponse:
    """One version's parameters as the rules read them, and the projects signed under it."""
    return _detail_page(request, _version_or_404(version))


@staff_required
@require_POST
def policy_edit(request: HttpRequest, version: int) -> HttpResponse:
    """Correct a version no project uses yet (admin); a used one answers 409 (R-POL-2)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    row = _version_or_404(version)
    form = PolicyForm(request.POST)
    sent = send(
        form,
        lambda data: update_policy_version(
            row.pk,
            effective_from=data["effective_from"],
            parameters=form.parameters(row.parameters),
            actor=actor_of(request),
        ),
        FIELD_MAP,
    )
    if sent.ok:
        messages.success(request, _("已保存 v%(v)d。") % {"v": row.version})
        return redirect("console:policy", version=row.version)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _detail_page(request, row, form, status)


@staff_required
@require_http_methods(["GET", "POST"])
def policy_new(request: HttpRequest) -> HttpResponse:
    """A new version, prefilled from the latest one (admin)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    base = PolicyVersion.objects.order_by("-version").first()
    base_parameters = base.parameters if base is not None else {}
    if request.method == "GET":
        initial = PolicyForm.initial_from(base_parameters) if base is not None else {}
        form = PolicyForm(initial=initial)
        status = 200
    else:
        form = PolicyForm(request.POST)
        sent = send(
            form,
            lambda data: create_policy_version(
                effective_from=data["effective_from"],
                parameters=form.parameters(base_parameters),
                actor=actor_of(request),
            ),
            FIELD_MAP,
        )
        if sent.ok:
            messages.success(
                request,
                _("已新建 v%(v)d，自 %(d)s 起签约的项目适用。")
                % {"v": sent.value.version, "d": sent.value.effective_from.isoformat()},
            )
            return redirect("console:policy", version=sent.value.version)
        status = refused(request, sent.refusal) if sent.refusal else 422
    return render(
        request,
        "console/policy_new.html",
        {"nav": "policies", "form": mark_invalid(form), "base": base},
        status=status,
    )
