"""Government-site conventions: footer items and <meta> tags shown when configured, absent when not."""

from __future__ import annotations

import re

import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

FULL = {
    "name": "辽宁邮政行业精神文明建设管理平台",
    "domain": "wenming.lnpost.gov.cn",
    "description": "辽宁省邮政管理局精神文明建设管理平台",
    "sponsor": "辽宁省邮政管理局",
    "icp": "辽ICP备05012345号-1",
    "psb": "辽公网安备 21010202000123号",
    "id_code": "2100000041",
    "gov_mark_url": "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF",
    "gov_mark_image": "img/gov-mark.png",
}
EMPTY = {k: "" for k in FULL} | {"name": "辽宁邮政行业精神文明建设管理平台"}

PUBLIC_PAGES = ["/accounts/login/", "/p/volunteer/certificates/NO-SUCH/0000/", "/p/volunteer/e/not-a-token/"]


def _meta(page: str, name: str) -> str | None:
    m = re.search(rf'<meta name="{name}" content="([^"]*)">', page)
    return m.group(1) if m else None


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_configured_identity_renders_in_footer_and_meta(client, settings, url):
    settings.WENMING_SITE = FULL
    page = client.get(url).content.decode()
    assert _meta(page, "SiteName") == "辽宁邮政行业精神文明建设管理平台"
    assert _meta(page, "SiteDomain") == "wenming.lnpost.gov.cn"
    assert _meta(page, "SiteIDCode") == "2100000041"
    assert _meta(page, "description") == "辽宁省邮政管理局精神文明建设管理平台"
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    assert "主办单位：辽宁省邮政管理局" in page
    assert (
        '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">辽ICP备05012345号-1</a>' in page
    )
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=21010202000123"' in page
    assert "辽公网安备 21010202000123号</a>" in page
    assert "网站标识码：2100000041" in page
    assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=0123456789ABCDEF"' in page
    assert f'<img src="{static("img/gov-mark.png")}" alt="党政机关"' in page


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_unset_items_are_absent(client, settings, url):
    settings.WENMING_SITE = EMPTY
    page = client.get(url).content.decode()
    assert _meta(page, "SiteName") == "辽宁邮政行业精神文明建设管理平台"
    for name in ("SiteDomain", "SiteIDCode", "description"):
        assert _meta(page, name) is None
    for text in (
        "主办单位",
        "beian.miit.gov.cn",
        "beian.mps.gov.cn",
        "公网安备",
        "网站标识码",
        "党政机关",
        "site-filings",
    ):
        assert text not in page
    assert static("favicon.svg") in page  # the icon is always there


def test_partly_configured_shows_only_what_is_set(client, settings):
    settings.WENMING_SITE = EMPTY | {"sponsor": "辽宁省邮政管理局", "icp": "辽ICP备05012345号-1"}
    page = client.get("/accounts/login/").content.decode()
    assert "主办单位：辽宁省邮政管理局" in page and "辽ICP备05012345号-1" in page
    assert "公网安备" not in page and "网站标识码" not in page and "gov-mark" not in page


def test_staff_pages_carry_the_favicon_and_the_icon_exists(client, personas):
    client.force_login(personas.province_admin)
    page = client.get("/workbench/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}"' in page
    from django.contrib.staticfiles import finders

    svg = open(finders.find("favicon.svg"), encoding="utf-8").read()
    assert svg.startswith("<svg") and "viewBox" in svg
