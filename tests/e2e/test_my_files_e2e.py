"""我的文件 in the browser: the menu entry, a finished export in the history, its download, and the
delete that asks for a confirmation before it removes the file."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_history_download_and_confirmed_delete(page, live_server, personas):
    from wenming.exports.models import GeneratedFile, GeneratedFileStatus

    gf = GeneratedFile.objects.create(
        owner=personas.shenyang_staff, kind="list.export", title="导出：网点", status=GeneratedFileStatus.DONE, rows=2
    )
    gf.file.save("网点.csv", ContentFile("名称\n甲\n乙\n".encode()), save=False)
    gf.filename, gf.content_type, gf.size = "网点.csv", "text/csv", 12
    gf.save()
    GeneratedFile.objects.create(owner=personas.dalian_admin, kind="list.export", title="大连的导出")

    login(page, live_server, "sy_staff")
    page.locator("#sidebar").get_by_role("link", name="我的文件", exact=True).click()
    page.wait_for_url(re.compile(r".*/files/$"))
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    assert "导出：网点" in rows.inner_text() and "已完成" in rows.inner_text() and "大连的导出" not in page.content()
    with page.expect_download() as info:
        rows.get_by_role("link", name="下载").click()
    assert info.value.suggested_filename == "网点.csv"

    rows.get_by_role("link", name="删除").click()
    page.wait_for_url(re.compile(r".*/delete/$"))
    assert GeneratedFile.objects.filter(pk=gf.pk).exists()  # the confirmation page deletes nothing
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url(re.compile(r".*/files/$"))
    assert "已删除文件" in page.content() and "暂无文件" in page.content()
    assert not GeneratedFile.objects.filter(pk=gf.pk).exists()
