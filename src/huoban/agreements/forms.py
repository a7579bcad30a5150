"""The console's agreement forms (R-AGR-1/2): the draft with its clauses and an optional
per-unit scheme typed as lines, the review, the approval, the amendment, the exit quote."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huoban.core.forms import FileFields
from huoban.terms.models import PolicyVersion

from .models import IP_ITEMS, CustomerOwner, IpOwner, Kind

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )


def _area(label: Any, rows: int = 2, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": rows}),
        **kw,
    )


class SchemeFields(forms.Form):
    """R-UNIT-1's per-unit scheme, optional: direction, year, base target, the rate below it and
    the brackets as lines "upper bound  rate" — the last line's bound left as "-" (open)."""

    unit_direction = forms.ChoiceField(
        label=_("按件计价方向"),
        required=False,
        choices=[
            ("", _("（无按件方案）")),
            ("payable", _("我方支付伙伴")),
            ("receivable", _("伙伴支付我方")),
        ],
        widget=forms.Select(attrs=_SELECT),
    )
    unit_year = forms.IntegerField(
        label=_("方案年度"), required=False, widget=forms.NumberInput(attrs=_TEXT)
    )
    unit_base_target = forms.IntegerField(
        label=_("基础目标（件）"), required=False, widget=forms.NumberInput(attrs=_TEXT)
    )
    unit_below_target_rate = forms.DecimalField(
        label=_("目标以下单价"),
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.01"}),
    )
    unit_brackets = _area(
        _("阶梯（每行：累计上限 单价；最后一行上限写 -）"),
        rows=4,
        help_text=_("例：5000 250 / 8000 280 / 12000 320 / - 350"),
    )

    def scheme(self) -> dict[str, Any] | None:
        """The scheme as the service takes it, or None when no direction was chosen; a line
        that cannot be read is a field error on the brackets."""
        data = self.cleaned_data
        if not data.get("unit_direction"):
            return None
        brackets: list[dict[str, Any]] = []
        for n, line in enumerate((data.get("unit_brackets") or "").splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            try:
                bound = None if parts[0] in ("-", "—", "以上") else int(parts[0])
                rate = Decimal(parts[1]) if len(parts) == 2 else None
            except (ValueError, InvalidOperation):
                rate = None
            if rate is None:
                self.add_error(
                    "unit_brackets",
                    _("第 %(n)d 行应为“上限 单价” / Line %(n)d should read “bound rate”.")
                    % {"n": n},
                )
                return None
            brackets.append({"up_to": bound, "rate": str(rate)})
        rate = data.get("unit_below_target_rate")
        return {
            "kind": "per_unit",
            "direction": data["unit_direction"],
            "year": data.get("unit_year"),
            "base_target": data.get("unit_base_target"),
            "below_target_rate": None if rate is None else str(rate),
            "brackets": brackets,
        }


# The service's scheme errors ("scheme.brackets[1]") shown on the form's fields.
SCHEME_FIELDS = {
    "scheme": "unit_direction",
    "scheme.kind": "unit_direction",
    "scheme.direction": "unit_direction",
    "scheme.year": "unit_year",
    "scheme.version": "policy_version",
    "scheme.base_target": "unit_base_target",
    "scheme.below_target_rate": "unit_below_target_rate",
    "scheme.brackets": "unit_brackets",
    **{f"scheme.brackets[{i}]": "unit_brackets" for i in range(50)},
    **{"ip": "ip_project"},
}


class AgreementForm(SchemeFields):
    """Draft an agreement (R-AGR-1): kind, term, parties, duties, IP per item, the customer
    relationship, the data clauses, the exit terms, and the board flag."""

    partner_code = forms.CharField(
        label=_("伙伴编号"), max_length=20, widget=forms.TextInput(attrs=_TEXT)
    )
    kind = forms.ChoiceField(
        label=_("协议类型"), choices=Kind.choices, widget=forms.Select(attrs=_SELECT)
    )
    title = forms.CharField(
        label=_("标题"), required=False, max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )
    starts_on = _date(_("生效日"))
    ends_on = _date(_("到期日"))
    customer_name = forms.CharField(
        label=_("第三方（客户）"),
        required=False,
        max_length=200,
        help_text=_("三方协议时填写客户名称"),
        widget=forms.TextInput(attrs=_TEXT),
    )
    our_duties = _area(_("我方职责"))
    their_duties = _area(_("对方职责"))
    ip_project = forms.ChoiceField(
        label=IP_ITEMS["project"], choices=IpOwner.choices, initial=IpOwner.PENDING,
        widget=forms.Select(attrs=_SELECT),
    )  # fmt: skip
    ip_platform = forms.ChoiceField(
        label=IP_ITEMS["platform"], choices=IpOwner.choices, initial=IpOwner.PENDING,
        widget=forms.Select(attrs=_SELECT),
    )  # fmt: skip
    ip_customisation = forms.ChoiceField(
        label=IP_ITEMS["customisation"], choices=IpOwner.choices, initial=IpOwner.PENDING,
        widget=forms.Select(attrs=_SELECT),
    )  # fmt: skip
    customer_owner = forms.ChoiceField(
        label=_("客户关系归属"),
        required=False,
        choices=[("", _("按协议类型（引荐协议归伙伴，其余归我方）")), *CustomerOwner.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    data_owner = forms.CharField(
        label=_("数据所有方"), required=False, max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )
    data_use_scope = _area(_("数据使用范围"))
    data_destroy_days = forms.IntegerField(
        label=_("终止后数据销毁期限（天）"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    data_security_level = forms.CharField(
        label=_("数据安全等级"), required=False, max_length=50, widget=forms.TextInput(attrs=_TEXT)
    )
    data_breach_damages = forms.DecimalField(
        label=_("数据泄露违约金"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.01"}),
    )
    notice_months = forms.IntegerField(
        label=_("提前终止通知期（月）"),
        initial=6,
        min_value=0,
        max_value=36,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    penalty_rate = forms.DecimalField(
        label=_("提前终止违约金比例"),
        initial=Decimal("0.20"),
        min_value=0,
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.01"}),
    )
    major = forms.BooleanField(
        label=_("重大协议（须董事会审批）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    policy_version = forms.TypedChoiceField(
        label=_("锁定佣金政策版本（引荐协议）"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("合作前书面确认锁定：审批后，自生效日起该伙伴的项目按此版本计佣"),
        widget=forms.Select(attrs=_SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["policy_version"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("（不锁定：按项目签约日生效的版本）"))] + [
            (v.version, f"v{v.version}（{v.effective_from:%Y-%m-%d} 起）")
            for v in PolicyVersion.objects.order_by("-version")
        ]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if data.get("policy_version") is not None:
            if data.get("kind") != Kind.REFERRAL:
                self.add_error("policy_version", _("只有引荐协议可以锁定佣金政策版本。"))
            if data.get("unit_direction"):
                self.add_error("policy_version", _("按件计价方案与锁定政策版本只能选一个。"))
        return data

    def terms(self) -> dict[str, Any]:
        """The clauses as the service takes them (kind, dates and partner apart)."""
        d = self.cleaned_data
        version = d.get("policy_version")
        return {
            "title": d["title"],
            "customer_name": d["customer_name"],
            "our_duties": d["our_duties"],
            "their_duties": d["their_duties"],
            "ip": {item: d[f"ip_{item}"] for item in IP_ITEMS},
            "customer_owner": d["customer_owner"] or None,
            "data_owner": d["data_owner"],
            "data_use_scope": d["data_use_scope"],
            "data_destroy_days": d["data_destroy_days"],
            "data_security_level": d["data_security_level"],
            "data_breach_damages": d["data_breach_damages"],
            "notice_months": d["notice_months"],
            "penalty_rate": d["penalty_rate"],
            "major": d["major"],
            "scheme": {"kind": "policy", "version": version}
            if version is not None
            else self.scheme(),
        }


class AmendForm(SchemeFields):
    """An amendment (R-AGR-2): the new term and, for a yearly adjustment, the new scheme; what is
    left empty stays as in the approved version."""

    starts_on = _date(_("生效日"), required=False)
    ends_on = _date(_("到期日"), required=False)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class ApproveForm(forms.Form):
    board_approved_on = _date(_("董事会审批日"), required=False)
    board_minute = forms.CharField(
        label=_("董事会决议编号"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=_TEXT),
    )


class ExitQuoteForm(forms.Form):
    notice_on = _date(_("书面通知日"))


class UnitReportForm(forms.Form):
    """A month's units (R-UNIT-2) with the quality figures of R-UNIT-3."""

    period = forms.CharField(
        label=_("月份"),
        max_length=7,
        widget=forms.DateInput(attrs={**_TEXT, "type": "month"}),
    )
    units = forms.IntegerField(label=_("件数"), min_value=0, widget=forms.NumberInput(attrs=_TEXT))
    complaint_rate = forms.DecimalField(
        label=_("投诉率（比例，如 0.09）"),
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.0001"}),
    )
    nps = forms.DecimalField(
        label=_("NPS"),
        required=False,
        min_value=-100,
        max_value=100,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**_TEXT, "step": "0.1"}),
    )


class FileForm(FileFields):
    """Keep a file with an agreement (R-AGR-1): the signed copy, an annex, the board's minute."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "file_%s")  # its own ids beside the other forms
        super().__init__(*args, **kwargs)
