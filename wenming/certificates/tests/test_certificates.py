"""The one certificate mechanism: issue, PDF (Chinese text, merge fields, seal, QR), verification,
revocation, batches in the background, integrity, audit."""

from __future__ import annotations

import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.certificates import services
from wenming.certificates.kinds import register_kind, unregister_kind
from wenming.certificates.models import Certificate, CertificateBatch
from wenming.certificates.qr import qr_matrix
from wenming.certificates.rendering import verification_url
from wenming.core.errors import ApplicationError
from wenming.core.integrity import integrity_checks

from .conftest import KIND

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode()


def _images(tmp_path, pdf: bytes) -> list:
    from PIL import Image

    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    return [Image.open(f).convert("L") for f in sorted(tmp_path.glob("img-*.png"))]


def _modules(im, size: int, border: int = 2) -> list[list[bool]]:
    """Read a QR image back into its module matrix (dark = True), sampling each module's centre."""
    total = size + 2 * border
    w, h = im.size
    return [
        [
            im.getpixel((int((x + border + 0.5) * w / total), int((y + border + 0.5) * h / total))) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def _pdf(cert) -> bytes:
    with default_storage.open(cert.pdf.name) as f:
        return f.read()


def test_issue_stores_a_pdf_with_the_chinese_title_merge_fields_issuer_and_qr(issue_one, org_tree, tmp_path):
    cert = issue_one()
    assert cert.serial.startswith("QNWMH-20") and cert.serial.endswith("-000001")
    assert len(cert.check_code) == 16 and cert.pdf.name and cert.pdf_hash
    pdf = _pdf(cert)
    assert pdf.startswith(b"%PDF")
    flat = _text(pdf).replace(" ", "")
    assert "青年文明号证书" in flat
    assert "沈阳和平网点青年班组" in flat
    assert "荣誉称号：2026年度市级青年文明号" in flat and "级别：市级" in flat
    assert f"出具单位：{org_tree.shenyang.name}" in flat  # the bureau above the outlet issues it
    assert f"证书编号：{cert.serial}" in flat
    url = verification_url(cert)
    assert url.endswith(f"/p/certificates/{cert.serial}/{cert.check_code}/") and url in "".join(_text(pdf).split())
    # the embedded QR image encodes exactly that URL
    expected = qr_matrix(url)
    qrs = [im for im in _images(tmp_path, pdf) if abs(im.size[0] - im.size[1]) <= 1]
    assert any(_modules(im, len(expected)) == expected for im in qrs)
    assert not any(_modules(im, len(expected)) == qr_matrix(url + "x") for im in qrs)


def test_without_an_uploaded_seal_the_pdf_carries_a_drawn_red_seal_with_the_issuer_name(issue_one, tmp_path):
    from PIL import Image

    cert = issue_one()
    assert cert.seal_image == ""
    pdf = _pdf(cert)
    # the drawn seal is vector text: the issuer's name appears a second time, glyph by glyph
    assert _text(pdf).count("沈") >= 2
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "p")], check=True
    )
    page = Image.open(tmp_path / "p.png").convert("RGB")
    red = [(x, y) for x in range(page.width) for y in range(page.height) if _is_red(page.getpixel((x, y)))]
    assert len(red) > 400  # a ring, a star and the name, in red
    xs, ys = [x for x, _ in red], [y for _, y in red]
    assert min(xs) > page.width / 2  # beside the issuer's name, bottom right, round
    assert abs((max(xs) - min(xs)) - (max(ys) - min(ys))) <= 3


def _is_red(p) -> bool:
    return p[0] > 150 and p[1] < 110 and p[2] < 110


def test_serials_count_per_prefix_and_year(issue_one, personas, org_tree):
    a, b = issue_one(), issue_one(name="沈阳青年突击队")
    assert int(b.serial.rsplit("-", 1)[1]) == int(a.serial.rsplit("-", 1)[1]) + 1
    register_kind("tests.other", "测试证书", "TSTB", "certificates/pdf_base.html")
    try:  # the registry is process-wide: a test's kind must not outlive the test (pages list the kinds)
        other = services.issue(
            "tests.other",
            subject_key="x:1",
            subject_name="张三",
            fields={},
            by=personas.shenyang_admin,
            organization=org_tree.shenyang_outlet,
            render=False,
        )
        assert other.serial.endswith("-000001") and other.serial.startswith("TSTB-")
        with pytest.raises(ImproperlyConfigured):
            register_kind("tests.clash", "冲突", "TSTB", "certificates/pdf_base.html")
    finally:
        unregister_kind("tests.other")
        unregister_kind("tests.clash")


