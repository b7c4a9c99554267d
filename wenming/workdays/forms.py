"""Forms of the calendar pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.errors import ApplicationError
from wenming.core.forms import BaseForm

from .choices import CalendarDayKind
from .notice import parse_notice
from .services import next_working_day, rest_day_label


class CalendarDayForm(BaseForm):
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("日期不能为空"), "invalid": _("请输入正确的日期")},
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=CalendarDayKind.choices, error_messages={"required": _("请选择类型")}
    )
    name = forms.CharField(
        label=_("节日名称"),
        max_length=40,
        error_messages={"required": _("节日名称不能为空"), "max_length": _("最多40个字")},
    )


class WorkingDayFormMixin:
    """Date fields named in ``working_day_fields`` must be working days, or the user confirms the rest day.

    A rest day comes back as a field error with the next working day offered: a one-click button
    (``<field>__next``, which replaces the date and resubmits) and a “仍按所选日期” checkbox
    (``<field>__keep``). ``rest_day_offers`` lists what the template (``workdays/_rest_day_offer.html``) shows.
    """

    working_day_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rest_day_offers: list[dict] = []
        if self.is_bound:
            data = self.data.copy()
            for name in self.working_day_fields:
                chosen = data.get(f"{name}__next")
                if chosen:
                    data[name] = chosen
            self.data = data

    def clean(self):
        cleaned = super().clean()
        for name in self.working_day_fields:
            d = cleaned.get(name)
            if not d or self.data.get(f"{name}__keep"):
                continue
            why = rest_day_label(d)
            if not why:
                continue
            nxt = next_working_day(d)
            self.add_error(
                name,
                f"{d:%Y-%m-%d} 是休息日（{why}），下一个工作日是 {nxt:%Y-%m-%d}。"
                "请改为下一个工作日，或勾选“仍按所选日期”后再提交。",
            )
            self.rest_day_offers.append({"field": name, "date": nxt, "chosen": d})
        return cleaned


class HolidayNoticeForm(forms.Form):
    """The State Council notice of one year, one holiday a line (see ``notice.parse_notice``)."""

    year = forms.IntegerField(
        label=_("年份"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("年份不能为空"),
            "invalid": _("请输入正确的年份"),
            "min_value": _("请输入正确的年份"),
            "max_value": _("请输入正确的年份"),
        },
    )
    text = forms.CharField(
        label=_("节假日安排"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=_("每行一个节日：名称 放假起始日期 至 截止日期；调休上班 日期、日期"),
        error_messages={"required": _("请逐行填写节假日安排"), "max_length": _("内容过长（最多4000字）")},
    )

    def clean(self):
        cleaned = super().clean()
        self.lines = []
        if cleaned.get("year") and cleaned.get("text"):
            try:
                self.lines = parse_notice(cleaned["text"], cleaned["year"])
            except ApplicationError as exc:
                self.add_error("text", exc.message)
        return cleaned
