"""Shared helpers for the server-rendered pages (portal and console).

Views stay thin: these helpers decide who may open a page (R-VIS-4: what a caller may not see
answers 404), paginate every list, and turn the services' bilingual errors into form errors in
the user's language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import get_language

from huoban.accounts.models import STAFF_ROLES, Role, User
from huoban.errors import DomainError, NotFound, ValidationFailed

View = Callable[..., HttpResponseBase]  # a page, a redirect, a file or a streamed download

T = TypeVar("T")


def actor_of(request: HttpRequest) -> User:
    """The signed-in user acting through this request, typed for the services' ``actor``.

    Pages reach it behind ``staff_required``/``partner_required`` and API operations behind the
    token or session auth, so a signed-out request never gets here; if one does, it is refused.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def in_language(message: str) -> str:
    """Pick the user's half of a service message written "中文 / English"."""
    chinese, sep, english = message.partition(" / ")
    if not sep:
        return message
    language = get_language() or "zh-hans"
    return english.strip() if language.startswith("en") else chinese.strip()


def partner_required(view: View) -> View:
    """Portal pages: anonymous → login; staff and other non-partner users → 404.

    The portal shows one partner's own data; a staff user has no partner, so there is nothing
    to show and the page does not exist for them (they work in the console).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(user, "role", None) != Role.PARTNER or user.partner_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    """Console pages: anonymous → login; partner users → 404 (R-VIS-4). Every staff role may
    read the console; the services refuse the actions a role may not take."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(user, "role", None) not in STAFF_ROLES:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def root(request: HttpRequest) -> HttpResponse:
    """The site root: a partner user goes to the portal, staff to the console, anyone else to
    login."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if getattr(user, "role", None) == Role.PARTNER:
        return redirect("portal:home")
    if getattr(user, "role", None) in STAFF_ROLES:
        return redirect("console:home")
    raise Http404  # a signed-in user without a role has no pages (and no redirect loop)


def visible_or_404(fetch: Callable[[Any, int], T], request: HttpRequest, pk: int) -> T:
    """The object a service lets the caller see, or the page's 404 (R-VIS-4)."""
    try:
        return fetch(request.user, pk)
    except NotFound as e:
        raise Http404 from e


def apply_errors(
    form: forms.BaseForm, error: ValidationFailed, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's field errors on the form's fields, in the user's language.

    The services name fields as the API does (``customer.name``); `field_map` renames them to
    the form's fields (``customer_name``). An unknown key becomes a form-wide error.
    """
    names = field_map or {}
    for key, message in error.errors.items():
        field = names.get(key, key)
        form.add_error(field if field in form.fields else None, in_language(message))


@dataclass(frozen=True)
class Sent(Generic[T]):
    """What became of a form sent to a service (:func:`send`)."""

    ok: bool
    result: T | None = None
    #: The service refused the action as a whole (a role, a state), not because of a field.
    refusal: DomainError | None = None

    @property
    def value(self) -> T:
        """The service's answer; only when ``ok``."""
        if not self.ok:
            raise ValueError("the form was not accepted")
        return cast(T, self.result)


def send(
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    field_map: dict[str, str] | None = None,
) -> Sent[T]:
    """Validate ``form`` and call the service ``action`` with its cleaned data.

    The one form → service → error path of the console and the portal: an invalid form, or a
    service's field errors (:class:`ValidationFailed`, shown on the fields by
    :func:`apply_errors`), give ``ok=False``; any other refusal is returned in ``refusal`` for
    the page to show; otherwise ``ok`` and the service's ``result``. Nothing is written unless
    the service succeeded (it runs in its own transaction).
    """
    if not form.is_valid():
        return Sent(ok=False)
    try:
        result = action(form.cleaned_data)
    except ValidationFailed as e:
        apply_errors(form, e, field_map)
        return Sent(ok=False)
    except DomainError as e:
        return Sent(ok=False, refusal=e)
    return Sent(ok=True, result=result)


def hx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def status_counts(
    rows: Iterable[dict[str, Any]], statuses: Iterable[tuple[str, Any]]
) -> list[tuple[str, Any, int]]:
    """[(code, label, count)] for every status, zero included, in the statuses' order."""
    counts = {row["status"]: row["n"] for row in rows}
    return [(code, label, counts.get(code, 0)) for code, label in statuses]


def mark_invalid(form: forms.BaseForm) -> forms.BaseForm:
    """Add Bootstrap's ``is-invalid`` to the widgets of fields with errors (call before render)."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            css = widget.attrs.get("class", "")
            if "is-invalid" not in css:
                widget.attrs["class"] = f"{css} is-invalid".strip()
    return form
