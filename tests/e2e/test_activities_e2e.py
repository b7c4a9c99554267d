"""Browser journeys of 创建活动: a volunteer activity recorded with photos and verified by the city bureau,
couriers checking in and out by QR on a phone, hours approved, the certificate PDF issued and verified
publicly; and disguised or oversized images refused through the real form, leaving nothing behind."""

from __future__ import annotations

import importlib
import re
import struct
import subprocess
import zlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from wenming.core import pii

from .helpers import login, pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
FULL_ID = re.compile(r"\b\d{17}[\dXx]\b")
FULL_PHONE = re.compile(r"\b1[3-9]\d{9}\b")


@pytest.fixture
def activity_types(db):
    """The data migration's activity types (a transactional test's flush removes them)."""
    mod = importlib.import_module("wenming.activities.migrations.0002_seed_activity_types")
    mod.seed(django_apps, None)
    from wenming.activities.models import ActivityType

    return {t.code: t for t in ActivityType.objects.all()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _courier(outlet, name: str, body17: str, phone: str):
    from wenming.people.models import Courier

    c = Courier(outlet=outlet, name=name, gender="M", birth_date=date(1990, 1, 1), started_delivery_on=date(2015, 1, 1))
    c.set_id_number(body17 + pii.id_check_char(body17))
    c.set_phone(phone)
    c.save()
    return c


def _image(path, fmt: str, color) -> str:
    Image.new("RGB", (320, 240), color).save(path, format=fmt)
    return str(path)


def _bomb_png() -> bytes:
    """A valid PNG whose header claims 20,000 × 20,000 pixels; the compressed data is tiny."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 20000, 20000, 1, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + 20000 // 8)
    idat = b"".join(comp.compress(row) for _ in range(64)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _new_page(browser, live_server, username: str | None = None, viewport=None):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport or {"width": 1280, "height": 800})
    p = ctx.new_page()
    if username:
        login(p, live_server, username)
    return p


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _fill_activity_form(page, org_tree, title: str) -> None:
    start = timezone.now() - timedelta(days=1)
    pick(page, "组织单位", "和平", org_tree.shenyang_outlet.name)
    page.get_by_label("活动名称", exact=True).fill(title)
    page.get_by_label("开始时间", exact=True).fill(_local(start))
    page.get_by_label("结束时间", exact=True).fill(_local(start + timedelta(hours=3)))
    page.get_by_label("活动地点", exact=True).fill("沈阳市和平区太原街社区")
    page.get_by_label("参与人数", exact=True).fill("6")
    page.get_by_label("活动内容", exact=True).fill("快递小哥走进社区，为独居老人代收代寄包裹、讲解防诈骗知识。")


def _scan(phone, url: str, name: str, code: str) -> str:
    phone.goto(url)
    phone.get_by_label("姓名").fill(name)
    phone.get_by_label("手机号后4位或签到码").fill(code)
    phone.locator("form button.pub-btn").click()
    phone.wait_for_load_state("load")
    return phone.content()


def test_volunteer_activity_hours_certificate_and_verification(
    page, browser, live_server, personas, org_tree, activity_types, media, tmp_path
):
    from wenming.activities.models import (
        Activity,
        ActivityPhoto,
        VolunteerEvent,
        VolunteerRecord,
    )

    url = live_server.url
    t = org_tree
    zhang = _courier(t.shenyang_outlet, "张晓明", "21010219900101123", "13812345678")
    li = _courier(t.shenyang_outlet, "李文", "21010219910202234", "13987654321")

    # --- the outlet records a 志愿服务 activity with 3 photos and submits it --------------------------
    outlet = page
    login(outlet, live_server, "sy_outlet")
    outlet.goto(url + reverse("activities:type-pick"))
    outlet.locator("#main").get_by_role("link", name=re.compile("^志愿服务 至少")).click()
    outlet.wait_for_url(re.compile(r".*/new/volunteer_service/$"))
    _fill_activity_form(outlet, t, "快递小哥进社区志愿服务")
    outlet.get_by_label("志愿者（人）").fill("2")
    photos = [
        _image(tmp_path / "现场1.jpg", "JPEG", (200, 40, 40)),
        _image(tmp_path / "现场2.png", "PNG", (40, 160, 60)),
        _image(tmp_path / "现场3.jpg", "JPEG", (30, 60, 200)),
    ]
    outlet.get_by_label("佐证照片").set_input_files(photos)
    _click(outlet, "提交")
    assert re.search(r"/activities/\d+/$", outlet.url), outlet.url
    body = outlet.content()
    assert "活动已提交，等待市局核实" in body
    assert "佐证照片（3 张，至少 3 张）" in body
    assert outlet.locator(".page-head .tag", has_text="待核实").is_visible()
    act = Activity.objects.get(title="快递小哥进社区志愿服务")
    assert act.status == "submitted" and act.organization_id == t.shenyang_outlet.pk
    assert act.activity_type.code == "volunteer_service"
    assert ActivityPhoto.objects.filter(activity=act).count() == 3
    assert len(_files_under(media)) == 3
    # the photos are served through the scope check and render as images
    imgs = outlet.locator("section[aria-label=佐证照片] img")
    assert imgs.count() == 3
    imgs.last.scroll_into_view_if_needed()  # they load lazily
    outlet.wait_for_function(
        "() => [...document.querySelectorAll('section[aria-label=佐证照片] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10000,
    )

    # the activity calendar opens on the current month and lists it (with no query string at all)
    start = timezone.localtime(act.starts_at)
    cal = url + reverse("activities:calendar")
    if (start.year, start.month) != (timezone.localdate().year, timezone.localdate().month):
        cal += f"?month={start.year}-{start.month:02d}"
    outlet.goto(cal)
    assert outlet.locator(".calendar-grid a", has_text="快递小哥进社区志愿服务").count() == 1

    # --- a volunteer event with two couriers signed up ---------------------------------------------------
    now = timezone.now()
    outlet.goto(url + reverse("activities:volunteer-create"))
    pick(outlet, "组织单位", "和平", t.shenyang_outlet.name)
    outlet.get_by_label("活动名称", exact=True).fill("社区快递驿站志愿服务")
    outlet.get_by_label("服务地点", exact=True).fill("和平区南京北街1号")
    outlet.get_by_label("开始时间", exact=True).fill(_local(now - timedelta(hours=3)))
    outlet.get_by_label("结束时间", exact=True).fill(_local(now + timedelta(hours=2)))
    _click(outlet, "保存")
    assert "志愿服务活动已创建" in outlet.content()
    ev = VolunteerEvent.objects.get(title="社区快递驿站志愿服务")
    for c in (zhang, li):
        pick(outlet, "快递员", c.name, c.masked_name)
        _click(outlet, "添加")
        assert "已添加报名" in outlet.content()
    assert ev.signups.count() == 2
    assert "报名与签到（2 人）" in outlet.content()

    # the printable QR sheet gives the check-in and check-out addresses
    outlet.get_by_role("link", name="打印签到二维码").click()
    outlet.wait_for_load_state("load")
    assert outlet.locator(".qr-sheet svg").count() == 2
    links = [s.strip() for s in outlet.locator(".qr-sheet p.muted").all_inner_texts() if "/p/volunteer/e/" in s]
    assert len(links) == 2
    checkin_url, checkout_url = links
    assert checkin_url.startswith(url) and checkout_url.startswith(url)

    # --- both check in on a phone: one with the last 4 digits, one with the full mobile ---------------
    phone = _new_page(browser, live_server, viewport=PHONE)
    body = _scan(phone, checkin_url, "张晓明", "5678")
    assert "签到成功" in body and "张*明" in body and "张晓明" not in body
    body = _scan(phone, checkin_url, "李文", "13987654321")
    assert "签到成功" in body and "李*" in body and "13987654321" not in body
    # a wrong code is refused in Chinese and records nothing
    body = _scan(phone, checkin_url, "李文", "0000")
    assert "未找到您的报名信息" in body
    assert VolunteerRecord.objects.filter(signup__event=ev, status="checked_in").count() == 2
    # the phone page fits the screen: no horizontal scrolling
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # time passes on the ground: 2.5 h and 1.5 h of service
    for c, hours in ((zhang, 2.5), (li, 1.5)):
        rec = VolunteerRecord.objects.get(signup__event=ev, signup__courier=c)
        VolunteerRecord.objects.filter(pk=rec.pk).update(check_in_at=timezone.now() - timedelta(hours=hours))
    body = _scan(phone, checkout_url, "张晓明", "5678")
    assert "签退成功" in body and "2.5 小时" in body
    body = _scan(phone, checkout_url, "李文", "4321")
    assert "签退成功" in body and "1.5 小时" in body
    recs = {r.signup.courier_id: r for r in VolunteerRecord.objects.filter(signup__event=ev).select_related("signup")}
    assert recs[zhang.pk].status == "pending" and recs[zhang.pk].hours == Decimal("2.5")
    assert recs[li.pk].status == "pending" and recs[li.pk].hours == Decimal("1.5")

    # --- the organiser approves: 张 with 批准, then 李 with 批量批准 ----------------------------------
    outlet.goto(url + reverse("activities:volunteer-detail", args=[ev.pk]))
    assert "2 条待审核" in outlet.content()
    outlet.get_by_role("row").filter(has_text="张*明").get_by_role("button", name="批准", exact=True).click()
    outlet.wait_for_load_state("load")
    assert "已批准" in outlet.content()
    recs[zhang.pk].refresh_from_db()
    assert recs[zhang.pk].status == "approved"
    assert VolunteerRecord.objects.get(pk=recs[li.pk].pk).status == "pending"
    outlet.get_by_role("row").filter(has_text="李*").get_by_role("checkbox").check()
    _click(outlet, "批量批准")
    assert "已批准 1 条服务时长" in outlet.content()
    assert set(VolunteerRecord.objects.filter(signup__event=ev).values_list("status", flat=True)) == {"approved"}
    assert outlet.get_by_role("button", name="批量批准").count() == 0

    # --- the certificate for 张: 生成证明 → the certificate's page → download the PDF ----------------------
    outlet.goto(url + reverse("activities:volunteer-totals"))
    outlet.get_by_role("button", name="为 张*明 生成证明").click()
    link = outlet.get_by_role("link", name=re.compile("下载"))
    link.wait_for(timeout=20000)
    with outlet.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".pdf")
    pdf = tmp_path / "cert.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    from wenming.certificates.models import Certificate

    cert = Certificate.objects.get(subject_key=f"people.courier:{zhang.pk}")
    assert Decimal(cert.fields["total_hours"]) == Decimal("2.5") and cert.fields["record_count"] == 1
    assert cert.serial in text
    assert "2.5" in text
    assert "社区快递驿站志愿服务" in text
    assert not FULL_ID.search(text) and not FULL_PHONE.search(text)
    verify_path = reverse("public:certificates-verify", args=[cert.serial, cert.check_code])
    # the address printed under the QR code (pdftotext drops a hyphen where a line wraps)
    flat = re.sub(r"\s+", "", text).replace("-", "")
    assert (url + verify_path).replace("-", "") in flat

    # --- the printed address opens the public verification page: valid, masked name only ---------------
    phone.goto(url + verify_path)
    body = phone.content()
    assert "证书真实有效" in body
    assert cert.serial in body and "2.5" in body
    assert "张*明" in body and "张晓明" not in body
    assert not FULL_ID.search(body) and not FULL_PHONE.search(body)
    # a wrong check code is not valid
    resp = phone.goto(url + reverse("public:volunteer-certificate", args=[cert.serial, "0" * 16]))
    assert resp.status == 404 and "验证失败" in phone.content()

    # --- the city bureau verifies the activity ---------------------------------------------------------
    bureau = _new_page(browser, live_server, "sy_admin")
    bureau.goto(url + reverse("activities:detail", args=[act.pk]))
    bureau.get_by_label("意见（退回时必填）").fill("材料齐全，予以核实")
    _click(bureau, "核实通过")
    assert "已核实通过" in bureau.content()
    assert bureau.locator(".page-head .tag", has_text="已核实").is_visible()
    assert bureau.get_by_role("button", name="核实通过").count() == 0
    act.refresh_from_db()
    assert act.status == "verified"
    assert act.verified_by_id == personas.shenyang_admin.pk and act.verified_at is not None
    assert act.events.filter(kind="verify").exists()


def test_disguised_and_oversized_images_are_refused(
    page, live_server, personas, org_tree, activity_types, media, tmp_path
):
    from wenming.activities.models import Activity, ActivityPhoto

    svg = tmp_path / "海报.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")
    html = tmp_path / "现场照片.jpg"
    html.write_text("<html><body><script>alert(document.cookie)</script></body></html>", encoding="utf-8")
    bomb = tmp_path / "全景.png"
    bomb.write_bytes(_bomb_png())
    assert bomb.stat().st_size < 50_000
    good = _image(tmp_path / "正常.jpg", "JPEG", (90, 90, 90))

    login(page, live_server, "sy_outlet")
    create_url = live_server.url + reverse("activities:create", args=["civility_promotion"])
    cases = [
        (svg, "“海报.svg”不是有效的 JPG、PNG 或 WebP 图片"),
        (html, "“现场照片.jpg”不是有效的 JPG、PNG 或 WebP 图片"),
        (bomb, "“全景.png”像素过大（超过 4000 万像素），请缩小后再上传"),
    ]
    started = timezone.now()
    for bad, message in cases:
        page.goto(create_url)
        _fill_activity_form(page, org_tree, "文明交通宣传")
        # a good photo alongside the bad one: all or nothing
        page.get_by_label("佐证照片").set_input_files([good, str(bad)])
        _click(page, "提交")
        err = page.locator(".field.has-error .errorlist")
        assert err.count() == 1
        assert err.inner_text().strip() == message
        assert "请按提示修改标红的项目" in page.content()
        # the form keeps what was typed
        assert page.get_by_label("活动名称", exact=True).input_value() == "文明交通宣传"
        assert Activity.objects.count() == 0
        assert ActivityPhoto.objects.count() == 0
        assert _files_under(media) == []

    from wenming.audit.models import AuditEvent

    assert not AuditEvent.objects.filter(at__gte=started, object_type="activities.Activity").exists()
