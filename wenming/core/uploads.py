"""Safe image uploads (docs/adr/0006-uploads.md): sniff by content, refuse bombs, re-encode, strip metadata.

``process_image(uploaded)`` returns a ``CleanImage`` (fresh JPEG bytes, no EXIF/GPS) or raises
``UploadRejected`` with a Chinese message. Nothing is written anywhere: the caller stores the bytes
under a server-generated name only once every file of the request has passed.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ApplicationError

MAX_BYTES = 5 * 1024 * 1024  # per photo, as uploaded
MAX_PIXELS = 40_000_000  # 40 megapixels, checked from the header before any pixel is decoded
MAX_SIDE = 2000  # long side after re-encoding
JPEG_QUALITY = 85
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}

# Pillow's own guard: warn above MAX_IMAGE_PIXELS, raise DecompressionBombError above twice that.
# We set it to our limit and also turn the warning into an error, so nothing above 40 MP is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class UploadRejected(ApplicationError):
    """An uploaded file was refused; ``message`` says why, in Chinese."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int
    sha256: str
    original_name: str


def _label(name: str) -> str:
    name = (name or "").replace("\n", " ")[:60]
    return f"“{name}”" if name else "该文件"


def process_image(uploaded: Any, *, max_bytes: int = MAX_BYTES) -> CleanImage:
    """Check one uploaded file and return it re-encoded as JPEG (≤ MAX_SIDE px, no metadata)."""
    name = getattr(uploaded, "name", "") or ""
    label = _label(name)
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(f"{label}超过 {max_bytes // (1024 * 1024)} MB，请压缩后再上传")
    uploaded.seek(0)
    raw = uploaded.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise UploadRejected(f"{label}超过 {max_bytes // (1024 * 1024)} MB，请压缩后再上传")
    if not raw:
        raise UploadRejected(f"{label}是空文件")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # 1. Identify by content (header only; no pixels yet).
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise UploadRejected(f"{label}不是 JPG、PNG 或 WebP 图片")
            # 2. Size from the header, before decoding: refuse image bombs without allocating.
            if width * height > MAX_PIXELS:
                raise UploadRejected(f"{label}像素过大（超过 4000 万像素），请缩小后再上传")
            # 3. Structural check of the whole file.
            with Image.open(io.BytesIO(raw)) as check:
                check.verify()
            # 4. Decode (verify() leaves the object unusable), apply orientation, re-encode.
            with Image.open(io.BytesIO(raw)) as im:
                im.load()
                im = ImageOps.exif_transpose(im)
                if im.mode not in ("RGB", "L"):
                    background = Image.new("RGB", im.size, (255, 255, 255))
                    rgba = im.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    im = background
                elif im.mode == "L":
                    im = im.convert("RGB")
                im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif=, no icc_profile=: the new file carries no metadata (EXIF, GPS, XMP).
                im.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                content = out.getvalue()
                final_w, final_h = im.size
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(f"{label}像素过大（超过 4000 万像素），请缩小后再上传") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRejected(f"{label}不是有效的 JPG、PNG 或 WebP 图片") from exc
    return CleanImage(
        content=content,
        width=final_w,
        height=final_h,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name[:100],
    )


def process_images(files: list[Any], *, max_files: int = 20, max_bytes: int = MAX_BYTES) -> list[CleanImage]:
    """All or nothing: every file must pass before any is returned."""
    if len(files) > max_files:
        raise UploadRejected(f"一次最多上传 {max_files} 张照片")
    return [process_image(f, max_bytes=max_bytes) for f in files]
