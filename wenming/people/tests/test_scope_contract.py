"""The data-scope contract applied to couriers, governing bodies and their memberships."""

from django.urls import reverse

from wenming.people.models import Courier, GoverningBody, Membership
from wenming.testing import ScopedModelContract

from .factories import make_body, make_courier, make_member, outlet_in

CONTRACT_EXEMPT = {
    "people.CourierMove": "调动记录只在快递员详情页显示，随快递员的数据范围（由 Courier 契约覆盖）；范围外的网点显示为“其他单位”",
}
CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


class TestCourierScope(ScopedModelContract):
    model = Courier
    list_url_name = "people:courier-list"
    detail_url_name = "people:courier-detail"

    def make_in(self, city):
        return make_courier(outlet_in(city), name=f"{CITY_SHORT[city.code]}契约快递员")


class TestGoverningBodyScope(ScopedModelContract):
    model = GoverningBody
    list_url_name = "people:governance"
    detail_url_name = "people:body-detail"

    def make_in(self, city):
        body = make_body(city, f"{CITY_SHORT[city.code]}契约领导小组")
        make_member(body, f"{CITY_SHORT[city.code]}组长")  # so the CSV export has a row naming the body
        return body


class TestMembershipScope(ScopedModelContract):
    model = Membership
    list_url_name = "people:governance"
    detail_url_name = "people:membership-end"

    def make_in(self, city):
        body = make_body(city, f"{city.name}精神文明建设领导小组")
        return make_member(body, f"{CITY_SHORT[city.code]}契约成员")

    def label(self, obj):
        return obj.person_name

    def detail_url(self, obj):
        return reverse("people:membership-end", args=[obj.pk])
