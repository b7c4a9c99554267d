"""Staff forms of voting (public pages use plain HTML forms read by the views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm
from wenming.organizations.models import Organization

from .choices import OfflineKind


class PollForm(BaseForm):
    organization = forms.ModelChoiceField(label=_("主办单位"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("投票名称"), max_length=120)
    intro = forms.CharField(
        label=_("投票说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ballots_per_day = forms.IntegerField(label=_("每人每天可投次数"), min_value=1, max_value=10, initial=1)
    choices_per_ballot = forms.IntegerField(label=_("每次最多选择人数"), min_value=1, max_value=50, initial=10)
    show_live_counts = forms.BooleanField(label=_("投票期间显示票数"), required=False, initial=True)
    shuffle_candidates = forms.BooleanField(label=_("候选人随机排序"), required=False, initial=True)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations


class CandidateForm(BaseForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("所在单位"), max_length=120, required=False)
    story = forms.CharField(
        label=_("事迹简介"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000
    )
    consent = forms.BooleanField(label=_("本人已书面同意公开事迹和照片"), required=False)
    consent_note = forms.CharField(
        label=_("同意方式"), max_length=200, required=False, help_text=_("例如：2026年3月1日签署授权书")
    )
    photos = forms.ImageField(label=_("照片"), required=False)


class OfflineForm(BaseForm):
    candidate = forms.ModelChoiceField(label=_("候选人"), queryset=None)
    kind = forms.ChoiceField(label=_("渠道"), choices=OfflineKind.choices)
    votes = forms.IntegerField(label=_("票数"), min_value=-1_000_000, max_value=1_000_000)
    source = forms.CharField(label=_("来源"), max_length=200, help_text=_("例如：《辽宁日报》第 12 期选票"))
    counted_on = forms.DateField(label=_("计票日期"), widget=forms.DateInput(attrs={"type": "date"}))
    witnesses = forms.CharField(label=_("监票人"), max_length=200)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, poll=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = poll.candidates.order_by("number") if poll else None


class ReasonForm(BaseForm):
    reason = forms.CharField(label=_("原因"), max_length=200)
