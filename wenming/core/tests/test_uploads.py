"""The one upload path (wenming.core.uploads): every kind refuses disguised files in Chinese, images lose
their EXIF/GPS, zip bombs are refused, and a refusal leaves nothing in storage."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from wenming.core import uploads
from wenming.core.uploads import UploadRejected, check_file

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ZIP = _zip({"说明.txt": "佐证材料".encode()})


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 48.0, 12.5), "E", (123.0, 25.0, 30.0)
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 120, 200)).save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def f(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("kind", "good_name", "good"),
    [
        (uploads.DOCUMENT, "通知.pdf", PDF),
        (uploads.DOCUMENT, "方案.docx", DOCX),
        (uploads.DOCUMENT, "旧版.doc", OLE),
        (uploads.DOCUMENT, "说明.txt", "第一条 工作要求".encode()),
        (uploads.SPREADSHEET, "台账.xlsx", XLSX),
        (uploads.SPREADSHEET, "台账.xls", OLE),
        (uploads.ARCHIVE, "材料.zip", ZIP),
        (uploads.IMAGE, "现场.jpg", jpeg_with_gps()),
    ],
)
def test_each_kind_accepts_its_own_files_and_refuses_renamed_svg_html_exe(kind, good_name, good):
    clean = check_file(f(good_name, good), kinds=[kind])
    assert clean.kind == kind and clean.size > 0 and len(clean.sha256) == 64
    ext = "." + good_name.rsplit(".", 1)[1]
    for payload in (SVG, HTML, EXE):
        with pytest.raises(UploadRejected) as exc:
            check_file(f(f"伪装{ext}", payload), kinds=[kind], field="files")
        message = exc.value.message
        assert "伪装" in message and ("不符" in message or "不是" in message), message
        assert exc.value.field == "files"


def test_wrong_type_for_the_field_and_empty_and_oversized_files_are_refused_in_chinese():
    with pytest.raises(UploadRejected) as exc:
        check_file(f("脚本.exe", EXE), kinds=[uploads.DOCUMENT, uploads.IMAGE])
    assert "类型不受支持" in exc.value.message and "图片" in exc.value.message
    with pytest.raises(UploadRejected) as exc:
        check_file(f("空.pdf", b""), kinds=[uploads.DOCUMENT])
    assert "空文件" in exc.value.message
    with pytest.raises(UploadRejected) as exc:
        check_file(f("大.pdf", PDF + b"0" * (1024 * 1024)), kinds=[uploads.DOCUMENT], max_bytes=1024 * 1024)
    assert "超过 1 MB" in exc.value.message


def test_a_pdf_renamed_docx_and_a_plain_zip_renamed_docx_are_refused():
    with pytest.raises(UploadRejected) as exc:
        check_file(f("方案.docx", PDF), kinds=[uploads.DOCUMENT])
    assert exc.value.stage == "magic"
    with pytest.raises(UploadRejected) as exc:
        check_file(f("方案.docx", ZIP), kinds=[uploads.DOCUMENT])
    assert exc.value.stage == "structure" and "Word" in exc.value.message


def test_image_gps_exif_is_stripped_and_reencoded():
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test photo really carries GPS
    clean = check_file(f("现场.jpg", raw), kinds=[uploads.IMAGE])
    assert clean.extension == ".jpg" and clean.content_type == "image/jpeg"
    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.format == "JPEG"
        assert not after.getexif().get_ifd(0x8825)
        assert 0x010F not in after.getexif()


@pytest.mark.parametrize("name", ["炸弹.zip", "炸弹.docx", "炸弹.xlsx"])
def test_zip_bombs_are_refused(name):
    parts = {"payload.bin": b"\x00" * (60 * 1024 * 1024)}
    if name.endswith(".docx"):
        parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", **parts}
    if name.endswith(".xlsx"):
        parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", **parts}
    bomb = _zip(parts)
    assert len(bomb) < 1024 * 1024  # small on the wire
    kind = (
        uploads.SPREADSHEET
        if name.endswith(".xlsx")
        else uploads.ARCHIVE
        if name.endswith(".zip")
        else uploads.DOCUMENT
    )
    with pytest.raises(UploadRejected) as exc:
        check_file(f(name, bomb), kinds=[kind])
    assert exc.value.stage in {"uncompressed", "ratio"} and "压缩炸弹" in exc.value.message


def test_too_many_entries_and_office_dtd_are_refused():
    many = _zip({f"{i}.txt": b"x" for i in range(settings.WENMING_IMPORT_MAX_ENTRIES + 1)})
    with pytest.raises(UploadRejected) as exc:
        check_file(f("多.zip", many), kinds=[uploads.ARCHIVE])
    assert exc.value.stage == "entries"
    evil = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b'<!DOCTYPE x [<!ENTITY a "a">]><w/>'})
    with pytest.raises(UploadRejected) as exc:
        check_file(f("方案.docx", evil), kinds=[uploads.DOCUMENT])
    assert exc.value.stage == "dtd"


def _stored(prefix: str) -> list:
    root = settings.MEDIA_ROOT / prefix
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db(transaction=True)
def test_a_refusal_in_a_transaction_removes_the_files_it_already_stored():
    before = set(_stored("uploadtest"))
    with pytest.raises(UploadRejected), transaction.atomic():
        good = uploads.save(check_file(f("一.pdf", PDF), kinds=[uploads.DOCUMENT]), prefix="uploadtest")
        assert (settings.MEDIA_ROOT / good).exists()
        check_file(f("二.pdf", SVG), kinds=[uploads.DOCUMENT])
    assert set(_stored("uploadtest")) == before
    # a committed save stays, and a later refusal elsewhere does not touch it
    with transaction.atomic():
        kept = uploads.save(check_file(f("三.pdf", PDF), kinds=[uploads.DOCUMENT]), prefix="uploadtest")
    with pytest.raises(UploadRejected):
        check_file(f("四.pdf", SVG), kinds=[uploads.DOCUMENT])
    assert (settings.MEDIA_ROOT / kept).exists()
    uploads.delete_stored([kept])


@pytest.mark.django_db
def test_a_refusal_after_a_completed_block_keeps_that_blocks_file():
    with transaction.atomic():  # a service that completed (a savepoint inside the request's transaction)
        kept = uploads.save(check_file(f("五.pdf", PDF), kinds=[uploads.DOCUMENT]), prefix="uploadtest")
    with pytest.raises(UploadRejected), transaction.atomic():
        check_file(f("六.pdf", HTML), kinds=[uploads.DOCUMENT])
    assert (settings.MEDIA_ROOT / kept).exists()
    uploads.delete_stored([kept])
