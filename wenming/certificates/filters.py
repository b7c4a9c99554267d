"""The query form of the certificate list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseFilterSet

from .choices import CertificateStatus
from .kinds import kind_choices
from .models import Certificate


class CertificateFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("证书编号、名称或持有人"), method="search", max_length=60)
    kind = django_filters.ChoiceFilter(label=_("证书种类"), choices=kind_choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CertificateStatus.choices)

    class Meta:
        model = Certificate
        fields = ["q", "kind", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(serial__icontains=value) | Q(subject_name__icontains=value) | Q(title__icontains=value)
        )
