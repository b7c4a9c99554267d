"""Issue 15 item 5: 我的文件 — the history of a user's own generated files, owner only, download and
delete audited, files purged (bytes deleted, row kept as 已过期) after at most 24 hours."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditAction, AuditEvent
from wenming.console.organizations.views import OUTLET_EXPORT
from wenming.core import periodic
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.exports.services import LIST_EXPORT_KIND, inline_max_rows, kind_label
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Outlet
from wenming.organizations.selectors import outlet_list
from wenming.organizations.services import org_create
from wenming.workbench.menu import menu_for

pytestmark = pytest.mark.django_db

LIST = reverse("exports:file-list")


def _file(owner, title="网点导出", *, status=GeneratedFileStatus.DONE, kind=LIST_EXPORT_KIND, content=b"a,b\n", **kw):
    gf = GeneratedFile.objects.create(owner=owner, kind=kind, title=title, status=status, **kw)
    if content is not None and status == GeneratedFileStatus.DONE:
        gf.file.save(f"{title}.csv", ContentFile(content), save=False)
        gf.filename, gf.content_type, gf.size = f"{title}.csv", "text/csv", len(content)
        gf.save()
    return gf


def _urls(gf):
    return [reverse(f"exports:{name}", args=[gf.pk]) for name in ("file-status", "file-download", "file-delete")]


def test_history_lists_only_the_users_own_files_with_their_status(client, personas):
    me, other = personas.shenyang_staff, personas.dalian_admin
    _file(me, "已完成的文件", rows=12, content=b"x" * 2048)
    _file(me, "排队的文件", status=GeneratedFileStatus.PENDING)
    _file(me, "生成中的文件", status=GeneratedFileStatus.RUNNING, progress=42)
    _file(me, "失败的文件", status=GeneratedFileStatus.FAILED, error="生成失败：磁盘已满")
    _file(me, "过期的文件", expires_at=timezone.now() - timedelta(minutes=1))  # purge not run yet
    _file(other, "别人的文件")
    client.force_login(me)
    html = client.get(LIST).content.decode()
    for title in ("已完成的文件", "排队的文件", "生成中的文件", "失败的文件", "过期的文件"):
        assert title in html
    assert "别人的文件" not in html
    assert "排队中" in html and "42%" in html and "生成失败：磁盘已满" in html and "已过期" in html
    assert "2.0\xa0KB" in html and "12" in html
    done = GeneratedFile.objects.get(title="已完成的文件")
    expired = GeneratedFile.objects.get(title="过期的文件")
    assert reverse("exports:file-download", args=[done.pk]) in html
    assert reverse("exports:file-download", args=[expired.pk]) not in html  # past expiry: no download button
    assert reverse("exports:file-delete", args=[done.pk]) in html
    running = GeneratedFile.objects.get(title="生成中的文件")
    assert reverse("exports:file-delete", args=[running.pk]) not in html  # still being built


def test_history_filters_by_status_and_kind_and_pages(client, personas):
    me = personas.shenyang_staff
    _file(me, "网点导出")
    _file(me, "简报", kind="plans.bulletin.pdf")
    _file(me, "昨天的导出", expires_at=timezone.now() - timedelta(hours=1))
    client.force_login(me)
    done = client.get(LIST, {"status": "done"}).content.decode()
    assert "网点导出" in done and "简报" in done and "昨天的导出" not in done
    expired = client.get(LIST, {"status": "expired"}).content.decode()
    assert "昨天的导出" in expired and "网点导出" not in expired
    bulletins = client.get(LIST, {"kind": "plans.bulletin"}).content.decode()
    assert "简报" in bulletins and "网点导出" not in bulletins and "工作简报（PDF）" in bulletins
    assert "没有符合条件的文件" in client.get(LIST, {"kind": "surveys.posters"}).content.decode()
    for i in range(12):
        _file(me, f"批量{i:02d}", content=None, status=GeneratedFileStatus.FAILED)
    page = client.get(LIST, {"size": 10})
    assert page.context["page"].paginator.count == 15 and len(page.context["object_list"]) == 10
    assert "共 15 条" in page.content.decode()


def test_empty_history_says_where_files_come_from(client, personas):
    client.force_login(personas.shenyang_staff)
    assert "暂无文件" in client.get(LIST).content.decode()


def test_another_users_file_is_404_on_every_url(client, personas):
    theirs = _file(personas.dalian_admin, "别人的文件")
    client.force_login(personas.shenyang_staff)
    for url in _urls(theirs):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("exports:file-delete", args=[theirs.pk])).status_code == 404
    assert GeneratedFile.objects.filter(pk=theirs.pk).exists() and Path(theirs.file.path).exists()
    assert not AuditEvent.objects.filter(action__in=[AuditAction.DOWNLOAD, AuditAction.DELETE]).exists()
    # the owner reaches all of them
    client.force_login(personas.dalian_admin)
    assert [client.get(url).status_code for url in _urls(theirs)] == [200, 200, 200]


def test_download_is_audited(client, personas):
    gf = _file(personas.shenyang_staff, "网点导出", rows=3, content="名称\n甲\n".encode())
    client.force_login(personas.shenyang_staff)
    resp = client.get(reverse("exports:file-download", args=[gf.pk]))
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == "名称\n甲\n".encode()
    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert event.actor_id == personas.shenyang_staff.pk and event.object_id == str(gf.pk)
    assert event.detail == {"kind": LIST_EXPORT_KIND, "filename": "网点导出.csv", "rows": 3}


def test_delete_needs_a_confirmed_post_and_is_audited(client, personas):
    gf = _file(personas.shenyang_staff, "要删的文件", rows=5)
    path = Path(gf.file.path)
    url = reverse("exports:file-delete", args=[gf.pk])
    client.force_login(personas.shenyang_staff)
    confirm = client.get(url)  # the confirmation step deletes nothing
    assert (
        confirm.status_code == 200
        and "确认删除" in confirm.content.decode()
        and 'method="post"' in confirm.content.decode()
    )
    assert GeneratedFile.objects.filter(pk=gf.pk).exists() and path.exists()
    resp = client.post(url)
    assert resp.status_code == 302 and resp["Location"] == LIST
    assert not GeneratedFile.objects.filter(pk=gf.pk).exists() and not path.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="exports.GeneratedFile")
    assert event.object_id == str(gf.pk) and event.object_repr == "要删的文件"
    assert event.detail == {"kind": LIST_EXPORT_KIND, "filename": "要删的文件.csv", "rows": 5}
    assert client.get(reverse("exports:file-status", args=[gf.pk])).status_code == 404


def test_a_file_being_built_is_not_deleted(client, personas):
    gf = _file(personas.shenyang_staff, "生成中", status=GeneratedFileStatus.RUNNING, progress=10)
    client.force_login(personas.shenyang_staff)
    resp = client.post(reverse("exports:file-delete", args=[gf.pk]))
    assert resp.status_code == 409 and "完成后才能删除" in resp.content.decode()
    assert GeneratedFile.objects.filter(pk=gf.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_expiry_is_never_more_than_24_hours_after_creation(personas):
    gf = GeneratedFile.objects.create(
        owner=personas.shenyang_staff, kind="x", title="长期", expires_at=timezone.now() + timedelta(days=7)
    )
    gf.refresh_from_db()
    assert gf.expires_at == gf.created_at + timedelta(hours=24)


def test_every_staff_role_has_my_files_in_the_menu(personas):
    staff = [p for name, p in vars(personas).items() if name != "nobody"]
    for user in staff:
        labels = [item["label"] for item in menu_for(user, "/")]
        assert "我的文件" in labels, user.username
    assert next(i for i in menu_for(personas.expert, LIST) if i["label"] == "我的文件")["active"]


def test_the_hourly_purge_job_deletes_the_bytes_and_marks_the_row_expired(client, personas):
    jobs = {job.name: job for job in periodic.periodic_jobs()}
    assert jobs["exports.purge_expired_files"].every == timedelta(hours=1)
    old = _file(personas.shenyang_staff, "昨天的导出", rows=7, expires_at=timezone.now() - timedelta(seconds=1))
    fresh = _file(personas.shenyang_staff, "今天的导出")
    old_path = Path(old.file.path)
    assert periodic.execute("exports.purge_expired_files") == periodic.OK
    old.refresh_from_db()
    assert not old_path.exists() and not old.file and old.status == GeneratedFileStatus.EXPIRED and old.rows == 7
    assert Path(fresh.file.path).exists()
    client.force_login(personas.shenyang_staff)
    assert client.get(reverse("exports:file-download", args=[old.pk])).status_code == 410
    assert "已过期" in client.get(reverse("exports:file-status", args=[old.pk])).content.decode()
    assert "昨天的导出" in client.get(LIST, {"status": "expired"}).content.decode()


def test_kind_labels_name_every_kind_of_file():
    assert kind_label("list.export", "网点-20261207.xlsx") == "列表导出（Excel）"
    assert kind_label("reports.summary") == "统计报表"
    assert kind_label("plans.bulletin.docx") == "工作简报（Word）"
    assert kind_label("surveys.posters.pdf") == "二维码海报（PDF）"
    assert kind_label("something.else") == "其他文件"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@override_settings(WENMING_EXPORT_INLINE_MAX_ROWS=1)
def test_export_above_the_limit_is_built_in_the_background_and_lands_in_the_history(
    client, personas, org_tree, fmt, django_capture_on_commit_callbacks
):
    assert inline_max_rows() == 1
    user = personas.shenyang_admin
    second = org_create(
        parent=org_tree.shenyang_enterprise, kind=OrgKind.OUTLET, name="顺丰沈阳皇姑营业部", audit=False
    )
    Outlet.objects.create(organization=second, brand=org_tree.sf, county_code="210105")
    expected = [[str(v) for v in OUTLET_EXPORT.row(o)] for o in outlet_list(user=user, action="export")]
    assert len(expected) == 2 and Outlet.objects.count() > 2  # the other city's outlet is outside the scope
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.get(reverse("organizations:outlet-list"), {"export": fmt}, follow=True)
    gf = GeneratedFile.objects.get(owner=user, kind=LIST_EXPORT_KIND)
    page = started.content.decode()
    assert "后台生成" in page and "我的文件" in page and reverse("exports:file-list") in page
    assert "排队中" in client.get(LIST).content.decode()
    for callback in callbacks:
        callback()  # the test profile's task backend builds it right away
    history = client.get(LIST, {"status": "done"})
    (row,) = history.context["object_list"]
    assert row.pk == gf.pk and row.rows == 2 and row.size > 0 and row.expires_at <= row.created_at + timedelta(hours=24)
    assert reverse("exports:file-download", args=[gf.pk]) in history.content.decode()
    data = b"".join(client.get(reverse("exports:file-download", args=[gf.pk])).streaming_content)
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        header, body = lines[0], lines[1:-1]
    else:
        ws = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        header, *body = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    assert header == list(OUTLET_EXPORT.header)
    assert body == expected


def test_the_history_itself_exports_only_the_users_own_files(client, personas):
    _file(personas.shenyang_admin, "我的网点导出", rows=4)
    _file(personas.dalian_admin, "大连的导出")
    client.force_login(personas.shenyang_admin)
    resp = client.get(LIST, {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))
    assert lines[0][0] == "名称" and [r[0] for r in lines[1:-1]] == ["我的网点导出"]
    assert lines[1][3] == "已完成" and lines[1][6] == "4"
