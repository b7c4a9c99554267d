"""The query form of 我的文件: by status (as the user sees it: a file past its expiry is 已过期) and kind."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import ALL, BaseFilterSet
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.exports.services import KIND_GROUPS


class GeneratedFileFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(
        choices=GeneratedFileStatus.choices, method="by_status", label=_("状态"), empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        choices=list(KIND_GROUPS.items()), method="by_kind", label=_("类型"), empty_label=ALL
    )

    class Meta:
        model = GeneratedFile
        fields: list[str] = []

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        past = Q(expires_at__lte=timezone.now())
        if value == GeneratedFileStatus.EXPIRED:
            return queryset.filter(past | Q(status=GeneratedFileStatus.EXPIRED))
        return queryset.filter(status=value).exclude(past)

    def by_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(kind=value) | Q(kind__startswith=f"{value}."))
