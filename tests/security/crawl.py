"""Signed-in crawl over every staff URL (PR1 masking, PR11 no-store): bodies decoded, exports unpacked."""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.test import Client

from .urlwalk import CRAWL_SKIP_NAMES, concrete_urls, staff_endpoints

# Export links a page offers (``?export=csv`` / ``&amp;export=xlsx`` …), followed as rendered.
EXPORT_LINK = re.compile(r"""href=["']([^"']*[?&](?:amp;)?export=(?:csv|xlsx)[^"']*)["']""")


@dataclass
class Page:
    """One response of the crawl, reduced to what the checks need."""

    url: str
    status: int
    content_type: str
    cache_control: str
    text: str


def _pdf_text(raw: bytes) -> str:
    parts = [raw.decode("latin-1")]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def body_text(resp) -> str:
    """Everything a user could read from the response, whatever its type."""
    raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
    ctype = resp.headers.get("Content-Type", "")
    if raw[:2] == b"PK":  # xlsx / docx / zip: read every member
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        except zipfile.BadZipFile:
            pass
    if raw[:5] == b"%PDF-" or "pdf" in ctype:
        return _pdf_text(raw)
    return raw.decode("utf-8-sig", "replace")


def fetch(client: Client, url: str) -> Page:
    resp = client.get(url)
    return Page(
        url=url,
        status=resp.status_code,
        content_type=resp.headers.get("Content-Type", ""),
        cache_control=resp.headers.get("Cache-Control", ""),
        text=body_text(resp),
    )


def export_links(page: Page) -> list[str]:
    """The export links of a page as rendered, plus the plain ``?export=csv|xlsx`` forms of its URL."""
    if page.status != 200 or "html" not in page.content_type or "export=" not in page.text:
        return []
    base = page.url.split("?")[0]
    out = []
    for href in EXPORT_LINK.findall(page.text):
        href = html.unescape(href)
        if href.startswith("?"):
            href = base + href
        if href.startswith("/"):
            out.append(href)
    out += [f"{base}?export=csv", f"{base}?export=xlsx"]
    return list(dict.fromkeys(out))


def crawl(client: Client, skip_names: Iterable[str] = ()) -> list[Page]:
    """GET every staff URL the walker can build and follow every export link the pages offer.

    A pattern whose first URL answers 405 is POST-only: its other URLs are not fetched.
    """
    skip = CRAWL_SKIP_NAMES | set(skip_names)
    pages: list[Page] = []
    for ep in staff_endpoints():
        if ep.name in skip:
            continue
        for url in concrete_urls(ep):
            page = fetch(client, url)
            pages.append(page)
            if page.status == 405:
                break
            for link in export_links(page):
                pages.append(fetch(client, link))
    return pages


def crawl_client() -> Client:
    """A client that turns view exceptions into 500 responses (recorded as findings, not crashes)."""
    return Client(raise_request_exception=False)