def test_issue_checks_the_permission_and_the_required_fields(personas, org_tree, youth_kind):
    kw = dict(subject_key="o:1", subject_name="大连网点", by=personas.shenyang_admin, render=False)
    with pytest.raises(PermissionDenied):
        services.issue(KIND, fields={"荣誉称号": "x", "级别": "市级"}, organization=org_tree.dalian_outlet, **kw)
    with pytest.raises(ApplicationError, match="级别"):
        services.issue(KIND, fields={"荣誉称号": "x"}, organization=org_tree.shenyang_outlet, **kw)
    assert not Certificate.objects.exists()


def test_issue_and_download_are_audited(client, issue_one, personas):
    cert = issue_one()
    assert AuditEvent.objects.filter(action="create", object_id=str(cert.pk), object_repr=cert.serial).exists()
    assert [e.kind for e in cert.events.order_by("id")] == ["issue", "render"]
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("certificates:pdf", args=[cert.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and resp.content == _pdf(cert)
    assert AuditEvent.objects.filter(action="download", object_id=str(cert.pk)).count() == 1
    client.force_login(personas.dalian_admin)
    assert client.get(reverse("certificates:pdf", args=[cert.pk])).status_code == 404


def test_verification_page_good_tampered_and_revoked(client, issue_one, personas):
    cert = issue_one(name="张晓明")
    url = reverse("public:certificates-verify", args=[cert.serial, cert.check_code])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "证书真实有效" in body and "青年文明号证书验证" in body
    assert "张*明" in body and "张晓明" not in body  # masked
    assert "2026年度市级青年文明号" in body

    bad = client.get(reverse("public:certificates-verify", args=[cert.serial, "0" * 16]))
    assert bad.status_code == 404 and "验证失败" in bad.content.decode()
    assert (
        client.get(reverse("public:certificates-verify", args=["QNWMH-2026-999999", cert.check_code])).status_code
        == 404
    )

    client.force_login(personas.shenyang_admin)
    resp = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": ""})
    assert resp.status_code == 422
    resp = client.post(reverse("certificates:revoke", args=[cert.pk]), {"reason": "复查不合格，予以摘牌"})
    assert resp.status_code == 302
    cert.refresh_from_db()
    assert cert.is_revoked and cert.revoked_reason == "复查不合格，予以摘牌"
    client.logout()
    page = client.get(url).content.decode()
    assert "该证书已被撤销" in page and "复查不合格，予以摘牌" in page and "证书真实有效" not in page
    # a revoked certificate cannot be revoked again
    with pytest.raises(ApplicationError):
        services.revoke(cert, by=personas.shenyang_admin, reason="再次")


def test_revoke_needs_the_kinds_permission_in_scope(issue_one, personas):
    cert = issue_one()
    with pytest.raises(PermissionDenied):
        services.revoke(cert, by=personas.shenyang_outlet, reason="越权")
    with pytest.raises(PermissionDenied):
        services.revoke(cert, by=personas.dalian_admin, reason="越权")
    cert.refresh_from_db()
    assert not cert.is_revoked


def test_changed_content_no_longer_verifies_and_the_integrity_check_finds_it(issue_one, client):
    good, bad, badfile = issue_one(), issue_one(name="沈阳青年突击队"), issue_one(name="沈阳青年先锋岗")
    check = integrity_checks()["certificates"]
    assert check.run("default") == (3, [])
    Certificate.objects.filter(pk=bad.pk).update(fields={"荣誉称号": "2026年度省级青年文明号", "级别": "省级"})
    # a PDF file replaced in storage
    default_storage.delete(badfile.pdf.name)
    default_storage.save(badfile.pdf.name, ContentFile(b"%PDF-1.7 forged"))
    n, problems = check.run("default")
    assert n == 3
    assert problems == [f"{bad.serial}：内容与封存哈希不符", f"{badfile.serial}：PDF文件与封存哈希不符"]
    assert client.get(reverse("public:certificates-verify", args=[bad.serial, bad.check_code])).status_code == 404
    assert client.get(reverse("public:certificates-verify", args=[good.serial, good.check_code])).status_code == 200


def test_verification_failures_are_rate_limited(client, issue_one):
    cert = issue_one()
    for _ in range(30):
        assert client.get(reverse("public:certificates-verify", args=[cert.serial, "f" * 16])).status_code == 404
    resp = client.get(reverse("public:certificates-verify", args=[cert.serial, cert.check_code]))
    assert resp.status_code == 429 and "次数过多" in resp.content.decode()


def test_batch_of_30_runs_in_the_background_with_progress(
    client, personas, org_tree, youth_kind, django_capture_on_commit_callbacks
):
    items = [
        {
            "subject_key": f"team:{i}",
            "subject_name": f"青年班组{i:02d}",
            "organization": org_tree.shenyang_outlet if i % 2 else org_tree.shenyang_enterprise,
            "fields": {"荣誉称号": "2026年度市级青年文明号", "级别": "市级"},
        }
        for i in range(30)
    ]
    items[7]["fields"] = {"荣誉称号": "缺少级别"}  # refused before anything is queued
    with pytest.raises(ApplicationError, match="第8项"):
        services.batch_issue(KIND, items, by=personas.shenyang_admin)
    items[7]["fields"] = {"荣誉称号": "2026年度市级青年文明号", "级别": "市级"}
    with pytest.raises(PermissionDenied):
        services.batch_issue(
            KIND, [*items, {**items[0], "organization": org_tree.dalian_outlet}], by=personas.shenyang_admin
        )
    assert not CertificateBatch.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = services.batch_issue(KIND, items, by=personas.shenyang_admin)
    assert batch.total == 30 and batch.processed == 0 and len(queued) == 1  # nothing issued in the request
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("certificates:batch", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<dd data-done>0</dd>" in page

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the worker picks the task up
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.failed, batch.status) == (30, 30, 0, "done")
    assert Certificate.objects.filter(batch=batch).exclude(pdf="").count() == 30
    assert len(set(Certificate.objects.values_list("serial", flat=True))) == 30
    page = client.get(reverse("certificates:batch", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<dd data-done>30</dd>" in page and "hx-trigger" not in page
    # someone else's batch is not found
    client.force_login(personas.province_admin)
    assert client.get(reverse("certificates:batch", args=[batch.pk])).status_code == 404


def test_batch_counts_failures_and_goes_on(personas, org_tree, youth_kind, django_capture_on_commit_callbacks):
    items = [
        {
            "subject_key": f"team:{i}",
            "subject_name": f"班组{i}",
            "organization": org_tree.shenyang_outlet,
            "fields": {"荣誉称号": "市级青年文明号", "级别": "市级"},
        }
        for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = services.batch_issue(KIND, items, by=personas.shenyang_admin)
    # the unit of item 2 is deactivated from the batch creator's reach before the worker runs
    batch.items[1]["organization_id"] = org_tree.dalian_outlet.pk
    batch.save(update_fields=["items"])
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (2, 1) and batch.errors[0]["index"] == 2


@pytest.fixture
def unit_kind():
    kind = register_kind("tests.unit", "文明单位证书", "WMDW", "certificates/pdf_base.html", person_subject=False)
    yield kind
    unregister_kind("tests.unit")


def test_a_unit_holder_is_shown_in_full_a_person_masked(client, personas, org_tree, unit_kind):
    cert = services.issue(
        "tests.unit",
        subject_key=f"organizations.organization:{org_tree.shenyang_outlet.pk}",
        subject_name=org_tree.shenyang_outlet.name,
        fields={},
        by=personas.shenyang_admin,
        organization=org_tree.shenyang_outlet,
        render=False,
    )
    page = client.get(reverse("public:certificates-verify", args=[cert.serial, cert.check_code])).content.decode()
    assert org_tree.shenyang_outlet.name in page
    client.force_login(personas.shenyang_admin)
    assert org_tree.shenyang_outlet.name in client.get(reverse("certificates:list")).content.decode()
