"""Staff users (admin only, R-UI-1): the list, a new user with a first password, and one
user's page to change its role, reset its password and disable it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huoban import clock
from huoban.accounts.models import STAFF_ROLES, LockScope, LoginLockout, Role, User
from huoban.accounts.throttle import unlock
from huoban.errors import DomainError
from huoban.pagination import page_of, query_without_page
from huoban.policy import may_manage_staff
from huoban.staff import (
    change_staff_role,
    create_staff_user,
    reset_staff_password,
    set_staff_active,
)
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused
from .forms import StaffPasswordForm, StaffRoleForm, StaffUserForm

LOCKOUTS = 100  # the newest; a flood of them is itself the news


def _admins_only(request: HttpRequest) -> HttpResponse | None:
    if may_manage_staff(request.user):
        return None
    return forbidden(request, "staff", _("员工账号由管理员维护。"))


def _list_page(
    request: HttpRequest, form: StaffUserForm | None = None, status: int = 200
) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = User.objects.filter(role__in=STAFF_ROLES).order_by("-is_active", "username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role in STAFF_ROLES:
        users = users.filter(role=role)
    return render(
        request,
        "console/staff.html",
        {
            "nav": "staff",
            "page": page_of(request, users),
            "query": query_without_page(request),
            "q": q,
            "role": role,
            "roles": [(value, label) for value, label in Role.choices if value in STAFF_ROLES],
            "form": mark_invalid(form or StaffUserForm()),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every staff user, searchable, and the form to add one (admin)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    if request.method == "GET":
        return _list_page(request)
    form = StaffUserForm(request.POST)
    sent = send(
        form,
        lambda data: create_staff_user(
            username=data["username"],
            role=data["role"],
            password=data["password"],
            display_name=data["display_name"],
            email=data["email"],
            actor=actor_of(request),
        ),
    )
    if sent.ok:
        messages.success(
            request,
            _("已创建 %(username)s：请把初始密码当面交给本人，首次登录时必须修改。")
            % {"username": sent.value.username},
        )
        return redirect("console:staff_user", user_id=sent.value.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _list_page(request, form, status)


def _user_page(
    request: HttpRequest,
    user: User,
    status: int = 200,
    role_form: StaffRoleForm | None = None,
    password_form: StaffPasswordForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "staff",
        "page_url": reverse("console:staff_user", kwargs={"user_id": user.pk}),
        "person": user,
        "is_self": user.pk == request.user.pk,
        "role_form": mark_invalid(role_form or StaffRoleForm(initial={"role": user.role})),
        "password_form": mark_invalid(password_form or StaffPasswordForm()),
    }
    return render(request, "console/staff_user.html", context, status=status)


def _staff_user_or_404(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, role__in=STAFF_ROLES).first()
    if user is None:
        raise Http404
    return user


@staff_required
@require_http_methods(["GET"])
def staff_user(request: HttpRequest, user_id: int) -> HttpResponse:
    """One staff user: role, password reset, disable (admin)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    return _user_page(request, _staff_user_or_404(user_id))


@staff_required
@require_POST
def staff_role(request: HttpRequest, user_id: int) -> HttpResponse:
    if (refusal := _admins_only(request)) is not None:
        return refusal
    user = _staff_user_or_404(user_id)
    form = StaffRoleForm(request.POST)
    sent = send(
        form, lambda data: change_staff_role(user.pk, data["role"], actor=actor_of(request))
    )
    if sent.ok:
        messages.success(
            request,
            _("%(username)s 的角色现为%(role)s。")
            % {"username": user.username, "role": sent.value.get_role_display()},
        )
        return redirect("console:staff_user", user_id=user.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _user_page(request, user, status, role_form=form)


@staff_required
@require_POST
def staff_password(request: HttpRequest, user_id: int) -> HttpResponse:
    if (refusal := _admins_only(request)) is not None:
        return refusal
    user = _staff_user_or_404(user_id)
    form = StaffPasswordForm(request.POST)
    sent = send(
        form, lambda data: reset_staff_password(user.pk, data["password"], actor=actor_of(request))
    )
    if sent.ok:
        messages.success(
            request,
            _("已重置 %(username)s 的密码：其登录已结束，下次登录时必须修改。")
            % {"username": user.username},
        )
        return redirect("console:staff_user", user_id=user.pk)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _user_page(request, user, status, password_form=form)


@staff_required
@require_POST
def staff_active(request: HttpRequest, user_id: int) -> HttpResponse:
    if (refusal := _admins_only(request)) is not None:
        return refusal
    user = _staff_user_or_404(user_id)
    active = request.POST.get("active") == "yes"
    try:
        set_staff_active(user.pk, active, actor=actor_of(request))
    except DomainError as e:
        return _user_page(request, user, refused(request, e))
    text = (
        _("已启用 %(username)s。") if active else _("已停用 %(username)s，其登录与令牌立即失效。")
    )
    messages.success(request, text % {"username": user.username})
    return redirect("console:staff_user", user_id=user.pk)


# --- sign-in lockouts (issue #10's throttle) ---------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Usernames and addresses refused sign-in now, and lifting a username's lockouts (admin;
    the same as ``huoban unlock NAME``)."""
    if (refusal := _admins_only(request)) is not None:
        return refusal
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        if username:
            lifted = unlock(username, actor=actor_of(request))
            messages.success(
                request,
                _("已解除 %(username)s 的 %(n)d 项锁定。") % {"username": username, "n": lifted},
            )
        return redirect("console:lockouts")
    active = LoginLockout.objects.filter(until__gt=clock.now()).order_by("-since")[:LOCKOUTS]
    rows = [
        (lock, lock.key.partition("|")[0] if lock.scope != LockScope.IP else "") for lock in active
    ]
    return render(request, "console/lockouts.html", {"nav": "staff", "rows": rows})
