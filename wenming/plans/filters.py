"""Query forms of the task, report and institution lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wenming.core.forms import ALL, BaseFilterSet
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.organizations.scoping import subtree_q

from .choices import ProgressReportStatus, ReportKind, TrafficLight, WorkTaskStatus
from .models import Institution, ProgressReport, WorkTask
from .selectors import dispatcher_tasks, handler_tasks, tasks_with_light


def _text(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "type": "search"})


def _cities(request):
    user = getattr(request, "user", None)
    return Organization.objects.visible_to(user, "view").filter(kind=OrgKind.CITY_BUREAU)


class TaskFilter(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键字"), widget=_text(_("请输入督办事项或承办单位")))
    status = django_filters.ChoiceFilter(choices=WorkTaskStatus.choices, label=_("状态"), empty_label=ALL)
    light = django_filters.ChoiceFilter(
        choices=[(TrafficLight.RED, _("已逾期")), (TrafficLight.BLUE, _("临期")), (TrafficLight.YELLOW, _("滞后"))],
        method="filter_light",
        label=_("督办提示"),
        empty_label=ALL,
    )
    city = django_filters.ModelChoiceFilter(queryset=_cities, method="filter_city", label=_("地市"), empty_label=ALL)
    mine = django_filters.ChoiceFilter(
        choices=[("1", _("本单位承办")), ("2", _("本单位交办"))], method="filter_mine", label=_("范围"), empty_label=ALL
    )
    # a date's year lookup builds date(year, 1, 1): outside 1–9999 it would fail, so the form bounds it
    year = django_filters.NumberFilter(
        field_name="due_date__year",
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={"min_value": _("年度应在 2000–2100 之间"), "max_value": _("年度应在 2000–2100 之间")},
    )

    class Meta:
        model = WorkTask
        fields: list[str] = []

    def search(self, qs, name, value):
        return qs.filter(Q(dispatch__title__icontains=value) | Q(assignee__name__icontains=value))

    @extend_schema_field(OpenApiTypes.INT)  # the city bureau's id
    def filter_city(self, qs, name, value):
        return qs.filter(subtree_q("assignee__path", value.path))

    def filter_mine(self, qs, name, value):
        user = self.request.user
        base = handler_tasks(user) if value == "1" else dispatcher_tasks(user)
        return qs.filter(pk__in=base.values("pk"))

    @extend_schema_field(OpenApiTypes.STR)  # red / yellow / green
    def filter_light(self, qs, name, value):
        # the one light (selectors.task_light); the workbench counters count this same filter
        return tasks_with_light(qs, value)


class ReportFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("关键字"), widget=_text(_("请输入标题"))
    )
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("类型"), empty_label=ALL)
    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    status = django_filters.ChoiceFilter(choices=ProgressReportStatus.choices, label=_("状态"), empty_label=ALL)
    city = django_filters.ModelChoiceFilter(
        queryset=_cities, field_name="organization", label=_("地市"), empty_label=ALL
    )
    late = django_filters.ChoiceFilter(
        choices=[("1", _("逾期报送"))], method="filter_late", label=_("报送"), empty_label=ALL
    )

    class Meta:
        model = ProgressReport
        fields: list[str] = []

    def filter_late(self, qs, name, value):
        return qs.filter(is_late=True) if value == "1" else qs


class InstitutionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键字"), widget=_text(_("请输入制度名称或文号")))

    class Meta:
        model = Institution
        fields: list[str] = []

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(title__icontains=value) | Q(doc_number__icontains=value)) if value else qs
