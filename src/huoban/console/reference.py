"""Reference data the admin keeps: the holiday table (R-CAL-2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huoban import clock
from huoban.core.models import Holiday
from huoban.errors import DomainError, NotFound
from huoban.holidays import delete_holiday, import_holidays, set_holiday
from huoban.policy import may_manage_reference_data
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, refused
from .forms import HolidayForm, HolidayImportForm


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else clock.today().year


def _holidays_page(
    request: HttpRequest,
    form: HolidayForm | None = None,
    import_form: HolidayImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    year = _year(request)
    context: dict[str, Any] = {
        "nav": "holidays",
        "page_url": f"{reverse('console:holidays')}?year={year}",
        "year": year,
        "years": [year - 1, year, year + 1],
        "rows": Holiday.objects.filter(date__year=year).order_by("date"),
        "may_edit": may_manage_reference_data(request.user),
        "form": mark_invalid(form or HolidayForm()),
        "import_form": mark_invalid(import_form or HolidayImportForm(initial={"year": year})),
    }
    return render(request, "console/holidays.html", context, status=status)


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('console:holidays')}?year={year}")


@staff_required
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    """The table of one year (every staff role reads it); the admin enters a day."""
    if request.method == "GET":
        return _holidays_page(request)
    if not may_manage_reference_data(request.user):
        return forbidden(request, "holidays", _("节假日表由管理员维护。"))
    form = HolidayForm(request.POST)
    sent = send(
        form,
        lambda data: set_holiday(
            data["date"], is_workday=data["is_workday"], name=data["name"], actor=actor_of(request)
        ),
    )
    if sent.ok:
        messages.success(request, _("已保存 %(date)s。") % {"date": sent.value.date.isoformat()})
        return _back(sent.value.date.year)
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _holidays_page(request, form=form, status=status)


@staff_required
@require_POST
def holidays_import(request: HttpRequest) -> HttpResponse:
    """A whole year pasted at once: every line or none (admin)."""
    if not may_manage_reference_data(request.user):
        return forbidden(request, "holidays", _("节假日表由管理员维护。"))
    form = HolidayImportForm(request.POST)
    sent = send(
        form,
        lambda data: import_holidays(data["text"], year=data["year"], actor=actor_of(request)),
    )
    if sent.ok:
        messages.success(request, _("已导入，%(n)d 天新增或变更。") % {"n": sent.value})
        return _back(int(form.cleaned_data["year"]))
    status = refused(request, sent.refusal) if sent.refusal else 422
    return _holidays_page(request, import_form=form, status=status)


@staff_required
@require_POST
def holiday_delete(request: HttpRequest, day: str) -> HttpResponse:
    """Take a day out of the table (admin)."""
    if not may_manage_reference_data(request.user):
        return forbidden(request, "holidays", _("节假日表由管理员维护。"))
    try:
        date = dt.date.fromisoformat(day)
        delete_holiday(date, actor=actor_of(request))
    except (ValueError, NotFound) as e:
        raise Http404 from e
    except DomainError as e:
        return _holidays_page(request, status=refused(request, e))
    messages.success(request, _("已删除 %(date)s。") % {"date": day})
    return _back(date.year)
