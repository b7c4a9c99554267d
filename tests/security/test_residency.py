"""PR12 data residency: no template, static file or setting loads anything from a foreign host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
URL = re.compile(r"""(?:https?:)?//([A-Za-z0-9.-]+\.[A-Za-z]{2,}|localhost|127\.0\.0\.1)(?::\d+)?[^\s"'<>)]*""")
EXPLICIT_URL = re.compile(r"""https?://[^\s"'<>)\\]+""")
ALLOWED_HOSTS = ("beian.miit.gov.cn", "beian.mps.gov.cn", "localhost", "127.0.0.1", "testserver")
ALLOWED_SUFFIXES = (".gov.cn",)  # government badges and filing links
# XML/SVG namespaces and schema identifiers: names, never fetched.
NAMESPACE_HOSTS = (
    "www.w3.org",
    "www.sitemaps.org",
    "schemas.openxmlformats.org",
    "purl.org",
    "schemas.microsoft.com",
    "ns.adobe.com",
)
SCANNED_SUFFIXES = {".html", ".txt", ".css", ".js", ".svg", ".json", ".xml", ".py", ".webmanifest"}
KNOWN_BAD = ("googleapis", "gstatic", "google-analytics", "googletagmanager", "cdnjs", "jsdelivr", "unpkg", "bootcdn")


def _allowed(host: str) -> bool:
    host = host.lower()
    return host in ALLOWED_HOSTS or host in NAMESPACE_HOSTS or host.endswith(ALLOWED_SUFFIXES)


def _files() -> list[Path]:
    roots = [
        ROOT / "templates",
        ROOT / "static",
        *(p for p in (ROOT / "wenming").glob("*/templates")),
        *(p for p in (ROOT / "wenming").glob("*/static")),
    ]
    out = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file() or path.suffix.lower() not in SCANNED_SUFFIXES:
                continue
            rel = path.relative_to(ROOT).as_posix()
            if "/vendor/" in f"/{rel}" and path.stem.upper() in ("LICENSE", "README", "NOTICE", "COPYING"):
                continue  # licence texts name their authors' sites; they are not loaded by a page
            out.append(path)
    return out


def _foreign(text: str) -> list[str]:
    hits = []
    for m in EXPLICIT_URL.finditer(text):
        host = urlparse(m.group(0)).hostname or ""
        if not _allowed(host):
            hits.append(m.group(0)[:80])
    for m in re.finditer(r"""(?:src|href|url)\s*[=(]\s*["']?(//[^\s"'<>)]+)""", text):
        host = urlparse("https:" + m.group(1)).hostname or ""
        if not _allowed(host):
            hits.append(m.group(1)[:80])
    hits += [bad for bad in KNOWN_BAD if bad in text.lower()]
    return hits


def test_scanner_catches_cdns_and_fonts():
    assert _foreign('<link href="https://fonts.googleapis.com/css?family=Noto">')
    assert _foreign('<script src="//cdn.jsdelivr.net/npm/htmx.org"></script>')
    assert _foreign("@import url(//at.alicdn.com/t/font.css);")
    assert not _foreign('<a href="https://beian.miit.gov.cn/">辽ICP备</a><svg xmlns="http://www.w3.org/2000/svg">')


def test_templates_and_static_files_stay_on_our_hosts():
    files = _files()
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".css" for p in files)
    found = [f"{p.relative_to(ROOT)}: {hit}" for p in files for hit in _foreign(_readable(p))]
    assert not found, "\n".join(found)


# A vendored script's block comments (its licence header, /*! … */) name sites; a browser never fetches them.
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _readable(path: Path) -> str:
    text = path.read_text("utf-8", "replace")
    if "/vendor/" in f"/{path.relative_to(ROOT).as_posix()}" and path.suffix == ".js":
        text = BLOCK_COMMENT.sub("", text)
    return text


def test_a_vendored_scripts_code_is_still_scanned():
    assert _foreign("/*! https://github.com/x/LICENSE */" + 'fetch("https://cdn.example.com/a.js")')
    assert not _foreign(BLOCK_COMMENT.sub("", "/*!\n * LICENSE\n * https://github.com/x/LICENSE.txt\n */ var a=1;"))


def test_settings_name_no_foreign_endpoints():
    found = []
    for path in sorted((ROOT / "config").rglob("*.py")):
        found += [f"{path.relative_to(ROOT)}: {hit}" for hit in _foreign(path.read_text("utf-8"))]
    for name in dir(settings):
        if name.isupper():
            value = repr(getattr(settings, name))
            found += [f"settings.{name}: {hit}" for hit in _foreign(value)]
    assert not found, "\n".join(found)
