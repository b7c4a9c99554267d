"""List pages do a constant number of queries (no N+1): 3 rows and 30 rows cost the same."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Outlet
from wenming.organizations.services import org_create

MAX_QUERIES = 10


def _add_outlets(org_tree, n):
    for i in range(n):
        ent = org_create(parent=org_tree.shenyang, kind=OrgKind.ENTERPRISE, name=f"查询企业{i}", audit=False)
        Enterprise.objects.create(organization=ent, brand=org_tree.sf)
        org = org_create(parent=ent, kind=OrgKind.OUTLET, name=f"查询网点{i}", audit=False)
        Outlet.objects.create(organization=org, brand=org_tree.sf, county_code="210102", opened_on=date(2017, 1, 1))


def _count(client, url, params):
    client.get(url, params)  # the first request after login records the session; measure steady state
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["province_admin", "shenyang_admin"])
@pytest.mark.parametrize("url_name", ["organizations:outlet-list", "organizations:enterprise-list"])
def test_list_query_count_is_constant(client, personas, org_tree, django_assert_max_num_queries, url_name, who):
    client.force_login(getattr(personas, who))
    url = reverse(url_name)
    params = {"size": "50"}
    _add_outlets(org_tree, 1)  # 3 rows
    few = _count(client, url, params)
    _add_outlets(org_tree, 27)  # 30 rows
    many = _count(client, url, params)
    assert few == many
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, params)
