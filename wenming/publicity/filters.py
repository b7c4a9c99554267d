"""Query forms of the publicity lists (labels in Chinese; unit choices narrowed to the scope)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.forms import ALL, BaseFilterSet
from wenming.organizations.divisions import division_name
from wenming.organizations.models import Organization

from .choices import (
    ExemplarKind,
    ExemplarStatus,
    Medium,
    SuggestionSource,
    SuggestionStatus,
    SuggestionTopic,
    ValuesStatus,
)
from .forms import OrgChoiceField, orgs_for
from .models import Exemplar, MediaCoverage, Notice, Suggestion, ValueStatement


def _date(label) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label, method="noop", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class OrgFilter(django_filters.ModelChoiceFilter):
    field_class = OrgChoiceField


class _Scoped(BaseFilterSet):
    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label=_("关键字"), widget=forms.TextInput(attrs={"type": "search"}))
    organization = OrgFilter(queryset=None, label=_("单位"), empty_label=ALL, method="filter_org")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["organization"].queryset = orgs_for(user, Action.VIEW)
        self.form.fields["organization"].queryset = orgs_for(user, Action.VIEW)
        self.form.fields["organization"].widget.narrow(action=Action.VIEW)

    def noop(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q()
        for f in self.search_fields:
            q |= Q(**{f"{f}__icontains": value})
        return queryset.filter(q)

    def filter_org(self, queryset, name, value):
        return queryset.in_subtree(value.path) if value else queryset


class ExemplarFilter(_Scoped):
    search_fields = ("name", "headline", "honours", "deeds")
    status = django_filters.ChoiceFilter(choices=ExemplarStatus.choices, label=_("状态"), empty_label=ALL)
    kind = django_filters.ChoiceFilter(choices=ExemplarKind.choices, label=_("类型"), empty_label=ALL)

    class Meta:
        model = Exemplar
        fields = ["q", "status", "kind", "organization"]


def city_choices() -> list[tuple[str, str]]:
    codes = Organization.objects.filter(kind="city_bureau").order_by("code").values_list("code", flat=True)
    return [(c, division_name(c) or c) for c in codes]


class CoverageFilter(_Scoped):
    search_fields = ("title", "outlet_name", "summary")
    medium = django_filters.ChoiceFilter(choices=Medium.choices, label=_("媒体类型"), empty_label=ALL)
    city = django_filters.ChoiceFilter(
        choices=city_choices, label=_("地市"), empty_label=ALL, field_name="organization__city_code"
    )
    date_from = _date(_("刊播日期起"))
    date_to = _date(_("刊播日期止"))

    class Meta:
        model = MediaCoverage
        fields = ["q", "medium", "city", "organization", "date_from", "date_to"]

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        if d.get("date_from"):
            qs = qs.filter(published_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(published_on__lte=d["date_to"])
        return qs


class NoticeFilter(_Scoped):
    search_fields = ("title", "body")

    class Meta:
        model = Notice
        fields = ["q", "organization"]


class SuggestionFilter(_Scoped):
    search_fields = ("number", "title", "content")
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("状态"), empty_label=ALL)
    source = django_filters.ChoiceFilter(choices=SuggestionSource.choices, label=_("提出人身份"), empty_label=ALL)
    topic = django_filters.ChoiceFilter(choices=SuggestionTopic.choices, label=_("类别"), empty_label=ALL)

    class Meta:
        model = Suggestion
        fields = ["q", "status", "source", "topic", "organization"]


class ValuesFilter(_Scoped):
    search_fields = ("organization__name", "core_values", "spirit")
    status = django_filters.ChoiceFilter(choices=ValuesStatus.choices, label=_("状态"), empty_label=ALL)

    class Meta:
        model = ValueStatement
        fields = ["q", "status", "organization"]
