"""Query form of the courier list: exact ID-number and phone search through the blind index."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core import crypto, pii
from wenming.core.forms import ALL, BaseFilterSet
from wenming.organizations.divisions import city_choices
from wenming.organizations.models import Organization
from wenming.organizations.selectors import scope_city_codes

from .models import Courier, CourierStatus, Gender


class IdNumberField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return pii.parse_id_number(value)
        except pii.ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return pii.parse_phone(value)
        except pii.ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc


class IdNumberFilter(django_filters.CharFilter):
    field_class = IdNumberField


class PhoneFilter(django_filters.CharFilter):
    field_class = PhoneField


def _text(placeholder: str) -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder, "type": "search", "autocomplete": "off"})


class CourierFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("姓名"), widget=_text(_("请输入姓名"))
    )
    id_number = IdNumberFilter(method="by_id_number", label=_("身份证号"), widget=_text(_("请输入完整身份证号")))
    phone = PhoneFilter(method="by_phone", label=_("手机号"), widget=_text(_("请输入完整手机号")))
    city = django_filters.ChoiceFilter(field_name="outlet__city_code", label=_("地市"), empty_label=ALL)
    enterprise = django_filters.CharFilter(
        field_name="outlet__parent__name",
        lookup_expr="icontains",
        label=_("所属企业"),
        widget=_text(_("请输入企业名称")),
    )
    outlet = django_filters.CharFilter(
        field_name="outlet__name", lookup_expr="icontains", label=_("所属网点"), widget=_text(_("请输入网点名称"))
    )
    org = django_filters.NumberFilter(method="by_org", label=_("所属机构"), widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(choices=CourierStatus.choices, label=_("状态"), empty_label=ALL)
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("性别"), empty_label=ALL)

    class Meta:
        model = Courier
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        codes = scope_city_codes(user=user)
        if codes is not None and len(codes) <= 1:
            self.filters.pop("city", None)
            self.form.fields.pop("city", None)
        else:
            allowed = city_choices() if codes is None else [c for c in city_choices() if c[0] in codes]
            self.form.fields["city"].choices = [("", ALL), *allowed]

    def by_id_number(self, qs, name, value):
        return qs.filter(id_number_index=crypto.blind_index(value, "id_number"))

    def by_phone(self, qs, name, value):
        return qs.filter(phone_index=crypto.blind_index(value, "phone"))

    def by_org(self, qs, name, value):
        node = Organization.objects.visible_to(self.request.user).filter(pk=int(value)).first()
        return qs.filter(outlet__path__startswith=node.path) if node else qs.none()
