"""Pages of 申诉: the public form and lookup (masking, rate limit, refusals), staff steps over HTTP,
an enterprise of another brand gets 404, to-do counters equal their lists, statistics and exports."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from wenming.complaints.choices import ComplaintStatus as S
from wenming.complaints.models import Complaint, ItemVolume
from wenming.workbench.services import todo_items

from .factories import make_complaint

pytestmark = pytest.mark.django_db
FORM = "/p/complaints/"


def _post(t, **over):
    today = timezone.localdate()
    data = {
        "enterprise": str(t.shenyang_enterprise.pk),
        "outlet": str(t.shenyang_outlet.pk),
        "waybill_no": "SF1234567890",
        "category": "loss",
        "business_type": "parcel",
        "description": "寄出的衣物少了一件，网点称已签收，拒绝处理。",
        "claim": "赔偿",
        "complainant_name": "王小明",
        "phone": "13912345678",
        "mailed_on": (today - timedelta(days=20)).isoformat(),
        "prior_complaint_on": (today - timedelta(days=10)).isoformat(),
    }
    data.update(over)
    return data


def test_public_form_registers_a_case_and_shows_only_the_masked_phone(client, org_tree):
    page = client.get(FORM)
    assert page.status_code == 200 and "顺丰速运（沈阳）有限公司" in page.content.decode()
    resp = client.post(FORM, _post(org_tree))
    body = resp.content.decode()
    assert resp.status_code == 200, body
    c = Complaint.objects.get()
    assert c.case_no in body and "139****5678" in body and "13912345678" not in body
    assert c.channel == "web" and c.outlet == org_tree.shenyang_outlet and c.status == S.RECEIVED

    # lookup: number + phone
    found = client.post(reverse("public:complaints-lookup"), {"case_no": c.case_no, "phone": "13912345678"})
    assert found.status_code == 200 and "待受理" in found.content.decode()
    assert "13912345678" not in found.content.decode()
    wrong = client.post(reverse("public:complaints-lookup"), {"case_no": c.case_no, "phone": "13912345670"})
    assert wrong.status_code == 404 and c.enterprise.name not in wrong.content.decode()


def test_public_form_refuses_before_seven_days_with_the_reason(client, org_tree):
    today = timezone.localdate()
    resp = client.post(FORM, _post(org_tree, prior_complaint_on=(today - timedelta(days=2)).isoformat()))
    assert resp.status_code == 422 and "请先向企业投诉" in resp.content.decode()
    resp = client.post(FORM, _post(org_tree, mailed_on=(today - timedelta(days=400)).isoformat()))
    assert resp.status_code == 422 and "超过1年" in resp.content.decode()
    assert not Complaint.objects.exists()


def test_public_form_is_rate_limited_per_phone(client, org_tree):
    for i in range(3):
        assert client.post(FORM, _post(org_tree, waybill_no=f"SF{i}")).status_code == 200
    resp = client.post(FORM, _post(org_tree, waybill_no="SF9"))
    assert resp.status_code == 429 and Complaint.objects.count() == 3


def test_outlet_options_follow_the_enterprise(client, org_tree):
    body = client.get(
        reverse("public:complaints-outlets"), {"enterprise": org_tree.shenyang_enterprise.pk}
    ).content.decode()
    assert org_tree.shenyang_outlet.name in body and org_tree.dalian_outlet.name not in body
    assert client.get(reverse("public:complaints-outlets"), {"enterprise": "x"}).status_code == 200


def test_an_enterprise_user_of_another_brand_gets_404(client, org_tree, personas):
    zto_user = make_user("dl_ent", role="enterprise_admin", org=org_tree.dalian_enterprise)
    c = make_complaint(
        org_tree.shenyang_enterprise, status=S.FORWARDED, reply_due=date(2099, 1, 1), final_due=date(2099, 1, 1)
    )
    client.force_login(zto_user)
    assert client.get(reverse("complaints:detail", args=[c.pk])).status_code == 404
    resp = client.post(
        reverse("complaints:reply", args=[c.pk]), {"reply-text": "与我无关的答复内容写满十字", "reply-handler": "张"}
    )
    assert resp.status_code == 404
    assert c.case_no not in client.get(reverse("complaints:list")).content.decode()
    assert client.get(reverse("api:complaint-detail", args=[c.pk])).status_code == 404
    c.refresh_from_db()
    assert c.status == S.FORWARDED
    # the enterprise itself answers over HTTP
    client.force_login(personas.shenyang_enterprise)
    ok = client.post(
        reverse("complaints:reply", args=[c.pk]),
        {"reply-text": "经核实快件丢失，已按保价赔偿。", "reply-handler": "李明", "reply-compensation": "120"},
    )
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.status == S.REPLIED and str(c.compensation) == "120.00"


def test_todo_counters_equal_their_lists(client, org_tree, personas):
    ent = org_tree.shenyang_enterprise
    make_complaint(ent)
    make_complaint(ent, accept_due=date(2020, 1, 2))
    make_complaint(ent, status=S.FORWARDED, reply_due=date(2099, 1, 1), final_due=date(2099, 1, 1))
    make_complaint(ent, status=S.REPLIED, callback_due=date(2099, 1, 1), final_due=date(2099, 1, 1))
    make_complaint(org_tree.dalian_enterprise)
    for user in (personas.shenyang_staff, personas.shenyang_enterprise, personas.province_admin):
        client.force_login(user)
        items = [i for i in todo_items(user) if "/complaints/" in i.url]
        assert items, user
        for item in items:
            n = int(re.search(r"(\d+)", item.title).group(1))
            body = client.get(item.url).content.decode()
            rows = re.findall(r'href="/complaints/\d+/"', body)
            assert len(rows) == n, (user, item.title)


def test_staff_detail_statistics_and_exports(client, org_tree, personas):
    ent = org_tree.shenyang_enterprise
    today = timezone.localdate()
    c = make_complaint(ent, outlet=org_tree.shenyang_outlet)
    ItemVolume.objects.create(enterprise=ent, month=today.replace(day=1), items=2_000_000)
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "139****5678" in body and "13912345678" not in body and "受理并转办" in body
    revealed = client.post(reverse("complaints:reveal", args=[c.pk]), {"reveal-reason": "电话回访"})
    assert "13912345678" in revealed.content.decode()
    stats = client.get(reverse("complaints:statistics"))
    assert stats.status_code == 200 and "0.50" in stats.content.decode()
    csv = client.get(reverse("complaints:statistics"), {"export": "csv", "table": "ppm"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig") if csv.streaming else csv.content.decode("utf-8-sig")
    assert ent.name in text and "0.50" in text
    export = client.get(reverse("complaints:list"), {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert c.case_no in text and "13912345678" not in text
    # the intake page and the volume pages
    assert client.get(reverse("complaints:create")).status_code == 200
    assert client.get(reverse("complaints:volumes")).status_code == 200
    # an enterprise user has no statistics page (regulators only)
    client.force_login(personas.shenyang_enterprise)
    assert client.get(reverse("complaints:statistics")).status_code == 403


def test_staff_intake_over_http(client, org_tree, personas):
    client.force_login(personas.shenyang_staff)
    data = {f: v for f, v in _post(org_tree).items()}
    data["channel"] = "phone"
    resp = client.post(reverse("complaints:create"), data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    c = Complaint.objects.get()
    assert c.channel == "phone" and c.created_by == personas.shenyang_staff


def test_detail_points_at_other_cases_of_the_same_waybill(client, org_tree, personas):
    a = make_complaint(org_tree.shenyang_enterprise, waybill_no="SF5550001")
    b = make_complaint(org_tree.shenyang_enterprise, waybill_no="SF5550001", status=S.CLOSED)
    other = make_complaint(org_tree.dalian_enterprise, waybill_no="SF5550001")
    client.force_login(personas.shenyang_staff)
    body = client.get(reverse("complaints:detail", args=[a.pk])).content.decode()
    assert "同一运单的其他申诉" in body and b.case_no in body and other.case_no not in body
