"""Rendering shared by the staff preview and the public pages: the story body with its figures."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.safestring import SafeString

from .. import markup
from ..services import RENDITION_WIDTHS


def image_url(image: Any, width: int = 0, *, public: bool) -> str:
    if public:
        return (
            reverse("public:portal-image", args=[image.pk, width])
            if width
            else reverse("public:portal-image-full", args=[image.pk])
        )
    return reverse("portal:image-size", args=[image.pk, width]) if width else reverse("portal:image", args=[image.pk])


def srcset(image: Any, *, public: bool) -> str:
    parts = [f"{image_url(image, w, public=public)} {w}w" for w in RENDITION_WIDTHS if str(w) in image.renditions]
    parts.append(f"{image_url(image, public=public)} {image.width}w")
    return ", ".join(parts)


def article_body(article: Any, *, public: bool, body: str | None = None) -> SafeString:
    images = {i.pk: i for i in article.images.all()}

    def figure(pk: int) -> str | None:
        img = images.get(pk)
        if img is None:
            return None
        small = image_url(img, 800, public=public) if "800" in img.renditions else image_url(img, public=public)
        return markup.figure(small, srcset(img, public=public), img.alt, img.width, img.height)

    return markup.render(article.body if body is None else body, figure)


def open_image(name: str):
    return default_storage.open(name, "rb")
