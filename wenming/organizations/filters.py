"""Query forms of the enterprise and outlet lists (labels in Chinese, choices narrowed to the scope)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from wenming.core.forms import ALL, BaseFilterSet

from .choices import NetworkType, OutletStatus, OutletType
from .divisions import city_choices, county_choices
from .models import Enterprise, Outlet
from .selectors import brand_choices, scope_city_codes


def _text(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "type": "search"})


class _CityScopedFilterSet(BaseFilterSet):
    """Shows the 地市 filter only to users who see more than one city; counties follow the scope."""

    city_field = "organization__city_code"
    has_county = False

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        codes = scope_city_codes(user=user) if user is not None else None
        all_cities = city_choices()
        if codes is not None and len(codes) <= 1:
            self.filters.pop("city", None)
            self.form.fields.pop("city", None)
        elif codes is not None:
            self.form.fields["city"].choices = [("", ALL)] + [c for c in all_cities if c[0] in codes]
        else:
            self.form.fields["city"].choices = [("", ALL)] + all_cities
        self.form.fields["brand"].choices = [("", ALL), *brand_choices()]
        if self.has_county:
            city = (self.data or {}).get("city") if "city" in self.form.fields else None
            county_cities = [city] if city else (codes if codes is not None else [c for c, _ in all_cities])
            self.form.fields["county"].choices = [("", ALL)] + county_choices(county_cities)


class OutletFilter(_CityScopedFilterSet):
    has_county = True

    q = django_filters.CharFilter(
        method="search", label=gettext_lazy("关键字"), widget=_text(gettext_lazy("请输入网点名称或地址"))
    )
    city = django_filters.ChoiceFilter(
        field_name="organization__city_code", label=gettext_lazy("地市"), empty_label=ALL
    )
    county = django_filters.ChoiceFilter(field_name="county_code", label=gettext_lazy("区县"), empty_label=ALL)
    brand = django_filters.ChoiceFilter(field_name="brand_id", label=gettext_lazy("品牌"), empty_label=ALL)
    area = django_filters.ChoiceFilter(
        method="filter_area",
        label=gettext_lazy("城乡"),
        choices=[("urban", gettext_lazy("城市")), ("rural", gettext_lazy("农村"))],
        empty_label=ALL,
    )
    outlet_type = django_filters.ChoiceFilter(
        choices=OutletType.choices, label=gettext_lazy("网点类型"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(choices=OutletStatus.choices, label=gettext_lazy("状态"), empty_label=ALL)

    class Meta:
        model = Outlet
        fields: list[str] = []

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(organization__name__icontains=value) | Q(organization__address__icontains=value))

    def filter_area(self, qs, name, value):
        return qs.filter(is_rural=(value == "rural"))


class EnterpriseFilter(_CityScopedFilterSet):
    q = django_filters.CharFilter(
        method="search", label=gettext_lazy("关键字"), widget=_text(gettext_lazy("请输入企业名称或许可证号"))
    )
    city = django_filters.ChoiceFilter(
        field_name="organization__city_code", label=gettext_lazy("地市"), empty_label=ALL
    )
    brand = django_filters.ChoiceFilter(field_name="brand_id", label=gettext_lazy("品牌"), empty_label=ALL)
    network_type = django_filters.ChoiceFilter(
        choices=NetworkType.choices, label=gettext_lazy("经营方式"), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        field_name="organization__kind",
        label=gettext_lazy("类型"),
        choices=[("enterprise", gettext_lazy("企业")), ("branch", gettext_lazy("分支机构"))],
        empty_label=ALL,
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(organization__name__icontains=value) | Q(licence_no__icontains=value))
