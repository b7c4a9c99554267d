"""Volunteer service: QR tokens, check-in/out on the public page, auto check-out, approval, totals, certificates."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wenming.activities import selectors, services
from wenming.activities.choices import VolunteerRecordStatus
from wenming.activities.models import VolunteerRecord, VolunteerRecordEvent
from wenming.certificates.models import Certificate
from wenming.core.errors import ApplicationError


@pytest.fixture
def event(personas, org_tree):
    now = timezone.now()
    return services.volunteer_event_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={
            "title": "社区快递知识宣讲志愿服务",
            "place": "和平区南市场社区",
            "starts_at": now - timedelta(minutes=30),
            "ends_at": now + timedelta(hours=3),
            "auto_checkout_hours": 4,
        },
    )


@pytest.fixture
def signups(event, personas, couriers):
    by = personas.shenyang_admin
    return (
        services.volunteer_signup_add(event_id=event.pk, by=by, courier=couriers.zhang),
        services.volunteer_signup_add(event_id=event.pk, by=by, courier=couriers.li),
        services.volunteer_signup_add(event_id=event.pk, by=by, user=personas.shenyang_staff),
    )


def scan_url(event, action):
    return reverse("public:volunteer-scan", args=[services.volunteer_token_make(event, action)])


def test_check_in_and_out_through_the_public_page(client, event, signups):
    url = scan_url(event, "in")
    assert url.startswith("/p/volunteer/")
    page = client.get(url).content.decode()
    assert "社区快递知识宣讲志愿服务" in page and ">签到</button>" in page and "主办单位：辽宁省邮政管理局" in page
    resp = client.post(url, {"name": "张晓明", "code": "5678"})
    assert resp.status_code == 200
    assert "张*明，签到成功" in resp.content.decode()
    record = VolunteerRecord.objects.get(signup=signups[0])
    assert record.status == VolunteerRecordStatus.CHECKED_IN
    # a second check-in is refused, politely
    resp = client.post(url, {"name": "张晓明", "code": "5678"})
    assert resp.status_code == 422 and "无需重复签到" in resp.content.decode()
    # check-out with the full phone (blind index) after 2 hours on site
    VolunteerRecord.objects.filter(pk=record.pk).update(check_in_at=timezone.now() - timedelta(hours=2, minutes=3))
    resp = client.post(scan_url(event, "out"), {"name": "张晓明", "code": "138 1234 5678"})
    assert resp.status_code == 200 and "签退成功" in resp.content.decode()
    record.refresh_from_db()
    assert record.status == VolunteerRecordStatus.PENDING and record.hours == Decimal("2.1")
    assert list(VolunteerRecordEvent.objects.filter(record=record).values_list("kind", flat=True)) == [
        "check_in",
        "check_out",
    ]


def test_staff_check_in_with_personal_code_and_wrong_code_refused(client, event, signups):
    staff_signup = signups[2]
    url = scan_url(event, "in")
    resp = client.post(
        url, {"name": staff_signup.name, "code": "000000" if staff_signup.personal_code != "000000" else "111111"}
    )
    assert resp.status_code == 422 and "未找到您的报名信息" in resp.content.decode()
    assert not VolunteerRecord.objects.exists()
    resp = client.post(url, {"name": staff_signup.name, "code": staff_signup.personal_code})
    assert resp.status_code == 200
    assert VolunteerRecord.objects.filter(signup=staff_signup).exists()


def test_name_of_someone_not_signed_up_is_refused(client, event, signups, couriers):
    resp = client.post(scan_url(event, "in"), {"name": "王强", "code": "1111"})
    assert resp.status_code == 422
    assert not VolunteerRecord.objects.exists()


def test_forged_and_expired_tokens_are_refused(client, event, signups):
    token = services.volunteer_token_make(event, "in")
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    resp = client.post(reverse("public:volunteer-scan", args=[forged]), {"name": "张晓明", "code": "5678"})
    assert resp.status_code == 400 and "二维码无效" in resp.content.decode()
    other = signing.dumps({"e": event.pk, "a": "in", "x": 9999999999}, salt="some-other-salt")
    assert client.get(reverse("public:volunteer-scan", args=[other])).status_code == 400
    # the event is over: the check-in code has expired
    event.starts_at = timezone.now() - timedelta(days=2)
    event.ends_at = timezone.now() - timedelta(days=1)
    event.save()
    resp = client.post(scan_url(event, "in"), {"name": "张晓明", "code": "5678"})
    assert resp.status_code == 400 and "二维码已过期" in resp.content.decode()
    assert not VolunteerRecord.objects.exists()


def test_repeated_failures_are_throttled(client, event, signups):
    url = scan_url(event, "in")
    for _ in range(10):
        client.post(url, {"name": "张晓明", "code": "0000"})
    resp = client.post(url, {"name": "张晓明", "code": "5678"})
    assert resp.status_code == 429 and "尝试次数过多" in resp.content.decode()


def test_auto_checkout_caps_hours_and_flags_for_review(event, signups):
    r1 = services.volunteer_check_in(event_id=event.pk, signup_id=signups[0].pk)
    r2 = services.volunteer_check_in(event_id=event.pk, signup_id=signups[1].pk)
    VolunteerRecord.objects.filter(pk=r1.pk).update(check_in_at=timezone.now() - timedelta(hours=5))
    VolunteerRecord.objects.filter(pk=r2.pk).update(check_in_at=timezone.now() - timedelta(hours=1))
    call_command("auto_checkout", stdout=open("/dev/null", "w"))
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert r1.status == VolunteerRecordStatus.PENDING and r1.auto_checked_out and r1.needs_review
    assert r1.hours == Decimal("4.0")
    assert r1.check_out_at == r1.check_in_at + timedelta(hours=4)
    assert r2.status == VolunteerRecordStatus.CHECKED_IN and not r2.needs_review
    assert services.volunteer_auto_checkout() == 0  # idempotent


def _checked_out(event, signup, hours):
    r = services.volunteer_check_in(event_id=event.pk, signup_id=signup.pk)
    VolunteerRecord.objects.filter(pk=r.pk).update(check_in_at=timezone.now() - timedelta(hours=hours))
    return services.volunteer_check_out(event_id=event.pk, signup_id=signup.pk)


def test_approval_bulk_approval_decline_and_totals(client, personas, event, signups, org_tree):
    r1 = _checked_out(event, signups[0], 2)
    r2 = _checked_out(event, signups[1], 3)
    r3 = _checked_out(event, signups[2], 1.5)
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:volunteer-detail", args=[event.pk])).content.decode()
    assert "批量批准" in page and ">批准</button>" in page
    resp = client.post(reverse("activities:record-approve", args=[r1.pk]))
    assert resp.status_code == 302
    resp = client.post(reverse("activities:record-decline", args=[r3.pk]), {"reason": ""})
    assert resp.status_code == 422 and "请填写不予认定原因" in resp.content.decode()
    client.post(reverse("activities:record-decline", args=[r3.pk]), {"reason": "未实际到岗"})
    resp = client.post(reverse("activities:bulk-approve", args=[event.pk]), {"record": [r2.pk, r3.pk, r1.pk]})
    assert resp.status_code == 302
    statuses = dict(VolunteerRecord.objects.values_list("pk", "status"))
    assert statuses == {r1.pk: "approved", r2.pk: "approved", r3.pk: "declined"}
    assert VolunteerRecord.objects.count() == 3  # nothing deleted
    people = {p["name"]: p["hours"] for p in selectors.volunteer_totals_by_person(user=personas.shenyang_admin)}
    assert people == {"李文": Decimal("3.0"), "张晓明": Decimal("2.0")}
    units = selectors.volunteer_totals_by_unit(user=personas.shenyang_admin, organization=org_tree.shenyang)
    assert units[0]["hours"] == Decimal("5.0") and units[0]["people"] == 2
    # period filter: nothing before the event
    assert (
        selectors.volunteer_totals_by_person(
            user=personas.shenyang_admin, date_to=timezone.localdate() - timedelta(days=10)
        )
        == []
    )
    page = client.get(reverse("activities:volunteer-totals")).content.decode()
    assert "张*明" in page and "生成证明" in page and "5.0" in page
    # Dalian sees none of it
    assert selectors.volunteer_totals_by_person(user=personas.dalian_admin) == []
    client.force_login(personas.dalian_admin)
    assert client.get(reverse("activities:volunteer-detail", args=[event.pk])).status_code == 404
    assert client.get("/api/v1/volunteer-hours/").json()["results"] == []
    assert client.get(f"/api/v1/volunteer-hours/{r1.pk}/").status_code == 404
    resp = client.get(reverse("activities:volunteer-records") + "?export=csv")
    assert "张" not in b"".join(resp.streaming_content).decode("utf-8-sig")


def test_hours_api_masks_names_and_create_respects_scope(client, personas, event, signups):
    _checked_out(event, signups[0], 2)
    client.force_login(personas.shenyang_admin)
    rows = client.get("/api/v1/volunteer-hours/").json()["results"]
    assert [r["name"] for r in rows] == ["张*明"]
    body = {
        "signup": signups[1].pk,
        "check_in_at": "2026-11-20T09:00:00+08:00",
        "check_out_at": "2026-11-20T12:30:00+08:00",
    }
    client.force_login(personas.dalian_admin)
    assert client.post("/api/v1/volunteer-hours/", body, content_type="application/json").status_code == 400
    client.force_login(personas.shenyang_admin)
    resp = client.post("/api/v1/volunteer-hours/", body, content_type="application/json")
    assert resp.status_code == 201
    assert resp.json()["hours"] == "3.5" and resp.json()["status"] == "pending" and resp.json()["name"] == "李*"


def test_certificate_pdf_and_public_verification(client, personas, event, signups):
    r = _checked_out(event, signups[0], 3.5)
    services.volunteer_record_approve(record_id=r.pk, by=personas.shenyang_admin)
    client.force_login(personas.shenyang_admin)
    resp = client.post(reverse("activities:certificate-create"), {"courier": signups[0].courier_id})
    assert resp.status_code == 302
    cert = Certificate.objects.get()
    assert resp["Location"] == reverse("activities:certificate-detail", args=[cert.pk])
    assert cert.kind == "activities.volunteer" and cert.subject_key == f"people.courier:{signups[0].courier_id}"
    year = timezone.localdate().year
    assert cert.serial == f"LNYZ-VS-{year}-000001"
    pdf = client.get(reverse("activities:certificate-pdf", args=[cert.pk]), follow=True)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True)
    text = text.stdout.decode()
    assert cert.serial in text and "3.5" in text and "志愿服务记录证明" in text and "张晓明" in text
    assert "210102199001011233"[:6] + "********" in text or cert.subject_id_hint in text
    # the verification page (the old printed address and the new one) shows masked data only
    url = reverse("public:volunteer-certificate", args=[cert.serial, cert.check_code])
    new_url = reverse("public:certificates-verify", args=[cert.serial, cert.check_code])
    assert "/p/certificates/" in text and cert.check_code in "".join(text.split())  # printed under the QR
    client.logout()
    for u in (url, new_url):
        page = client.get(u).content.decode()
        assert "证书真实有效" in page and "张*明" in page and "张晓明" not in page
        assert cert.subject_id_hint in page and "3.5" in page
    full_id = signups[0].courier.reveal_id_number()
    assert full_id not in page
    # tampered check code or serial
    bad = client.get(reverse("public:volunteer-certificate", args=[cert.serial, "0" * 16]))
    assert bad.status_code == 404 and "验证失败" in bad.content.decode()
    other_serial = cert.serial[:-1] + ("2" if cert.serial[-1] != "2" else "3")
    bad = client.get(reverse("public:volunteer-certificate", args=[other_serial, cert.check_code]))
    assert bad.status_code == 404
    # a changed certificate row no longer verifies
    Certificate.objects.filter(pk=cert.pk).update(fields={**cert.fields, "total_hours": "35.0"})
    bad = client.get(url)
    assert bad.status_code == 404 and "验证失败" in bad.content.decode()


def test_certificate_needs_approved_hours_and_scope(personas, event, signups, couriers):
    from wenming.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.certificate_issue(by=personas.shenyang_admin, courier=couriers.zhang)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.certificate_issue(by=personas.dalian_admin, courier=couriers.zhang)


def test_qr_sheet_has_inline_svg_codes(client, personas, event):
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:volunteer-qr", args=[event.pk])).content.decode()
    assert page.count("<svg") >= 2 and "扫码签到" in page and "扫码签退" in page
    assert "http://testserver/p/volunteer/e/" in page
    client.force_login(personas.province_admin)  # sees the event, may not run it
    assert client.get(reverse("activities:volunteer-qr", args=[event.pk])).status_code == 403
    client.force_login(personas.shenyang_outlet)  # the city's event is outside an outlet's subtree
    assert client.get(reverse("activities:volunteer-qr", args=[event.pk])).status_code == 404


def test_late_manual_check_out_is_capped_and_flagged(event, signups):
    r = _checked_out(event, signups[0], 6)
    assert r.hours == Decimal("4.0") and r.needs_review and not r.auto_checked_out
    assert "需复核" in r.events.last().comment


def test_hours_above_the_measured_attendance_need_a_reason_and_are_flagged(client, personas, event, signups):
    from wenming.audit.models import AuditEvent

    rec = _checked_out(event, signups[0], 2)
    assert rec.measured_hours == Decimal("2.0")
    client.force_login(personas.shenyang_admin)
    url = reverse("activities:record-approve", args=[rec.pk])
    page = client.get(url).content.decode()
    assert "实测时长 2.0 小时" in page
    resp = client.post(url, {"hours": "3.5", "reason": ""})
    body = resp.content.decode()
    assert resp.status_code == 422 and "超过实测时长 2.0 小时，请填写理由" in body and 'value="3.5"' in body
    rec.refresh_from_db()
    assert rec.status == "pending" and rec.hours == Decimal("2.0")  # nothing half-written
    resp = client.post(url, {"hours": "3.5", "reason": "活动结束后协助清点物资1.5小时"})
    assert resp.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "approved" and rec.hours == Decimal("3.5") and rec.over_measured
    assert "理由：活动结束后协助清点物资" in rec.decision_note
    assert "理由：活动结束后协助清点物资" in rec.events.get(kind="approve").comment
    audit = AuditEvent.objects.filter(action="decision", object_id=str(rec.pk)).latest("id")
    assert audit.detail["reason"].startswith("活动结束后") and audit.detail["measured_hours"] == "2.0"
    listing = client.get(reverse("activities:volunteer-records")).content.decode()
    assert "超实测" in listing
    # fewer hours than measured: no reason needed, no flag
    other = _checked_out(event, signups[1], 3)
    services.volunteer_record_approve(record_id=other.pk, by=personas.shenyang_admin, hours=Decimal("2.5"))
    other.refresh_from_db()
    assert other.status == "approved" and not other.over_measured


def test_event_is_edited_until_it_starts_and_cancelled_with_a_notice(
    client, personas, org_tree, couriers, django_capture_on_commit_callbacks
):
    from wenming.workbench.models import Notification

    start = timezone.now() + timedelta(days=3)
    ev = services.volunteer_event_create(
        by=personas.shenyang_admin,
        organization=org_tree.shenyang,
        data={
            "title": "重阳节敬老寄递服务",
            "place": "和平区太原街",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
        },
    )
    services.volunteer_signup_add(event_id=ev.pk, by=personas.shenyang_admin, user=personas.shenyang_staff)
    services.volunteer_signup_add(event_id=ev.pk, by=personas.shenyang_admin, courier=couriers.zhang)
    client.force_login(personas.shenyang_admin)
    detail = client.get(reverse("activities:volunteer-detail", args=[ev.pk])).content.decode()
    assert "取消活动" in detail and reverse("activities:volunteer-edit", args=[ev.pk]) in detail
    edit_url = reverse("activities:volunteer-edit", args=[ev.pk])
    form = {
        "title": "重阳节敬老寄递服务（改地点）",
        "place": "和平区南京北街",
        "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "10",
        "auto_checkout_hours": "4",
        "signup_open": "on",
    }
    assert client.post(edit_url, form).status_code == 302
    ev.refresh_from_db()
    assert ev.place == "和平区南京北街" and ev.capacity == 10 and ev.organization_id == org_tree.shenyang.pk
    cancel_url = reverse("activities:volunteer-cancel", args=[ev.pk])
    resp = client.post(cancel_url, {"reason": ""})
    assert resp.status_code == 422 and "请填写取消原因" in resp.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(cancel_url, {"reason": "暴雨预警，改期举办"}).status_code == 302
    ev.refresh_from_db()
    assert ev.status == "cancelled" and ev.cancel_reason == "暴雨预警，改期举办" and not ev.signup_open
    note = Notification.objects.get(recipient=personas.shenyang_staff)
    assert "已取消" in note.title and "暴雨预警" in note.body
    assert ev.signups.count() == 2  # kept
    page = client.get(reverse("activities:volunteer-detail", args=[ev.pk])).content.decode()
    assert "已取消" in page and "暴雨预警" in page and "取消活动</a>" not in page
    with pytest.raises(ApplicationError):
        services.volunteer_check_in(event_id=ev.pk, signup_id=ev.signups.first().pk)
    assert client.post(edit_url, form).status_code == 422  # a cancelled event is not edited


def test_an_event_that_has_started_cannot_be_edited_or_cancelled(personas, event):
    with pytest.raises(ApplicationError, match="活动已开始"):
        services.volunteer_event_cancel(event_id=event.pk, by=personas.shenyang_admin, reason="人手不足")
    data = {"title": "x", "place": "y", "starts_at": event.starts_at, "ends_at": event.ends_at}
    with pytest.raises(ApplicationError, match="活动已开始"):
        services.volunteer_event_update(event_id=event.pk, by=personas.shenyang_admin, data=data)
