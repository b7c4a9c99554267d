"""Upload safety (quality.md IN6–IN8): sniffing, image bombs, re-encoding, EXIF/GPS stripping, nothing left behind."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from wenming.activities.models import Activity, ActivityPhoto
from wenming.core.uploads import UploadRejected, process_image

from .conftest import bomb_png, files_under, jpeg_bytes, photo, png_bytes, upload

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>document.location='http://evil.example/'</script></body></html>"
PHP_GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<?php system($_GET['c']); ?>"


@pytest.mark.parametrize(
    ("name", "content"),
    [("logo.jpg", SVG), ("page.jpg", HTML), ("shell.jpg", PHP_GIF), ("x.jpg", b"\xff\xd8\xff\xe0broken")],
)
def test_non_images_renamed_jpg_are_refused_with_chinese_message(name, content):
    with pytest.raises(UploadRejected) as exc:
        process_image(upload(name, content))
    assert "JPG、PNG 或 WebP" in exc.value.message


def test_png_bomb_is_refused_from_the_header_without_decoding():
    data = bomb_png()
    assert len(data) < 64 * 1024  # a few KB on the wire
    with pytest.raises(UploadRejected) as exc:
        process_image(upload("bomb.png", data, "image/png"))
    assert "4000 万像素" in exc.value.message


def test_oversized_file_is_refused():
    big = upload("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10))
    with pytest.raises(UploadRejected) as exc:
        process_image(big)
    assert "超过 5 MB" in exc.value.message


def test_exif_and_gps_are_stripped_and_image_reencoded_as_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (41.0, 48.0, 12.5)
    gps[3] = "E"
    gps[4] = (123.0, 25.0, 30.0)
    raw = jpeg_bytes(size=(3000, 1000), exif=exif)
    with Image.open(io.BytesIO(raw)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test photo really carries GPS
    clean = process_image(upload("gps.jpg", raw))
    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.format == "JPEG"
        assert not after.getexif().get_ifd(0x8825)
        assert not after.getexif()
        assert "exif" not in after.info
        assert max(after.size) == 2000  # long side capped
    assert (clean.width, clean.height) == (2000, 667)


def test_png_with_alpha_becomes_jpeg():
    clean = process_image(upload("a.png", png_bytes(), "image/png"))
    assert clean.content[:3] == b"\xff\xd8\xff"


def _post_activity(client, org, files, submit="0"):
    data = {
        "organization": org.pk,
        "title": "讲文明树新风宣传",
        "starts_at": "2026-11-20T09:00",
        "ends_at": "2026-11-20T11:00",
        "address": "和平区中山广场",
        "description": "宣传文明寄递。",
        "fig_leaflets": "200",
        "core_values": ["civility"],
        "submit": submit,
        "photos": files,
    }
    return client.post(reverse("activities:create", args=["civility_promotion"]), data)


@pytest.mark.parametrize(
    "bad",
    [
        lambda: upload("evil.jpg", SVG),
        lambda: upload("evil.jpg", HTML),
        lambda: upload("bomb.png", bomb_png(), "image/png"),
    ],
)
def test_refused_upload_through_the_form_leaves_nothing_behind(bad, client, personas, org_tree, media):
    client.force_login(personas.shenyang_admin)
    resp = _post_activity(client, org_tree.shenyang, [photo(1), bad(), photo(2)])
    assert resp.status_code == 422
    text = resp.content.decode()
    assert "JPG、PNG 或 WebP 图片" in text or "4000 万像素" in text
    assert Activity.objects.count() == 0
    assert ActivityPhoto.objects.count() == 0
    assert files_under(media) == []


def test_good_upload_is_stored_under_a_server_generated_name(client, personas, org_tree, media):
    client.force_login(personas.shenyang_admin)
    resp = _post_activity(client, org_tree.shenyang, [photo(1), photo(2)])
    assert resp.status_code == 302
    a = Activity.objects.get()
    names = [p.image.name for p in a.photos.all()]
    assert len(names) == 2
    assert all(n.startswith("activities/photos/") and n.endswith(".jpg") and "现场" not in n for n in names)
    assert len(files_under(media)) == 2
    # photos are served only through the scoped view
    r = client.get(reverse("activities:photo", args=[a.photos.first().pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"


def test_too_many_files_in_one_request_is_refused(client, personas, org_tree, media):
    client.force_login(personas.shenyang_admin)
    resp = _post_activity(client, org_tree.shenyang, [upload(f"{i}.jpg", b"x") for i in range(101)])
    assert resp.status_code in (400, 413)
    assert Activity.objects.count() == 0
