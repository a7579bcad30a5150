"""The commission-policy form (R-POL-1): rates typed as percentages, ladders one step a line."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal("100")
OPEN_ENDED = {"以上", "above", "*", "∞", "-"}
SEPARATORS = re.compile(r"[\s,，:：→]+")


def _fraction(percent: Decimal) -> str:
    return format((percent / HUNDRED).normalize(), "f")


def _percent(fraction: str | Decimal) -> str:
    return format((Decimal(str(fraction)) * HUNDRED).normalize(), "f")


def _amount(text: str) -> Decimal:
    value = Decimal(text.replace("，", "").replace(",", ""))
    if not value.is_finite():
        raise InvalidOperation
    return value


def _steps(text: str, *, open_last: bool) -> list[list[str | None]]:
    steps: list[list[str | None]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [p for p in SEPARATORS.split(raw.strip().rstrip("%")) if p]
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise InvalidOperation
            bound_text, rate_text = parts[0], parts[1].rstrip("%")
            bound = None if open_last and bound_text.lower() in OPEN_ENDED else _amount(bound_text)
            rate = _amount(rate_text)
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(
                _("第 %(n)d 行应为“金额 百分比”，例如“300000 22”。"), params={"n": number}
            ) from None
        steps.append([None if bound is None else format(bound, "f"), _fraction(rate)])
    return steps


def _pct(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=HUNDRED,
        max_digits=7,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )


def _days(label: Any, top: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=top,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class PolicyForm(forms.Form):
    """A policy version's parameters as an admin types them; the service checks them again."""

    effective_from = forms.DateField(
        label=_("生效日"),
        help_text=_("此日及以后签约的项目适用；须晚于今天。"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
    )
    ladder = forms.CharField(
        label=_("项目佣金阶梯（合同额上限 费率%）"),
        help_text=_("每行一档，上限含本数，最后一行写“以上”。"),
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 5}),
    )
    renewal_bonus = _pct(_("续约/增项加成 %"))
    high_margin_bonus = _pct(_("高毛利加成 %"))
    uplift_light = _pct(_("轻协同加成 %"))
    uplift_deep = _pct(_("深度协同加成 %"))
    uplift_strategic = _pct(_("战略伙伴加成 %"))
    cap = _pct(_("项目佣金上限 %"))
    confirmation_rate = _pct(_("引荐确认金 %"))
    payout_business_days = _days(_("付款期限（工作日）"), 60)
    annual_ladder = forms.CharField(
        label=_("年度奖励阶梯（年度签约额下限 费率%）"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 4}),
    )
    override_rate = _pct(_("推荐奖励 %"))
    tail_years = _days(_("退出后尾佣年限"), 20)
    liquidated_damages_rate = _pct(_("违约金比例 %"))
    clawback = forms.BooleanField(
        label=_("退款时追回佣金"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    demote_after_grace = forms.BooleanField(
        label=_("宽限期后未达标即降级"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_ladder(self) -> list[list[str | None]]:
        return _steps(self.cleaned_data["ladder"], open_last=True)

    def clean_annual_ladder(self) -> list[list[str | None]]:
        return _steps(self.cleaned_data["annual_ladder"], open_last=False)

    def parameters(self, base: dict[str, Any]) -> dict[str, Any]:
        """The version's JSON: what the form holds, the rest (renewal kinds) from ``base``."""
        d = self.cleaned_data
        return {
            **base,
            "ladder": d["ladder"],
            "renewal_bonus": _fraction(d["renewal_bonus"]),
            "high_margin_bonus": _fraction(d["high_margin_bonus"]),
            "tier_uplift": {
                tier: _fraction(d[f"uplift_{tier}"]) for tier in ("light", "deep", "strategic")
            },
            "cap": _fraction(d["cap"]),
            "confirmation_rate": _fraction(d["confirmation_rate"]),
            "payout_business_days": d["payout_business_days"],
            "annual_ladder": d["annual_ladder"],
            "override_rate": _fraction(d["override_rate"]),
            "tail_years": d["tail_years"],
            "liquidated_damages_rate": _fraction(d["liquidated_damages_rate"]),
            "clawback": d["clawback"],
            "demote_after_grace": d["demote_after_grace"],
        }

    @staticmethod
    def initial_from(p: dict[str, Any]) -> dict[str, Any]:
        """A stored version's parameters as the form shows them (percentages, one step a line)."""

        def lines(steps: list[list[Any]], open_word: str) -> str:
            return "\n".join(
                f"{open_word if bound is None else format(Decimal(bound).normalize(), 'f')} "
                f"{_percent(rate)}"
                for bound, rate in steps
            )

        uplift = p.get("tier_uplift", {})
        return {
            "ladder": lines(p["ladder"], str(_("以上"))),
            "renewal_bonus": _percent(p["renewal_bonus"]),
            "high_margin_bonus": _percent(p["high_margin_bonus"]),
            "uplift_light": _percent(uplift.get("light", "0")),
            "uplift_deep": _percent(uplift.get("deep", "0")),
            "uplift_strategic": _percent(uplift.get("strategic", "0")),
            "cap": _percent(p["cap"]),
            "confirmation_rate": _percent(p["confirmation_rate"]),
            "payout_business_days": p["payout_business_days"],
            "annual_ladder": lines(p["annual_ladder"], ""),
            "override_rate": _percent(p["override_rate"]),
            "tail_years": p["tail_years"],
            "liquidated_damages_rate": _percent(p["liquidated_damages_rate"]),
            "clawback": p.get("clawback", False),
            "demote_after_grace": p.get("demote_after_grace", False),
        }
