from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm

from .models import Frequency, ReportFormat, ReportKind
from .periods import ReportPeriod


class ReportForm(BaseForm):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    period = forms.CharField(label=_("统计期"), max_length=7, help_text=_("如 2026、2026Q1、2026-03"))
    fmt = forms.ChoiceField(label=_("格式"), choices=ReportFormat.choices)

    def clean_period(self):
        try:
            return ReportPeriod.parse(self.cleaned_data["period"])
        except ValueError:
            raise forms.ValidationError(_("统计期格式应为 2026、2026Q1 或 2026-03")) from None


class ScheduleForm(BaseForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    fmt = forms.ChoiceField(label=_("格式"), choices=ReportFormat.choices)
    frequency = forms.ChoiceField(label=_("周期"), choices=Frequency.choices)
    day = forms.IntegerField(label=_("每期第几日生成"), min_value=1, max_value=28, initial=1)
    recipients = forms.ModelMultipleChoiceField(label=_("接收人"), queryset=None)

    def __init__(self, *args, recipients_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients_qs
