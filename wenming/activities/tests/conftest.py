"""Fixtures of the activities tests: couriers in Shenyang and Dalian, images, a ready activity."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wenming.core import pii


def id_number(body17: str) -> str:
    return body17 + pii.id_check_char(body17)


def make_courier(outlet, name: str, body17: str, phone: str):
    from wenming.people.models import Courier

    c = Courier(
        outlet=outlet,
        name=name,
        gender="M",
        birth_date=date(1990, 1, 1),
        started_delivery_on=date(2015, 1, 1),
    )
    c.set_id_number(id_number(body17))
    c.set_phone(phone)
    c.save()
    return c


@pytest.fixture
def couriers(org_tree):
    from types import SimpleNamespace

    return SimpleNamespace(
        zhang=make_courier(org_tree.shenyang_outlet, "张晓明", "21010219900101123", "13812345678"),
        li=make_courier(org_tree.shenyang_outlet, "李文", "21010219910202234", "13987654321"),
        wang=make_courier(org_tree.dalian_outlet, "王强", "21020219920303345", "13600001111"),
    )


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    buf = io.BytesIO()
    im = Image.new("RGB", size, color)
    if exif is not None:
        im.save(buf, format="JPEG", exif=exif)
    else:
        im.save(buf, format="JPEG")
    return buf.getvalue()


def png_bytes(size=(40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(buf, format="PNG")
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(n: int = 0) -> SimpleUploadedFile:
    return upload(f"现场{n}.jpg", jpeg_bytes(color=(n * 20 % 255, 100, 100)))


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A valid PNG header claiming width × height (1-bit grey); the compressed data is a few KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(200)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def types(db):
    from wenming.activities.models import ActivityType

    return {t.code: t for t in ActivityType.objects.all()}


def activity_data(**over):
    now = timezone.now()
    data = {
        "title": "3·15 消费者权益日宣传",
        "starts_at": now - timedelta(days=2),
        "ends_at": now - timedelta(days=2) + timedelta(hours=2),
        "address": "沈阳市和平区中山广场",
        "participant_count": 8,
        "beneficiaries": "过往群众",
        "beneficiary_count": 300,
        "figures": {"leaflets": 500, "people_consulted": 60},
        "core_values": ["integrity", "civility"],
        "postal_values": ["service"],
        "description": "设置咨询台，发放宣传单，现场解答寄递问题。",
    }
    data.update(over)
    return data


@pytest.fixture
def make_activity(types, media):
    from wenming.activities import services
    from wenming.core.uploads import process_images

    def _make(*, by, org, code="consumer_day_315", photos=2, submit=False, **over):
        return services.activity_create(
            by=by,
            organization=org,
            activity_type=types[code],
            data=activity_data(**over),
            photos=process_images([photo(i) for i in range(photos)]),
            submit=submit,
        )

    return _make
