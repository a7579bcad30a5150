"""Customer credit in the console (SPEC §10.12, R-CRED; R-UI-1): a customer's credit as it
holds today with its reviews; finance records reviews and approves an excess over a limit, the
gm approves a limit above 1,000,000.00; finance sets a project's billing plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huoban.credit import services
from huoban.credit.models import CreditExcess, CreditReview, Rating, ReviewStatus, RiskLevel
from huoban.customers.models import Customer
from huoban.errors import NotFound, ValidationFailed
from huoban.policy import may_approve_credit_limits, may_review_credit
from huoban.projects.models import Project
from huoban.projects.services import get_visible
from huoban.web import actor_of, mark_invalid, send, staff_required

from .common import forbidden, settle

NAV = "customers"
_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}
_MONEY = {"class": "form-control", "inputmode": "decimal"}


class CreditReviewForm(forms.Form):
    rating = forms.ChoiceField(
        label=gettext_lazy("信用评级"), choices=Rating.choices, widget=forms.Select(attrs=_SELECT)
    )
    risk = forms.ChoiceField(
        label=gettext_lazy("信用风险"),
        choices=RiskLevel.choices,
        initial=RiskLevel.LOW,
        widget=forms.Select(attrs=_SELECT),
    )
    credit_limit = forms.CharField(
        label=gettext_lazy("信用额度（元）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_MONEY),
        help_text=gettext_lazy("超过 1,000,000.00 须总经理审批；留空即不授信。"),
    )
    dishonest_debtor = forms.BooleanField(
        label=gettext_lazy("列为失信被执行人"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    sources = forms.CharField(
        label=gettext_lazy("信息来源（每行一个）"),
        required=False,
        max_length=2100,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )
    registered_capital = forms.CharField(
        label=gettext_lazy("注册资本（元）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_MONEY),
    )
    years_in_operation = forms.CharField(
        label=gettext_lazy("经营年限（年）"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={**_TEXT, "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class ExcessForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("批准的项目金额上限（元）"),
        max_length=20,
        widget=forms.TextInput(attrs=_MONEY),
    )
    note = forms.CharField(
        label=gettext_lazy("批准理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("审批"),
        choices=[("yes", gettext_lazy("批准")), ("no", gettext_lazy("不批准"))],
        coerce=lambda value: value == "yes",
        widget=forms.Select(attrs=_SELECT),
    )
    note = forms.CharField(
        label=gettext_lazy("审批意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class BillingPlanForm(forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("各期：金额，应收日（每行一期）"),
        max_length=2000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 4, "placeholder": "100000.00，2027-01-31"}),
    )

    def instalments(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["lines"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            rows.append({"amount": parts[0], "due_on": parts[1] if len(parts) > 1 else ""})
        return rows


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    customer = Customer.objects.visible_to(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def _page(
    request: HttpRequest,
    customer: Customer,
    *,
    form: CreditReviewForm | None = None,
    excess: ExcessForm | None = None,
    decide: DecideForm | None = None,
    failed: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    reviews = []
    for review in CreditReview.objects.filter(customer=customer).select_related(
        "recorded_by", "decided_by"
    ):
        form_of = None
        if review.status == ReviewStatus.PENDING and may_approve_credit_limits(user):
            form_of = (
                decide if decide is not None and failed == review.pk
                else DecideForm(auto_id=f"decide{review.pk}_%s")
            )  # fmt: skip
        reviews.append((review, mark_invalid(form_of) if form_of else None))
    return render(
        request,
        "console/credit.html",
        {
            "nav": NAV,
            "customer": customer,
            "held": services.standing(customer),
            "reviews": reviews,
            "excesses": CreditExcess.objects.filter(customer=customer).select_related(
                "approved_by", "project"
            ),
            "may_review": may_review_credit(user),
            "form": mark_invalid(form or CreditReviewForm(auto_id="review_%s")),
            "excess_form": mark_invalid(excess or ExcessForm(auto_id="excess_%s")),
        },
        status=status,
    )


def _to(customer: Customer) -> str:
    return reverse("console:customer_credit", kwargs={"customer_id": customer.pk})


@staff_required
@require_http_methods(["GET", "POST"])
def customer_credit(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: the customer's credit; POST: finance records a credit review (R-CRED-2)."""
    customer = _customer(request, customer_id)
    if request.method != "POST":
        return _page(request, customer)
    if not may_review_credit(request.user):
        return forbidden(request, NAV, _("资信调查由财务登记。"))
    form = CreditReviewForm(request.POST, auto_id="review_%s")
    sent = send(
        form, lambda data: services.record_review(customer.pk, actor=actor_of(request), **data)
    )

    def done(review: CreditReview) -> str:
        if review.status == ReviewStatus.PENDING:
            return _("资信调查已登记；信用额度超过 1,000,000.00，待总经理审批后生效。")
        return _("资信调查已登记并生效。")

    return settle(
        request, sent, done=done, to=_to(customer),
        again=lambda status: _page(request, customer, form=form, status=status),
    )  # fmt: skip


