"""Console forms: they parse what staff type into the services' inputs (R-LEAD-3, R-LEAD-4)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huoban.accounts.models import STAFF_ROLES, Role
from huoban.audit.actions import Action
from huoban.customers.forms import ConsentFields
from huoban.customers.models import LinkKind
from huoban.leads.models import ReasonCode, Verdict
from huoban.leads.services import VerdictInput
from huoban.notifications.models import RobotKind
from huoban.notifications.webhooks import EVENTS
from huoban.partners.forms import PartnerUserForm
from huoban.partners.models import ExitKind, PartnerKind, PartnerType, ViolationKind
from huoban.profiles import rules as profile_rules
from huoban.profiles.models import (
    FACTS,
    Depth,
    Investment,
    KeyContact,
    PartnerProfile,
    Substitutability,
)
from huoban.projects.models import HighMarginCategory, Kind, MilestoneStatus, PaymentKind

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def _amount(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )


def _text(label: StrOrPromise, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": rows}),
    )


class VerdictForm(forms.Form):
    """A verdict: valid with a feasibility note and a quote range, or invalid with a reason
    code and a written explanation (R-LEAD-3). The service says which fields are missing."""

    verdict = forms.ChoiceField(
        label=_("结论"),
        choices=Verdict.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    feasibility = _text(_("可行性评估"))
    quote_min = _amount(_("报价下限（元）"))
    quote_max = _amount(_("报价上限（元）"))
    reason_code = forms.ChoiceField(
        label=_("无效原因"),
        required=False,
        choices=[("", "—"), *list(ReasonCode.choices)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    explanation = _text(_("说明"))

    def to_input(self) -> VerdictInput:
        data = self.cleaned_data
        quote_min: Decimal | None = data["quote_min"]
        quote_max: Decimal | None = data["quote_max"]
        return VerdictInput(
            verdict=data["verdict"],
            explanation=data["explanation"],
            reason_code=data["reason_code"] if data["verdict"] == Verdict.INVALID else "",
            feasibility=data["feasibility"] if data["verdict"] == Verdict.VALID else "",
            quote_min=quote_min if data["verdict"] == Verdict.VALID else None,
            quote_max=quote_max if data["verdict"] == Verdict.VALID else None,
        )


class SignatureForm(forms.Form):
    """One reviewer's signature on an appealed lead (R-LEAD-4)."""

    verdict = forms.ChoiceField(
        label=_("复核结论"),
        choices=Verdict.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    explanation = _text(_("复核说明"), required=True)
    feasibility = _text(_("可行性评估"), rows=2)
    quote_min = _amount(_("报价下限（元）"))
    quote_max = _amount(_("报价上限（元）"))

    def to_input(self) -> VerdictInput:
        data = self.cleaned_data
        valid = data["verdict"] == Verdict.VALID
        return VerdictInput(
            verdict=data["verdict"],
            explanation=data["explanation"],
            feasibility=data["feasibility"] if valid else "",
            quote_min=data["quote_min"] if valid else None,
            quote_max=data["quote_max"] if valid else None,
        )


def _input(label: StrOrPromise, required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _date(label: StrOrPromise, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        # ISO format: a type="date" input shows nothing for a localised value.
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )


class InboundForm(forms.Form):
    """A customer's direct contact (R-ATT-5); the service asks for the referral answer (首问必确认)
    when nobody owns the customer."""

    name = _input(_("客户名称"))
    uscc = _input(_("统一社会信用代码"), required=False, max_length=18)
    referral_answer = forms.ChoiceField(
        label=_("客户是否有引荐伙伴？"),
        required=False,
        choices=[("yes", _("有")), ("no", _("没有"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    referring_partner_name = _input(_("客户提及的伙伴"), required=False)
    note = _text(_("备注"), rows=2)


class LinkForm(forms.Form):
    """Link a related entity found later, by its name or USCC (R-ATT-6)."""

    related = _input(_("关联主体名称或信用代码"))
    kind = forms.ChoiceField(
        label=_("关系"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = LinkKind.choices  # type: ignore[attr-defined]


class ExitForm(forms.Form):
    """A partner's exit (R-EXIT-1)."""

    kind = forms.ChoiceField(
        label=_("退出类型"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    on = _date(_("退出日期"))
    notice_on = _date(_("通知日期"), required=False)
    note = _text(_("说明"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "exit_%s")  # the partner page holds several forms
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ExitKind.choices  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    """Register a partner (R-UI-1): the service checks the USCC, the kind and the recruiter."""

    name = forms.CharField(
        label=_("名称"),
        max_length=200,
        help_text=_("个人填姓名，机构填营业执照上的全称。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}),
    )
    kind = forms.ChoiceField(
        label=_("伙伴类型"),
        choices=PartnerKind.choices,
        initial=PartnerKind.ORGANIZATION,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    types = forms.MultipleChoiceField(
        label=_("合作类别"),
        required=False,
        choices=PartnerType.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    region = forms.CharField(
        label=_("地区"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        required=False,
        max_length=32,
        help_text=_("机构填写，18 位；个人不填。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "characters"}),
    )
    referrer_code = forms.CharField(
        label=_("推荐伙伴编号"),
        required=False,
        max_length=16,
        help_text=_("由已有伙伴推荐时填写，推荐方获得 1% 推荐奖励。"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    contact_name = forms.CharField(
        label=_("联系人"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    contact_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    # The public application this registration turns into a partner (the queue's 转为伙伴).
    inquiry = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # HTMX: the USCC is checked as it is typed; without JavaScript, when the form is sent.
        self.fields["uscc"].widget.attrs.update(
            {
                "hx-get": reverse("console:partner_uscc_check"),
                "hx-trigger": "keyup changed delay:400ms, input changed delay:400ms",
                "hx-target": "#uscc-check",
                "hx-sync": "this:replace",
            }
        )


class PartnerProfileForm(forms.Form):
    """Correct a partner's record (R-UI-1): the registration form's fields but the kind and the
    recruiter."""

    name = PartnerForm.base_fields["name"]
    types = PartnerForm.base_fields["types"]
    region = PartnerForm.base_fields["region"]
    uscc = PartnerForm.base_fields["uscc"]
    contact_name = PartnerForm.base_fields["contact_name"]
    contact_phone = PartnerForm.base_fields["contact_phone"]


class InquiryHandlingForm(forms.Form):
    """Record the contact with an applicant (a note), or decline with a reason."""

    action = forms.ChoiceField(
        label=_("处理"),
        choices=[("contacted", _("已联系")), ("decline", _("谢绝"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("联系记录或谢绝原因")}
        ),
    )


class ViolationForm(forms.Form):
    """A partner violation an officer records (R-VIOL-2): it blocks promotion and white-label."""

    kind = forms.ChoiceField(
        label=_("违规类型"),
        choices=ViolationKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    occurred_on = _date(_("发生日期"))
    description = _text(_("事实经过"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "violation_%s")  # the partner page holds several forms
        super().__init__(*args, **kwargs)


def _staff_roles() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


class StaffUserForm(PartnerUserForm):
    """Create a staff user (R-UI-1): the admin hands over the first password, which the user
    must change at its first sign-in."""

    # No role preselected: the admin chooses one (an admin by default would be a trap).
    role = forms.ChoiceField(
        label=_("角色"),
        choices=lambda: [("", "——"), *_staff_roles()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        max_length=128,
        help_text=_("至少 8 位；用户首次登录时必须修改。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("角色"), choices=_staff_roles, widget=forms.Select(attrs={"class": "form-select"})
    )


class StaffPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("新的临时密码"),
        strip=False,
        max_length=128,
        help_text=_("用户下次登录时必须修改。"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class HolidayForm(forms.Form):
    """One day of the holiday table (R-CAL-2)."""

    date = _date(_("日期"))
    is_workday = forms.TypedChoiceField(
        label=_("类型"),
        choices=[("no", _("放假")), ("yes", _("调休上班"))],
        coerce=lambda v: v == "yes",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = _input(_("名称"), required=False, max_length=100)


class HolidayImportForm(forms.Form):
    """A year pasted from the State Council's notice: one day per line."""

    year = forms.IntegerField(
        label=_("年份"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    text = forms.CharField(
        label=_("节假日表"),
        max_length=20000,
        help_text=_(
            "每行一天：日期 名称 休/班，例如“2027-02-06 春节 休”“2027-02-14 春节调休 班”。"
        ),
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 8}),
    )


class AuditFilterForm(forms.Form):
    """Filters of the audit log: who, what, which object, when (all optional)."""

    actor = _input(_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("动作"),
        required=False,
        choices=lambda: [("", _("全部动作")), *Action.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object_type = _input(_("对象类型"), required=False, max_length=64)
    object_id = _input(_("对象编号"), required=False, max_length=64)
    since = _date(_("起始日期"), required=False)
    until = _date(_("截止日期"), required=False)


class DecisionForm(forms.Form):
    """Approve or reject a strategic application with a reason (R-TIER-2)."""

    approve = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("yes", _("批准")), ("no", _("驳回"))],
        coerce=lambda v: v == "yes",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = _text(_("审批意见"), rows=2)


class MilestoneForm(forms.Form):
    """One stage of the progress board (R-PROJ-3)."""

    planned_on = _date(_("计划日期"), required=False)
    actual_on = _date(_("实际日期"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    note = _text(_("备注"), rows=1)

    def __init__(self, *args: object, **kwargs: object) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["status"].choices = MilestoneStatus.choices  # type: ignore[attr-defined]


class SigningForm(forms.Form):
    """Sign a project for an attributed customer (R-PROJ-1, R-PROJ-2): the preview shows the
    terms it would lock before anything is saved."""

    title = _input(_("项目名称"), max_length=200)
    contract_no = forms.CharField(
        label=_("合同编号"),
        max_length=64,
        required=False,
        help_text=_("选填；公司自己的合同编号，导入项目和回款时可按它查找"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("项目类型"),
        choices=Kind.choices,
        initial=Kind.NEW,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    contract_amount = forms.DecimalField(
        label=_("合同金额（元）"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )
    signed_on = _date(_("签约日"))
    high_margin = forms.BooleanField(
        label=_("高毛利项目"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    high_margin_category = forms.ChoiceField(
        label=_("高毛利类别"),
        required=False,
        choices=[("", "—"), *HighMarginCategory.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    project_manager = forms.TypedChoiceField(
        label=_("项目经理"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    cash_only = forms.BooleanField(
        label=_("全额预付（开工前付清 100%）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("高风险客户只能以全额预付签约；全额预付不占用信用额度。"),
    )
    lead = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, managers: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["project_manager"].choices = [("", "—"), *managers]  # type: ignore[attr-defined]

    def service_fields(self, customer_id: int) -> dict[str, Any]:
        """The cleaned data as ``check_signing`` / ``create_project`` take it."""
        data = self.cleaned_data
        return {
            "customer_id": customer_id,
            "title": data["title"],
            "kind": data["kind"],
            "high_margin": data["high_margin"],
            "high_margin_category": data["high_margin_category"] or None,
            "contract_amount": data["contract_amount"],
            "signed_on": data["signed_on"],
            "lead_id": data["lead"],
            "project_manager_id": data["project_manager"],
        }


class AmendForm(forms.Form):
    """Correct the contract amount before the first payment (R-PROJ-2): re-priced under the
    same policy version and the tier at signing."""

    contract_amount = forms.DecimalField(
        label=_("更正后的合同金额（元）"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )
    reason = _text(_("更正原因"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The project page holds several forms: ids of their own (amend_reason, not id_reason).
        kwargs.setdefault("auto_id", "amend_%s")
        super().__init__(*args, **kwargs)


class PaymentForm(forms.Form):
    """A customer payment or refund (R-PROJ-4)."""

    kind = forms.ChoiceField(
        label=_("类型"), choices=[], widget=forms.Select(attrs={"class": "form-select"})
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "decimal", "step": "0.01"}
        ),
    )
    received_on = _date(_("到账日"))
    reference = _input(_("流水号"), max_length=100)
    confirm_over_contract = forms.BooleanField(
        label=_("确认超出合同金额"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    refund_of = _input(_("原回款流水号（退款时）"), required=False, max_length=100)

    def __init__(self, *args: object, **kwargs: object) -> None:

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = PaymentKind.choices  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    """Acceptance 验收 (R-PROJ-5)."""

    accepted_on = _date(_("验收日"))


class CancelForm(forms.Form):
    """Cancellation (R-PROJ-5)."""

    cancelled_on = _date(_("取消日"))
    reason = _text(_("取消原因"), rows=2, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cancel_%s")
        super().__init__(*args, **kwargs)


class PayoutForm(forms.Form):
    """A payout of approved entries under one bank reference (R-LED-8)."""

    bank_reference = _input(_("银行流水号"), max_length=100)
    paid_on = _date(_("付款日"))


class AdjustmentForm(forms.Form):
    """A reversing or adjusting ledger entry with a reason (R-LED-2); it counts once finance and
    admin both approve it. ``confirm`` is set by the preview's 确认提交 button."""

    partner = _input(_("伙伴编号"), max_length=20)
    reverses = forms.IntegerField(
        label=_("冲销条目编号"),
        required=False,
        min_value=1,
        help_text=_("冲销某一条目时填写；金额留空即按原金额取反。"),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    amount = _amount(_("调整金额（元）"))
    reason = _text(_("调整原因"), rows=2, required=True)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_partner(self) -> str:
        return str(self.cleaned_data["partner"]).strip().upper()


class SettlementForm(forms.Form):
    """The annual settlement of a finished year (R-LED-6)."""

    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class StaffConsentForm(ConsentFields):
    """An officer records the owner's written consent for a staff user or role (R-ATT-7): the
    signed document is uploaded; a grant to oneself or to a whole role waits for a second
    officer's approval (the service decides)."""

    document = forms.FileField(
        label=_("书面同意文件（PDF/JPG/PNG）"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}
        ),
    )
    field_order = ["grantee_username", "grantee_role", "expires_at", "document", "note"]


class WebhookForm(forms.Form):
    """Register a webhook (R-HOOK-1): its address and the events it receives."""

    url = forms.CharField(
        label=_("接收地址"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "class": "form-control"}),
    )
    events = forms.MultipleChoiceField(
        label=_("事件"),
        choices=[(e, e) for e in EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )


class RobotForm(forms.Form):
    """Register a team chat's group robot (R-NOTE-2): WeCom, DingTalk or Feishu."""

    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：线索提醒"), "class": "form-control"}),
    )
    team = forms.CharField(
        label=_("团队"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("如：华东销售"), "class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=RobotKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://…", "class": "form-control"}),
    )
    secret = forms.CharField(
        label=_("签名密钥"),
        max_length=200,
        required=False,
        help_text=_(
            "钉钉「加签」的 SEC… 密钥（必填），飞书「签名校验」的密钥（可选）；企业微信不需要。"
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    events = forms.MultipleChoiceField(
        label=_("事件"),
        choices=[(e, e) for e in EVENTS],
        widget=forms.CheckboxSelectMultiple,
    )


class ProfileForm(forms.ModelForm):
    """A partner's basic facts and complementarity (R-PRF-1); empty stays 待补充."""

    website = forms.URLField(
        label=_("网站"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = PartnerProfile
        fields = ["complementarity", *FACTS]
        widgets = {
            "complementarity": forms.Select(attrs={"class": "form-select"}),
            "founded_on": forms.DateInput(
                attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"
            ),
            "main_business": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "core_technology": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "facts_%s")  # its own ids on the partner page
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class KeyContactForm(forms.ModelForm):
    class Meta:
        model = KeyContact
        fields = ["name", "title", "layer", "phone", "email", "wechat"]
        widgets = {"layer": forms.Select(attrs={"class": "form-select"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "contact_%s")  # its own ids on the partner page
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class DeliveryReviewForm(forms.Form):
    """R-ASM-2: one dimension per line with its rating (优秀 / 良好 / 待验证 / 较弱)."""

    ratings = forms.CharField(
        label=_("各维度评级（每行：维度 评级）"),
        help_text=_("评级：优秀、良好、待验证、较弱。例：AI算法能力 优秀"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "delivery_%s")  # its own ids on the partner page
        super().__init__(*args, **kwargs)

    def clean_ratings(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []  # in the reviewer's order; the service refuses repeats
        for n, line in enumerate(self.cleaned_data["ratings"].splitlines(), start=1):
            parts = line.replace("：", " ").replace(":", " ").split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(_("第 %(n)d 行应为“维度 评级”") % {"n": n})
            out.append((" ".join(parts[:-1]), parts[-1]))
        return out


class DepthForm(forms.Form):
    """Confirm a partner's cooperation depth (R-PRF-2); a reason when it departs from the
    suggestion or changes."""

    depth = forms.ChoiceField(
        label=_("合作深度"),
        choices=Depth.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "depth_%s")  # its own ids on the partner page
        super().__init__(*args, **kwargs)


class CriticalityForm(forms.Form):
    """Grade a partner (R-CRIT-1): strategic value and substitutability; the investment it needs
    beside them; a reason (required when the grade changes)."""

    strategic_value = forms.TypedChoiceField(
        label=_("战略价值"),
        coerce=int,
        choices=[(v, "★" * v) for v in range(5, 0, -1)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    substitutability = forms.ChoiceField(
        label=_("可替代性"),
        choices=Substitutability.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    investment = forms.ChoiceField(
        label=_("所需投入"),
        choices=[("", "—"), *Investment.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class AssessmentForm(forms.Form):
    """A capability (4 dimensions) or willingness (3 signals) assessment (R-ASM-1): each 1–5 with
    an optional note. The fields are the kind's dimensions."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        for d in profile_rules.DIMENSIONS[kind]:
            self.fields[d] = forms.TypedChoiceField(
                label=DIMENSION_LABELS[d],
                coerce=int,
                choices=[(v, str(v)) for v in range(5, 0, -1)],
                initial=3,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"{d}_note"] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "aria-label": f"{DIMENSION_LABELS[d]} · {_('说明')}",
                        "placeholder": _("说明"),
                    }
                ),
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[d], self[f"{d}_note"]) for d in profile_rules.DIMENSIONS[self.kind]]

    def scores(self) -> dict[str, int]:
        return {d: self.cleaned_data[d] for d in profile_rules.DIMENSIONS[self.kind]}

    def notes(self) -> dict[str, str]:
        return {d: self.cleaned_data[f"{d}_note"] for d in profile_rules.DIMENSIONS[self.kind]}


DIMENSION_LABELS = {
    "resources": _("资源"),
    "technology": _("技术"),
    "operations": _("运营"),
    "credibility": _("信誉"),
    "executive_support": _("高层支持"),
    "dedicated_team": _("资源投入"),
    "long_term_commitment": _("长期承诺（≥ 3 年）"),
}
