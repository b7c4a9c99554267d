"""Certificates are issued by the bureau above the courier's unit and carry that bureau's seal image."""

from __future__ import annotations

import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wenming.activities import services
from wenming.audit.models import AuditEvent
from wenming.certificates.rendering import certificate_pdf as certificate_pdf_bytes
from wenming.certificates.services import verify
from wenming.demo.images import specimen_seal_png
from wenming.organizations.models import IssuingSeal
from wenming.organizations.services import issuing_bureau, seal_upload

from .test_volunteer import _checked_out, event, signups  # noqa: F401  (fixtures)

#: the seal has one page, under its bureau's node (reached through the node's scope; tested below)
CONTRACT_EXEMPT = {
    "organizations.IssuingSeal": "出具印章只在所属省局/市局的机构页下设置，随机构的数据范围（范围外 404，见本文件的测试）",
}


def _seal_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("seal.png", specimen_seal_png(name), content_type="image/png")


def _certificate(personas, event, signup):  # noqa: F811
    r = _checked_out(event, signup, 3.5)
    services.volunteer_record_approve(record_id=r.pk, by=personas.shenyang_admin)
    return services.certificate_issue(by=personas.shenyang_admin, courier=signup.courier)


def _pdf_images(tmp_path, pdf: bytes) -> list:
    from PIL import Image

    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    kinds = [line.split()[2] for line in listing.splitlines()[2:] if line.strip()]
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    files = sorted(tmp_path.glob("img-*.png"))
    assert len(files) == len(kinds)
    # the pictures themselves, not their transparency masks
    return [Image.open(f).convert("RGB") for f, kind in zip(files, kinds, strict=True) if kind == "image"]


def _is_red_seal(im) -> bool:
    px = list(im.resize((60, 60)).get_flattened_data())
    red = [p for p in px if p[0] > 150 and p[1] < 110 and p[2] < 110]
    return len(red) > len(px) * 0.05


def test_issuing_bureau_is_the_city_bureau_above_the_unit(org_tree):
    assert issuing_bureau(org_tree.shenyang_outlet) == org_tree.shenyang
    assert issuing_bureau(org_tree.shenyang) == org_tree.shenyang
    assert issuing_bureau(org_tree.province) == org_tree.province


def test_certificate_names_the_bureau_and_carries_its_seal(personas, org_tree, event, signups, tmp_path):  # noqa: F811
    seal = seal_upload(
        organization=org_tree.shenyang, upload=_seal_file(org_tree.shenyang.name), by=personas.shenyang_admin
    )
    assert AuditEvent.objects.filter(object_id=str(seal.pk), object_type__icontains="issuingseal").exists()
    cert = _certificate(personas, event, signups[0])
    assert cert.organization == org_tree.shenyang_outlet  # scoped to the courier's unit
    assert cert.issuer_name == org_tree.shenyang.name and cert.seal_image == seal.image.name
    assert verify(serial=cert.serial, check=cert.check_code) == cert

    pdf = certificate_pdf_bytes(cert)
    (tmp_path / "cert.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = text.replace(" ", "")
    assert f"出具单位：{org_tree.shenyang.name}" in flat
    assert f"出具单位：{org_tree.shenyang_outlet.name}" not in flat
    images = _pdf_images(tmp_path, pdf)
    assert len(images) == 2 and sum(_is_red_seal(im) for im in images) == 1  # the QR code and the seal

    # a new seal applies to new certificates; the issued one keeps the seal it was issued with
    seal_upload(organization=org_tree.shenyang, upload=_seal_file("沈阳"), by=personas.shenyang_admin)
    cert.refresh_from_db()
    assert cert.seal_image != IssuingSeal.objects.get(organization=org_tree.shenyang).image.name


def test_bureau_without_seal_gives_certificate_a_drawn_seal_and_warns_staff(
    client,
    personas,
    org_tree,
    event,  # noqa: F811
    signups,  # noqa: F811
    tmp_path,
):
    cert = _certificate(personas, event, signups[0])
    assert cert.issuer_name == org_tree.shenyang.name and cert.seal_image == ""
    pdf = certificate_pdf_bytes(cert)
    images = _pdf_images(tmp_path, pdf)
    assert len(images) == 1 and not _is_red_seal(images[0])  # the QR code is the only picture
    # the seal is drawn (vector): the bureau's name is printed a second time, glyph by glyph, in the ring
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert text.count("沈") >= 2
    client.force_login(personas.shenyang_admin)
    page = client.get(reverse("activities:certificate-detail", args=[cert.pk])).content.decode()
    assert f"{org_tree.shenyang.name}尚未设置出具印章" in page and "按单位名称绘制的印章样式" in page


def test_seal_page_uploads_through_the_upload_checks_and_is_scoped(client, personas, org_tree):
    url = reverse("organizations:seal", args=[org_tree.shenyang.pk])
    client.force_login(personas.shenyang_admin)
    assert "尚未设置印章" in client.get(url).content.decode()
    bad = SimpleUploadedFile("seal.png", b"%PDF-1.7 not an image", content_type="image/png")
    resp = client.post(url, {"image": bad})
    assert resp.status_code == 422
    assert "seal.png不是" in resp.content.decode().replace("“", "").replace("”", "")
    assert not IssuingSeal.objects.exists()
    resp = client.post(url, {"image": _seal_file(org_tree.shenyang.name)})
    assert resp.status_code == 302
    seal = IssuingSeal.objects.get(organization=org_tree.shenyang)
    assert seal.image.name.startswith("seals/") and seal.image.name.endswith(".jpg")
    assert 'alt="沈阳市邮政管理局印章"' in client.get(url).content.decode()
    assert "出具印章" in client.get(reverse("organizations:detail", args=[org_tree.shenyang.pk])).content.decode()
    # outside the scope: 404; not a bureau: 404
    assert client.get(reverse("organizations:seal", args=[org_tree.dalian.pk])).status_code == 404
    assert client.get(reverse("organizations:seal", args=[org_tree.shenyang_outlet.pk])).status_code == 404
    client.force_login(personas.shenyang_outlet)
    assert client.get(url).status_code in (403, 404)
    client.force_login(personas.shenyang_admin)
    assert client.post(url, {"remove": "1"}).status_code == 302
    assert not IssuingSeal.objects.exists()
