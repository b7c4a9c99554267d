"""Shared fixtures: a small Liaoning org tree, personas, and the browser set-up."""

from __future__ import annotations

import os
import shutil
from datetime import date
from types import SimpleNamespace

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
]
PASSWORD = "Wenming#2017test"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return {**browser_type_launch_args, "args": CHROMIUM_FLAGS, "executable_path": exe}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def _clear_cache():
    """A fresh cache per test. On Redis only this run's keys go: ``clear()`` would FLUSHDB the database the
    other xdist worker is using at the same moment (settings/test.py gives each worker its key prefix)."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    if "shared" in settings.CACHES and not settings.CACHES["shared"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import caches

        caches["shared"].clear()  # the rate limiter's counters (a per-run directory; Redis: same keys as above)
    from wenming.core import memo

    memo.forget_all()  # the per-process memos (ids are reused after a rolled-back test)
    yield


@pytest.fixture
def org_tree(db):
    """辽宁省邮政管理局 → 沈阳市局 / 大连市局 → an enterprise each → an outlet each (+ a division)."""
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.models import Brand, Enterprise, Outlet
    from wenming.organizations.services import org_create

    sf, _ = Brand.objects.get_or_create(code="SF", defaults={"name": "顺丰"})
    zto, _ = Brand.objects.get_or_create(code="ZTO", defaults={"name": "中通"})
    province = org_create(
        parent=None, kind=OrgKind.PROVINCIAL_BUREAU, name="辽宁省邮政管理局", code="210000", audit=False
    )
    office = org_create(parent=province, kind=OrgKind.DIVISION, name="办公室", audit=False)
    shenyang = org_create(
        parent=province, kind=OrgKind.CITY_BUREAU, name="沈阳市邮政管理局", code="210100", audit=False
    )
    dalian = org_create(parent=province, kind=OrgKind.CITY_BUREAU, name="大连市邮政管理局", code="210200", audit=False)
    sy_ent = org_create(parent=shenyang, kind=OrgKind.ENTERPRISE, name="顺丰速运（沈阳）有限公司", audit=False)
    Enterprise.objects.create(organization=sy_ent, brand=sf, licence_no="辽210100001")
    dl_ent = org_create(parent=dalian, kind=OrgKind.ENTERPRISE, name="大连中通快递有限公司", audit=False)
    Enterprise.objects.create(organization=dl_ent, brand=zto, licence_no="辽210200001")
    sy_outlet = org_create(
        parent=sy_ent, kind=OrgKind.OUTLET, name="顺丰沈阳和平营业部", audit=False, address="和平区南京北街1号"
    )
    Outlet.objects.create(organization=sy_outlet, brand=sf, county_code="210102", opened_on=date(2015, 3, 1))
    dl_outlet = org_create(
        parent=dl_ent, kind=OrgKind.OUTLET, name="中通大连中山营业部", audit=False, address="中山区人民路2号"
    )
    Outlet.objects.create(organization=dl_outlet, brand=zto, county_code="210202", opened_on=date(2016, 5, 1))
    return SimpleNamespace(
        province=province,
        office=office,
        shenyang=shenyang,
        dalian=dalian,
        shenyang_enterprise=sy_ent,
        dalian_enterprise=dl_ent,
        shenyang_outlet=sy_outlet,
        dalian_outlet=dl_outlet,
        sf=sf,
        zto=zto,
    )


def make_user(username: str, *, role: str | None = None, org=None, duty: str | None = None, **extra):
    from django.utils import timezone

    from wenming.accounts.models import AdminDuty, User
    from wenming.organizations.models import RoleAssignment

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        display_name=extra.pop("display_name", username),
        must_change_password=False,
        password_changed_at=timezone.now(),
        home_organization=org,
        **extra,
    )
    if role:
        RoleAssignment.objects.create(user=user, organization=org, role=role)
    if duty:
        AdminDuty.objects.create(user=user, duty=duty)
    return user


@pytest.fixture
def personas(org_tree):
    """People who make permission tests read like the regulation."""
    t = org_tree
    return SimpleNamespace(
        province_admin=make_user("p_admin", role="province_admin", org=t.province),
        shenyang_admin=make_user("sy_admin", role="city_admin", org=t.shenyang),
        shenyang_staff=make_user("sy_staff", role="city_user", org=t.shenyang),
        dalian_admin=make_user("dl_admin", role="city_admin", org=t.dalian),
        shenyang_enterprise=make_user("sy_ent", role="enterprise_admin", org=t.shenyang_enterprise),
        shenyang_outlet=make_user("sy_outlet", role="outlet_manager", org=t.shenyang_outlet),
        expert=make_user("expert", role="expert", org=t.province),
        sysadmin=make_user("sys", duty="system_admin", org=t.province),
        secadmin=make_user("sec", duty="security_admin", org=t.province),
        auditor=make_user("aud", duty="audit_admin", org=t.province),
        nobody=make_user("nobody"),
    )


@pytest.fixture
def login(client):
    """Log a persona in through the real login view's session machinery."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return _login


@pytest.fixture
def lean_client():
    """A test client whose requests run the lean middleware stack the public hot POSTs run in production
    (wenming.web.wsgi), with the CSRF check enforced as a browser meets it."""
    from django.test import Client
    from django.test.client import ClientHandler

    from wenming.web.wsgi import LeanMiddlewareMixin

    class LeanClientHandler(LeanMiddlewareMixin, ClientHandler):
        pass

    c = Client(enforce_csrf_checks=True)
    c.handler = LeanClientHandler(enforce_csrf_checks=True)
    return c


@pytest.fixture(autouse=True)
def _every_staff_audit_row_has_an_ip(monkeypatch):
    """Every audit row a signed-in user's request writes carries the client IP (kernel issue, item 5).

    Wraps the audit log's single INSERT: a row with an actor, written while a request is being served,
    must have an address; the test fails otherwise.
    """
    from wenming.audit import services
    from wenming.core import context

    missing: list[str] = []
    insert = services._insert

    def checked(row):
        if row.get("actor_id") and context.in_request() and not row.get("ip"):
            missing.append(f"{row['action']} {row['object_type']}#{row['object_id']}")
        return insert(row)

    monkeypatch.setattr(services, "_insert", checked)
    yield
    assert not missing, f"audit rows without a client IP: {missing}"
