"""The pages every user has: choose a password through a link, change one's own password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huoban.errors import NotFound
from huoban.web import actor_of, mark_invalid, send

from . import web_sessions
from .forms import ChangePasswordForm, LinkPasswordForm
from .services import change_password, set_password_by_link, usable_link


@require_http_methods(["GET", "POST"])
def password_link(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation or reset link: choose a password, then sign in with it. No sign-in needed;
    a spent, expired or unknown link says so (404) and shows no form."""
    link = usable_link(token)
    if link is None:
        return render(request, "registration/password_link.html", {"form": None}, status=404)
    context = {"link": link}
    if request.method == "GET":
        return render(
            request, "registration/password_link.html", {**context, "form": LinkPasswordForm()}
        )
    form = LinkPasswordForm(request.POST)
    sent = send(form, lambda data: set_password_by_link(token, data["password"]))
    if sent.ok:
        messages.success(
            request,
            _("密码已设置，请用用户名 %(username)s 登录。") % {"username": sent.value.username},
        )
        return redirect("login")
    return render(
        request,
        "registration/password_link.html",
        {**context, "form": mark_invalid(form)},
        status=422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """A signed-in user changes its own password; the one who must (an admin set it) lands
    here before any other page."""
    user = actor_of(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    context = {"next": next_url, "forced": user.must_change_password}
    if request.method == "GET":
        return render(
            request,
            "registration/password_change.html",
            {**context, "form": ChangePasswordForm()},
        )
    form = ChangePasswordForm(request.POST)
    sent = send(
        form,
        lambda data: change_password(
            user,
            old_password=data["old_password"],
            new_password=data["new_password"],
            actor=user,
        ),
    )
    if sent.ok:
        old_key = request.session.session_key
        update_session_auth_hash(request, sent.value)  # this session stays signed in
        web_sessions.after_password_change(user, old_key, request.session.session_key)
        messages.success(request, _("密码已修改。"))
        return redirect(next_url or "root")
    return render(
        request,
        "registration/password_change.html",
        {**context, "form": mark_invalid(form)},
        status=422,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """Where the user is signed in; end one session, or every other one."""
    user = actor_of(request)
    current = request.session.session_key
    if request.method == "POST":
        if request.POST.get("all") == "yes":
            ids = None
        else:
            raw = request.POST.get("session", "")
            if not raw.isdigit():
                return redirect("sessions")
            ids = [int(raw)]
        try:
            ended = web_sessions.end_sessions(user, actor=user, ids=ids, keep=current)
        except NotFound as e:
            raise Http404 from e
        messages.success(request, _("已结束 %(n)d 个会话。") % {"n": ended})
        return redirect("sessions")
    return render(
        request,
        "registration/sessions.html",
        {"rows": web_sessions.sessions_of(user, current)},
    )
