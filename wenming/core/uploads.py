"""The one upload path (docs/adr/0006-uploads.md): every uploaded file enters the system through here.

A caller names the **kinds** a field accepts (``IMAGE``, ``DOCUMENT``, ``SPREADSHEET``, ``ARCHIVE``);
``check_file`` then refuses, with a Chinese message that names the file, anything that is empty, too
large, of a type the kinds do not allow, or whose **content** (magic bytes) does not match its extension
(an SVG, HTML page or .exe renamed ``.pdf``/``.docx``/``.jpg``). Images are decoded, bounded and
re-encoded as JPEG without EXIF/GPS (``process_image``); Office files and archives are zips and pass the
bomb checks (entry count, total uncompressed size, ratio per entry, real bytes counted while
decompressing; Office XML parts may not declare a DTD or entities). Nothing is written while checking:
``save`` stores an accepted file through Django's storage API (``default_storage``: the file system by
default, S3-compatible storage in production, docs/deploy.md) under a server-generated name.

A refusal inside a transaction also deletes the files that transaction already stored, because the
refusal rolls it back: a refused upload leaves no row and no file. Do not catch ``UploadRejected``
inside the transaction and carry on.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ApplicationError

# --- kinds ------------------------------------------------------------------------------------
IMAGE = "image"
DOCUMENT = "document"
SPREADSHEET = "spreadsheet"
ARCHIVE = "archive"

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # for "请上传……"
    extensions: frozenset[str]
    max_bytes: int


KINDS: dict[str, Kind] = {
    IMAGE: Kind(IMAGE, "图片", frozenset({".jpg", ".jpeg", ".png", ".webp"}), 5 * MB),
    DOCUMENT: Kind(
        DOCUMENT,
        "PDF、Word、WPS、OFD 或文本文件",
        frozenset({".pdf", ".doc", ".docx", ".wps", ".ofd", ".txt"}),
        20 * MB,
    ),
    SPREADSHEET: Kind(SPREADSHEET, "Excel 表格", frozenset({".xls", ".xlsx"}), 10 * MB),
    ARCHIVE: Kind(ARCHIVE, "ZIP 压缩包", frozenset({".zip"}), 20 * MB),
}

# What the bytes of each extension must start with (content sniffing; the extension alone proves nothing).
PDF, OLE, ZIP, JPEG, PNG, WEBP, TEXT = "pdf", "ole", "zip", "jpeg", "png", "webp", "text"
EXPECTED = {
    ".pdf": PDF,
    ".doc": OLE,
    ".xls": OLE,
    ".wps": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".ofd": ZIP,
    ".zip": ZIP,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".txt": TEXT,
}
# Parts every package of that extension has (a renamed plain zip is not a Word file).
REQUIRED_PARTS = {
    ".docx": ("[Content_Types].xml", "word/document.xml"),
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    ".ofd": ("OFD.xml",),
}
OFFICE_NAMES = {".docx": "Word（.docx）文件", ".xlsx": "Excel（.xlsx）文件", ".ofd": "OFD 文件", ".zip": "ZIP 压缩包"}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".wps": "application/vnd.ms-works",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
    ".zip": "application/zip",
    ".jpg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
}
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<?php", b"<body", b"<iframe")


class UploadRejected(ApplicationError):
    """An uploaded file was refused; ``message`` says why, in Chinese; ``stage`` names the check."""

    def __init__(self, message: str, *, field: str | None = None, stage: str = "") -> None:
        super().__init__(message, field=field, code="upload_rejected")
        self.stage = stage
        _discard_pending()


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int
    sha256: str
    original_name: str


@dataclass(frozen=True)
class CleanFile:
    """An accepted file: the bytes to store (re-encoded for images) and what we know about them."""

    content: bytes
    original_name: str  # the client's base name, for labels only
    extension: str  # canonical, from the content (".jpg" for every image)
    kind: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _label(name: str) -> str:
    name = (name or "").replace("\n", " ")[:60]
    return f"“{name}”" if name else "该文件"


def _mb(n: int) -> str:
    return f"{n / MB:g} MB"


def sniff(data: bytes) -> str | None:
    """The type the bytes really are (one of PDF, OLE, ZIP, JPEG, PNG, WEBP, TEXT), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZIP
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if _is_plain_text(data):
        return TEXT
    return None


