"""Meetings in the console (SPEC §10.11, R-MEET; R-UI-1): a partner's cadence due and its
meeting records; officers record a meeting with its action items ("事项，负责人，截止日")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huoban import clock
from huoban.errors import DomainError
from huoban.partners.models import Partner
from huoban.performance.meetings import mark_action_done, record_meeting, schedule
from huoban.performance.models import Meeting, MeetingKind
from huoban.policy import may_manage_partners
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, partner_or_404, refused, settle

NAV = "partners"
_TEXT = {"class": "form-control"}


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("会议类型"), choices=MeetingKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    held_on = forms.DateField(
        label=gettext_lazy("会议日期"),
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    ours = forms.CharField(label=gettext_lazy("我方参会"), required=False, max_length=300,
                           widget=forms.TextInput(attrs=_TEXT))  # fmt: skip
    theirs = forms.CharField(label=gettext_lazy("对方参会"), required=False, max_length=300,
                             widget=forms.TextInput(attrs=_TEXT))  # fmt: skip
    minutes = forms.CharField(label=gettext_lazy("纪要"), required=False,
                              widget=forms.Textarea(attrs={**_TEXT, "rows": 3}))  # fmt: skip
    decisions = forms.CharField(label=gettext_lazy("决议"), required=False,
                                widget=forms.Textarea(attrs={**_TEXT, "rows": 2}))  # fmt: skip
    actions = forms.CharField(
        label=gettext_lazy("待办事项（每行：事项，负责人，截止日）"), required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )  # fmt: skip

    def clean_actions(self) -> list[dict[str, Any]]:
        out = []
        for n, line in enumerate(self.cleaned_data["actions"].splitlines(), start=1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not parts or not parts[0]:
                continue
            due = parts[2] if len(parts) > 2 and parts[2] else None
            if due is not None:
                try:
                    dt.date.fromisoformat(due)
                except ValueError:
                    raise forms.ValidationError(
                        _("第 %(n)d 行的截止日应为 YYYY-MM-DD") % {"n": n}
                    ) from None
            out.append({"text": parts[0], "owner": parts[1] if len(parts) > 1 else "",
                        "due_on": due})  # fmt: skip
        return out


def _page(
    request: HttpRequest, partner: Partner, form: MeetingForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "console/meetings.html",
        {
            "nav": NAV,
            "partner": partner,
            "due": schedule(partner, clock.today()),
            "meetings": Meeting.objects.visible_to(request.user).filter(partner=partner),
            "kinds": dict(MeetingKind.choices),
            "may_record": may_manage_partners(request.user),
            "form": mark_invalid(form),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def partner_meetings(request: HttpRequest, code: str) -> HttpResponse:
    partner = partner_or_404(request, code)
    if request.method == "GET":
        return _page(request, partner, MeetingForm(initial={"held_on": clock.today()}))
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("会议由伙伴关系官记录。"))
    form = MeetingForm(request.POST)
    sent = send(form, lambda data: record_meeting(partner.code, actor=actor_of(request), **data))
    return settle(
        request,
        sent,
        done=_("会议已记录。"),
        to=reverse("console:partner_meetings", kwargs={"code": partner.code}),
        again=lambda status: _page(request, partner, form, status),
    )


@staff_required
@require_POST
def action_done(request: HttpRequest, code: str, meeting_id: int, index: int) -> HttpResponse:
    """Mark a meeting's action item done (R-MEET-2; officer, admin)."""
    partner = partner_or_404(request, code)
    if not Meeting.objects.filter(pk=meeting_id, partner=partner).exists():
        raise Http404
    if not may_manage_partners(request.user):
        return forbidden(request, NAV, _("会议由伙伴关系官记录。"))
    try:
        mark_action_done(meeting_id, index, actor=actor_of(request))
    except DomainError as error:
        form = MeetingForm(initial={"held_on": clock.today()})
        return _page(request, partner, form, refused(request, error))
    messages.success(request, _("待办已完成。"))
    return redirect(reverse("console:partner_meetings", kwargs={"code": partner.code}))
