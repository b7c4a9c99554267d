"""The data-scope contract applied to the organisation tree, enterprises and outlets."""

from datetime import date

from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Organization, Outlet
from wenming.organizations.services import org_create
from wenming.testing import ScopedModelContract

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


def _enterprise(city, suffix="契约企业"):
    from wenming.organizations.models import Brand

    brand = Brand.objects.get(code="SF")
    org = org_create(parent=city, kind=OrgKind.ENTERPRISE, name=f"{CITY_SHORT[city.code]}{suffix}", audit=False)
    Enterprise.objects.create(organization=org, brand=brand, licence_no=f"辽{city.code}9")
    return org


def _outlet(city):
    ent = _enterprise(city)
    county = {"210100": "210102", "210200": "210202"}[city.code]
    org = org_create(parent=ent, kind=OrgKind.OUTLET, name=f"{CITY_SHORT[city.code]}契约网点", audit=False)
    return Outlet.objects.create(
        organization=org, brand=ent.enterprise.brand, county_code=county, opened_on=date(2017, 1, 1)
    )


class TestOrganizationScope(ScopedModelContract):
    model = Organization
    list_url_name = "organizations:tree"
    detail_url_name = "organizations:detail"
    list_params = {"q": "契约网点"}  # the tree's search is its flat list
    export_param = None

    def make_in(self, city):
        return _outlet(city).organization


class TestEnterpriseScope(ScopedModelContract):
    model = Enterprise
    list_url_name = "organizations:enterprise-list"
    detail_url_name = "organizations:detail"

    def make_in(self, city):
        return _enterprise(city).enterprise

    def label(self, obj):
        return obj.organization.name


class TestOutletScope(ScopedModelContract):
    model = Outlet
    list_url_name = "organizations:outlet-list"
    detail_url_name = "organizations:detail"

    def make_in(self, city):
        return _outlet(city)

    def label(self, obj):
        return obj.organization.name
