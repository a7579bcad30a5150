"""The public application page (no sign-in): seed 000's 咨询对接回执 (R-UI-1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from huoban.accounts.throttle import client_ip
from huoban.errors import DomainError
from huoban.web import in_language, mark_invalid, send

from .forms import InquiryForm
from .inquiries import admit_from, submit_inquiry
from .users import Issued

RECEIPT = "apply.receipt"  # the session key of the receipt shown after sending


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Apply to become a partner; the answer page says when an officer will call."""
    if request.method == "GET":
        return render(request, "partners/apply.html", {"form": InquiryForm()})
    form = InquiryForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        # A script filled in the hidden field: it sees the usual answer, nothing is kept.
        request.session[RECEIPT] = {"id": None}
        return redirect("apply_thanks")
    try:
        admit_from(client_ip(request))
    except DomainError as e:
        form.is_valid()
        form.add_error(None, in_language(e.message))
        return render(request, "partners/apply.html", {"form": form}, status=e.status)
    sent = send(
        form,
        lambda data: submit_inquiry(
            name=data["name"],
            contact=data["contact"],
            phone=data["phone"],
            intended_tier=data["intended_tier"],
            resources=data["resources"],
            note=data["note"],
        ),
    )
    if sent.ok:
        inquiry = sent.value
        request.session[RECEIPT] = {
            "id": inquiry.pk,
            "name": inquiry.name,
            "contact_due_on": inquiry.contact_due_on.isoformat(),
        }
        return redirect("apply_thanks")
    return render(request, "partners/apply.html", {"form": mark_invalid(form)}, status=422)


@require_GET
def apply_thanks(request: HttpRequest) -> HttpResponse:
    """The receipt (回执): shown once after sending, then the page says only thank you."""
    receipt = request.session.pop(RECEIPT, None)
    return render(request, "partners/apply_thanks.html", {"receipt": receipt})


def link_shown_once(request: HttpRequest, issued: Issued) -> dict[str, str]:
    """What the page after an invitation or reset shows of the link, once (kept in the session
    for one view by the officer's partner page and the portal's users page)."""
    return {
        "username": issued.user.username,
        "url": request.build_absolute_uri(reverse("password_link", args=[issued.secret])),
        "purpose": issued.link.purpose,
        "expires_at": issued.link.expires_at.isoformat(),
    }
