"""Query form of the audit log viewer."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm

from .models import AuditAction, AuditOutcome

_DATE_ERRORS = {"invalid": "请输入正确的日期，例如 2026-11-27"}


class AuditFilterForm(BaseForm):
    start = forms.DateField(label=_("开始日期"), required=False, error_messages=_DATE_ERRORS)
    end = forms.DateField(label=_("结束日期"), required=False, error_messages=_DATE_ERRORS)
    user = forms.CharField(label=_("用户"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("事件"),
        required=False,
        choices=[("", _("全部"))] + list(AuditAction.choices),
        error_messages={"invalid_choice": _("请选择列表中的事件")},
    )
    outcome = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部"))] + list(AuditOutcome.choices),
        error_messages={"invalid_choice": _("请选择列表中的结果")},
    )
    obj = forms.CharField(label=_("对象"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["user"].widget.attrs["placeholder"] = _("用户名")
        self.fields["obj"].widget.attrs["placeholder"] = _("对象名称、类型或ID")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data

    def filter(self, qs: QuerySet) -> QuerySet:
        """Apply the cleaned filters; dates are whole days in Beijing time (UTC+08:00)."""
        d = self.cleaned_data
        tz = timezone.get_default_timezone()
        if d.get("start"):
            qs = qs.filter(at__gte=timezone.make_aware(datetime.combine(d["start"], time.min), tz))
        if d.get("end"):
            qs = qs.filter(at__lt=timezone.make_aware(datetime.combine(d["end"] + timedelta(days=1), time.min), tz))
        if d.get("user"):
            qs = qs.filter(actor_username__icontains=d["user"].strip())
        if d.get("action"):
            qs = qs.filter(action=d["action"])
        if d.get("outcome"):
            qs = qs.filter(outcome=d["outcome"])
        if d.get("obj"):
            term = d["obj"].strip()
            qs = qs.filter(Q(object_repr__icontains=term) | Q(object_type__icontains=term) | Q(object_id=term))
        return qs

    def as_filters(self) -> dict[str, str]:
        """The filters in use, for the audit record of the read (no personal data is searchable here)."""
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