@staff_required
@require_POST
def credit_excess(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Finance approves one project over a medium-risk customer's limit (R-CRED-3)."""
    customer = _customer(request, customer_id)
    if not may_review_credit(request.user):
        return forbidden(request, NAV, _("超信用额度由财务批准。"))
    form = ExcessForm(request.POST, auto_id="excess_%s")
    sent = send(
        form, lambda data: services.approve_excess(customer.pk, actor=actor_of(request), **data)
    )
    return settle(
        request, sent, done=_("已批准：下一个不超过该金额的项目可超额度签约。"), to=_to(customer),
        again=lambda status: _page(request, customer, excess=form, status=status),
    )  # fmt: skip


@staff_required
@require_POST
def credit_decide(request: HttpRequest, customer_id: int, review_id: int) -> HttpResponse:
    """The gm approves or declines a limit above 1,000,000.00 (R-CRED-2, 授信审批)."""
    customer = _customer(request, customer_id)
    if not CreditReview.objects.filter(pk=review_id, customer=customer).exists():
        raise Http404
    if not may_approve_credit_limits(request.user):
        return forbidden(request, NAV, _("大额授信由总经理审批。"))
    form = DecideForm(request.POST, auto_id=f"decide{review_id}_%s")
    sent = send(
        form, lambda data: services.decide_review(review_id, actor=actor_of(request), **data)
    )

    def done(review: CreditReview) -> str:
        if review.status == ReviewStatus.IN_FORCE:
            return _("已批准，信用额度自今日生效。")
        return _("已不予批准。")

    return settle(
        request, sent, done=done, to=_to(customer),
        again=lambda status: _page(request, customer, decide=form, failed=review_id,
                                   status=status),
    )  # fmt: skip


def _plan_page(
    request: HttpRequest, project: Project, *, form: BillingPlanForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    rows = services.plan_of(project)
    if form is None:
        text = "\n".join(f"{r.amount}，{r.due_on.isoformat()}" for r in rows)
        form = BillingPlanForm(initial={"lines": text}, auto_id="plan_%s")
    return render(
        request,
        "console/billing_plan.html",
        {
            "nav": "projects",
            "project": project,
            "rows": rows,
            "total": sum((r.amount for r in rows), Decimal("0.00")),
            "overdue_days": max((r.overdue_days for r in rows), default=0),
            "may_edit": may_review_credit(request.user),
            "form": mark_invalid(form),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def billing_plan(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: a project's billing plan with what is covered and overdue; POST: finance sets it
    (R-CRED-1)."""
    try:
        project = get_visible(request.user, project_id)
    except NotFound as exc:  # R-VIS-4
        raise Http404 from exc
    if request.method != "POST":
        return _plan_page(request, project)
    if not may_review_credit(request.user):
        return forbidden(request, "projects", _("收款计划由财务维护。"))
    form = BillingPlanForm(request.POST, auto_id="plan_%s")

    def save(data: dict[str, Any]) -> Any:
        try:
            return services.set_billing_plan(
                project.pk, actor=actor_of(request), instalments=form.instalments()
            )
        except ValidationFailed as exc:
            raise ValidationFailed({"lines": _lines_message(exc.errors)}) from exc

    sent = send(form, save)
    return settle(
        request, sent, done=_("收款计划已保存。"),
        to=reverse("console:billing_plan", kwargs={"project_id": project.pk}),
        again=lambda status: _plan_page(request, project, form=form, status=status),
    )  # fmt: skip


def _lines_message(errors: dict[str, str]) -> str:
    """The service's field errors (``instalments[1].due_on``) as one message on the lines,
    numbered as the user counts them (第 2 行)."""
    parts = []
    for key, message in errors.items():
        if key.startswith("instalments[") and "]" in key:
            index = int(key[len("instalments[") : key.index("]")])
            parts.append(_("第 %(n)d 行：%(message)s") % {"n": index + 1, "message": message})
        else:
            parts.append(message)
    return "；".join(parts)
