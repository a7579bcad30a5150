"""Portal forms. They parse what a partner types into the services' inputs; the rules (which
fields are required together, the USCC check digit, budgets) stay in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huoban.customers.forms import ConsentFields
from huoban.customers.models import Customer
from huoban.leads.models import CATEGORY_ITEMS, Category
from huoban.leads.services import LeadInput
from huoban.partners.models import CompanyViolationKind
from huoban.projects.models import Project

# The scenario items of seed 000 §二 with translatable labels (CATEGORY_ITEMS holds the
# Chinese only); a test keeps the two in step.
ITEM_LABELS: dict[str, Promise] = {
    "erp_oa_upgrade": _("ERP/OA 系统升级"),
    "digital_management_platform": _("企业数字化管理平台"),
    "private_domain_ops": _("私域运营系统"),
    "office_automation": _("办公自动化改造"),
    "domestic_system": _("国产化系统开发"),
    "xinchuang_adaptation": _("信创环境适配"),
    "gov_service_platform": _("政务服务平台"),
    "group_compliance_it": _("集团合规信息化建设"),
    "smart_customer_service": _("智能客服"),
    "process_automation": _("流程自动化"),
    "knowledge_base": _("企业知识库"),
    "data_analytics": _("数据分析平台"),
    "industry_ai_model": _("行业 AI 模型定制"),
    "vi_design": _("VI 视觉设计"),
    "ui_ux": _("UI/UX 交互设计"),
    "web_miniprogram_visual": _("官网 / 小程序视觉落地"),
    "brand_full_case": _("品牌全案输出"),
    "vertical_system": _("垂直行业系统开发"),
    "custom_tool": _("企业专属工具开发"),
    "transformation_turnkey": _("数字化转型整体总包项目"),
}

# The service's error keys (named as in the API body) → this form's fields.
LEAD_ERROR_FIELDS = {
    "customer.name": "customer_name",
    "customer.uscc": "customer_uscc",
    "customer.region": "customer_region",
    "customer.industry": "customer_industry",
    "contact.name": "contact_name",
    "contact.title": "contact_title",
    "contact.phone": "contact_phone",
}


def item_choices(category: str | None = None) -> list[Any]:
    """The item choices: one category's items, or all of them grouped by category (the form
    without JavaScript shows every item under its category's heading)."""
    blank: list[Any] = [("", _("（不限 / 待定）"))]
    if category in CATEGORY_ITEMS:
        return blank + [
            (code, ITEM_LABELS.get(code, label)) for code, label in CATEGORY_ITEMS[category]
        ]
    return blank + [
        (
            Category(cat).label,
            [(code, ITEM_LABELS.get(code, label)) for code, label in CATEGORY_ITEMS[cat]],
        )
        for cat in Category.values
    ]


def _input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


class LeadForm(forms.Form):
    """A lead as a partner registers it (R-LEAD-1), field for field the API's LeadIn."""

    customer_name = forms.CharField(
        label=_("客户名称"), max_length=200, widget=_input(autocomplete="off")
    )
    customer_uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        required=False,
        help_text=_("选填，18 位"),
        widget=_input(autocomplete="off", autocapitalize="characters"),
    )
    customer_region = forms.CharField(
        label=_("地区"), max_length=100, required=False, widget=_input()
    )
    customer_industry = forms.CharField(
        label=_("行业"), max_length=100, required=False, widget=_input()
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=100, widget=_input())
    contact_title = forms.CharField(
        label=_("职务"), max_length=100, required=False, widget=_input()
    )
    contact_phone = forms.CharField(
        label=_("电话"),
        max_length=32,
        required=False,
        widget=_input(type="tel", inputmode="tel", autocomplete="off"),
    )
    contact_is_decision_maker = forms.BooleanField(
        label=_("联系人是决策人"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    category = forms.ChoiceField(
        label=_("场景类别"),
        choices=[("", _("请选择")), *list(Category.choices)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    item = forms.ChoiceField(
        label=_("具体内容"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    need = forms.CharField(
        label=_("需求简述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    budget_min = forms.DecimalField(
        label=_("预算下限（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )
    budget_max = forms.DecimalField(
        label=_("预算上限（元）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )
    expected_start = forms.DateField(
        label=_("预计启动"),
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every item is a valid choice for the form; the service checks it fits the category.
        self.fields["item"].choices = item_choices()  # type: ignore[attr-defined]
        # HTMX enhancements; without JavaScript the form posts normally.
        self.fields["customer_name"].widget.attrs.update(
            {
                "hx-get": reverse("portal:name_check"),
                # keyup for typing; input for IME composition and paste (WeChat, phones).
                "hx-trigger": "keyup changed delay:400ms, input changed delay:400ms",
                "hx-target": "#name-check",
                "hx-include": "[name=customer_uscc]",
                "hx-sync": "this:replace",
            }
        )
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("portal:lead_items"),
                "hx-target": "#id_item",
                "hx-swap": "outerHTML",
                "hx-include": "[name=item]",
            }
        )

    def to_input(self) -> LeadInput:
        data = self.cleaned_data
        return LeadInput(
            customer_name=data["customer_name"],
            customer_uscc=data["customer_uscc"],
            customer_region=data["customer_region"],
            customer_industry=data["customer_industry"],
            contact_name=data["contact_name"],
            contact_title=data["contact_title"],
            contact_phone=data["contact_phone"],
            contact_is_decision_maker=data["contact_is_decision_maker"],
            category=data["category"],
            item=data["item"],
            need=data["need"],
            budget_min=data["budget_min"],
            budget_max=data["budget_max"],
            expected_start=data["expected_start"],
        )


class AppealForm(forms.Form):
    """An appeal of an invalid verdict (R-LEAD-4)."""

    reason = forms.CharField(
        label=_("申诉理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


# --- contact consents (R-ATT-7) ---------------------------------------------------------------

# The service names the fields as the API does; "grantee" (neither or both) sits on the username.
CONSENT_ERROR_FIELDS = {"grantee": "grantee_username", "partner": "customer"}


class ConsentForm(ConsentFields):
    """The owning partner grants a staff user (by username) or a staff role access to one of
    its customers' contacts until an expiry."""

    customer = forms.ModelChoiceField(
        label=_("客户"),
        queryset=Customer.objects.none(),
        empty_label=_("请选择客户"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field_order = ["customer", "grantee_username", "grantee_role", "expires_at", "note"]

    def __init__(self, *args: Any, customers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if customers is not None:
            self.fields["customer"].queryset = customers  # type: ignore[attr-defined]


# --- strategic application (R-TIER-2) ---------------------------------------------------------


class StrategicApplicationForm(forms.Form):
    """Apply for strategic: the resources the partner brings and its plan."""

    resources = forms.CharField(
        label=_("可提供的资源"),
        max_length=5000,
        help_text=_("如独家行业或区域资源、政府或集团资源。"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )
    plan = forms.CharField(
        label=_("合作计划"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )


# --- company violations (R-VIOL-1) ------------------------------------------------------------


class CompanyViolationForm(forms.Form):
    """A partner reports a breach by the company on one of its projects."""

    project = forms.ModelChoiceField(
        label=_("项目"),
        queryset=Project.objects.none(),
        empty_label=_("请选择项目"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("违约类型"),
        choices=CompanyViolationKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    description = forms.CharField(
        label=_("事实经过"),
        max_length=5000,
        help_text=_("时间、人员、经过；管理员核实后确认。"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )

    def __init__(self, *args: Any, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects  # type: ignore[attr-defined]
