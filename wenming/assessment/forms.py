"""Forms of the assessment (Chinese field errors, input kept on error, bounds from BaseForm)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm

from .choices import ScoringRule
from .metrics import all_metrics
from .services import MIN_REASON


class SchemeForm(BaseForm):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("方案名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, scheme: Any = None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if scheme is not None:
            initial.update(year=scheme.year, name=scheme.name, description=scheme.description)
            for ind in scheme.indicators.all():
                initial[f"weight_{ind.metric_key}"] = ind.weight
                initial[f"rule_{ind.metric_key}"] = ind.rule
                initial[f"target_{ind.metric_key}"] = ind.target
        super().__init__(*args, **kwargs)
        if scheme is not None:
            self.fields["year"].disabled = True
        self.metric_rows = []
        for m in all_metrics():
            w = forms.DecimalField(
                label=_t(m.label), required=False, min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2
            )
            r = forms.ChoiceField(label=_("计分规则"), choices=ScoringRule.choices, initial=ScoringRule.LINEAR)
            t = forms.DecimalField(label=_("目标值"), required=False, max_digits=14, decimal_places=4)
            self.fields[f"weight_{m.key}"], self.fields[f"rule_{m.key}"], self.fields[f"target_{m.key}"] = w, r, t
            self.metric_rows.append(m.key)
        self.indicator_errors: list[str] = []

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"key": k, "weight": self[f"weight_{k}"], "rule": self[f"rule_{k}"], "target": self[f"target_{k}"]}
            for k in self.metric_rows
        ]

    def indicators(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {"metric_key": k, "weight": d[f"weight_{k}"], "rule": d[f"rule_{k}"], "target": d.get(f"target_{k}")}
            for k in self.metric_rows
            if d.get(f"weight_{k}")
        ]

    def add_error(self, field: Any, error: Any) -> None:
        if field == "indicators":
            field = None  # shown above the indicator table
        super().add_error(field, error)


class AdjustmentForm(BaseForm):
    org = forms.ModelChoiceField(label=_("市局"), queryset=None)
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    points = forms.DecimalField(
        label=_("加减分"), min_value=Decimal("-100"), max_value=Decimal("100"), decimal_places=2, max_digits=7
    )
    reason = forms.CharField(label=_("理由"), min_length=MIN_REASON, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, cities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = cities


class RevokeForm(BaseForm):
    reason = forms.CharField(label=_("撤销理由"), min_length=MIN_REASON, max_length=2000, widget=forms.Textarea)
