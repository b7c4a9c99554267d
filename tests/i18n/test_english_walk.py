"""With English chosen, no page shows an untranslated interface string (issue 10 #6).

The walk signs in as a few personas and GETs every staff URL the URL walker can build (the same walker
as the masking crawl), then the public pages (volunteer check-in, certificate check), all with the
language cookie set to English. A page fails on any CJK character in its interface.

What counts as *content* (allowed to stay Chinese) is decided by the data, not by markup: every text
value stored in the test database (each text column of each row, the strings inside its JSON columns,
and each row's ``str()``) is content,
and so are the place names of the GB/T 2260 division table (proper names, reference data) and masked
personal names (``张*国``: a stored name with its middle hidden); every occurrence is cut out of the
page before the check. What is left was produced by code — templates, forms, model labels, choices,
messages — and must be English. Also left out: the names of the languages on the language switch
(``中文`` is written in its own language on purpose), the brand mark (the character 文 drawn as the
logo, ``aria-hidden``), the text of a ``<textarea>`` (a field's value: what was typed or stored), elements the page
declares Chinese with ``lang="zh…"`` (the example of the holiday notice, which is written in the
State Council notice's own Chinese syntax that the parser reads), ``<style>``, ``<script>`` and comments, and downloads (exports keep Chinese
headers: they are documents, not pages).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from tests.security.conftest import pii_world  # noqa: F401  (fixture)
from tests.security.crawl import crawl, crawl_client, fetch
from wenming.organizations import divisions

PERSONAS = ["province_admin", "shenyang_enterprise", "expert", "auditor"]
# Chinese characters; full-width punctuation next to content (“张*国（网点）”) is not checked.
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A language is named in its own language on the switch.
LANGUAGE_NAMES = ("简体中文", "中文")
MASKED_NAME = re.compile(r"[\u4e00-\u9fff]\*+[\u4e00-\u9fff]{0,3}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a user reads (or hears from a screen reader).
READ_ATTRS = {"placeholder", "title", "aria-label", "alt", "data-label", "data-confirm", "aria-description"}


class _Interface(HTMLParser):
    """The readable text of a page: text nodes outside script/style plus the read attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in VOID:
            pass
        elif self._skip:
            self._skip += 1
            return
        elif (
            tag in ("script", "style", "textarea")
            or (a.get("lang") or "").startswith("zh")
            or "brand-mark" in (a.get("class") or "").split()
        ):
            self._skip = 1
            return
        if self._skip:
            return
        for name, value in attrs:
            if value and (name in READ_ATTRS or (name == "value" and a.get("type") in ("submit", "button"))):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if self._skip and tag not in VOID:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def stored_texts() -> list[str]:
    """Every Chinese text the database holds (the content of the pages), longest first."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        blobs = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for obj in model._default_manager.all().iterator():
            values = [getattr(obj, name) for name in fields]
            for name in blobs:
                values += list(_strings(getattr(obj, name)))
            try:
                values.append(str(obj))
            except Exception:  # a __str__ that needs a relation the row lacks: its fields still count
                pass
            for value in values:
                if isinstance(value, str) and CJK.search(value):
                    texts.add(value.strip())
                    texts.update(line.strip() for line in value.splitlines() if line.strip())
    texts.update(d.name for d in divisions._all().values())
    return sorted(texts, key=len, reverse=True)


def untranslated(html: str, content: list[str]) -> list[str]:
    parser = _Interface()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for text in content:
            if text in part:
                part = part.replace(text, " ")
        part = MASKED_NAME.sub(" ", part).strip()
        if part in LANGUAGE_NAMES or not CJK.search(part):
            continue
        found.append(" ".join(part.split())[:80])
    return found


def findings(pages, content) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for page in pages:
        if "text/html" not in page.content_type:
            continue
        for text in untranslated(page.text, content):
            out.setdefault(text, set()).add(page.url)
    return out


def _report(out: dict[str, set[str]]) -> list[str]:
    return sorted(f"{text!r} on {len(urls)} page(s), e.g. {min(urls)}" for text, urls in out.items())


@pytest.fixture
def english():
    yield
    translation.deactivate()


def test_parser_separates_content_from_interface():
    html = (
        '<span class="brand-mark" aria-hidden="true">文</span><p title="提示">辽宁省 <b>Saved</b></p>'
        '<script>var a="脚本";</script><button>中文</button><td>张*国</td><td>Hours：2</td>'
        '<pre lang="zh-CN">元旦 2027-01-01 至 2027-01-03</pre><textarea>草稿</textarea><p>Saved<br>未译</p>'
    )
    assert untranslated(html, ["辽宁省"]) == ["提示", "未译"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_staff_page_is_english(persona, personas, pii_world, english):  # noqa: F811
    client = crawl_client()
    client.force_login(getattr(personas, persona))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = crawl(client)
    assert len(pages) > 50
    report = _report(findings(pages, stored_texts()))
    assert report == [], "\n".join(report)


def test_public_pages_are_english(pii_world, english):  # noqa: F811
    from wenming.activities import services

    client = crawl_client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cert = pii_world.certificate
    urls = [
        reverse("accounts:login"),
        reverse("public:volunteer-scan", args=[services.volunteer_token_make(pii_world.event, "in")]),
        reverse("public:volunteer-scan", args=[services.volunteer_token_make(pii_world.event, "out")]),
        reverse("public:volunteer-scan", args=["not-a-token"]),
        reverse("public:volunteer-certificate", args=[cert.serial, cert.check_code]),
        reverse("public:certificates-verify", args=[cert.serial, cert.check_code]),
        reverse("public:volunteer-certificate", args=[cert.serial, "0000000000"]),
    ]
    pages = [fetch(client, url) for url in urls]
    assert all(p.status < 500 for p in pages)
    assert _report(findings(pages, stored_texts())) == []
