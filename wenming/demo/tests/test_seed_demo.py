"""seed_demo: the Liaoning demo data are complete, valid, scoped, idempotent and refused in production."""

from __future__ import annotations

import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from wenming.accounts.models import AdminDuty, User
from wenming.audit.models import AuditEvent
from wenming.core import pii
from wenming.demo.builder import DEMO_PASSWORD
from wenming.organizations.choices import OrgKind
from wenming.organizations.divisions import division
from wenming.organizations.models import Brand, Enterprise, Organization, Outlet, RoleAssignment
from wenming.organizations.services import rebuild_paths, step
from wenming.people.models import BodyKind, Courier, GoverningBody, Membership, Position

CITY_CODES = [
    "210100",
    "210200",
    "210300",
    "210400",
    "210500",
    "210600",
    "210700",
    "210800",
    "210900",
    "211000",
    "211100",
    "211200",
    "211300",
    "211400",
]


def seed(size: str = "tiny") -> str:
    out = StringIO()
    call_command("seed_demo", size=size, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "orgs": Organization.objects.count(),
        "couriers": Courier.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "bodies": GoverningBody.objects.count(),
        "members": Membership.objects.count(),
        "brands": Brand.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_tiny_seed_builds_the_liaoning_tree():
    out = seed()

    province = Organization.objects.get(kind=OrgKind.PROVINCIAL_BUREAU)
    assert (province.name, province.code, province.depth) == ("辽宁省邮政管理局", "210000", 0)
    assert set(province.children.filter(kind=OrgKind.DIVISION).values_list("name", flat=True)) == {
        "办公室",
        "政策法规处",
        "普遍服务处",
        "市场监管处",
        "人事处",
        "机关党委",
    }
    cities = {o.code: o for o in Organization.objects.filter(kind=OrgKind.CITY_BUREAU)}
    assert sorted(cities) == CITY_CODES
    for code, bureau in cities.items():
        assert bureau.name == f"{division(code).name}邮政管理局"
        assert bureau.city_code == code
        assert set(bureau.children.filter(kind=OrgKind.SECTION).values_list("name", flat=True)) == {
            "办公室",
            "普遍服务科",
            "市场监管科",
        }
    assert Organization.objects.filter(kind=OrgKind.MASS_ORGANISATION, parent=province).count() == 3
    assert Organization.objects.filter(kind=OrgKind.OUTLET).count() == 60
    assert Outlet.objects.count() == 60
    assert Courier.objects.count() == 300
    units = Organization.objects.filter(kind__in=[OrgKind.ENTERPRISE, OrgKind.BRANCH]).count()
    assert 30 <= units <= 50
    assert Enterprise.objects.count() == units
    brand_names = set(Brand.objects.values_list("name", flat=True))
    assert {"中国邮政", "EMS", "顺丰", "圆通", "中通", "申通", "韵达", "德邦", "京东"} <= brand_names
    assert not any("极兔" in n for n in brand_names)
    assert "快递员：300" in out and "网点：60" in out


@pytest.mark.django_db
def test_paths_depths_and_city_codes_match_org_create_semantics():
    seed()

    # paths are exactly what rebuild_paths (parent is the source of truth) would compute
    assert rebuild_paths() == 0
    for org in Organization.objects.select_related("parent"):
        if org.parent is None:
            assert org.path == step(org.pk)
        else:
            assert org.path == org.parent.path + step(org.pk)
            assert org.depth == org.parent.depth + 1
        if org.kind not in (OrgKind.PROVINCIAL_BUREAU, OrgKind.DIVISION, OrgKind.MASS_ORGANISATION):
            assert division(org.city_code).level == "city"
    for outlet in Outlet.objects.select_related("organization"):
        county = division(outlet.county_code)
        assert county.level == "county"
        assert county.parent_code == outlet.organization.city_code


@pytest.mark.django_db
def test_second_run_changes_nothing():
    seed()
    before = counts()

    out = seed()

    assert "未做任何改动" in out
    assert counts() == before


@pytest.mark.django_db
def test_every_courier_has_a_valid_id_from_its_outlets_county():
    seed()

    couriers = list(Courier.objects.select_related("outlet__outlet"))
    assert len(couriers) == 300
    ids = set()
    for c in couriers:
        id_number = c.reveal_id_number()
        assert pii.parse_id_number(id_number) == id_number
        assert id_number[:6] == c.outlet.outlet.county_code
        assert pii.birth_date_from_id(id_number) == c.birth_date
        assert int(id_number[16]) % 2 == (1 if c.gender == "M" else 0)
        assert 1965 <= c.birth_date.year <= 2003
        assert c.started_delivery_on > c.birth_date
        assert c.id_number_hint == pii.mask_id_number(id_number)
        phone = c.reveal_phone()
        assert pii.parse_phone(phone) == phone
        ids.add(id_number)
    assert len(ids) == 300
    assert {c.gender for c in couriers} == {"M", "F"}


@pytest.mark.django_db
@override_settings(WENMING_PROFILE="production")
def test_refused_in_production():
    with pytest.raises(CommandError, match="生产环境"):
        seed()

    assert Organization.objects.count() == 0
    assert User.objects.filter(is_demo=True).count() == 0


@pytest.mark.django_db
def test_demo_accounts_have_their_roles_and_can_log_in(client):
    seed()

    province = Organization.objects.get(kind=OrgKind.PROVINCIAL_BUREAU)
    shenyang = Organization.objects.get(kind=OrgKind.CITY_BUREAU, code="210100")
    dalian = Organization.objects.get(kind=OrgKind.CITY_BUREAU, code="210200")

    def roles(username):
        return set(RoleAssignment.objects.filter(user__username=username).values_list("organization_id", "role"))

    assert roles("province") == {(province.pk, "province_admin"), (province.pk, "committee_office")}
    assert roles("office") == {(province.pk, "committee_office")}
    assert roles("shenyang") == {(shenyang.pk, "city_admin")}
    assert roles("dalian") == {(dalian.pk, "city_admin")}
    assert roles("expert1") == {(province.pk, "expert")}
    (ent_id, role), *_ = roles("sf_shenyang")
    ent = Enterprise.objects.select_related("organization", "brand").get(pk=ent_id)
    assert (role, ent.brand.code, ent.organization.kind, ent.organization.parent_id) == (
        "enterprise_admin",
        "SF",
        OrgKind.ENTERPRISE,
        shenyang.pk,
    )
    duties = dict(AdminDuty.objects.values_list("user__username", "duty"))
    assert duties == {"sysadmin": "system_admin", "secadmin": "security_admin", "auditor": "audit_admin"}
    demo = User.objects.filter(is_demo=True)
    assert demo.count() == 9
    for user in demo:
        assert user.must_change_password is False
        assert user.password_changed_at is not None
        assert client.login(username=user.username, password=DEMO_PASSWORD), user.username
        client.logout()
    assert not client.login(username="shenyang", password="wrong-password")


@pytest.mark.django_db
def test_governing_bodies_follow_clause_three_one():
    seed()

    committee = GoverningBody.objects.get(kind=BodyKind.STEERING_COMMITTEE)
    assert committee.name == "辽宁省邮政管理局精神文明建设指导委员会"
    chair = committee.memberships.get(position=Position.CHAIR)
    assert chair.post_title == "局长"
    assert committee.memberships.filter(position=Position.MEMBER).count() == 6
    office = GoverningBody.objects.get(kind=BodyKind.COMMITTEE_OFFICE)
    assert office.organization.name == "办公室"
    head = office.memberships.get(position=Position.OFFICE_HEAD)
    assert committee.memberships.filter(position=Position.VICE_CHAIR, person_name=head.person_name).exists()
    groups = GoverningBody.objects.filter(kind=BodyKind.LEADING_GROUP).select_related("organization")
    assert sorted(g.organization.code for g in groups) == CITY_CODES
    for g in groups:
        positions = set(g.memberships.values_list("position", flat=True))
        assert {Position.GROUP_HEAD, Position.DEPUTY_HEAD, Position.LIAISON} <= positions
    assert all(m.valid_from.year == 2017 for m in Membership.objects.all())
    liaison = Membership.objects.get(body__organization__code="210100", position=Position.LIAISON)
    assert liaison.user.username == "shenyang"


@pytest.mark.django_db
def test_module_hooks_receive_the_context(monkeypatch):
    seen = {}
    module = types.ModuleType("wenming.demo.modules.workbench")

    def hook(ctx):
        seen["size"] = ctx.size
        seen["province"] = ctx.province.code
        seen["cities"] = len(ctx.cities)
        seen["users"] = sorted(ctx.users)
        seen["draw"] = ctx.rng.random()
        ctx.note("测试模块数据", 7)

    module.seed = hook
    monkeypatch.setitem(sys.modules, "wenming.demo.modules.workbench", module)

    out = seed()

    assert seen["size"] == "tiny" and seen["province"] == "210000" and seen["cities"] == 14
    assert "sf_shenyang" in seen["users"]
    assert "测试模块数据：7" in out
    assert "wenming.demo.modules.workbench" in out
