"""Portal: the partner's own users. Every user of the partner sees its colleagues; the
partner's administrator (伙伴管理员, appointed by an officer) adds one with a one-time
invitation link, issues a password-reset link and disables one who left (R-UI-1). The same
services as the console's partner page (huoban.partners.users)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huoban.accounts.models import User
from huoban.errors import DomainError, NotFound
from huoban.partners.forms import PartnerUserForm
from huoban.partners.users import (
    Issued,
    invite_partner_user,
    issue_partner_user_link,
    set_partner_user_active,
)
from huoban.partners.views import link_shown_once
from huoban.policy import may_manage_partner_users
from huoban.web import actor_of, in_language, mark_invalid, partner_required, send

ISSUED_LINK = "portal.issued_link"


def _page(
    request: HttpRequest, form: PartnerUserForm | None = None, status: int = 200
) -> HttpResponse:
    partner: Any = request.user.partner  # type: ignore[union-attr]
    return render(
        request,
        "portal/users.html",
        {
            "nav": "home",
            "page_url": reverse("portal:users"),
            "users": User.objects.filter(partner=partner).order_by("-is_active", "username"),
            "may_manage": may_manage_partner_users(request.user, partner.pk)
            and not partner.is_exited,
            "form": mark_invalid(form or PartnerUserForm()),
            "issued": request.session.pop(ISSUED_LINK, None),
        },
        status=status,
    )


def _show_once(request: HttpRequest, issued: Issued) -> HttpResponse:
    request.session[ISSUED_LINK] = link_shown_once(request, issued)
    return redirect("portal:users")


@partner_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@partner_required
@require_POST
def user_add(request: HttpRequest) -> HttpResponse:
    partner: Any = request.user.partner  # type: ignore[union-attr]
    form = PartnerUserForm(request.POST)
    sent = send(
        form,
        # The form's fields are the service's: username, display_name, email.
        lambda data: invite_partner_user(partner, actor=actor_of(request), **data),
    )
    if sent.ok:
        messages.success(
            request, _("已添加用户 %(username)s。") % {"username": sent.value.user.username}
        )
        return _show_once(request, sent.value)
    if sent.refusal:
        messages.error(request, in_language(sent.refusal.message))
        return _page(request, form, sent.refusal.status)
    return _page(request, form, 422)


def _act(request: HttpRequest, action: Any) -> Any:
    try:
        return action()
    except NotFound as e:
        raise Http404 from e


@partner_required
@require_POST
def user_link(request: HttpRequest, user_id: int) -> HttpResponse:
    partner: Any = request.user.partner  # type: ignore[union-attr]
    try:
        issued = _act(
            request, lambda: issue_partner_user_link(partner, user_id, actor=actor_of(request))
        )
    except DomainError as e:
        messages.error(request, in_language(e.message))
        return _page(request, status=e.status)
    messages.success(request, _("已签发新链接，旧链接作废。"))
    return _show_once(request, issued)


@partner_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    partner: Any = request.user.partner  # type: ignore[union-attr]
    active = request.POST.get("active") == "yes"
    try:
        user = _act(
            request,
            lambda: set_partner_user_active(partner, user_id, active, actor=actor_of(request)),
        )
    except DomainError as e:
        messages.error(request, in_language(e.message))
        return _page(request, status=e.status)
    text = (
        _("已启用 %(username)s。") if active else _("已停用 %(username)s，其登录与令牌立即失效。")
    )
    messages.success(request, text % {"username": user.username})
    return redirect("portal:users")
