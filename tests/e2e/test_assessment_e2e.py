"""Browser journey of issue 15's done-when: the province opens the city ranking, drills into Dalian's
score on one indicator down to the records behind it, downloads the annual report as Word and PDF and
opens both back, looks at the big screen at 1920×1080; Dalian's dashboard and screen data show only Dalian."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shot_dir(tmp_path) -> Path:
    """Where the screenshots go: ``WENMING_SHOTS`` to keep them for a look, else the test's temp dir."""
    d = os.environ.get("WENMING_SHOTS")
    return Path(d) if d else tmp_path


def _coverage(org, n: int, year: int) -> None:
    from wenming.publicity.models import MediaCoverage

    for i in range(n):
        MediaCoverage.objects.create(
            organization=org,
            title=f"{org.name}快递小哥志愿服务进社区报道{i + 1}",
            outlet_name="辽宁日报",
            medium="newspaper",
            published_on=date(year, 3, 1 + i),
        )


def _ranked_year(personas, org_tree, year: int):
    from wenming.assessment import services
    from wenming.assessment.metrics import Period

    _coverage(org_tree.dalian, 3, year)
    _coverage(org_tree.shenyang, 5, year)
    s = services.scheme_create(
        by=personas.province_admin,
        year=year,
        name=f"{year}年度城市考核方案",
        indicators=[{"metric_key": "media_coverage", "weight": D(100), "rule": "linear"}],
    )
    services.scheme_publish(scheme_id=s.pk, by=personas.province_admin)
    services.refresh_snapshots(Period.year(year), keys=["media_coverage"])


def _report(page, live_server, fmt: str, year: int, tmp_path):
    page.goto(live_server.url + reverse("reports:index"))
    page.get_by_label("统计期").fill(str(year))
    page.get_by_label("格式").select_option(fmt)
    page.get_by_role("button", name="生成", exact=True).click()
    page.wait_for_load_state("load")
    link = page.get_by_role("link", name=re.compile("下载"))
    link.wait_for(timeout=60000)  # built in the background; the status page refreshes itself
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(f".{fmt}")
    target = tmp_path / f"report.{fmt}"
    info.value.save_as(target)
    return target


def test_ranking_report_screen_and_city_scope(page, browser, live_server, personas, org_tree, tmp_path):
    year = timezone.localdate().year
    _ranked_year(personas, org_tree, year)
    url = live_server.url
    shots = _shot_dir(tmp_path)

    # --- the province: the ranking, then Dalian's media-coverage score down to its records ----------
    login(page, live_server, "p_admin")
    page.goto(url + reverse("assessment:ranking") + f"?year={year}")
    table = page.locator("table.data")
    assert "沈阳市邮政管理局" in table.inner_text()
    dalian_row = table.locator("tr", has_text="大连市邮政管理局")
    dalian_row.locator("td.num a").first.click()
    page.wait_for_load_state("load")
    assert "大连市邮政管理局 · 媒体报道数" in page.locator("h1").inner_text()
    page.get_by_role("link", name="查看原始记录").click()
    page.wait_for_load_state("load")
    body = page.locator("main").inner_text()
    assert "大连市邮政管理局快递小哥志愿服务进社区报道1" in body
    assert "沈阳市邮政管理局快递小哥" not in body  # the records behind Dalian's number only

    # --- the annual report, Word and PDF, opened back --------------------------------------------
    from docx import Document

    docx_path = _report(page, live_server, "docx", year, tmp_path)
    doc = Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "邮政行业精神文明建设" in text
    assert len(doc.inline_shapes) >= 1  # a chart drawn into the document

    pdf_path = _report(page, live_server, "pdf", year, tmp_path)
    pdf_text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    assert "邮政行业精神文明建设" in pdf_text.replace("\n", "")

    # --- the big screen at 1920×1080: the map of the 14 cities is drawn -------------------------
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    try:
        big = ctx.new_page()
        login(big, live_server, "p_admin")
        big.goto(url + reverse("dashboards:screen"))
        big.wait_for_function(
            "() => { const el = document.querySelector('[data-chart=chart-map-spec]');"
            " return !!el && !!el.querySelector('canvas') && !!window.echarts.getMap('liaoning'); }",
            timeout=20000,
        )
        big.wait_for_timeout(1500)  # let the map's animation settle before the picture
        big.screenshot(path=str(shots / "screen-1920.png"))
        overflow = big.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        assert overflow[0] <= 1920 and overflow[1] <= 1080, overflow  # the wall shows it all, no scrolling
        names = big.evaluate(
            "() => { const c = window.echarts && window.echarts.getMap && window.echarts.getMap('liaoning');"
            " return c ? (c.geoJSON || c.geoJson).features.map(f => f.properties.name) : []; }"
        )
        assert len(names) == 14 and "大连市" in names and "沈阳市" in names
        assert "数据截至" in big.locator("body").inner_text()
        ranking = big.locator("section[aria-label=考核排名]").inner_text()
        assert "1. 沈阳市邮政管理局" in ranking and "2. 大连市邮政管理局" in ranking
    finally:
        ctx.close()

    # --- /dashboards/ at desk and phone widths, for the province and for Dalian ---------------------
    for who in ("p_admin", "dl_admin"):
        for width, height in ((1440, 900), (390, 844)):
            c = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
            try:
                d = c.new_page()
                login(d, live_server, who)
                d.goto(url + reverse("dashboards:index"))
                d.wait_for_selector("[data-chart=chart-ranking-spec] canvas", timeout=20000)
                d.screenshot(path=str(shots / f"dashboard-{who}-{width}.png"), full_page=True)
                scroll = d.evaluate("() => document.documentElement.scrollWidth")
                assert scroll <= width, (who, width, scroll)  # nothing pushes the page sideways
            finally:
                c.close()

    # --- Dalian: its dashboard and its screen data show only Dalian ------------------------------
    dl = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    try:
        p = dl.new_page()
        login(p, live_server, "dl_admin")
        p.goto(url + reverse("dashboards:index"))
        main = p.locator("main").inner_text()
        assert "沈阳" not in main
        assert "大连市邮政管理局" in p.locator("section[aria-label=考核排名]").inner_text()  # its own rank only
        resp = p.request.get(url + reverse("dashboards:screen-data"))
        if resp.status == 200:
            payload = json.dumps(resp.json(), ensure_ascii=False)
            assert "沈阳" not in payload
            others = ("鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "铁岭", "朝阳", "盘锦", "葫芦岛")
            assert not [n for n in others if n in payload]
        else:
            assert resp.status in (403, 404)
    finally:
        dl.close()
