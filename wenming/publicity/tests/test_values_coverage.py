"""价值体系 (versions reviewed by the city bureau, the current one on the enterprise's page) and 媒体报道
(the log, clippings on the upload path, counts by city and medium for the assessment)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.core.errors import ApplicationError
from wenming.publicity import selectors, services
from wenming.publicity.models import MediaCoverage

from . import factories as f
from .conftest import jpeg

pytestmark = pytest.mark.django_db

VALUES = {
    "core_values": "诚信为本，服务至上",
    "mission": "让寄递更安全",
    "vision": "百姓信赖",
    "spirit": "敬业奉献",
    "code_of_conduct": "文明用语，规范操作",
}


def test_values_versions_and_public_page(client, personas, org_tree):
    ent = org_tree.shenyang_enterprise
    v1 = services.values_create(by=personas.shenyang_enterprise, organization=ent, data=VALUES)
    with pytest.raises(ApplicationError):  # one open version at a time
        services.values_create(by=personas.shenyang_enterprise, organization=ent, data=VALUES)
    services.values_submit(by=personas.shenyang_enterprise, statement_id=v1.pk)
    services.values_return(by=personas.shenyang_admin, statement_id=v1.pk, note="道德规范请细化")
    services.values_update(
        by=personas.shenyang_enterprise, statement_id=v1.pk, data={"code_of_conduct": "文明用语十条"}
    )
    services.values_submit(by=personas.shenyang_enterprise, statement_id=v1.pk)
    page = reverse("public:publicity-unit", args=[ent.pk])
    assert "文明用语十条" not in client.get(page).content.decode()  # not reviewed yet
    services.values_approve(by=personas.shenyang_admin, statement_id=v1.pk)
    assert "文明用语十条" in client.get(page).content.decode()
    v2 = services.values_create(by=personas.shenyang_enterprise, organization=ent, data={**VALUES, "spirit": "新精神"})
    assert v2.version == 2
    assert selectors.current_values(ent) == v1  # the draft does not replace the approved version
    body = client.get(page).content.decode()
    assert "新精神" not in body and "敬业奉献" in body


def test_values_reviewed_by_own_city_only(client, personas, org_tree):
    v = f.values(org_tree.shenyang_enterprise, "submitted")
    client.force_login(personas.dalian_admin)
    assert client.post(reverse("publicity:values-move", args=[v.pk, "approve"])).status_code == 404
    with pytest.raises(PermissionDenied):  # the bureau reviews; the enterprise writes its own values
        services.values_create(by=personas.shenyang_admin, organization=org_tree.shenyang, data=VALUES)


def test_coverage_with_clipping_and_counts(client, personas, org_tree, media):
    with pytest.raises(ApplicationError, match="链接或上传剪报"):
        services.coverage_create(
            by=personas.shenyang_admin,
            organization=org_tree.shenyang,
            data={
                "title": "无链接",
                "outlet_name": "沈阳日报",
                "medium": "newspaper",
                "published_on": date(2026, 3, 15),
            },
        )
    with pytest.raises(ApplicationError):  # the upload path refuses a renamed file
        services.coverage_create(
            by=personas.shenyang_admin,
            organization=org_tree.shenyang,
            data={"title": "坏文件", "outlet_name": "x", "medium": "web", "published_on": date(2026, 3, 1)},
            clipping=SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", "application/pdf"),
        )
    cov = services.coverage_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={
            "title": "快递小哥雪中送件",
            "outlet_name": "沈阳日报",
            "medium": "newspaper",
            "published_on": date(2026, 3, 15),
            "reach": 50000,
        },
        clipping=jpeg(name="剪报.jpg"),
        exemplars=[f.exemplar(org_tree.shenyang_enterprise)],
    )
    assert cov.clipping.name.startswith("publicity/coverage") and cov.exemplars.count() == 1
    for medium, day in (("tv", date(2026, 4, 1)), ("web", date(2026, 4, 2)), ("web", date(2025, 4, 2))):
        MediaCoverage.objects.create(
            organization=org_tree.dalian_enterprise,
            title="大连报道",
            outlet_name="大连电视台",
            medium=medium,
            published_on=day,
            reach=100,
        )
    rows = {r["city_code"]: r for r in selectors.coverage_counts(start=date(2026, 1, 1), end=date(2026, 12, 31))}
    assert rows["210100"]["by_medium"] == {"newspaper": 1} and rows["210100"]["reach"] == 50000
    assert rows["210200"]["by_medium"] == {"tv": 1, "web": 1} and rows["210200"]["total"] == 2
    client.force_login(personas.shenyang_admin)
    stats = client.get(reverse("publicity:coverage-stats"), {"year": 2026})
    assert [r["code"] for r in stats.context["table"]] == ["210100"]  # the page counts the user's scope only
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("publicity:coverage-clipping", args=[cov.pk])).status_code == 200
    listing = client.get(reverse("publicity:coverage-list"), {"medium": "newspaper", "q": "雪中"}).content.decode()
    assert "快递小哥雪中送件" in listing


def test_coverage_pages_render(client, personas, org_tree):
    client.force_login(personas.province_admin)
    for name in (
        "publicity:coverage-list",
        "publicity:coverage-create",
        "publicity:coverage-stats",
        "publicity:values-list",
        "publicity:notice-create",
        "publicity:suggestion-create",
        "publicity:inbox",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    for name in (
        "public:publicity-profiles",
        "public:publicity-suggestions",
        "public:publicity-suggest",
        "public:publicity-suggest-notice",
    ):
        client.logout()
        assert client.get(reverse(name)).status_code == 200, name
