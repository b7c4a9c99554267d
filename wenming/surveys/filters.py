"""Query forms of the response and comment lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseFilterSet

from .choices import FollowUpStatus
from .models import CommentInsight, SurveyResponse


def _date(label: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="day",
        lookup_expr=lookup,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ResponseFilter(BaseFilterSet):
    outlet = django_filters.CharFilter(
        label=_("网点"), field_name="outlet__organization__name", lookup_expr="icontains", max_length=50
    )
    start = _date(_("起始日期"), "gte")
    end = _date(_("截止日期"), "lte")

    class Meta:
        model = SurveyResponse
        fields: list[str] = []


class CommentFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(label=_("跟进状态"), choices=FollowUpStatus.choices)
    negative = django_filters.BooleanFilter(
        label=_("只看负面"), widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    )
    outlet = django_filters.CharFilter(
        label=_("网点"), field_name="outlet__organization__name", lookup_expr="icontains", max_length=50
    )
    start = _date(_("起始日期"), "gte")
    end = _date(_("截止日期"), "lte")

    class Meta:
        model = CommentInsight
        fields: list[str] = []
