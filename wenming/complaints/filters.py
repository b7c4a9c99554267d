"""Query form of the complaint list (the to-do lists are ``?todo=`` of the same list)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import ALL, BaseFilterSet
from wenming.organizations.divisions import city_choices

from .choices import Category, Channel, ComplaintStatus
from .models import Complaint
from .selectors import TODOS, todo_filter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("关键字"),
        widget=forms.TextInput(attrs={"placeholder": _("申诉编号、运单号或企业"), "type": "search"}),
    )
    todo = django_filters.ChoiceFilter(
        choices=[(k, _(v)) for k, v in TODOS.items()], label=_("待办"), empty_label=ALL, method="filter_todo"
    )
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices, label=_("状态"), empty_label=ALL)
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("申诉类别"), empty_label=ALL)
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("申诉渠道"), empty_label=ALL)
    is_valid = django_filters.ChoiceFilter(
        choices=[("1", _("有效申诉")), ("0", _("无效申诉"))],
        label=_("有效申诉"),
        empty_label=ALL,
        method="filter_valid",
    )
    city = django_filters.ChoiceFilter(choices=city_choices, label=_("地市"), empty_label=ALL, field_name="city_code")
    reply_overdue = django_filters.ChoiceFilter(
        choices=[("1", _("企业回复超期"))], label=_("回复超期"), empty_label=ALL, method="filter_reply_overdue"
    )
    date_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("登记日期自"), widget=DATE
    )
    date_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("登记日期至"), widget=DATE)

    class Meta:
        model = Complaint
        fields: list[str] = []

    def search(self, queryset, name, value):
        v = value.strip()
        if not v:
            return queryset
        return queryset.filter(Q(case_no__icontains=v) | Q(waybill_no__icontains=v) | Q(enterprise__name__icontains=v))

    def filter_todo(self, queryset, name, value):
        return todo_filter(queryset, self.request.user, value) if value else queryset

    def filter_reply_overdue(self, queryset, name, value):
        return queryset.filter(reply_overdue=True) if value == "1" else queryset

    def filter_valid(self, queryset, name, value):
        return queryset.filter(is_valid=value == "1") if value in ("0", "1") else queryset
