"""Certificates end to end: a batch of 30 issued in the background, its progress page, the list, one
certificate revoked on its page, its PDF downloaded, and the public verification page on a phone
(valid and revoked). Screenshots at 1366 and 390 px go to the test's tmp directory (and to
``$WENMING_SCREENSHOTS`` when set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    target = os.environ.get("WENMING_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name), full_page=True)


def test_batch_progress_revoke_download_and_public_check(page, browser, live_server, personas, org_tree, tmp_path):
    from wenming.certificates import services
    from wenming.certificates.kinds import register_kind, unregister_kind
    from wenming.certificates.models import Certificate

    register_kind(
        "tests.youth",
        "青年文明号证书",
        "QNWMH",
        "certificates/pdf_base.html",
        fields=("荣誉称号",),
        public_fields=(("荣誉称号", "荣誉称号"),),
    )
    try:
        t = org_tree
        items = [
            {
                "subject_key": f"team:{i}",
                "subject_name": f"沈阳青年班组{i:02d}",
                "organization": t.shenyang_outlet,
                "fields": {"荣誉称号": "2026年度市级青年文明号"},
            }
            for i in range(30)
        ]
        batch = services.batch_issue("tests.youth", items, by=personas.shenyang_admin, base_url=live_server.url)
        page.set_viewport_size({"width": 1366, "height": 900})
        login(page, live_server, "sy_admin")
        page.goto(live_server.url + reverse("certificates:batch", args=[batch.pk]))
        page.locator("[data-done]", has_text="30").wait_for(timeout=120_000)  # the page polls until done
        assert page.locator("[data-total]").inner_text() == "30"
        assert page.locator("[data-failed]").inner_text() == "0"
        _shot(page, tmp_path, "batch-1366.png")

        page.goto(live_server.url + reverse("certificates:list"))
        assert page.locator("table.data tbody tr").count() == 20  # a page of the 30
        _shot(page, tmp_path, "list-1366.png")
        target = Certificate.objects.get(subject_name="沈阳青年班组07")
        page.get_by_label("证书编号、名称或持有人").fill(target.serial)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("table.data tbody tr")).to_have_count(1)
        page.get_by_role("link", name=target.serial).click()
        page.wait_for_load_state("load")
        with page.expect_download() as info:
            page.get_by_role("link", name="下载PDF").click()
        pdf = tmp_path / "c.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")

        page.get_by_label("撤销原因").fill("复查不合格，予以摘牌")
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="撤销", exact=True).click()
        page.wait_for_load_state("load")
        assert "证书已撤销" in page.content()
        _shot(page, tmp_path, "detail-revoked-1366.png")
        target.refresh_from_db()
        assert target.is_revoked

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        valid = Certificate.objects.get(subject_name="沈阳青年班组08")
        phone.goto(live_server.url + reverse("public:certificates-verify", args=[valid.serial, valid.check_code]))
        body = phone.content()
        assert "证书真实有效" in body and "沈阳青年班组08" not in body and "2026年度市级青年文明号" in body
        _shot(phone, tmp_path, "verify-valid-390.png")
        phone.goto(live_server.url + reverse("public:certificates-verify", args=[target.serial, target.check_code]))
        assert "该证书已被撤销" in phone.content() and "复查不合格，予以摘牌" in phone.content()
        _shot(phone, tmp_path, "verify-revoked-390.png")
        resp = phone.goto(live_server.url + reverse("public:certificates-verify", args=[target.serial, "0" * 16]))
        assert resp.status == 404
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + reverse("certificates:detail", args=[valid.pk]))
        _shot(page, tmp_path, "detail-390.png")
        page.goto(live_server.url + reverse("certificates:list"))
        _shot(page, tmp_path, "list-390.png")
        phone.close()
    finally:
        unregister_kind("tests.youth")
