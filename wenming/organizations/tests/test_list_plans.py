"""What keeps the staff lists flat at full data (quality.md A1): province scope, per-row counts, index order."""

from datetime import date

from wenming.accounts.models import User
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Organization, Outlet
from wenming.organizations.scoping import _scope_chain_required, covers_whole_tree, scope_roots
from wenming.organizations.selectors import enterprise_list, outlet_list
from wenming.organizations.services import org_create
from wenming.people.models import Courier
from wenming.people.selectors import courier_list
from wenming.people.tests.factories import make_courier


def _where(qs) -> str:
    sql = str(qs.query)
    return sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""


def test_province_scope_needs_no_path_predicate(personas, org_tree):
    user = personas.province_admin
    assert covers_whole_tree(user, scope_roots(user))
    qs = Outlet.objects.visible_to(user)
    assert "path" not in _where(qs)
    assert set(qs.values_list("pk", flat=True)) == set(Outlet.objects.values_list("pk", flat=True))


def test_city_scope_keeps_the_path_range(personas, org_tree):
    user = personas.shenyang_admin
    assert not covers_whole_tree(user, scope_roots(user))
    qs = Outlet.objects.visible_to(user)
    assert "path" in _where(qs)
    assert list(qs.values_list("pk", flat=True)) == [org_tree.shenyang_outlet.pk]


def test_a_second_top_level_node_stays_outside_a_province_grant(personas, org_tree):
    other = org_create(parent=None, kind=OrgKind.PROVINCIAL_BUREAU, name="吉林省邮政管理局", code="220000", audit=False)
    city = org_create(parent=other, kind=OrgKind.CITY_BUREAU, name="长春市邮政管理局", code="220100", audit=False)
    user = User.objects.get(pk=personas.province_admin.pk)  # a fresh request's user object
    assert not covers_whole_tree(user, scope_roots(user))
    visible = set(Organization.objects.visible_to(user).values_list("pk", flat=True))
    assert org_tree.dalian.pk in visible
    assert other.pk not in visible and city.pk not in visible


def test_a_nullable_link_to_the_node_keeps_the_predicate():
    assert _scope_chain_required(Courier, "outlet")
    assert _scope_chain_required(Outlet, "organization")
    assert not _scope_chain_required(Organization, "parent")  # nullable: a tautology could not be assumed


def test_enterprise_list_counts_direct_outlets_only(personas, org_tree):
    ent = org_tree.shenyang_enterprise
    org = org_create(parent=ent, kind=OrgKind.OUTLET, name="顺丰沈阳皇姑营业部", audit=False)
    Outlet.objects.create(organization=org, brand=org_tree.sf, county_code="210105", opened_on=date(2018, 1, 1))
    branch = org_create(parent=ent, kind=OrgKind.BRANCH, name="顺丰沈阳分公司", audit=False)
    Enterprise.objects.create(organization=branch, brand=org_tree.sf)
    deep = org_create(parent=branch, kind=OrgKind.OUTLET, name="顺丰沈阳浑南营业部", audit=False)
    Outlet.objects.create(organization=deep, brand=org_tree.sf, county_code="210112", opened_on=date(2019, 1, 1))
    counts = {e.pk: e.outlet_count for e in enterprise_list(user=personas.province_admin)}
    assert counts[ent.pk] == 2  # its own two outlets, not the branch's
    assert counts[branch.pk] == 1
    assert counts[org_tree.dalian_enterprise.pk] == 1
    assert enterprise_list(user=personas.province_admin).count() == 3


def test_list_orders_follow_their_indexes(personas, org_tree):
    make_courier(org_tree.dalian_outlet, name="乙")
    make_courier(org_tree.shenyang_outlet, name="丙")
    make_courier(org_tree.shenyang_outlet, name="甲")
    couriers = list(courier_list(user=personas.province_admin))
    outlets = [c.outlet_id for c in couriers]
    assert outlets == sorted(outlets) and len(couriers) == 3
    paths = [o.organization.path for o in outlet_list(user=personas.province_admin)]
    assert paths == sorted(paths) and len(paths) == 2
