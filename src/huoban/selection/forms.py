"""The console's selection forms (R-SEL-1…4): the need with its criteria typed as lines, the
stage moves with what each stage records, the trial results, the override, the rejection."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huoban.assessing import DIMENSIONS
from huoban.core.forms import FileFields
from huoban.partners.models import PartnerType

from .models import DD_SECTIONS, FileKind

_TEXT = {"class": "form-control"}
_CRITERION = re.compile(r"^\s*(.+?)\s*(>=|≥|<=|≤)\s*(-?\d+(?:\.\d+)?)\s*(\S*)\s*$")


def _area(label: Any, rows: int = 3, **kw: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={**_TEXT, "rows": rows}), **kw)


class SelectionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    partner_type = forms.ChoiceField(
        label=_("伙伴类型"),
        choices=PartnerType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    needs = _area(_("我方需求"), required=False)
    offers = _area(_("我方提供"), required=False)
    screening = _area(_("初筛清单（每行一项）"), required=False)
    criteria = _area(
        _("试点成功标准（每行：指标 >= 或 <= 阈值 单位）"),
        rows=4,
        help_text=_("例：转化率 >= 15 % / NPS >= 70 / 投诉率 <= 5 % / 响应时效 <= 24 h"),
    )

    def clean_criteria(self) -> list[dict[str, Any]]:
        out = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _CRITERION.match(line)
            if match is None:
                raise forms.ValidationError(_("第 %(n)d 行应为“指标 >= 阈值 单位”") % {"n": n})
            metric, op, threshold, unit = match.groups()
            out.append({"metric": metric, "op": "gte" if op in (">=", "≥") else "lte",
                        "threshold": threshold, "unit": unit})  # fmt: skip
        return out

    def screening_items(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["screening"].splitlines() if s.strip()]


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200, widget=forms.TextInput(attrs=_TEXT))
    channel = forms.CharField(
        label=_("来源渠道"), required=False, max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )


def _score(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=5,
        widget=forms.NumberInput(attrs={**_TEXT, "min": "1", "max": "5"}),
    )


#: The service's assessment errors ("capability.resources") on the stage form's fields.
SCORE_FIELDS = {
    **{f"capability.{d}": f"cap_{d}" for d in DIMENSIONS["capability"]},
    **{f"willingness.{d}": f"will_{d}" for d in DIMENSIONS["willingness"]},
}


class StageForm(forms.Form):
    """The next stage and what it records; the screening items arrive as ``screen`` values."""

    stage = forms.CharField(max_length=20, widget=forms.HiddenInput)
    nda_signed_on = forms.DateField(
        label=_("保密协议签署日"),
        required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    trial_scope = _area(_("试点范围"), rows=2, required=False)
    trial_start = forms.DateField(
        label=_("试点开始"),
        required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    trial_end = forms.DateField(
        label=_("试点结束（默认 3 个月）"),
        required=False,
        widget=forms.DateInput(attrs={**_TEXT, "type": "date"}, format="%Y-%m-%d"),
    )
    # R-SEL-2: capability and willingness at screening, each 1–5 (all of a kind, or none).
    cap_resources = _score(_("能力·资源"))
    cap_technology = _score(_("能力·技术"))
    cap_operations = _score(_("能力·运营"))
    cap_credibility = _score(_("能力·信誉"))
    will_executive_support = _score(_("意愿·高层支持"))
    will_dedicated_team = _score(_("意愿·资源投入"))
    will_long_term_commitment = _score(_("意愿·长期承诺"))
    dd_resources = _area(DD_SECTIONS["resources"], rows=2, required=False)
    dd_technology = _area(DD_SECTIONS["technology"], rows=2, required=False)
    dd_commercial = _area(DD_SECTIONS["commercial"], rows=2, required=False)
    dd_culture = _area(DD_SECTIONS["culture"], rows=2, required=False)

    def scores(self, kind: str) -> dict[str, int]:
        """The dimensions of ``kind`` scored on the form (the service refuses a partial set)."""
        prefix = "cap_" if kind == "capability" else "will_"
        return {
            d: self.cleaned_data[prefix + d]
            for d in DIMENSIONS[kind]
            if self.cleaned_data.get(prefix + d) is not None
        }

    def due_diligence(self) -> dict[str, list[dict[str, Any]]]:
        """Each section's lines "问题：答案"; a line starting with "!" is a red flag."""
        out: dict[str, list[dict[str, Any]]] = {}
        for section in DD_SECTIONS:
            items = []
            for line in (self.cleaned_data.get(f"dd_{section}") or "").splitlines():
                text = line.strip()
                if not text:
                    continue
                red = text.startswith(("!", "！"))
                question, _sep, answer = text.lstrip("!！ ").partition("：")
                items.append({"question": question.strip(), "answer": answer.strip(),
                              "red_flag": red})  # fmt: skip
            if items:
                out[section] = items
        return out


class TrialForm(forms.Form):
    """One result per success criterion (R-SEL-3), as ``m<i>`` fields."""

    def __init__(self, criteria: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for i, c in enumerate(criteria):
            sign = "≥" if c["op"] == "gte" else "≤"
            self.fields[f"m{i}"] = forms.DecimalField(
                label=f"{c['metric']}（{sign} {c['threshold']}{c.get('unit', '')}）",
                widget=forms.NumberInput(attrs={**_TEXT, "step": "any"}),
            )

    def results(self) -> dict[str, Any]:
        return {c["metric"]: self.cleaned_data[f"m{i}"] for i, c in enumerate(self.criteria)}


class OverrideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("改判为"),
        choices=[("sign", _("签约")), ("stop", _("终止"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = _area(_("理由"), rows=2)


class RejectForm(forms.Form):
    reason = _area(_("淘汰理由"), rows=2)


class CandidateFileForm(FileFields):
    """A candidate's file (R-SEL-2): the signed NDA, due-diligence material, a trial report."""

    kind = forms.ChoiceField(
        label=_("类别"),
        choices=FileKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field_order = ["kind", "title", "file"]
