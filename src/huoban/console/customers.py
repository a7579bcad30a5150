"""Customer lookup for inbound contact and the customer page (R-ATT-5, R-ATT-6, R-VIS-3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from huoban import clock
from huoban.access import Forbidden
from huoban.accounts.models import Role
from huoban.credit import services as credit
from huoban.customers.attribution import link_related
from huoban.customers.consent import (
    approve_consent,
    contacts_for,
    grant_consent,
    has_consent,
    revoke_consent,
    staff_grantee,
)
from huoban.customers.inbound import record_inbound_contact
from huoban.customers.matching import match_customer
from huoban.customers.models import (
    Attribution,
    ContactConsent,
    Customer,
    CustomerLink,
    CustomerName,
    InboundContact,
)
from huoban.customers.ownership import owner_of
from huoban.errors import DomainError, ValidationFailed
from huoban.pagination import page_of, query_without_page
from huoban.policy import may_sign_projects
from huoban.projects.models import Project
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import Column, exported, refused
from .forms import InboundForm, LinkForm, StaffConsentForm

CONTACTS_SHOWN = 20
RECENT = 10


def _lookup(request: HttpRequest, form: InboundForm, status: int = 200) -> HttpResponse:
    """The lookup page: the form, what the registry says about the name typed, recent contacts."""
    match = None
    owner = None
    name = (form.data.get("name") or "").strip() if form.is_bound else ""
    uscc = (form.data.get("uscc") or "").strip() if form.is_bound else ""
    if name:
        try:
            match = match_customer(name, uscc or None)
        except ValidationFailed:
            match = None
        if match is not None and match.kind == "exact" and match.customer is not None:
            owner = owner_of(match.customer)
    recent = InboundContact.objects.select_related("customer", "routed_to", "recorded_by").order_by(
        "-at", "-id"
    )
    return render(
        request,
        "console/lookup.html",
        {
            "nav": "customers",
            "form": mark_invalid(form),
            "match": match,
            "owner": owner,
            "searched": bool(name),
            "page": page_of(request, recent),
            "query": query_without_page(request),
        },
        status=status,
    )


@staff_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Look a customer up when it contacts us directly (R-ATT-5): owned → name the owner."""
    form = InboundForm(request.GET) if request.GET.get("name") else InboundForm()
    if form.is_bound:
        form.errors.clear()  # a lookup is not a submission: no "required" noise yet
    return _lookup(request, form)


@staff_required
@require_POST
def record_inbound(request: HttpRequest) -> HttpResponse:
    """Record the contact: routed back to the owner, or with the 首问 answer (R-ATT-5)."""
    form = InboundForm(request.POST)
    sent = send(
        form,
        lambda data: record_inbound_contact(
            name=data["name"],
            uscc=data["uscc"] or None,
            referral_answer=data["referral_answer"],
            referring_partner_name=data["referring_partner_name"],
            note=data["note"],
            actor=actor_of(request),
        ),
    )
    if sent.refusal:
        return _lookup(request, form, status=refused(request, sent.refusal))
    if sent.ok:
        inbound, _match = sent.value
        if inbound.routed_to is not None:
            messages.success(
                request,
                _("已登记来访并转回归属伙伴：%(partner)s（%(code)s）。")
                % {"partner": inbound.routed_to.name, "code": inbound.routed_to.code},
            )
        else:
            messages.success(request, _("已登记来访（客户未归属任何伙伴）。"))
        return redirect("console:lookup")
    return _lookup(request, form, status=422)


