"""Demo data of the organisations app: a specimen seal (marked 样章) for the province and every city bureau.

The images are drawn by ``wenming.demo.images`` and stored through ``seal_upload`` (the one upload path).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.demo.images import specimen_seal_png
from wenming.organizations.services import seal_upload


def seed(ctx: Any) -> None:
    by = ctx.users.get("province")
    if by is None:
        return
    bureaus = [ctx.province, *ctx.cities.values()]
    for bureau in bureaus:
        upload = SimpleUploadedFile("样章.png", specimen_seal_png(bureau.name), content_type="image/png")
        seal_upload(organization=bureau, upload=upload, by=by, specimen=True)
    ctx.note("出具印章（样章）", len(bureaus))
