"""The data-scope contract applied to complaints and item volumes (scoped by the enterprise)."""

from datetime import date

from wenming.complaints.models import Complaint, ItemVolume
from wenming.organizations.models import Organization
from wenming.testing import ScopedModelContract

from .factories import make_complaint

WAYBILL = {"210100": "SY20260001", "210200": "DL20260002"}


def _enterprise(city):
    return Organization.objects.get(parent=city, kind="enterprise")


class TestComplaintScope(ScopedModelContract):
    model = Complaint
    list_url_name = "complaints:list"
    detail_url_name = "complaints:detail"
    api_list_url_name = "api:complaint-list"
    api_detail_url_name = "api:complaint-detail"

    def make_in(self, city):
        return make_complaint(_enterprise(city), waybill_no=WAYBILL[city.code])

    def label(self, obj):
        # the enterprise's name: an ASCII case number would also appear in the list's own links (?q=…)
        return obj.enterprise.name


class TestItemVolumeScope(ScopedModelContract):
    model = ItemVolume
    list_url_name = "complaints:volumes"
    detail_url_name = "complaints:volume-detail"
    search_param = None
    api_list_url_name = "api:item-volume-list"

    def make_in(self, city):
        return ItemVolume.objects.create(enterprise=_enterprise(city), month=date(2026, 3, 1), items=1234567)

    def label(self, obj):
        return obj.enterprise.name
