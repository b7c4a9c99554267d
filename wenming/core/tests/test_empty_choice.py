"""Selects offer 请选择 (forms) or 全部 (query forms), never Django's "---------" (issue 10 #6)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import translation

from wenming.core.forms import BaseFilterSet, BaseForm, BaseModelForm
from wenming.organizations.models import Organization, Outlet


class _Form(BaseForm):
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")], required=False)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)


class _ModelForm(BaseModelForm):
    class Meta:
        model = Organization
        fields = ["kind", "parent"]


class _Filter(BaseFilterSet):
    outlet_type = django_filters.ChoiceFilter(choices=[("a", "甲")])
    brand = django_filters.ModelChoiceFilter(queryset=Outlet.objects.none())

    class Meta:
        model = Outlet
        fields = ["outlet_type", "brand"]


def test_forms_say_please_choose(db):
    for form in (_Form(), _ModelForm()):
        html = str(form)
        assert "---------" not in html
        assert html.count('<option value="" selected>请选择</option>') == 2


def test_query_forms_say_all(db):
    html = str(_Filter({}).form)
    assert "---------" not in html
    assert html.count('<option value="">全部</option>') + html.count('<option value="" selected>全部</option>') == 2


def test_empty_choices_in_english(db):
    with translation.override("en"):
        assert '<option value="" selected>Please choose</option>' in str(_Form())
        assert ">All</option>" in str(_Filter({}).form)
