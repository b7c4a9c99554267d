"""Fixtures of the publicity tests: couriers in Shenyang and Dalian, photos, stored media in a tmp dir."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.core import pii


def make_courier(outlet, name: str, body17: str, phone: str):
    from wenming.people.models import Courier

    c = Courier(outlet=outlet, name=name, gender="M", birth_date=date(1990, 1, 1), started_delivery_on=date(2015, 1, 1))
    c.set_id_number(body17 + pii.id_check_char(body17))
    c.set_phone(phone)
    c.save()
    return c


@pytest.fixture
def couriers(org_tree):
    return SimpleNamespace(
        zhang=make_courier(org_tree.shenyang_outlet, "张晓明", "21010219900101123", "13812345678"),
        wang=make_courier(org_tree.dalian_outlet, "王强", "21020219920303345", "13600001111"),
    )


def jpeg(color=(200, 30, 30), name="照片.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
