"""IN8 size limits: oversized requests are refused with 400/413, never a 500."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

REFUSED = (400, 413)


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def test_more_than_1000_fields_is_refused(db, personas):
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert _client().post(reverse("accounts:login"), fields).status_code in REFUSED
    staff = _client(personas.shenyang_admin)
    assert staff.post(reverse("people:courier-create"), fields).status_code in REFUSED
    # The same count sent as multipart/form-data
    resp = staff.post(reverse("people:courier-create"), {**fields, "doc": SimpleUploadedFile("a.txt", b"x")})
    assert resp.status_code in REFUSED


def test_body_over_the_upload_limit_is_refused(db, personas):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    body = f"username=a&password={big}"
    resp = _client().post(reverse("accounts:login"), body, content_type="application/x-www-form-urlencoded")
    assert resp.status_code in REFUSED
    staff = _client(personas.shenyang_admin)
    resp = staff.post(reverse("people:courier-create"), body, content_type="application/x-www-form-urlencoded")
    assert resp.status_code in REFUSED
    resp = staff.post(reverse("api:courier-list"), '{"name": "' + big + '"}', content_type="application/json")
    assert resp.status_code in (*REFUSED, 403, 405)


def test_more_than_100_files_is_refused(personas, pii_world):
    activity = pii_world.activities[0]
    files = [SimpleUploadedFile(f"p{i}.jpg", b"\xff\xd8\xff", content_type="image/jpeg") for i in range(101)]
    resp = _client(personas.shenyang_admin).post(
        reverse("activities:add-photos", args=[activity.pk]), {"photos": files}
    )
    assert resp.status_code in REFUSED


def test_normal_sized_post_still_works(db, personas):
    resp = _client(personas.shenyang_admin).post(reverse("people:courier-create"), {"name": "张三"})
    assert resp.status_code < 500 and resp.status_code not in REFUSED
