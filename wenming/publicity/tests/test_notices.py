"""通知公告: a notice sent to all city bureaus shows who has not read it (issue 14, "Done when" 2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import make_user
from wenming.publicity import selectors, services
from wenming.publicity.models import NoticeDelivery, NoticeRead
from wenming.workbench.models import Notification
from wenming.workbench.services import todo_items

pytestmark = pytest.mark.django_db


def _send(personas, org_tree, django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        n = services.notice_create(
            by=personas.province_admin,
            organization=org_tree.province,
            title="关于报送2026年度创建工作总结的通知",
            body="请于12月25日前报送。",
            target=kw.pop("target", "city_bureaus"),
            **kw,
        )
        services.notice_send(by=personas.province_admin, notice_id=n.pk)
    return n


def test_notice_to_all_city_bureaus_lists_who_has_not_read(
    client, personas, org_tree, django_capture_on_commit_callbacks
):
    n = _send(personas, org_tree, django_capture_on_commit_callbacks)
    units = set(n.deliveries.values_list("organization_id", flat=True))
    assert units == {org_tree.shenyang.pk, org_tree.dalian.pk}  # city bureaus only: no division, no enterprise
    # both bureaus' people were told, and see it as a to-do
    assert Notification.objects.filter(recipient=personas.dalian_admin, title__contains=n.title).exists()
    assert any("未读通知公告 1 条" in t.title for t in todo_items(personas.shenyang_admin))

    # Shenyang opens it from the inbox: the receipt is written
    client.force_login(personas.shenyang_staff)
    d = NoticeDelivery.objects.get(notice=n, organization=org_tree.shenyang)
    assert client.get(reverse("publicity:inbox")).content.decode().count(n.title) == 1
    assert client.get(reverse("publicity:inbox-detail", args=[d.pk])).status_code == 200
    d.refresh_from_db()
    assert d.read_by == personas.shenyang_staff and d.read_at is not None
    assert NoticeRead.objects.filter(delivery=d, user=personas.shenyang_staff).count() == 1
    assert not any("未读通知公告" in t.title for t in todo_items(personas.shenyang_staff))

    # the sender sees read / unread per unit, counters equal the lists
    client.force_login(personas.province_admin)
    page = client.get(reverse("publicity:notice-detail", args=[n.pk]), {"show": "unread"})
    body = page.content.decode()
    assert page.context["n_unread"] == len(page.context["rows"]) == 1
    assert [r.organization for r in page.context["rows"]] == [org_tree.dalian]
    assert "大连市邮政管理局" in body and "沈阳市邮政管理局" not in body.split('id="receipts"')[1]
    page = client.get(reverse("publicity:notice-detail", args=[n.pk]), {"show": "read"})
    assert page.context["n_read"] == len(page.context["rows"]) == 1
    assert page.context["rows"][0].read_by == personas.shenyang_staff
    listing = selectors.notice_list(user=personas.province_admin).get(pk=n.pk)
    assert (listing.n_read, listing.n_units) == (1, 2)


def test_remind_reaches_only_the_unread_units(client, personas, org_tree, django_capture_on_commit_callbacks):
    n = _send(personas, org_tree, django_capture_on_commit_callbacks)
    services.notice_open(user=personas.shenyang_admin, delivery_id=n.deliveries.get(organization=org_tree.shenyang).pk)
    before_sy = Notification.objects.filter(recipient=personas.shenyang_admin).count()
    before_dl = Notification.objects.filter(recipient=personas.dalian_admin).count()
    client.force_login(personas.province_admin)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("publicity:notice-remind", args=[n.pk]))
    assert resp.status_code in (200, 302)
    assert Notification.objects.filter(recipient=personas.dalian_admin).count() == before_dl + 1
    assert Notification.objects.filter(recipient=personas.shenyang_admin).count() == before_sy
    assert n.deliveries.get(organization=org_tree.dalian).reminded_at is not None


def test_opening_by_the_sender_or_a_unit_above_is_no_receipt(personas, org_tree, django_capture_on_commit_callbacks):
    n = _send(personas, org_tree, django_capture_on_commit_callbacks)
    d = n.deliveries.get(organization=org_tree.shenyang)
    assert services.notice_open(user=personas.province_admin, delivery_id=d.pk) is False
    d.refresh_from_db()
    assert d.read_at is None
    assert not selectors.inbox(user=personas.province_admin).filter(pk=d.pk).exists()


def test_inbox_of_another_unit_is_404(client, personas, org_tree, django_capture_on_commit_callbacks):
    n = _send(personas, org_tree, django_capture_on_commit_callbacks)
    d = n.deliveries.get(organization=org_tree.dalian)
    client.force_login(personas.shenyang_admin)
    assert client.get(reverse("publicity:inbox-detail", args=[d.pk])).status_code == 404
    d.refresh_from_db()
    assert d.read_at is None


def test_one_citys_enterprises_and_attachment(client, personas, org_tree, media, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    n = _send(
        personas,
        org_tree,
        django_capture_on_commit_callbacks,
        target="city_enterprises",
        target_city=org_tree.shenyang,
        attachments=[pdf],
    )
    assert list(n.deliveries.values_list("organization", flat=True)) == [org_tree.shenyang_enterprise.pk]
    att = n.attachments.get()
    client.force_login(personas.shenyang_enterprise)
    assert client.get(reverse("publicity:notice-attachment", args=[att.pk])).status_code == 200
    other = make_user("dl_ent", role="enterprise_admin", org=org_tree.dalian_enterprise)
    client.force_login(other)
    assert client.get(reverse("publicity:notice-attachment", args=[att.pk])).status_code == 404


def test_city_bureau_cannot_address_another_city(personas, org_tree):
    from wenming.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.notice_create(
            by=personas.shenyang_admin,
            organization=org_tree.shenyang,
            title="通知",
            body="正文",
            target="units",
            units=[org_tree.dalian_enterprise],
        )
