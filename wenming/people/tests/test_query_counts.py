"""The courier list does a constant number of queries: 3 rows and 30 rows cost the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_courier

MAX_QUERIES = 10


def _count(client, url, params):
    client.get(url, params)  # the first request after login records the session; measure steady state
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url, params)
    assert resp.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["province_admin", "shenyang_admin"])
def test_courier_list_query_count_is_constant(client, personas, org_tree, django_assert_max_num_queries, who):
    client.force_login(getattr(personas, who))
    url = reverse("people:courier-list")
    params = {"size": "50"}
    for i in range(3):
        make_courier(org_tree.shenyang_outlet, name=f"快递员{i}")
    few = _count(client, url, params)
    for i in range(27):
        make_courier(org_tree.shenyang_outlet, name=f"快递员甲{i}")
    many = _count(client, url, params)
    assert few == many
    assert client.get(url, params).context["page"].paginator.count == 30
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, params)
