"""With English chosen, the publicity pages (staff and public) show no untranslated interface text,
with rows in every state present (the project-wide walk runs without publicity data)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.i18n.test_english_walk import _report, findings, stored_texts
from tests.security.crawl import Page, crawl_client, fetch
from tests.security.urlwalk import concrete_urls, staff_endpoints
from wenming.core.uploads import process_images
from wenming.publicity import services

from . import factories as f
from .conftest import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, org_tree, couriers, media, django_capture_on_commit_callbacks):
    ex = services.exemplar_create(
        by=personas.shenyang_enterprise,
        organization=org_tree.shenyang_outlet,
        data={"headline": "暖心快递员", "deeds": "送件上门。", "honours": "最美快递员"},
        courier=couriers.zhang,
        photos=process_images([jpeg()]),
    )
    f.exemplar(org_tree.shenyang_enterprise, "published", kind="team", name="青年突击队")
    f.exemplar(org_tree.shenyang_enterprise, "verified", name="李文", consent_withdrawn_at=ex.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notice_create(
            by=personas.province_admin, organization=org_tree.province, title="通知", body="正文", target="city_bureaus"
        )
        services.notice_send(by=personas.province_admin, notice_id=n.pk)
    f.notice(org_tree.province, title="草稿通知")
    for st in ("submitted", "routed", "answered", "adopted", "not_adopted"):
        f.suggestion(org_tree.shenyang, st)
    v = f.values(org_tree.shenyang_enterprise, "approved")
    f.values(org_tree.shenyang_enterprise, "submitted", version=2)
    services.coverage_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={"title": "报道", "outlet_name": "沈阳日报", "medium": "newspaper", "published_on": v.created_at.date()},
        clipping=jpeg(),
    )
    return ex


@pytest.fixture
def english():
    yield
    translation.deactivate()


@pytest.mark.parametrize("persona", ["province_admin", "shenyang_admin", "shenyang_enterprise"])
def test_publicity_pages_are_english(persona, personas, world, english):
    client = crawl_client()
    client.force_login(getattr(personas, persona))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = []
    for ep in staff_endpoints():
        if ep.name.startswith("publicity:"):
            for url in concrete_urls(ep):
                pages.append(fetch(client, url))
    pages.append(fetch(client, reverse("workbench:home")))
    assert sum(p.status == 200 for p in pages) > 15
    assert all(p.status < 500 for p in pages), [p.url for p in pages if p.status >= 500]
    report = _report(findings(pages, stored_texts()))
    assert report == [], "\n".join(report)


def test_public_pages_are_english(world, org_tree, english):
    client = crawl_client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    from wenming.publicity.models import Exemplar

    pub = Exemplar.objects.filter(status="published").first()
    urls = [
        reverse("public:publicity-profiles"),
        reverse("public:publicity-profile", args=[pub.public_key]),
        reverse("public:publicity-suggestions"),
        reverse("public:publicity-suggest"),
        reverse("public:publicity-suggest-notice"),
        reverse("public:publicity-unit", args=[org_tree.shenyang_enterprise.pk]),
    ]
    pages = [fetch(client, u) for u in urls]
    assert all(p.status == 200 for p in pages), [(p.url, p.status) for p in pages]
    bad = client.post(reverse("public:publicity-suggest"), {"title": "", "phone": "123"})
    assert bad.status_code == 422
    pages.append(
        Page(url="suggest-errors", status=422, content_type="text/html", cache_control="", text=bad.content.decode())
    )
    report = _report(findings(pages, stored_texts()))
    assert report == [], "\n".join(report)