def _is_plain_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    low = text.lstrip("\ufeff \t\r\n").lower().encode()
    return not any(tag in low for tag in _MARKUP)  # HTML/SVG/XML renamed .txt is not plain text


def _read(uploaded: Any, max_bytes: int, label: str, field: str | None) -> bytes:
    size = getattr(uploaded, "size", None)
    too_big = f"{label}超过 {_mb(max_bytes)}，请压缩或拆分后再上传"
    if size is not None and size > max_bytes:
        raise UploadRejected(too_big, field=field, stage="size")
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    raw = uploaded.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise UploadRejected(too_big, field=field, stage="size")
    if not raw:
        raise UploadRejected(f"{label}是空文件", field=field, stage="size")
    return raw


def check_file(
    uploaded: Any, *, kinds: Iterable[str], max_bytes: int | None = None, field: str | None = None
) -> CleanFile:
    """Check one uploaded file against the kinds a field accepts; return what to store, or raise."""
    wanted = [KINDS[k] for k in kinds]
    name = os.path.basename((getattr(uploaded, "name", "") or "").replace("\\", "/"))
    label = _label(name)
    ext = os.path.splitext(name)[1].lower()
    kind = next((k for k in wanted if ext in k.extensions), None)
    if kind is None:
        allowed = "、".join(str(k.label) for k in wanted)
        raise UploadRejected(f"{label}的类型不受支持，请上传{allowed}", field=field, stage="type")
    cap = min(max_bytes, kind.max_bytes) if max_bytes else kind.max_bytes
    raw = _read(uploaded, cap, label, field)
    if kind.name == IMAGE:
        try:
            img = process_image(uploaded, max_bytes=cap)
        except UploadRejected as exc:
            exc.field = field
            raise
        return CleanFile(img.content, name[:200], ".jpg", IMAGE, "image/jpeg", img.sha256)
    if sniff(raw) != EXPECTED[ext]:
        raise UploadRejected(
            f"{label}的内容与扩展名不符（可能是改了扩展名的其他文件），已拒收", field=field, stage="magic"
        )
    if EXPECTED[ext] == ZIP:
        inspect_zip(
            raw,
            limits=ZipLimits.from_settings(max_bytes=cap),
            required=REQUIRED_PARTS.get(ext, ()),
            scan_xml=ext != ".zip",
            what=OFFICE_NAMES[ext],
            label=label,
            field=field,
        )
    return CleanFile(raw, name[:200], ext, kind.name, CONTENT_TYPES[ext], hashlib.sha256(raw).hexdigest())


def check_files(
    files: Sequence[Any],
    *,
    kinds: Iterable[str],
    max_files: int = 20,
    max_bytes: int | None = None,
    field: str | None = None,
) -> list[CleanFile]:
    """All or nothing: every file must pass before any is returned."""
    kinds = list(kinds)
    if len(files) > max_files:
        raise UploadRejected(f"一次最多上传 {max_files} 个文件", field=field, stage="count")
    return [check_file(f, kinds=kinds, max_bytes=max_bytes, field=field) for f in files]


# --- images -----------------------------------------------------------------------------------
MAX_BYTES = 5 * MB  # per photo, as uploaded
MAX_PIXELS = 40_000_000  # 40 megapixels, checked from the header before any pixel is decoded
MAX_SIDE = 2000  # long side after re-encoding
JPEG_QUALITY = 85
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}

