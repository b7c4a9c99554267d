"""The news CMS: the editorial chain by org scope, revisions and rollback, pictures through the upload path,
the body markup, and what the public portal shows (home, columns, search, RSS, sitemap, pictures)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from wenming.core.errors import ApplicationError
from wenming.core.uploads import UploadRejected
from wenming.portal import markup, services
from wenming.portal.choices import ArticleStatus as S
from wenming.portal.models import Article, ArticleEvent

pytestmark = pytest.mark.django_db


def _draft(p, t, *, title="和平营业部开展文明寄递进社区活动", body="快递员走进社区讲解安全寄递知识。", **kw):
    org = kw.pop("org", t.shenyang_enterprise)
    by = kw.pop("by", p.shenyang_enterprise)
    data = {"category": kw.pop("category", "grassroots"), "title": title, "summary": "", "body": body, "source": ""}
    return services.article_create(organization=org, data=data, by=by)


def _png(w=1200, h=900, color=(10, 110, 60)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, format="PNG")
    return SimpleUploadedFile("photo.png", buf.getvalue(), content_type="image/png")


def _publish(p, t, **kw) -> Article:
    a = _draft(p, t, **kw)
    services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    services.article_approve(article_id=a.pk, by=p.shenyang_admin)
    return services.article_publish(article_id=a.pk, by=p.province_admin)


# --- the chain ------------------------------------------------------------------------------------
def test_enterprise_story_goes_through_its_city_bureau_then_the_province(personas, org_tree):
    p, t = personas, org_tree
    a = _draft(p, t)
    assert services.article_submit(article_id=a.pk, by=p.shenyang_enterprise).status == S.CITY_REVIEW
    with pytest.raises(PermissionDenied):  # the province does not do the city's review
        services.article_approve(article_id=a.pk, by=p.province_admin)
    with pytest.raises(PermissionDenied):  # another city bureau cannot
        services.article_approve(article_id=a.pk, by=p.dalian_admin)
    assert services.article_approve(article_id=a.pk, by=p.shenyang_admin).status == S.PROVINCE_REVIEW
    with pytest.raises(PermissionDenied):  # the city reviews, it does not publish
        services.article_publish(article_id=a.pk, by=p.shenyang_admin)
    a = services.article_publish(article_id=a.pk, by=p.province_admin)
    assert a.status == S.PUBLISHED and a.published_at is not None
    kinds = list(ArticleEvent.objects.filter(article=a).values_list("kind", flat=True))
    assert kinds == ["create", "submit", "approve", "publish"]


def test_a_city_bureau_does_not_review_its_own_story_and_provincial_units_go_straight_up(personas, org_tree):
    p, t = personas, org_tree
    own = _draft(p, t, org=t.shenyang, by=p.shenyang_admin)
    services.article_submit(article_id=own.pk, by=p.shenyang_admin)
    with pytest.raises(PermissionDenied):
        services.article_approve(article_id=own.pk, by=p.shenyang_admin)
    office = _draft(p, t, org=t.office, by=p.province_admin, title="省局召开精神文明建设工作会议")
    assert services.article_submit(article_id=office.pk, by=p.province_admin).status == S.PROVINCE_REVIEW


def test_writers_write_only_for_their_own_units(personas, org_tree):
    p, t = personas, org_tree
    with pytest.raises(PermissionDenied):
        _draft(p, t, org=t.dalian_enterprise, by=p.shenyang_enterprise)
    with pytest.raises(PermissionDenied):
        _draft(p, t, org=t.shenyang_enterprise, by=p.shenyang_outlet)


def test_return_needs_a_reason_and_tells_the_writer(personas, org_tree, django_capture_on_commit_callbacks):
    p, t = personas, org_tree
    a = _draft(p, t)
    services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    with pytest.raises(ApplicationError):
        services.article_return(article_id=a.pk, by=p.shenyang_admin, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_return(article_id=a.pk, by=p.shenyang_admin, comment="请补充照片")
    assert p.shenyang_enterprise.notifications.filter(title__contains="退回").exists()
    # returned: editable again and resubmitted to the city bureau
    services.article_update(
        article_id=a.pk,
        data={"category": "grassroots", "title": a.title, "body": "补充后的正文。"},
        by=p.shenyang_enterprise,
    )
    assert services.article_submit(article_id=a.pk, by=p.shenyang_enterprise).status == S.CITY_REVIEW


def test_submitted_stories_cannot_be_edited(personas, org_tree):
    p, t = personas, org_tree
    a = _draft(p, t)
    services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    with pytest.raises(ApplicationError):
        services.article_update(
            article_id=a.pk, data={"category": "work", "title": "改标题", "body": "x"}, by=p.shenyang_enterprise
        )


def test_personal_data_is_refused_at_submission_and_masked_on_render(personas, org_tree):
    p, t = personas, org_tree
    a = _draft(p, t, body="联系人张师傅，电话13812345678，身份证210102199001011234。")
    with pytest.raises(ApplicationError, match="身份证号或手机号"):
        services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    html = markup.render(a.body, lambda pk: None)
    assert "13812345678" not in html and "138****5678" in html
    assert "210102199001011234" not in html


def test_scheduled_story_goes_public_only_when_the_scheduler_releases_it(personas, org_tree, client):
    p, t = personas, org_tree
    a = _draft(p, t, title="世界邮政日开放参观活动预告")
    services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    services.article_approve(article_id=a.pk, by=p.shenyang_admin)
    with pytest.raises(ApplicationError):
        services.article_schedule(
            article_id=a.pk, publish_at=timezone.now() - timedelta(minutes=1), by=p.province_admin
        )
    services.article_schedule(article_id=a.pk, publish_at=timezone.now() + timedelta(seconds=1), by=p.province_admin)
    assert "世界邮政日开放参观活动预告" not in client.get("/").content.decode()
    assert client.get(reverse("public:portal-article", args=[a.pk])).status_code == 404
    Article.objects.filter(pk=a.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    call_command("scheduler", "--once", "--inline")
    a.refresh_from_db()
    assert a.status == S.PUBLISHED and a.published_at == a.publish_at
    assert "世界邮政日开放参观活动预告" in client.get("/").content.decode()
    assert ArticleEvent.objects.filter(article=a, kind="release", by__isnull=True).count() == 1


def test_withdrawn_story_leaves_the_portal(personas, org_tree, client):
    a = _publish(personas, org_tree, title="快递员冬季送温暖活动")
    assert client.get(reverse("public:portal-article", args=[a.pk])).status_code == 200
    services.article_withdraw(article_id=a.pk, by=personas.province_admin, comment="重复发布")
    assert client.get(reverse("public:portal-article", args=[a.pk])).status_code == 404


# --- revisions ------------------------------------------------------------------------------------
def test_every_save_is_a_revision_and_rollback_restores_one_as_a_new_revision(personas, org_tree):
    p, t = personas, org_tree
    a = _draft(p, t, title="第一版标题", body="第一版正文。")
    services.article_update(
        article_id=a.pk,
        data={"category": "work", "title": "第二版标题", "body": "第二版正文。"},
        by=p.shenyang_enterprise,
    )
    a.refresh_from_db()
    assert a.revision == 2 and a.title == "第二版标题"
    a = services.article_rollback(article_id=a.pk, number=1, by=p.shenyang_enterprise)
    assert (a.revision, a.title, a.body, a.category) == (3, "第一版标题", "第一版正文。", "grassroots")
    assert list(a.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert "第一版" in a.search_text and "第二版" not in a.search_text
    with pytest.raises(ApplicationError):
        services.article_rollback(article_id=a.pk, number=9, by=p.shenyang_enterprise)


def test_rollback_page_restores_through_http(personas, org_tree, client):
    p, t = personas, org_tree
    a = _draft(p, t, title="旧标题")
    services.article_update(
        article_id=a.pk, data={"category": "work", "title": "新标题", "body": "正文"}, by=p.shenyang_enterprise
    )
    client.force_login(p.shenyang_enterprise)
    page = client.get(reverse("portal:revision-detail", args=[a.pk, 1])).content.decode()
    assert "旧标题" in page and "恢复此版本" in page
    client.post(reverse("portal:revision-restore", args=[a.pk, 1]))
    a.refresh_from_db()
    assert a.title == "旧标题" and a.revision == 3
    client.force_login(p.dalian_admin)
    assert client.post(reverse("portal:revision-restore", args=[a.pk, 2])).status_code == 404


# --- pictures -------------------------------------------------------------------------------------
def test_pictures_go_through_the_upload_checks_and_get_renditions(personas, org_tree, media, client):
    p, t = personas, org_tree
    a = _draft(p, t)
    with pytest.raises(UploadRejected):
        services.image_add(
            article_id=a.pk,
            upload=SimpleUploadedFile("x.jpg", b"MZ\x90\x00not an image"),
            alt="图",
            by=p.shenyang_enterprise,
        )
    img = services.image_add(article_id=a.pk, upload=_png(), alt="快递员在社区讲解安全寄递", by=p.shenyang_enterprise)
    assert set(img.renditions) == {"320", "800"}
    for name in (img.file, *img.renditions.values()):
        assert (media / name).exists()
    with Image.open(media / img.renditions["320"]) as im:
        assert im.width == 320 and im.format == "JPEG" and not im.info.get("exif")
    body = f"第一段。\n\n[图片:{img.pk}]\n\n第二段。"
    services.article_update(
        article_id=a.pk,
        data={"category": "grassroots", "title": a.title, "body": body},
        cover=img,
        by=p.shenyang_enterprise,
    )
    # not public yet: the picture is not served to the public
    assert client.get(reverse("public:portal-image", args=[img.pk, 320])).status_code == 404
    services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)
    services.article_approve(article_id=a.pk, by=p.shenyang_admin)
    services.article_publish(article_id=a.pk, by=p.province_admin)
    resp = client.get(reverse("public:portal-image", args=[img.pk, 320]))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    page = client.get(reverse("public:portal-article", args=[a.pk])).content.decode()
    assert 'alt="快递员在社区讲解安全寄递"' in page and "320w" in page and "<figcaption>" in page


def test_body_reference_to_another_storys_picture_is_refused(personas, org_tree, media):
    p, t = personas, org_tree
    other = _draft(p, t, title="另一篇稿件")
    img = services.image_add(article_id=other.pk, upload=_png(400, 300), alt="图", by=p.shenyang_enterprise)
    a = _draft(p, t, body=f"正文\n\n[图片:{img.pk}]")
    with pytest.raises(ApplicationError, match="不存在的图片"):
        services.article_submit(article_id=a.pk, by=p.shenyang_enterprise)


def test_markup_escapes_everything_an_editor_types():
    html = markup.render("<script>alert(1)</script>\n\n## 小标题 <b>\n\n- 一\n- **二**\n\n[图片:5]", lambda pk: None)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>小标题 &lt;b&gt;</h2>" in html and "<li><strong>二</strong></li>" in html


# --- the public portal ----------------------------------------------------------------------------
def test_anonymous_visitor_sees_the_portal_with_login_and_staff_see_their_workbench_link(personas, org_tree, client):
    a = _publish(personas, org_tree, title="沈阳顺丰开展文明寄递进社区活动")
    draft = _draft(personas, org_tree, title="尚未审核的草稿标题")
    page = client.get("/").content.decode()
    assert a.title in page and draft.title not in page
    assert f'href="{reverse("accounts:login")}"' in page and "登录" in page
    assert "主办单位" in page and reverse("public:portal-map") in page  # government-site footer
    client.force_login(personas.shenyang_admin)
    page = client.get("/").content.decode()
    assert f'href="{reverse("workbench:home")}"' in page
    assert reverse("workbench:home") == "/workbench/"


def test_staff_land_on_their_workbench_after_signing_in(personas, client):
    from conftest import PASSWORD

    r = client.post(reverse("accounts:login"), {"username": "sy_admin", "password": PASSWORD})
    assert r.status_code == 302 and r.url == reverse("workbench:home")


def test_columns_list_only_their_category(personas, org_tree, client):
    work = _publish(personas, org_tree, title="全省寄递企业文明创建推进会召开", category="work")
    notice = _publish(personas, org_tree, title="关于开展最美快递员推选活动的通知", category="notice")
    page = client.get(reverse("public:portal-category", args=["notice"])).content.decode()
    assert notice.title in page and work.title not in page
    assert client.get(reverse("public:portal-category", args=["nope"])).status_code == 404


def test_search_segments_chinese_words(personas, org_tree, client):
    hit = _publish(personas, org_tree, title="快递小哥志愿服务温暖社区", body="和平营业部快递员为独居老人送件上门。")
    miss = _publish(personas, org_tree, title="绿色包装宣传进校园", body="讲解可循环快递箱的使用。")
    page = client.get(reverse("public:portal-search"), {"q": "志愿服务"}).content.decode()
    assert hit.title in page and miss.title not in page
    page = client.get(reverse("public:portal-search"), {"q": "独居老人"}).content.decode()
    assert hit.title in page and miss.title not in page
    page = client.get(reverse("public:portal-search"), {"q": "航天飞机"}).content.decode()
    assert "未找到与“航天飞机”相关的内容" in page
    draft = _draft(personas, org_tree, title="志愿服务草稿不应被搜到")
    assert draft.title not in client.get(reverse("public:portal-search"), {"q": "志愿服务"}).content.decode()


def test_rss_and_sitemap_list_published_stories_only(personas, org_tree, client):
    a = _publish(personas, org_tree, title="邮政行业道德讲堂走进网点")
    draft = _draft(personas, org_tree, title="未发布的草稿")
    rss = client.get(reverse("public:portal-rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert a.title in text and draft.title not in text
    sm = client.get(reverse("sitemap")).content.decode()
    assert reverse("public:portal-article", args=[a.pk]) in sm
    assert reverse("public:portal-article", args=[draft.pk]) not in sm
    assert "<urlset" in sm


def test_large_text_mode_persists_in_a_cookie(client):
    r = client.post(reverse("workbench:care"), {"next": "/"})
    assert r.status_code == 302 and r.cookies["care"].value == "1"
    page = client.get("/").content.decode()
    assert '<html lang="zh-CN" class="care">' in page and 'aria-pressed="true"' in page


def test_home_page_critical_path_is_under_100_kb(personas, org_tree, client):
    """W1: HTML + every stylesheet and script the home page loads, in bytes."""
    from django.contrib.staticfiles import finders

    for i in range(12):
        _publish(
            personas,
            org_tree,
            title=f"第{i}篇：快递网点开展文明创建活动",
            category=["work", "notice", "grassroots"][i % 3],
        )
    html = client.get("/").content
    assets = re.findall(rb'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"', html)
    assert assets, "the page loads its stylesheets"
    total = len(html) + sum(len(open(finders.find(a.decode()), "rb").read()) for a in assets)
    assert total <= 100 * 1024, total
    assert b"<script" not in html  # the portal needs no script at all


def test_public_pages_never_show_unmasked_personal_data(personas, org_tree, client):
    a = _publish(personas, org_tree, title="营业部服务群众", body="服务热线 024-12345678。")
    # written around the submission check (e.g. imported): the page still masks it
    Article.objects.filter(pk=a.pk).update(body="联系电话 13912345678，证件 21010219900101123X。")
    page = client.get(reverse("public:portal-article", args=[a.pk])).content.decode()
    assert "13912345678" not in page and "21010219900101123X" not in page
