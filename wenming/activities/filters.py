"""Query forms of the activity and volunteer-hours lists (labels in Chinese, choices narrowed to the scope)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.forms import ALL, BaseFilterSet

from .choices import ActivityStatus, CoreValue, PairingStatus, PartnerType, PostalValue, VolunteerRecordStatus
from .forms import OrgChoiceField, orgs_for, pick_orgs
from .models import Activity, ActivityType, Pairing, VolunteerEvent, VolunteerRecord

UNIT_KINDS = ["provincial_bureau", "division", "city_bureau", "section", "enterprise", "branch", "outlet"]


def _date(label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        method="noop",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _day(d) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


class OrgFilter(django_filters.ModelChoiceFilter):
    field_class = OrgChoiceField


class _ScopedFilterSet(BaseFilterSet):
    date_field = "starts_at"
    org_path_field = "organization__path"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if "organization" in self.filters:
            self.filters["organization"].queryset = orgs_for(user, Action.VIEW, UNIT_KINDS)
            pick_orgs(self.form.fields["organization"], user, Action.VIEW, UNIT_KINDS)

    def noop(self, queryset, name, value):
        return queryset

    def filter_org(self, queryset, name, value):
        return queryset.filter(**{f"{self.org_path_field}__startswith": value.path}) if value else queryset

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        if d.get("date_from"):
            qs = qs.filter(**{f"{self.date_field}__gte": _day(d["date_from"])})
        if d.get("date_to"):
            qs = qs.filter(**{f"{self.date_field}__lt": _day(d["date_to"] + timedelta(days=1))})
        return qs


class ActivityFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("关键字"),
        widget=forms.TextInput(attrs={"placeholder": _("活动名称或内容"), "type": "search"}),
    )
    activity_type = django_filters.ModelChoiceFilter(
        queryset=ActivityType.objects.all(), label=_("活动类型"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("状态"), empty_label=ALL)
    organization = OrgFilter(queryset=None, label=_("单位"), empty_label=ALL, method="filter_org")
    date_from = _date(_("开始日期"))
    date_to = _date(_("截止日期"))
    core_value = django_filters.ChoiceFilter(
        choices=CoreValue.choices, label=_("核心价值观"), empty_label=ALL, method="filter_tag"
    )
    postal_value = django_filters.ChoiceFilter(
        choices=PostalValue.choices, label=_("4S价值观"), empty_label=ALL, method="filter_tag"
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_tag(self, queryset, name, value):
        field = "core_values" if name == "core_value" else "postal_values"
        return queryset.filter(**{f"{field}__contains": f",{value},"})


class PairingFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("关键字"),
        widget=forms.TextInput(attrs={"placeholder": _("结对对象或项目"), "type": "search"}),
    )
    partner_type = django_filters.ChoiceFilter(choices=PartnerType.choices, label=_("对象类型"), empty_label=ALL)
    status = django_filters.ChoiceFilter(choices=PairingStatus.choices, label=_("状态"), empty_label=ALL)
    organization = OrgFilter(queryset=None, label=_("单位"), empty_label=ALL, method="filter_org")

    class Meta:
        model = Pairing
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(partner_name__icontains=value) | Q(title__icontains=value))


class VolunteerEventFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("关键字"),
        widget=forms.TextInput(attrs={"placeholder": _("活动名称或地点"), "type": "search"}),
    )
    organization = OrgFilter(queryset=None, label=_("单位"), empty_label=ALL, method="filter_org")
    date_from = _date(_("开始日期"))
    date_to = _date(_("截止日期"))

    class Meta:
        model = VolunteerEvent
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))


class VolunteerRecordFilter(_ScopedFilterSet):
    date_field = "check_in_at"
    org_path_field = "signup__event__organization__path"

    q = django_filters.CharFilter(
        method="search",
        label=_("姓名"),
        widget=forms.TextInput(attrs={"placeholder": _("志愿者姓名"), "type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=VolunteerRecordStatus.choices, label=_("状态"), empty_label=ALL)
    organization = OrgFilter(queryset=None, label=_("单位"), empty_label=ALL, method="filter_org")
    date_from = _date(_("开始日期"))
    date_to = _date(_("截止日期"))
    needs_review = django_filters.ChoiceFilter(
        choices=[("1", _("需复核"))], label=_("复核"), empty_label=ALL, method="filter_review"
    )

    class Meta:
        model = VolunteerRecord
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(signup__name__icontains=value)

    def filter_review(self, queryset, name, value):
        return queryset.filter(needs_review=True) if value == "1" else queryset