# Pillow's own guard: warn above MAX_IMAGE_PIXELS, raise DecompressionBombError above twice that.
# We set it to our limit and also turn the warning into an error, so nothing above 40 MP is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def process_image(uploaded: Any, *, max_bytes: int = MAX_BYTES) -> CleanImage:
    """Check one uploaded file and return it re-encoded as JPEG (≤ MAX_SIDE px, no metadata)."""
    name = getattr(uploaded, "name", "") or ""
    label = _label(name)
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise UploadRejected(f"{label}超过 {max_bytes // MB} MB，请压缩后再上传", stage="size")
    uploaded.seek(0)
    raw = uploaded.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise UploadRejected(f"{label}超过 {max_bytes // MB} MB，请压缩后再上传", stage="size")
    if not raw:
        raise UploadRejected(f"{label}是空文件", stage="size")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # 1. Identify by content (header only; no pixels yet).
            with Image.open(io.BytesIO(raw)) as probe:
                fmt = probe.format
                width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise UploadRejected(f"{label}不是 JPG、PNG 或 WebP 图片", stage="magic")
            # 2. Size from the header, before decoding: refuse image bombs without allocating.
            if width * height > MAX_PIXELS:
                raise UploadRejected(f"{label}像素过大（超过 4000 万像素），请缩小后再上传", stage="pixels")
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
        raise UploadRejected(f"{label}像素过大（超过 4000 万像素），请缩小后再上传", stage="pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRejected(f"{label}不是有效的 JPG、PNG 或 WebP 图片", stage="magic") from exc
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
        raise UploadRejected(f"一次最多上传 {max_files} 张照片", stage="count")
    return [process_image(f, max_bytes=max_bytes) for f in files]


# --- zips: Office packages, OFD, archives, spreadsheet imports --------------------------------
XML_SUFFIXES = (".xml", ".rels", ".vml")
MAX_RATIO = 100  # uncompressed : compressed, per entry
RATIO_GRACE_BYTES = 100 * 1024  # tiny parts may compress well without being dangerous
_CHUNK = 64 * 1024
_FORBIDDEN = (b"<!doctype", b"<!entity")


@dataclass(frozen=True)
class ZipLimits:
    max_bytes: int
    max_entries: int
    max_uncompressed: int
    max_ratio: int = MAX_RATIO

    @classmethod
    def from_settings(cls, *, max_bytes: int | None = None) -> ZipLimits:
        return cls(
            max_bytes=max_bytes or settings.WENMING_IMPORT_MAX_BYTES,
            max_entries=settings.WENMING_IMPORT_MAX_ENTRIES,
            max_uncompressed=settings.WENMING_IMPORT_MAX_UNCOMPRESSED,
            max_ratio=getattr(settings, "WENMING_IMPORT_MAX_RATIO", MAX_RATIO),
        )


def check_spreadsheet(data: bytes, limits: ZipLimits | None = None) -> None:
    """The spreadsheet import's check on raw bytes, before any parser sees them (IN9)."""
    lim = limits or ZipLimits.from_settings()
    if not data:
        raise UploadRejected("上传的文件是空的", stage="size")
    if len(data) > lim.max_bytes:
        raise UploadRejected(f"文件超过 {_mb(lim.max_bytes)}，请拆分后分批导入", stage="size")
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRejected("文件不是有效的 Excel（.xlsx）文件，请用模板填写后上传", stage="magic")
    inspect_zip(data, limits=lim, required=REQUIRED_PARTS[".xlsx"], what="Excel（.xlsx）文件", template_hint=True)


def inspect_zip(
    data: bytes,
    *,
    limits: ZipLimits,
    required: Sequence[str] = (),
    scan_xml: bool = True,
    what: str = "ZIP 压缩包",
    label: str = "文件",
    field: str | None = None,
    template_hint: bool = False,
) -> None:
    """Refuse zip bombs and malformed packages, reading only with ``zipfile`` and never extracting.

    Too many entries; too much data once unpacked (declared sizes, then the real bytes counted while
    decompressing in chunks); entries packed more than ``max_ratio``:1; encrypted entries; duplicate
    names; missing required parts; XML parts (when ``scan_xml``) declaring a DTD or entities or using an
    encoding other than UTF-8 (which could hide such declarations).
    """

    def refuse(message: str, stage: str) -> UploadRejected:
        return UploadRejected(f"{label}{message}", field=field, stage=stage)

    broken = f"已损坏或不是有效的 {what}"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(broken, "zip")
    with zf:
        if len(infos) > limits.max_entries:
            raise refuse(f"结构异常：包含的部件超过 {limits.max_entries} 个，已拒收", "entries")
        names = {i.filename for i in infos}
        if len(names) != len(infos):
            raise refuse("结构异常：包含重复的部件，已拒收", "entries")
        if any(part not in names for part in required):
            hint = "，请用模板填写后上传" if template_hint else "，已拒收"
            raise refuse(f"不是有效的 {what}{hint}", "structure")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise refuse("已加密，请取消密码保护后再上传", "encrypted")
            total += info.file_size
            if total > limits.max_uncompressed:
                raise refuse(f"解压后超过 {_mb(limits.max_uncompressed)}，疑似压缩炸弹，已拒收", "uncompressed")
            if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise refuse(f"压缩比超过 {limits.max_ratio}:1，疑似压缩炸弹，已拒收", "ratio")
        so_far = 0
        for info in infos:
            so_far += _scan_entry(zf, info, limits, so_far, scan_xml, refuse, broken)


def _scan_entry(zf, info, lim: ZipLimits, so_far: int, scan_xml: bool, refuse, broken: str) -> int:
    """Decompress one entry in chunks, counting real bytes; XML parts are searched for DTD/ENTITY."""
    is_xml = scan_xml and info.filename.lower().endswith(XML_SUFFIXES)
    seen = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                if seen == 0 and is_xml and _not_utf8(chunk):
                    raise refuse("中的 XML 部件编码不受支持，已拒收", "encoding")
                seen += len(chunk)
                if seen > info.file_size or so_far + seen > lim.max_uncompressed:
                    raise refuse("解压后的大小与声明不符，疑似压缩炸弹，已拒收", "uncompressed")
                if seen > RATIO_GRACE_BYTES and seen > lim.max_ratio * max(info.compress_size, 1):
                    raise refuse(f"压缩比超过 {lim.max_ratio}:1，疑似压缩炸弹，已拒收", "ratio")
                if is_xml:
                    window = (tail + chunk).lower()
                    if any(token in window for token in _FORBIDDEN):
                        raise refuse("包含不允许的 XML 声明（DTD/实体），已拒收", "dtd")
                    tail = window[-16:]
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise refuse(broken, "zip")
    return seen


def _not_utf8(first: bytes) -> bool:
    """UTF-16/32 XML (a BOM or NUL bytes up front) could spell <!DOCTYPE without matching our bytes."""
    return first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:64]


