"""IN11 formula injection, audited streaming CSV, idempotent background files (L12) and purge."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from wenming.audit.models import AuditAction, AuditEvent
from wenming.exports.models import GeneratedFile, GeneratedFileStatus
from wenming.exports.services import (
    generated_file_build,
    generated_file_start,
    purge_expired_files,
    register_builder,
    safe_cell,
    stream_csv,
    write_xlsx,
)

DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)", "\t=1+2", "\r=1+2", '=HYPERLINK("http://x","点我")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "1+2", "a=b", "", 12, -3, 4.5, "'=already"])
def test_safe_cell_leaves_harmless_values(value):
    assert safe_cell(value) == value
    assert safe_cell(None) == ""


def _formula_cells(data: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(data)).active
    return [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_has_no_live_formulas():
    # the check itself can fail: a raw openpyxl sheet with the same cells does hold formulas
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(DANGEROUS)
    raw = io.BytesIO()
    wb.save(raw)
    assert _formula_cells(raw.getvalue())
    # written through write_xlsx: every cell is text, starting with the apostrophe
    data = write_xlsx(["名称"] * len(DANGEROUS), [DANGEROUS, ["张三", -3, 4.5, None, "", "x", "y"]])
    assert _formula_cells(data) == []
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[2]] == ["'" + v for v in DANGEROUS]
    assert ws["B3"].value == -3


@pytest.mark.django_db
def test_stream_csv_audits_before_streaming_and_escapes(personas):
    request = RequestFactory().get("/people/couriers/export/?city=210100", REMOTE_ADDR="10.1.2.3")
    request.user = personas.shenyang_admin
    consumed = []

    def rows():
        for i in range(3):
            consumed.append(i)
            yield [i, f"快递员{i}", "=cmd|' /C calc'!A0" if i == 1 else "138****5678"]

    resp = stream_csv(
        request=request,
        filename="快递员.csv",
        header=["序号", "姓名", "手机号"],
        rows=rows(),
        object_type="people.Courier",
        filters={"city": "210100"},
    )
    # audited before the first byte, and nothing has been read from the rows yet (it streams)
    ev = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert consumed == []
    assert ev.actor == personas.shenyang_admin and ev.ip == "10.1.2.3"
    assert ev.object_type == "people.Courier" and ev.detail["filters"] == {"city": "210100"}
    assert ev.detail["format"] == "csv"
    assert resp.streaming and resp["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E5%BF%AB%E9%80%92%E5%91%98.csv" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert consumed == [0, 1, 2]
    assert text.startswith("\ufeff序号")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[2] == ["1", "快递员1", "'=cmd|' /C calc'!A0"]
    assert parsed[1][2] == "138****5678"


_calls: list[int] = []


@register_builder("test.counter")
def _counter_builder(gf, set_progress):
    _calls.append(gf.pk)
    set_progress(50)
    return "内容".encode(), "测试.txt", "text/plain"


@pytest.mark.django_db
def test_generated_file_builds_once_even_when_delivered_twice(personas, django_capture_on_commit_callbacks):
    _calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gf = generated_file_start(owner=personas.shenyang_staff, kind="test.counter", title="测试文件")
    gf.refresh_from_db()
    assert gf.status == GeneratedFileStatus.DONE and gf.progress == 100
    # a second delivery of the same task changes nothing
    again = generated_file_build(gf.pk)
    assert _calls == [gf.pk]
    assert again.file.name == gf.file.name and Path(gf.file.path).read_bytes() == "内容".encode()
    with pytest.raises(KeyError):
        generated_file_start(owner=personas.shenyang_staff, kind="test.unknown", title="x")


@pytest.mark.django_db
def test_purge_removes_expired_files_from_disk_and_marks_the_rows_expired(personas):
    def make(title: str, expires_in: timedelta) -> GeneratedFile:
        gf = GeneratedFile.objects.create(
            owner=personas.shenyang_staff,
            kind="test.counter",
            title=title,
            status=GeneratedFileStatus.DONE,
            params={"query": "id_number=110101199003071234"},
            expires_at=timezone.now() + expires_in,
        )
        gf.file.save(f"{title}.txt", ContentFile(b"x"))
        return gf

    old, fresh = make("old", -timedelta(minutes=1)), make("fresh", timedelta(hours=23))
    old_path, fresh_path = Path(old.file.path), Path(fresh.file.path)
    assert old_path.exists() and fresh_path.exists()
    assert purge_expired_files() == 1
    # the bytes are gone; the row stays in the history as 已过期, without its file or parameters
    assert not old_path.exists()
    old.refresh_from_db()
    assert old.status == GeneratedFileStatus.EXPIRED and not old.file and old.params == {}
    assert old.title == "old"
    fresh.refresh_from_db()
    assert fresh_path.exists() and fresh.status == GeneratedFileStatus.DONE and fresh.params
    # a second run finds nothing more to do
    assert purge_expired_files() == 0
    fresh.file.delete(save=False)
