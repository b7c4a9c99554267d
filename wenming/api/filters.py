"""Query parameters of the API lists (django-filter; documented in the OpenAPI schema)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.forms import BaseFilterSet
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.people.models import Courier, CourierStatus


class OrganizationFilter(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("类型"))
    city_code = django_filters.CharFilter(label=_("所属地市代码（GB/T 2260，如 210100）"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("上级机构 ID（只列直接下级）"))
    is_active = django_filters.BooleanFilter(label=_("是否有效"))
    q = django_filters.CharFilter(method="search", label=_("名称关键字或代码"))

    class Meta:
        model = Organization
        fields = ["kind", "city_code", "parent", "is_active", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code=value.upper()))


class CourierFilter(BaseFilterSet):
    outlet = django_filters.NumberFilter(field_name="outlet_id", label=_("网点 ID"))
    within = django_filters.NumberFilter(method="in_subtree", label=_("机构 ID（含全部下级，如市局或企业）"))
    status = django_filters.ChoiceFilter(choices=CourierStatus.choices, label=_("状态"))
    q = django_filters.CharFilter(method="search", label=_("姓名关键字，或完整身份证号/手机号（精确匹配）"))

    class Meta:
        model = Courier
        fields = ["outlet", "within", "status", "q"]

    def in_subtree(self, queryset, name, value):
        # The node itself must be visible; otherwise the answer is empty, like a missing node.
        user = getattr(self.request, "user", None)
        node = Organization.objects.visible_to(user).filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(outlet__path__startswith=node) if node else queryset.none()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        try:
            return queryset.filter(id_number_index=crypto.blind_index(pii.parse_id_number(value), "id_number"))
        except pii.ParseError:
            pass
        try:
            return queryset.filter(phone_index=crypto.blind_index(pii.parse_phone(value), "phone"))
        except pii.ParseError:
            pass
        return queryset.filter(name__icontains=value)
