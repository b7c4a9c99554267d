"""Forms of the calendar pages."""

from django import forms

from wenming.core.forms import BaseForm

from .choices import CalendarDayKind


class CalendarDayForm(BaseForm):
    date = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "日期不能为空", "invalid": "请输入正确的日期"},
    )
    kind = forms.ChoiceField(label="类型", choices=CalendarDayKind.choices, error_messages={"required": "请选择类型"})
    name = forms.CharField(
        label="节日名称", max_length=40, error_messages={"required": "节日名称不能为空", "max_length": "最多40个字"}
    )
