"""Browser journey of the news CMS and the public portal: ``sf_shenyang`` (an enterprise of Shenyang) drafts
two stories with a picture, ``shenyang`` (the city bureau) reviews them, ``province`` publishes one and
schedules the other; the published one is on the portal at once, the scheduled one only after its time,
when the scheduler releases it. Every public page type passes an axe-core scan (WCAG 2.1 AA: no serious or
critical violation), at desktop and phone widths and in 大字模式; screenshots at 1366 and 390 px."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import make_user

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SHOTS = Path("/tmp/shots/portal")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
FIRST = "顺丰和平营业部开展文明寄递进社区活动"
SECOND = "顺丰快递员雪夜送药温暖独居老人"


def _png() -> bytes:
    buf = io.BytesIO()
    im = Image.new("RGB", (1200, 800), (232, 243, 236))
    for x in range(0, 1200, 40):
        im.paste((10, 110, 60), (x, 500, x + 20, 800))
    im.save(buf, format="PNG")
    return buf.getvalue()


def axe_scan(page) -> list[dict]:
    """Run axe-core (vendored, no CDN) on the page; return the serious and critical violations."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert len(result["passes"]) > 10, "axe ran its WCAG rules"
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _write(page, live_server, title: str, body: str) -> int:
    page.goto(live_server.url + reverse("workbench:home"))
    page.get_by_role("link", name="新闻稿件").click()
    page.get_by_role("link", name="撰写稿件").click()
    page.get_by_label("栏目").select_option(label="基层风采")
    page.get_by_label("标题").fill(title)
    page.get_by_label("正文").fill(body)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/portal/articles/\d+/$"))
    return int(re.search(r"/articles/(\d+)/", page.url).group(1))


