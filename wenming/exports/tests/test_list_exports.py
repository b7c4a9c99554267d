"""Issue 9 item 8: list exports never cut rows silently and never hold a worker.

Up to the inline limit the file comes back in the request; above it the export becomes a background
file with progress and a link that expires. Every list export holds all its rows and states how many.
"""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.exports.services import (
    LIST_EXPORT_KIND,
    SUMMARY_SHEET,
    generated_file_build,
    generated_file_start,
    register_builder,
    write_csv_to,
    xlsx_response,
)
from wenming.organizations.models import Outlet

pytestmark = pytest.mark.django_db


def _xlsx_rows(data: bytes, sheet: str | None = None) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def test_xlsx_response_keeps_every_row_past_the_old_cap(personas):
    # main cut this at 5,000 rows without a word
    request = RequestFactory().get("/x/")
    request.user = personas.province_admin
    resp = xlsx_response(
        request=request,
        filename="大表.xlsx",
        header=["序号"],
        rows=([i] for i in range(6001)),
        object_type="test.Rows",
    )
    rows = _xlsx_rows(resp.content)
    assert len(rows) == 6002 and rows[-1] == (6000,)


def test_inline_list_exports_state_their_row_count(client, personas, org_tree):
    client.force_login(personas.province_admin)
    url = reverse("organizations:outlet-list")
    n = Outlet.objects.count()
    resp = client.get(url, {"export": "csv"})
    assert resp.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))
    assert len(lines) == n + 2 and lines[-1] == [f"共 {n:,} 条记录（全部导出，未截断）"]
    resp = client.get(url, {"export": "xlsx"})
    data = resp.content
    assert len(_xlsx_rows(data)) == n + 1
    assert ("行数", n) in _xlsx_rows(data, SUMMARY_SHEET)
    event = AuditEvent.objects.filter(action="export", object_type="organizations.Outlet").latest("pk")
    assert event.detail["rows"] == n and event.detail["format"] == "xlsx"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@override_settings(WENMING_EXPORT_INLINE_MAX_ROWS=1)
def test_list_export_above_the_limit_becomes_a_background_file(
    client, personas, org_tree, fmt, django_capture_on_commit_callbacks
):
    client.force_login(personas.province_admin)
    url = reverse("organizations:outlet-list")
    n = Outlet.objects.count()
    assert n == 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resp = client.get(url, {"export": fmt, "status": "open"})
    gf = GeneratedFile.objects.get(owner=personas.province_admin, kind=LIST_EXPORT_KIND)
    assert resp.status_code == 302 and resp["Location"] == reverse("exports:file-status", args=[gf.pk])
    assert gf.status == GeneratedFileStatus.PENDING
    assert gf.expires_at <= timezone.now() + timedelta(hours=24)
    # audited when asked for, with the row count and the filters, as inline exports are
    event = AuditEvent.objects.filter(action="export", object_type="organizations.Outlet").latest("pk")
    assert event.detail["rows"] == n and event.detail["background"] is True
    assert event.detail["filters"] == {"status": "open"}
    # the status page shows progress until the worker has run
    page = client.get(resp["Location"])
    assert "排队中" in page.content.decode() and "后台生成" in page.content.decode()
    for callback in callbacks:
        callback()  # the task backend of the test profile runs the build right away
    gf.refresh_from_db()
    assert gf.status == GeneratedFileStatus.DONE, gf.error
    assert gf.rows == n and gf.filename.endswith(f".{fmt}")
    download = client.get(reverse("exports:file-download", args=[gf.pk]))
    data = b"".join(download.streaming_content)
    if fmt == "xlsx":
        rows = _xlsx_rows(data)
        assert len(rows) == n + 1 and rows[0][0] == "网点名称"
        summary = _xlsx_rows(data, SUMMARY_SHEET)
        assert ("行数", n) in summary and ("筛选条件：status", "open") in summary
    else:
        lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(lines) == n + 2 and lines[-1][0].startswith(f"共 {n:,} 条记录")
    assert "共 2 条记录" in client.get(reverse("exports:file-status", args=[gf.pk])).content.decode()


@override_settings(WENMING_EXPORT_INLINE_MAX_ROWS=1)
def test_background_list_export_keeps_the_owners_scope(client, personas, org_tree, django_capture_on_commit_callbacks):
    client.force_login(personas.shenyang_admin)
    from wenming.organizations.choices import OrgKind
    from wenming.organizations.services import org_create

    second = org_create(
        parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳皇姑营业部", audit=False
    )
    Outlet.objects.create(organization=second, brand=org_tree.sf, county_code="210105")
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.get(reverse("organizations:outlet-list"), {"export": "csv"})
    assert resp.status_code == 302
    gf = GeneratedFile.objects.get(owner=personas.shenyang_admin)
    assert gf.status == GeneratedFileStatus.DONE, gf.error
    text = Path(gf.file.path).read_text(encoding="utf-8-sig")
    assert "顺丰沈阳和平营业部" in text and "顺丰沈阳皇姑营业部" in text and "中通大连中山营业部" not in text
    assert gf.rows == 2


def test_download_link_expires(client, personas):
    gf = GeneratedFile.objects.create(
        owner=personas.province_admin,
        kind="test",
        title="旧文件",
        status=GeneratedFileStatus.DONE,
        filename="x.csv",
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    client.force_login(personas.province_admin)
    resp = client.get(reverse("exports:file-download", args=[gf.pk]))
    assert resp.status_code == 410 and "已过期" in resp.content.decode()


@register_builder("test.fileobj")
def _file_builder(gf, set_progress):
    import tempfile

    tmp = tempfile.TemporaryFile()
    n = write_csv_to(tmp, ["序号"], ([i] for i in range(10_000)), progress=set_progress)
    assert n == 10_000
    tmp.seek(0)
    return tmp, "大文件.csv", "text/csv"


def test_builders_may_hand_over_a_file_instead_of_bytes(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gf = generated_file_start(owner=personas.province_admin, kind="test.fileobj", title="大文件")
    gf = generated_file_build(gf.pk)
    gf.refresh_from_db()
    assert gf.status == GeneratedFileStatus.DONE
    lines = list(csv.reader(io.StringIO(Path(gf.file.path).read_text(encoding="utf-8-sig"))))
    assert len(lines) == 10_002 and lines[-1] == ["共 10,000 条记录（全部导出，未截断）"]
    gf.file.delete(save=False)
