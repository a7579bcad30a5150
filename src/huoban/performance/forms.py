"""The console's scorecard form (R-KPI-1/2): the month and its KPIs as lines, one per KPI —
"名称，越高|越低，目标，实际[，权重][，单位][，维度][，主要][，投诉率]" — prefilled from the
partner's template (D-KPI-2) or else its last month, the actuals left to fill; and the template's
form, the same lines without the actual."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huoban.web import in_language

from .services import clean_kpis

_TEXT = {"class": "form-control"}
_DIRECTIONS = {"越高": "higher", "高": "higher", "higher": "higher", "≥": "higher",
               "越低": "lower", "低": "lower", "lower": "lower", "≤": "lower"}  # fmt: skip
_PRIMARY = {"主要", "主要指标", "primary"}
_COMPLAINT = {"投诉率", "投诉", "complaint", "complaint_rate"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DIMENSIONS = {"业务成果": "business", "业务": "business", "business": "business",
               "客户体验": "customer", "客户": "customer", "customer": "customer",
               "运营效率": "operations", "运营": "operations", "operations": "operations",
               "自定义": "custom", "custom": "custom"}  # fmt: skip
_DIMENSION_ZH = {"business": "业务成果", "customer": "客户体验", "operations": "运营效率"}


def _split(line: str) -> list[str]:
    if "," in line or "，" in line:
        return [p.strip() for p in re.split(r"[,，]", line)]
    return line.split()


def parse_line(line: str, *, actual: bool = True) -> dict[str, Any] | None:
    """One KPI from a line, or None when it cannot be read (name, direction, target, actual
    first — a template line has no actual; then a weight, a unit, the dimension and the marks
    in any order)."""
    parts = _split(line)
    first = 4 if actual else 3
    if len(parts) < first or _DIRECTIONS.get(parts[1].lower()) is None:
        return None
    kpi: dict[str, Any] = {
        "name": parts[0],
        "direction": _DIRECTIONS[parts[1].lower()],
        "target": parts[2].rstrip("%"),
        "weight": 1,
    }
    if actual:
        kpi["actual"] = parts[3].rstrip("%")
    for extra in parts[first:]:
        if not extra:
            continue
        if extra.lower() in _DIMENSIONS:
            kpi["dimension"] = _DIMENSIONS[extra.lower()]
        elif extra in _PRIMARY:
            kpi["primary"] = True
        elif extra in _COMPLAINT:
            kpi["complaint_rate"] = True
        elif _NUMBER.match(extra):
            kpi["weight"] = extra
        else:
            kpi["unit"] = extra[:20]
    return kpi


def line_of(item: dict[str, Any], *, with_actual: bool = False, template: bool = False) -> str:
    """A stored KPI as a form line: the actual left blank unless asked (a new month), left out
    on a template's line."""
    parts = [item["name"], "越高" if item["direction"] == "higher" else "越低", item["target"]]
    if not template:
        parts.append(item["actual"] if with_actual else "")
    parts.append(item.get("weight") or "1")
    if item.get("unit"):
        parts.append(item["unit"])
    if item.get("dimension") in _DIMENSION_ZH:
        parts.append(_DIMENSION_ZH[item["dimension"]])
    if item.get("primary"):
        parts.append("主要")
    if item.get("complaint_rate"):
        parts.append("投诉率")
    return "，".join(str(p) for p in parts)


class ScorecardForm(forms.Form):
    period = forms.CharField(
        label=_("月份"),
        max_length=7,
        help_text=_("YYYY-MM，如 2026-11"),
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": "2026-11"}),
    )
    lines = forms.CharField(
        label=_(
            "指标（每行：名称，越高|越低，目标，实际[，权重][，单位][，维度][，主要][，投诉率]）"
        ),
        help_text=_("例：签约量，越高，500，580，1，单，主要 / 投诉率，越低，5，3.2，1，%，投诉率"),
        widget=forms.Textarea(attrs={**_TEXT, "rows": 7}),
    )

    def clean_lines(self) -> str:
        """Read each line and check it as the service will (R-KPI-1), naming the line."""
        text: str = self.cleaned_data["lines"]
        self.parsed, problems = _read_lines(text, actual=True)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def kpis(self) -> list[dict[str, Any]]:
        """The lines as the service takes them (after ``is_valid``)."""
        return list(self.parsed)


def _read_lines(text: str, *, actual: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """The KPIs of the form's lines and the problems, each naming its line (R-KPI-1)."""
    parsed = []
    problems = []
    rows = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    for n, line in rows:
        kpi = parse_line(line, actual=actual)
        if kpi is None:
            problems.append(
                _("第 %(n)d 行应为“名称，越高|越低，目标，实际”") % {"n": n}
                if actual
                else _("第 %(n)d 行应为“名称，越高|越低，目标”") % {"n": n}
            )
        else:
            parsed.append(kpi)
    if not problems:
        errors: dict[str, str] = {}
        clean_kpis(parsed, errors, actuals=actual)
        for key, message in errors.items():
            index = re.match(r"kpis\[(\d+)\]", key)
            where = _("第 %(n)d 行：") % {"n": rows[int(index.group(1))][0]} if index else ""
            problems.append(f"{where}{in_language(message)}")
    return parsed, problems


class TemplateForm(forms.Form):
    """A partner's scorecard template (R-KPI-1; D-KPI-2): the month's lines without actuals."""

    template = forms.CharField(
        label=_(
            "模板指标（每行：名称，越高|越低，目标[，权重][，单位][，维度][，主要][，投诉率]）"
        ),
        help_text=_(
            "维度：业务成果、客户体验、运营效率或自定义。例：签约量，越高，500，1，单，业务成果，主要"
        ),
        widget=forms.Textarea(attrs={**_TEXT, "rows": 7}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "tpl_%s")
        super().__init__(*args, **kwargs)

    def clean_template(self) -> str:
        text: str = self.cleaned_data["template"]
        self.parsed, problems = _read_lines(text, actual=False)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def kpis(self) -> list[dict[str, Any]]:
        return list(self.parsed)


_RATING_CHOICES = [
    ("excellent", _("优秀（5）")),
    ("good", _("良好（4）")),
    ("medium", _("一般（3）")),
    ("poor", _("较差（2）")),
    ("bad", _("很差（1）")),
    ("pending", _("待定（不计分）")),
]


def _rating(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=_RATING_CHOICES,
        initial="good",
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class HealthForm(forms.Form):
    """A partner's monthly health (R-HLTH-1); its own element ids on the partner page."""

    period = forms.CharField(
        label=_("月份"),
        max_length=7,
        widget=forms.TextInput(attrs={**_TEXT, "placeholder": "2026-11"}),
    )
    trust = _rating(_("信任程度"))
    communication = _rating(_("沟通效率"))
    benefit = _rating(_("利益分配"))
    risk = _rating(_("风险可控"))
    long_term = _rating(_("长期价值"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "health_%s")
        super().__init__(*args, **kwargs)
