"""Plans attachments and institution files go through the one upload path (wenming.core.uploads)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.core.uploads import UploadRejected
from wenming.plans.models import Attachment, Institution
from wenming.plans.services import institution_create, task_acknowledge, task_report

from .conftest import at

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
PDF = b"%PDF-1.4\n%%EOF\n"


def _plans_files() -> set:
    root = settings.MEDIA_ROOT / "plans"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_disguised_second_file_refuses_the_report_and_leaves_no_file(personas, make_task):
    task = make_task(due=date(2026, 11, 30))
    before = _plans_files()
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        files = [SimpleUploadedFile("佐证.pdf", PDF), SimpleUploadedFile("截图.pdf", SVG)]
        with pytest.raises(UploadRejected) as exc:
            task_report(task_id=task.pk, by=personas.shenyang_admin, progress=100, note="完成", uploads=files)
    assert "截图.pdf" in exc.value.message and exc.value.field == "files"
    assert not Attachment.objects.filter(task=task).exists()
    assert _plans_files() == before  # the first file, already stored, was removed again


def test_attached_photo_loses_gps_and_is_stored_as_jpeg(personas, make_task):
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (41.0, 48.0, 12.5)
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 30, 30)).save(buf, format="JPEG", exif=exif)
    task = make_task(due=date(2026, 11, 30))
    with at(2026, 11, 3):
        task_acknowledge(task_id=task.pk, by=personas.shenyang_admin)
        task_report(
            task_id=task.pk,
            by=personas.shenyang_admin,
            progress=100,
            note="完成",
            uploads=[SimpleUploadedFile("现场.jpg", buf.getvalue())],
        )
    att = task.attachments.get()
    assert att.file.name.startswith("plans/") and att.file.name.endswith(".jpg")
    with att.file.open("rb") as fh, Image.open(fh) as im:
        assert not im.getexif().get_ifd(0x8825)
    assert att.size == att.file.size


def test_institution_file_is_sniffed(personas, org_tree):
    with pytest.raises(UploadRejected) as exc:
        institution_create(
            title="规范",
            issuing_org=org_tree.province,
            by=personas.province_admin,
            upload=SimpleUploadedFile("规范.docx", b"MZ\x90\x00"),
        )
    assert exc.value.field == "file" and "不符" in exc.value.message
    assert not Institution.objects.exists()
    inst = institution_create(
        title="规范",
        issuing_org=org_tree.province,
        by=personas.province_admin,
        upload=SimpleUploadedFile("../规范.pdf", PDF),
    )
    assert inst.original_name == "规范.pdf" and inst.file.name.endswith(".pdf") and ".." not in inst.file.name