def test_story_drafted_reviewed_published_and_scheduled_then_public_pages_pass_axe(
    page, browser, live_server, org_tree, settings, tmp_path
):
    from wenming.portal.models import Article

    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    t = org_tree
    make_user("sf_shenyang", role="enterprise_admin", org=t.shenyang_enterprise, display_name="顺丰沈阳宣传员")
    make_user("shenyang", role="city_admin", org=t.shenyang, display_name="沈阳市局宣传科")
    make_user("province", role="province_admin", org=t.province, display_name="省局宣传处")

    # 1. the enterprise drafts two stories, one with a picture, and submits both to its city bureau
    login(page, live_server, "sf_shenyang", landing=r".*/workbench/$")
    first = _write(
        page,
        live_server,
        FIRST,
        "11月20日，和平营业部快递员走进长白街道第一社区。\n\n## 现场服务\n- 讲解安全寄递\n- 回收快递包装",
    )
    page.get_by_label("图片", exact=True).set_input_files(
        {"name": "scene.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_label("图片说明").fill("快递员在社区讲解安全寄递知识")
    page.get_by_role("button", name="上传图片").click()
    page.get_by_text("图片已上传").wait_for()
    img = Article.objects.get(pk=first).images.get()
    page.get_by_role("link", name="修改").click()
    page.get_by_label("正文").fill(
        f"11月20日，和平营业部快递员走进长白街道第一社区。\n\n[图片:{img.pk}]\n\n居民纷纷点赞。"
    )
    page.get_by_label("题图").select_option(label="快递员在社区讲解安全寄递知识")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存新版本").wait_for()
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "staff-article-1366.png"), full_page=True)
    page.get_by_role("button", name="提交市局审核").click()
    page.get_by_text("已提交审核").wait_for()
    second = _write(page, live_server, SECOND, "大雪夜里，快递员冒雪把急需的药品送到独居老人家中。")
    page.get_by_role("button", name="提交市局审核").click()
    page.get_by_text("已提交审核").wait_for()
    assert page.get_by_role("button", name="审核通过，报省局").count() == 0  # a writer never reviews

    # 2. the city bureau reviews both (its to-do list leads there)
    ctx2 = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    city = ctx2.new_page()
    login(city, live_server, "shenyang")
    city.get_by_text("待审核的新闻稿件 2 篇").click()
    for title in (FIRST, SECOND):
        city.get_by_role("link", name=title).click()
        city.get_by_role("button", name="审核通过，报省局").click()
        city.get_by_text("已审核通过，报省局发布").wait_for()
        city.get_by_role("link", name="新闻稿件").first.click()
    assert city.get_by_role("button", name="立即发布").count() == 0
    ctx2.close()

    # 3. the province publishes the first now and schedules the second for the coming minute
    ctx3 = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    prov = ctx3.new_page()
    login(prov, live_server, "province")
    prov.goto(live_server.url + reverse("portal:article-detail", args=[first]))
    prov.get_by_role("button", name="立即发布").click()
    prov.get_by_text("已发布到门户网站").wait_for()
    now = timezone.localtime()
    at = (now + timedelta(minutes=1 if now.second < 40 else 2)).replace(second=0, microsecond=0)
    prov.goto(live_server.url + reverse("portal:article-detail", args=[second]))
    prov.get_by_label("定时发布时间").fill(at.strftime("%Y-%m-%dT%H:%M"))
    prov.get_by_role("button", name="定时发布", exact=True).click()
    prov.get_by_text("已设定定时发布").wait_for()
    ctx3.close()

    # 4. an anonymous visitor: the published story is there, the scheduled one is not (yet)
    anon_ctx = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    anon = anon_ctx.new_page()
    anon.goto(live_server.url + "/")
    assert anon.get_by_role("link", name="登录", exact=True).count() == 1
    assert anon.get_by_role("link", name=FIRST).count() >= 1
    assert anon.get_by_role("link", name=SECOND).count() == 0
    call_command("scheduler", "--once", "--inline")  # before its time: nothing to release
    assert Article.objects.get(pk=second).status == "scheduled"
    time.sleep(max(0.0, (at - timezone.localtime()).total_seconds()) + 1)
    call_command("scheduler", "--once", "--inline")
    assert Article.objects.get(pk=second).status == "published"
    anon.goto(live_server.url + "/")
    assert anon.get_by_role("link", name=SECOND).count() >= 1

    # 5. every public page type passes axe, at both widths, and in 大字模式
    pages = {
        "home": "/",
        "category": reverse("public:portal-category", args=["grassroots"]),
        "article": reverse("public:portal-article", args=[first]),
        "search": reverse("public:portal-search") + "?q=快递员",
        "search-empty": reverse("public:portal-search") + "?q=航天飞机",
        "map": reverse("public:portal-map"),
        "outlets": reverse("public:portal-outlets"),
        "outlets-found": reverse("public:portal-outlets") + "?city=210200&q=中山",
    }
    for size_name, size in (("1366", DESKTOP), ("390", PHONE)):
        anon.set_viewport_size(size)
        for name, path in pages.items():
            anon.goto(live_server.url + path)
            bad = axe_scan(anon)
            assert bad == [], (name, size_name, bad)
            if name in ("home", "article", "search", "outlets-found"):
                anon.screenshot(path=str(SHOTS / f"{name}-{size_name}.png"), full_page=True)
    anon.goto(live_server.url + reverse("public:portal-search") + "?q=快递员")
    assert anon.get_by_role("link", name=SECOND).count() == 1  # jieba: 快递员 found in the story
    anon.goto(live_server.url + "/")
    anon.get_by_role("button", name="大字模式").click()
    anon.wait_for_load_state("load")
    assert "care" in (anon.locator("html").get_attribute("class") or "")
    assert axe_scan(anon) == []
    anon.screenshot(path=str(SHOTS / "home-care-390.png"), full_page=True)
    anon.goto(live_server.url + reverse("public:portal-article", args=[first]))
    assert "care" in (anon.locator("html").get_attribute("class") or "")  # the choice persists
    img_src = anon.locator("article figure img").first.get_attribute("src")
    assert anon.request.get(live_server.url + img_src).status == 200
    anon_ctx.close()
