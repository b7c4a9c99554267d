"""Forms of the surveys pages (labels in Chinese; bounded by ``core.forms``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm
from wenming.organizations.divisions import division_name
from wenming.organizations.selectors import brand_choices, scope_city_codes

from .choices import Dimension, Grain, Period, QuestionKind

CITY_CODES = [
    "210100", "210200", "210300", "210400", "210500", "210600", "210700",
    "210800", "210900", "211000", "211100", "211200", "211300", "211400",
]  # fmt: skip


class IndexForm(BaseForm):
    grain = forms.ChoiceField(label=_("统计口径"), choices=Grain.choices, initial=Grain.CITY, required=False)
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices, initial=Period.QUARTER, required=False)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)
    part = forms.IntegerField(label=_("月份或季度"), min_value=1, max_value=12, required=False)
    city = forms.ChoiceField(label=_("地市"), required=False)
    brand = forms.ChoiceField(label=_("品牌"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = scope_city_codes(user=user) if user is not None else None
        codes = CITY_CODES if codes is None else codes
        self.fields["city"].choices = [("", _("全部"))] + [(c, division_name(c) or c) for c in codes]
        self.fields["brand"].choices = [("", _("全部"))] + [(str(k), v) for k, v in brand_choices()]

    def values(self, default_month) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or Period.QUARTER
        ref = default_month or timezone.localdate()
        year = data.get("year") or ref.year
        part = data.get("part")
        if period == Period.MONTH:
            part = part or ref.month
        elif period == Period.QUARTER:
            part = min(part or (ref.month - 1) // 3 + 1, 4)
        else:
            part = None
        return {
            "grain": data.get("grain") or Grain.CITY,
            "period": period,
            "year": year,
            "part": part,
            "city": data.get("city") or "",
            "brand": int(data["brand"]) if data.get("brand") else None,
        }


class QuestionnaireForm(BaseForm):
    title = forms.CharField(label=_("问卷名称"), max_length=100)
    intro = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QuestionForm(BaseForm):
    key = forms.SlugField(label=_("题号"), max_length=30, help_text=_("字母、数字或下划线，如 acc5"))
    text = forms.CharField(label=_("题目"), max_length=200)
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("必答"), required=False)
    dimension = forms.ChoiceField(
        label=_("计入环节"), choices=[("", _("不计分"))] + list(Dimension.choices), required=False
    )
    indicator = forms.CharField(label=_("指标"), max_length=40, required=False)
    options = forms.CharField(
        label=_("选项"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("单选、多选题：每行一个选项"),
    )  # fmt: skip
    help_text = forms.CharField(label=_("提示"), max_length=200, required=False)
    show_if_key = forms.CharField(label=_("仅当此题号的答案"), max_length=30, required=False)
    show_if_values = forms.CharField(
        label=_("为下列之一时显示"), max_length=200, required=False, help_text=_("多个答案用逗号分隔")
    )

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        d["options"] = [x.strip() for x in (d.get("options") or "").splitlines() if x.strip()]
        d["show_if_values"] = [
            x.strip() for x in (d.get("show_if_values") or "").replace("，", ",").split(",") if x.strip()
        ]
        return d


class FollowUpForm(BaseForm):
    note = forms.CharField(label=_("跟进情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class PosterBatchForm(BaseForm):
    organization = forms.IntegerField(widget=forms.HiddenInput)