# --- storage ----------------------------------------------------------------------------------
_local = threading.local()


def storage_name(prefix: str, extension: str) -> str:
    """A server-generated name: ``<prefix>/YYYY/MM/<uuid4><ext>``; the client's name is never used."""
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension[:10]}"


def save(clean: CleanFile | CleanImage, *, prefix: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """Store an accepted file through ``default_storage``; return its storage name.

    Inside a transaction the name is remembered with the innermost atomic block: a refusal raised while
    that block is still open deletes the file again (``UploadRejected`` rolls the block back, so the row
    that would have pointed at the file never exists). Files of blocks that completed are kept.
    """
    ext = clean.extension if isinstance(clean, CleanFile) else ".jpg"
    name = default_storage.save(storage_name(prefix, ext), ContentFile(clean.content))
    conn = transaction.get_connection(using)
    if conn.in_atomic_block:
        pending = _open_entries(conn)
        pending.append((conn.atomic_blocks[-1], name))
        _local.pending = pending
        transaction.on_commit(_forget, using=using)
    return name


def _open_entries(conn: Any) -> list[tuple[Any, str]]:
    """Remembered files whose atomic block is still open on this connection."""
    return [(b, n) for b, n in getattr(_local, "pending", []) if any(b is x for x in conn.atomic_blocks)]


def _forget() -> None:
    _local.pending = []


def _discard_pending(using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the files stored inside the still-open blocks that a refusal is about to roll back."""
    if not getattr(_local, "pending", None):
        return
    conn = transaction.get_connection(using)
    delete_stored(n for _, n in _open_entries(conn))
    _local.pending = []


def delete_stored(names: Iterable[str]) -> None:
    """Remove stored files (a failed action cleaning up after itself)."""
    for name in names:
        if name:
            default_storage.delete(name)
