"""Portal: contact consents (R-ATT-7) and the tier page with the strategic application
(R-TIER-2). Writes go through the services, which refuse an exited partner with 409
(R-EXIT-1); the pages also hide their forms once the partner has exited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huoban import clock
from huoban.customers import consent as consents
from huoban.customers.models import ContactConsent, Customer
from huoban.errors import DomainError
from huoban.pagination import page_of
from huoban.partners.models import ApplicationKind, Tier
from huoban.standing import tier_services
from huoban.web import actor_of, in_language, mark_invalid, partner_required, send

from . import overview
from .forms import CONSENT_ERROR_FIELDS, ConsentForm, StrategicApplicationForm

DEFAULT_CONSENT_DAYS = 90


def _partner(request: HttpRequest) -> Any:
    return request.user.partner  # type: ignore[union-attr]


def _owned_customers(request: HttpRequest) -> Any:
    """Only the customers the partner owns can have their contacts consented (R-ATT-7)."""
    return Customer.objects.visible_to(request.user).filter(attribution__partner=_partner(request))


def _consents_page(request: HttpRequest, form: ConsentForm, status: int = 200) -> HttpResponse:
    partner = _partner(request)
    consents = (
        ContactConsent.objects.filter(partner=partner, customer__in=_owned_customers(request))
        .select_related("customer", "grantee_user")
        .order_by("-granted_at", "-id")
    )
    return render(
        request,
        "portal/consents.html",
        {
            "nav": "customers",
            "tab": "consents",
            "page": page_of(request, consents),
            "form": mark_invalid(form),
            "now": clock.now(),
            "read_only": partner.is_exited,
        },
        status=status,
    )


@partner_required
@require_GET
def consent_list(request: HttpRequest) -> HttpResponse:
    """The consents the partner granted on its customers, and the grant form."""
    # A written consent usually covers a phase of the deal: 90 days unless the partner says so.
    until = (clock.now() + dt.timedelta(days=DEFAULT_CONSENT_DAYS)).astimezone(clock.local_tz())
    form = ConsentForm(
        customers=_owned_customers(request),
        initial={"expires_at": until.replace(hour=18, minute=0, second=0, microsecond=0)},
    )
    return _consents_page(request, form)


@partner_required
@require_POST
def consent_grant(request: HttpRequest) -> HttpResponse:
    """Grant a staff user or role access to a customer's contacts until an expiry (R-ATT-7)."""
    form = ConsentForm(request.POST, customers=_owned_customers(request))

    def grant(data: dict[str, Any]) -> ContactConsent:
        username = data["grantee_username"].strip()
        return consents.grant_consent(
            data["customer"],
            partner=_partner(request),
            # Unknown, partner or disabled user: one answer for all (no enumeration).
            grantee_user=consents.staff_grantee(username) if username else None,
            grantee_role=data["grantee_role"],
            expires_at=data["expires_at"],
            actor=actor_of(request),
            note=data["note"],
        )

    sent = send(form, grant, CONSENT_ERROR_FIELDS)
    if sent.refusal:  # exited partner (409), role
        form.add_error(None, in_language(sent.refusal.message))
    elif sent.ok:
        messages.success(request, _("已授权。"))
        return redirect("portal:consents")
    return _consents_page(request, form, status=422)


@partner_required
@require_POST
def consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    """Revoke a consent before its expiry (R-ATT-7); another partner's consent is 404."""
    consent = (
        ContactConsent.objects.filter(
            pk=consent_id, partner=_partner(request), customer__in=_owned_customers(request)
        )
        .select_related("partner")
        .first()
    )
    if consent is None:
        raise Http404
    try:
        consents.revoke_consent(consent, actor=actor_of(request))
    except DomainError as e:
        messages.error(request, in_language(e.message))
    else:
        messages.success(request, _("授权已撤销。"))
    return redirect("portal:consents")


def _tier_page(
    request: HttpRequest, form: StrategicApplicationForm, status: int = 200
) -> HttpResponse:
    partner = _partner(request)
    applications = partner.tier_applications.filter(kind=ApplicationKind.STRATEGIC).order_by(
        "-applied_at", "-id"
    )
    return render(
        request,
        "portal/tier.html",
        {
            "nav": "home",
            "progress": overview.tier_progress(partner),
            "history": partner.tier_history.order_by("-at", "-id")[:10],
            "page": page_of(request, applications),
            "form": mark_invalid(form),
            "can_apply": not partner.is_exited and partner.tier != Tier.STRATEGIC,
        },
        status=status,
    )


@partner_required
@require_GET
def tier(request: HttpRequest) -> HttpResponse:
    """The tier, the progress to the next one, its history and the strategic applications."""
    return _tier_page(request, StrategicApplicationForm())


@partner_required
@require_POST
def tier_apply(request: HttpRequest) -> HttpResponse:
    """Apply for strategic (R-TIER-2); a newer application supersedes a pending one."""
    form = StrategicApplicationForm(request.POST)
    sent = send(
        form,
        lambda data: tier_services.apply_for_strategic(
            actor=actor_of(request), resources=data["resources"], plan=data["plan"]
        ),
    )
    if sent.refusal:
        form.add_error(None, in_language(sent.refusal.message))
    elif sent.ok:
        messages.success(request, _("申请已提交，将在 5 个工作日内答复。"))
        return redirect("portal:tier")
    return _tier_page(request, form, status=422)