def _customer_or_404(request: HttpRequest, customer_id: int) -> Customer:
    customer = Customer.objects.visible_to(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def _customer_page(
    request: HttpRequest,
    customer: Customer,
    *,
    reveal: bool = False,
    link_form: LinkForm | None = None,
    consent_form: StaffConsentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    owner = owner_of(customer)
    user: Any = request.user
    officer = user.has_role(Role.OFFICER)
    consent = owner is not None and has_consent(request.user, customer)
    contacts = contacts_for(request.user, customer, reveal=reveal, limit=CONTACTS_SHOWN)
    links = (
        CustomerLink.objects.filter(Q(customer=customer) | Q(related=customer))
        .select_related("customer", "related")
        .order_by("id")[:RECENT]
    )
    return render(
        request,
        "console/customer.html",
        {
            "nav": "customers",
            "page_url": reverse("console:customer", kwargs={"customer_id": customer.pk}),
            "customer": customer,
            "owner": owner,
            "names": CustomerName.objects.filter(customer=customer).order_by("id")[:RECENT],
            "links": links,
            "contacts": contacts,
            "masked": any(c["masked"] for c in contacts),
            "consent": consent,
            "revealed": reveal and consent,
            "projects": Project.objects.filter(customer=customer)
            .select_related("partner")
            .order_by("-signed_on", "-id")[:RECENT],
            "may_link": officer,
            "credit_risk": credit.standing(customer).risk.level,
            "may_sign": owner is not None and may_sign_projects(user),
            "link_form": mark_invalid(link_form or LinkForm()),
            # Written consents (R-ATT-7): officers record and approve them here.
            "consents": _consent_rows(customer, user) if officer and owner is not None else [],
            "consent_form": mark_invalid(consent_form or StaffConsentForm()) if officer else None,
        },
        status=status,
    )


@staff_required
@require_GET
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer: names, owner, related entities, contacts masked for an owned customer."""
    return _customer_page(request, _customer_or_404(request, customer_id))


@staff_required
@require_POST
def customer_reveal(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Show the contacts in full when a consent covers the caller; the service audits it."""
    customer = _customer_or_404(request, customer_id)
    if owner_of(customer) is not None and not has_consent(request.user, customer):
        messages.error(request, _("您没有该客户联系人的书面授权，联系方式保持脱敏。"))
        return _customer_page(request, customer, status=403)
    return _customer_page(request, customer, reveal=True)


@staff_required
@require_POST
def customer_link(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Link a related entity (officer, admin); it inherits the owner (R-ATT-6)."""
    customer = _customer_or_404(request, customer_id)
    form = LinkForm(request.POST)

    def link(data: dict[str, Any]) -> Any:
        text = data["related"].strip()
        try:
            found = match_customer(text, text if len(text) == 18 and text.isalnum() else None)
        except ValidationFailed:
            found = match_customer(text, None)
        if found.kind != "exact" or found.customer is None:
            raise ValidationFailed({"related": str(_("登记簿中没有该主体，请先核对名称。"))})
        return link_related(customer, found.customer, data["kind"], actor=actor_of(request))

    sent = send(form, link, {"related_id": "related"})
    if sent.refusal:
        return _customer_page(
            request, customer, link_form=form, status=refused(request, sent.refusal)
        )
    if sent.ok:
        messages.success(request, _("已关联，关联主体继承归属。"))
        return redirect("console:customer", customer_id=customer.pk)
    return _customer_page(request, customer, link_form=form, status=422)


def _consent_rows(customer: Customer, user: Any) -> list[dict[str, Any]]:
    now = clock.now()
    rows = []
    for c in (
        ContactConsent.objects.filter(customer=customer)
        .select_related("grantee_user", "granted_by", "approved_by")
        .order_by("-granted_at")[:RECENT]
    ):
        if c.revoked_at is not None:
            state = "revoked"
        elif c.expires_at <= now:
            state = "expired"
        elif c.approved_at is None:
            state = "pending"
        else:
            state = "active"
        rows.append(
            {
                "consent": c,
                "grantee": c.grantee_user.username
                if c.grantee_user
                else _("角色：%(role)s") % {"role": Role(c.grantee_role).label},
                "state": state,
                "may_approve": state == "pending"
                and user.pk not in (c.granted_by_id, c.grantee_user_id),
                "may_revoke": state in ("pending", "active"),
            }
        )
    return rows


def _officer_only(request: HttpRequest, customer: Customer) -> HttpResponse | None:
    """Consents are recorded by officers and admins (R-ATT-7); other staff get a 403 page."""
    user: Any = request.user
    if user.has_role(Role.OFFICER):
        return None
    error = Forbidden("只有伙伴关系官或管理员可以登记授权 / Only an officer or admin may do this.")
    return _customer_page(request, customer, status=refused(request, error))


def _consent_or_404(customer: Customer, consent_id: int) -> ContactConsent:
    consent = ContactConsent.objects.filter(pk=consent_id, customer=customer).first()
    if consent is None:
        raise Http404
    return consent


@staff_required
@require_POST
def consent_grant(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Record the owner's written consent with its document (officer, admin; R-ATT-7)."""
    customer = _customer_or_404(request, customer_id)
    if (refusal := _officer_only(request, customer)) is not None:
        return refusal
    owner = owner_of(customer)
    form = StaffConsentForm(request.POST, request.FILES)
    if owner is None:
        form.add_error(None, _("该客户尚无归属伙伴，无需授权。"))
    else:

        def grant(data: dict[str, Any]) -> ContactConsent:
            username = (data["grantee_username"] or "").strip()
            return grant_consent(
                customer,
                partner=owner,
                grantee_user=staff_grantee(username) if username else None,
                grantee_role=data["grantee_role"],
                expires_at=data["expires_at"],
                actor=actor_of(request),
                note=data["note"],
                document=data["document"],
            )

        sent = send(form, grant, {"grantee": "grantee_username"})
        if sent.refusal:
            return _customer_page(
                request, customer, consent_form=form, status=refused(request, sent.refusal)
            )
        if sent.ok:
            if sent.value.approved_at is None:
                messages.success(request, _("已登记，须由另一位伙伴关系官或管理员批准后生效。"))
            else:
                messages.success(request, _("已登记书面授权，立即生效。"))
            return redirect("console:customer", customer_id=customer.pk)
    return _customer_page(request, customer, consent_form=form, status=422)


def _consent_action(
    request: HttpRequest,
    customer_id: int,
    consent_id: int,
    action: Callable[..., ContactConsent],
    done: str,
) -> HttpResponse:
    """Approve or revoke one of the customer's consents (officer, admin), then back to it."""
    customer = _customer_or_404(request, customer_id)
    if (refusal := _officer_only(request, customer)) is not None:
        return refusal
    try:
        action(_consent_or_404(customer, consent_id), actor=actor_of(request))
    except DomainError as e:
        return _customer_page(request, customer, status=refused(request, e))
    messages.success(request, done)
    return redirect("console:customer", customer_id=customer.pk)


@staff_required
@require_POST
def consent_approve(request: HttpRequest, customer_id: int, consent_id: int) -> HttpResponse:
    """A second officer or admin approves a self or role grant (R-ATT-7)."""
    return _consent_action(
        request, customer_id, consent_id, approve_consent, _("已批准，授权生效。")
    )


@staff_required
@require_POST
def consent_revoke(request: HttpRequest, customer_id: int, consent_id: int) -> HttpResponse:
    """Revoke a consent before its expiry (officer, admin; R-ATT-7)."""
    return _consent_action(request, customer_id, consent_id, revoke_consent, _("已撤销授权。"))


class _Counted:
    """A queryset whose count is known another way, for the paginator."""

    def __init__(self, rows: Any, count: int) -> None:
        self.rows, self.total = rows, count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: Any) -> Any:
        return self.rows[key]


def _owner(customer: Customer) -> Any:
    return getattr(customer, "attribution", None)


#: R-IMP-5: the customer registry's columns, as the page shows them (no contacts: R-ATT-7).
CUSTOMER_COLUMNS = [
    Column("#", lambda c: c.pk),
    Column(gettext_lazy("客户名称"), lambda c: c.legal_name),
    Column(gettext_lazy("统一社会信用代码"), lambda c: c.uscc or ""),
    Column(gettext_lazy("地区"), lambda c: c.region),
    Column(gettext_lazy("行业"), lambda c: c.industry),
    Column(gettext_lazy("归属伙伴编号"), lambda c: _owner(c).partner.code if _owner(c) else ""),
    Column(gettext_lazy("归属伙伴"), lambda c: _owner(c).partner.name if _owner(c) else ""),
    Column(gettext_lazy("归属来源"),
           lambda c: str(_owner(c).get_source_display()) if _owner(c) else ""),
    Column(gettext_lazy("归属时间"),
           lambda c: _owner(c).since.astimezone(clock.local_tz()).date() if _owner(c) else ""),
]  # fmt: skip


@staff_required
@require_GET
def registry(request: HttpRequest) -> HttpResponseBase:
    """The customer registry (R-ATT-1, R-ATT-4): every customer with its owner, newest first,
    filtered by owner (a partner code, or unowned) and by name or USCC; exported as it is
    filtered (R-IMP-5). Contacts are not listed: they are behind consent (R-ATT-7)."""
    q = request.GET.get("q", "").strip()
    owner = request.GET.get("owner", "").strip()
    rows = Customer.objects.visible_to(request.user).select_related("attribution__partner")
    if owner == "none":
        rows = rows.filter(attribution__isnull=True)
    elif owner:
        rows = rows.filter(attribution__partner__code=owner.upper())
    if q:
        rows = rows.filter(Q(uscc=q.upper()) | Q(legal_name__contains=q))
    rows = rows.order_by("-id")
    download = exported(request, rows, CUSTOMER_COLUMNS, name="customers", title=_("客户"))
    if download is not None:
        return download
    listed: Any = rows
    if owner == "none" and not q:
        # Counting the unowned through the join read every customer (0.4–0.7 s at N = 1);
        # every customer less the owned ones is two index counts (R-UI-3).
        listed = _Counted(rows, Customer.objects.count() - Attribution.objects.count())
    return render(
        request,
        "console/customer_registry.html",
        {
            "nav": "customers",
            "page": page_of(request, listed),
            "query": query_without_page(request),
            "q": q,
            "owner": owner,
        },
    )
