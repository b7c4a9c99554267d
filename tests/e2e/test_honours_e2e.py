"""Browser journey of the honours engine: a 青年文明号 application from an outlet through the city
review, the province review, expert scoring (an expert of the applicant's own city is flagged and not
counted), the committee's secret ballot, a 公示 with a real-name objection that is dismissed, and the
designation; the public honour roll then shows the unit. Screenshots at 1366 and 390 px."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from conftest import make_user
from wenming.core import pii

from .helpers import login, pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/honours"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def programmes(db):
    """The data migration's programmes (a transactional test's flush removes them)."""
    importlib.import_module("wenming.honours.migrations.0002_seed_programmes").seed(django_apps, None)


def _as(browser, live_server, username: str | None, viewport=None):
    ctx = browser.new_context(locale="zh-CN", viewport=viewport or DESKTOP)
    p = ctx.new_page()
    if username:
        login(p, live_server, username)
    return p


def _click(page, name: str) -> None:
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("load")


def _shoot(browser, live_server, username, path: str, name: str) -> None:
    for label, vp in (("desktop", DESKTOP), ("phone", PHONE)):
        p = _as(browser, live_server, username, vp)
        p.goto(live_server.url + path)
        p.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=True)
        p.context.close()


def test_youth_civilization_application_to_the_honour_roll(
    browser, live_server, personas, org_tree, programmes, settings, tmp_path
):
    from wenming.honours.models import Application, Objection, Title
    from wenming.honours.tests import factories as f
    from wenming.judging import services as judging
    from wenming.judging.models import Assignment
    from wenming.judging.tests import factories as jf

    settings.MEDIA_ROOT = tmp_path / "media"
    url, t, p = live_server.url, org_tree, personas
    team = f.team(t.shenyang_outlet, 8)
    leader = team[0]
    leader.name = "赵青"
    leader.save(update_fields=["name"])
    f.title(
        "youth_civilization",
        t.shenyang_outlet,
        level="city",
        valid_from=f.today() - timedelta(days=800),
        holder="和平营业部（市级）",
    )
    cycle = f.cycle("youth_civilization", t.province)
    pdf = tmp_path / "创建工作方案.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # --- the outlet applies -------------------------------------------------------------------------------
    outlet = _as(browser, live_server, "sy_outlet")
    outlet.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    outlet.locator(".page-head").get_by_role("link", name="申报").click()
    pick(outlet, "申报单位", "和平", t.shenyang_outlet.name)
    outlet.get_by_label("申报名称", exact=True).fill("顺丰和平营业部青年服务班组")
    pick(outlet, "负责人", "赵青", pii.mask_name("赵青"))
    outlet.get_by_label("申报星级").select_option("1")
    outlet.get_by_label("主要事迹").fill("旺季日均派件 3,000 余件零有效申诉，组建青年志愿服务队开展助老寄递 20 余次。")
    _click(outlet, "保存草稿")
    assert "申报草稿已保存" in outlet.content()
    app = Application.objects.get(name="顺丰和平营业部青年服务班组")
    assert outlet.locator("section[aria-label=资格条件] .tag-bad").count() == 0
    for requirement in ("plan", "notice_board"):
        outlet.get_by_label("材料项").select_option(requirement)
        outlet.get_by_label("文件", exact=True).set_input_files(str(pdf))
        _click(outlet, "上传")
        assert "材料已上传" in outlet.content()
    _click(outlet, "提交申报")
    assert "申报已提交" in outlet.content()
    app.refresh_from_db()
    assert app.status == "city_review"

    # --- city review, then province review ----------------------------------------------------------------
    city = _as(browser, live_server, "sy_admin")
    city.goto(url + reverse("honours:queue"))
    city.get_by_role("link", name="顺丰和平营业部青年服务班组").click()
    city.get_by_label("审核意见").fill("符合申报条件，同意推荐")
    _click(city, "审核通过")
    app.refresh_from_db()
    assert app.status == "province_review"
    prov = _as(browser, live_server, "p_admin")
    prov.goto(url + reverse("honours:queue"))
    prov.get_by_role("link", name="顺丰和平营业部青年服务班组").click()
    _click(prov, "审核通过")
    app.refresh_from_db()
    assert app.status == "scoring"

    # --- expert scoring: the office opens the round in the browser ----------------------------------------
    scheme = jf.published_scheme(t.province, p.province_admin)
    panel = judging.panel_create(organization=t.province, name="青年文明号评审组", by=p.province_admin)
    e2 = jf.make_expert("expert2", t.province)
    e3 = jf.make_expert("expert3", t.province)
    for e, aff in ((p.expert, None), (e2, None), (e3, t.shenyang)):
        judging.panel_add_member(panel_id=panel.pk, user=e, by=p.province_admin, affiliation=aff)
    prov.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    prov.get_by_label("测评体系").select_option(str(scheme.pk))
    prov.get_by_label("专家评审组").select_option(str(panel.pk))
    prov.get_by_label("评分截止日期").fill((f.today() + timedelta(days=5)).isoformat())
    _click(prov, "开启专家评审（1 件）")
    assert "/judging/rounds/" in prov.url
    from wenming.honours.services import scoring_round

    cycle.refresh_from_db()
    rnd = scoring_round(cycle)
    entry = rnd.entries.get()
    judging.assign(round_id=rnd.pk, entry_ids=[entry.pk], expert_ids=[p.expert.pk, e2.pk, e3.pk], by=p.province_admin)
    judging.round_start(round_id=rnd.pk, by=p.province_admin)
    for user, pts in ((p.expert, ["36", "18", "36"]), (e2, ["34", "16", "34"]), (e3, ["10", "5", "10"])):
        jf.score(Assignment.objects.get(entry=entry, expert=user), pts)
    judging.round_close(round_id=rnd.pk, by=p.province_admin)
    prov.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    row = prov.locator("table tr", has_text="顺丰和平营业部青年服务班组").first
    assert "87.00" in row.inner_text()  # (90 + 84) / 2: the conflicted expert's 25 is not counted
    _shoot(browser, live_server, "p_admin", reverse("honours:cycle-detail", args=[cycle.pk]), "cycle-scoring")
    _click(prov, "采用评审结果")
    app.refresh_from_db()
    assert app.status == "committee" and str(app.expert_mean) == "87.00"

    # --- the committee's secret ballot -----------------------------------------------------------------------
    members = [
        make_user(f"cm{i}", role="committee_office", org=t.province, display_name=f"委员{'甲乙丙'[i]}")
        for i in range(3)
    ]
    prov.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    for m in members:
        pick(prov, "表决成员", m.display_name, pii.mask_name(m.display_name))
    prov.get_by_label("出席人数").fill("3")
    _click(prov, "发起委员会表决（1 件）")
    assert "/judging/committee/" in prov.url
    cycle.refresh_from_db()
    from wenming.honours.services import committee_vote

    vote = committee_vote(cycle)
    item = vote.items.get()
    for m, choice in zip(members, ("yes", "yes", "no"), strict=True):
        judging.committee_cast(vote_id=vote.pk, by=m, choices={item.pk: choice})
    prov.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    _click(prov, "计票并记录结果")
    app.refresh_from_db()
    assert app.status == "notice" and app.committee_result == "adopted"

    # --- 公示, a real-name objection from the public page, dismissed ------------------------------------------
    prov.get_by_label("公示开始日期").fill(f.today().isoformat())
    _click(prov, "发布公示")
    notice = cycle.notices.get()
    public = _as(browser, live_server, None, PHONE)
    public.goto(url + reverse("public:honours-notice", args=[notice.pk]))
    assert "顺丰和平营业部青年服务班组" in public.content() and notice.phone in public.content()
    public.screenshot(path=f"{SHOTS}/public-notice-phone.png", full_page=True)
    public.get_by_label("异议对象").select_option(str(app.pk))
    public.get_by_label("真实姓名").fill("李明")
    public.get_by_label("联系电话").fill("13900001111")
    public.get_by_label("异议内容").fill("该班组今年旺季曾出现快件积压，与事迹不符。")
    public.get_by_role("button", name="提交异议").click()
    public.wait_for_load_state("load")
    assert "异议已收到" in public.content()
    o = Objection.objects.get()
    prov.goto(url + reverse("honours:objection-detail", args=[o.pk]))
    body = prov.content()
    assert "13900001111" not in body and "李明" not in body and o.phone_hint in body
    _click(prov, "开始调查核实")
    prov.get_by_label("调查结论").fill("积压系暴雪停运所致，网点已按规定处置并逐一告知用户")
    _click(prov, "异议不成立")
    o.refresh_from_db()
    assert o.status == "dismissed"

    # --- the 公示 has run its five working days; designation ----------------------------------------------------
    notice.starts_on, notice.ends_on = f.today() - timedelta(days=8), f.today() - timedelta(days=1)
    notice.save(update_fields=["starts_on", "ends_on"])
    prov.goto(url + reverse("honours:cycle-detail", args=[cycle.pk]))
    prov.get_by_label("命名文号").fill("辽青联〔2026〕8号")
    prov.get_by_label("命名日期").fill(f.today().isoformat())
    _click(prov, "命名并颁发证书")
    assert "已命名 1 个称号" in prov.content() and "/certificates/batches/" in prov.url
    title = Title.objects.get(application=app)
    assert title.decision_no == "辽青联〔2026〕8号" and title.status == "active"
    # the certificate: issued by the background batch, downloadable as a PDF from the title page
    prov.goto(url + reverse("honours:title-detail", args=[title.pk]))
    link = prov.get_by_role("link", name="下载证书 PDF")
    resp = prov.request.get(url + link.get_attribute("href"))
    assert resp.status == 200 and resp.body()[:5] == b"%PDF-"
    prov.goto(url + reverse("honours:application-detail", args=[app.pk]))
    _shoot(browser, live_server, "p_admin", reverse("honours:application-detail", args=[app.pk]), "application")

    # --- the honour roll shows it (public, no login) ------------------------------------------------------------
    public.goto(url + reverse("public:honours-roll") + "?programme=youth_civilization&level=provincial")
    assert "顺丰和平营业部青年服务班组" in public.content()
    _shoot(browser, live_server, None, reverse("public:honours-roll"), "roll")
    _shoot(browser, live_server, "sy_admin", reverse("honours:queue"), "queue")
    _shoot(browser, live_server, "p_admin", reverse("honours:title-detail", args=[title.pk]), "title")
