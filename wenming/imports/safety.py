"""Upload safety checks on the raw bytes, run BEFORE any spreadsheet parser sees the file (IN9).

An .xlsx is a zip of XML parts. We refuse, with a Chinese message and a ``stage`` for the record:
files over the size limit; anything that is not a zip with the two parts every workbook has; too many
entries; too much data once unpacked; entries packed more than 100:1 (zip bombs); encrypted entries;
XML parts that declare a DTD or entities (billion laughs, external entities) or use an encoding other
than UTF-8 (which could hide such declarations). Only ``zipfile`` reads the file here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

ZIP_MAGIC = b"PK\x03\x04"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
XML_SUFFIXES = (".xml", ".rels", ".vml")
MAX_RATIO = 100  # uncompressed : compressed, per entry
RATIO_GRACE_BYTES = 100 * 1024  # tiny parts may compress well without being dangerous
_CHUNK = 64 * 1024
_FORBIDDEN = (b"<!doctype", b"<!entity")


class UnsafeUpload(Exception):
    """The upload was refused before parsing; ``message`` is Chinese, ``stage`` names the check."""

    def __init__(self, message: str, stage: str) -> None:
        super().__init__(message)
        self.message = message
        self.stage = stage


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_entries: int
    max_uncompressed: int
    max_ratio: int = MAX_RATIO

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.WENMING_IMPORT_MAX_BYTES,
            max_entries=settings.WENMING_IMPORT_MAX_ENTRIES,
            max_uncompressed=settings.WENMING_IMPORT_MAX_UNCOMPRESSED,
            max_ratio=getattr(settings, "WENMING_IMPORT_MAX_RATIO", MAX_RATIO),
        )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def check_upload(data: bytes, limits: Limits | None = None) -> None:
    """Raise ``UnsafeUpload`` unless ``data`` is a well-formed, bounded .xlsx package."""
    lim = limits or Limits.from_settings()
    if not data:
        raise UnsafeUpload("上传的文件是空的", "size")
    if len(data) > lim.max_bytes:
        raise UnsafeUpload(f"文件超过 {_mb(lim.max_bytes)}，请拆分后分批导入", "size")
    if not data.startswith(ZIP_MAGIC):
        raise UnsafeUpload("文件不是有效的 Excel（.xlsx）文件，请用模板填写后上传", "magic")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnsafeUpload("文件已损坏或不是有效的 Excel（.xlsx）文件", "zip")
    with zf:
        if len(infos) > lim.max_entries:
            raise UnsafeUpload(f"文件结构异常：包含的部件超过 {lim.max_entries} 个，已拒收", "entries")
        names = {i.filename for i in infos}
        if len(names) != len(infos):
            raise UnsafeUpload("文件结构异常：包含重复的部件，已拒收", "entries")
        if any(part not in names for part in REQUIRED_PARTS):
            raise UnsafeUpload("文件不是有效的 Excel（.xlsx）工作簿，请用模板填写后上传", "structure")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise UnsafeUpload("文件已加密，请取消密码保护后再上传", "encrypted")
            total += info.file_size
            if total > lim.max_uncompressed:
                raise UnsafeUpload(f"文件解压后超过 {_mb(lim.max_uncompressed)}，疑似压缩炸弹，已拒收", "uncompressed")
            if info.file_size > RATIO_GRACE_BYTES and info.file_size > lim.max_ratio * max(info.compress_size, 1):
                raise UnsafeUpload(f"文件压缩比超过 {lim.max_ratio}:1，疑似压缩炸弹，已拒收", "ratio")
        actual_total = 0
        for info in infos:
            actual_total += _scan_entry(zf, info, lim, actual_total)


def _scan_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: Limits, so_far: int) -> int:
    """Decompress one entry in chunks, counting real bytes; XML parts are searched for DTD/ENTITY."""
    is_xml = info.filename.lower().endswith(XML_SUFFIXES)
    seen = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                if seen == 0 and is_xml and _not_utf8(chunk):
                    raise UnsafeUpload("文件中的 XML 部件编码不受支持，已拒收", "encoding")
                seen += len(chunk)
                if seen > info.file_size or so_far + seen > lim.max_uncompressed:
                    raise UnsafeUpload("文件解压后的大小与声明不符，疑似压缩炸弹，已拒收", "uncompressed")
                if seen > RATIO_GRACE_BYTES and seen > lim.max_ratio * max(info.compress_size, 1):
                    raise UnsafeUpload(f"文件压缩比超过 {lim.max_ratio}:1，疑似压缩炸弹，已拒收", "ratio")
                if is_xml:
                    window = (tail + chunk).lower()
                    if any(token in window for token in _FORBIDDEN):
                        raise UnsafeUpload("文件包含不允许的 XML 声明（DTD/实体），已拒收", "dtd")
                    tail = window[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise UnsafeUpload("文件已损坏或不是有效的 Excel（.xlsx）文件", "zip")
    return seen


def _not_utf8(first: bytes) -> bool:
    """UTF-16/32 XML (a BOM or NUL bytes up front) could spell <!DOCTYPE without matching our bytes."""
    return first.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in first[:64]
