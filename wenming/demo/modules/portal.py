"""Demo data of the portal (called by ``seed_demo`` with the shared ``DemoContext``).

A portal that looks alive on a fresh install: stories of 2026 from the 14 cities (工作动态, 基层风采,
典型事迹) with drawn illustrations (``wenming.demo.images``: scenes with a banner, never a photograph of a
person), the province's notices and policy documents — all written, reviewed and published through the
real services (so history, revisions and audit rows exist) and then dated across the year. A few stay in
the editorial chain so the demo accounts have work: ``sf_shenyang`` a draft, ``shenyang`` a story to review,
``province`` one to publish and one scheduled. Couriers in stories are named only as 某师傅 / 小某. Idempotent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.demo.builder import city_short
from wenming.demo.images import activity_scene_jpeg
from wenming.portal import services
from wenming.portal.models import Article, ArticleEvent

PER_CITY = {"tiny": 1, "default": 3, "full": 5}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"

# (category, title, banner, body) — {city} 城市简称, {unit} 供稿单位, {brand} 品牌, {name} 某师傅
STORIES = [
    (
        "grassroots",
        "{unit}开展“文明寄递进社区”活动",
        "文明寄递进社区",
        "近日，{unit}组织快递员走进{city}市内多个社区，开展“文明寄递进社区”主题活动。\n\n"
        "活动现场，工作人员向居民讲解寄递安全知识和禁寄物品目录，演示快递包装的正确拆解与回收方法，"
        "并为行动不便的老年居民提供上门收寄服务。\n\n"
        "## 把服务送到家门口\n"
        "- 设立便民咨询台，现场解答查件、理赔等问题\n"
        "- 回收快递纸箱、泡沫箱，倡导绿色包装\n"
        "- 为社区独居老人登记上门服务需求\n\n"
        "社区居民表示，快递小哥不仅送来了包裹，也送来了文明和温暖。{unit}负责人介绍，今后将把社区服务日固定下来，每月开展一次。",
    ),
    (
        "grassroots",
        "{unit}“青年文明号”服务示范岗挂牌",
        "青年文明号服务示范岗",
        "{unit}营业部“青年文明号”服务示范岗正式挂牌。示范岗由 8 名青年员工组成，平均年龄 26 岁。\n\n"
        "示范岗推出“微笑服务、限时办结、首问负责”三项承诺，旺季期间坚持错峰上门、预约派送，"
        "客户满意度较上年明显提升。\n\n"
        "**下一步**，示范岗将结合{city}市精神文明建设要求，持续开展岗位练兵和服务创新，争创省级青年文明号。",
    ),
    (
        "grassroots",
        "{unit}开展“我们的节日·中秋”送温暖活动",
        "我们的节日·中秋",
        "中秋节前夕，{unit}组织员工为坚守一线的快递员送上月饼和慰问品，并开展“家书寄真情”活动，"
        "免费为快递员寄送写给家人的书信。\n\n"
        "活动中，员工代表分享了旺季坚守岗位的故事，大家纷纷表示，要以更好的服务回报社会的关心。",
    ),
    (
        "work",
        "{city}市邮政管理局召开行业精神文明建设推进会",
        "精神文明建设推进会",
        "{city}市邮政管理局召开全市邮政行业精神文明建设推进会，总结上半年工作，部署下阶段重点任务。\n\n"
        "会议指出，全市寄递企业要把精神文明建设融入服务质量提升全过程，深化文明单位、青年文明号、"
        "最美快递员等创建活动，切实维护快递员合法权益。\n\n"
        "## 下阶段重点\n"
        "- 开展快递员权益保障专项行动\n"
        "- 推进农村寄递物流示范建设\n"
        "- 组织“最美快递员”推选宣传\n\n"
        "各寄递企业负责人参加会议，并就做好旺季服务保障作了表态发言。",
    ),
    (
        "work",
        "{city}市开展快递员职业技能竞赛",
        "快递员职业技能竞赛",
        "由{city}市邮政管理局指导、{unit}承办的全市快递员职业技能竞赛举行，来自全市寄递企业的 60 余名选手参赛。\n\n"
        "竞赛设理论知识、分拣操作、服务礼仪三个环节，全面检验选手的业务水平。"
        "获奖选手将推荐参加全省邮政行业职业技能竞赛。\n\n"
        "竞赛以赛促学、以赛促训，营造了比学赶超的良好氛围。",
    ),
    (
        "work",
        "{city}市邮政管理局开展“3·15”寄递安全宣传",
        "3·15 寄递安全宣传",
        "“3·15”国际消费者权益日当天，{city}市邮政管理局联合{unit}等寄递企业在市中心广场开展寄递安全宣传活动。\n\n"
        "工作人员发放宣传资料，讲解实名收寄、开箱验视、过机安检等寄递安全制度，提醒消费者警惕以快递理赔为名的电信诈骗。",
    ),
    (
        "deeds",
        "雪夜送药的快递员：{unit}{name}",
        "最美快递员",
        "寒冬的一个夜晚，{unit}快递员{name}在派送途中接到一位独居老人的求助电话：急需的药品还在网点。\n\n"
        "当时积雪没过脚踝，{name}没有犹豫，骑车赶回网点取件，冒雪把药品送到老人手中，又帮老人量了体温、烧好热水才离开。\n\n"
        "## 十年如一日\n"
        "从业十年来，{name}累计派件超过 30 万件，保持“零投诉”。同事们说，他的电话簿里记着片区所有独居老人的联系方式。\n\n"
        "{name}说：“快递员每天都在大街小巷里跑，能帮一把就帮一把。”",
    ),
    (
        "deeds",
        "{unit}快递员{name}拾金不昧获表扬",
        "拾金不昧",
        "{unit}快递员{name}在派件途中捡到一个装有现金和证件的钱包，第一时间联系当地派出所，几经周折找到失主，将钱包完璧归赵。\n\n"
        "失主专程送来锦旗表示感谢。{unit}对{name}的行为进行了通报表扬，号召全体员工向其学习。",
    ),
]

PROVINCE_ITEMS = [
    (
        "notice",
        "关于开展2026年度“最美快递员”推选活动的通知",
        "各市邮政管理局，各寄递企业：\n\n为深入贯彻落实全省邮政行业精神文明建设工作部署，大力弘扬劳模精神、劳动精神、工匠精神，"
        "省局决定开展2026年度“最美快递员”推选活动。\n\n## 推选条件\n- 在辽宁省内从事快递收派、分拣等一线工作满2年\n"
        "- 爱岗敬业、诚实守信，近两年无有效投诉\n- 在服务群众、见义勇为、助人为乐等方面有突出事迹\n\n"
        "## 时间安排\n请各市局于规定时间内完成初审并报送推荐材料。\n\n辽宁省邮政管理局",
    ),
    (
        "notice",
        "关于做好2026年旺季寄递服务保障工作的通知",
        "各市邮政管理局，各寄递企业：\n\n“双11”旺季即将来临，为保障全省寄递渠道安全畅通，现就有关工作通知如下。\n\n"
        "- 科学调配运力，严防网点爆仓\n- 落实快递员权益保障措施，合理安排休息\n- 加强寄递安全管理，严格落实三项制度\n\n辽宁省邮政管理局",
    ),
    (
        "notice",
        "关于公布2026年度邮政行业文明单位名单的通知",
        "经各市局推荐、省局审核，现将2026年度全省邮政行业文明单位名单予以公布。希望受表彰的单位珍惜荣誉，"
        "充分发挥示范引领作用，推动全省邮政行业精神文明建设再上新台阶。\n\n辽宁省邮政管理局",
    ),
    (
        "notice",
        "关于组织开展“世界邮政日”主题宣传活动的通知",
        "各市邮政管理局，各寄递企业：\n\n10月9日是第57个世界邮政日。请各单位结合实际，组织开展开放参观、集邮展览、"
        "邮政知识进校园等主题宣传活动，并及时报送活动信息。\n\n辽宁省邮政管理局",
    ),
    (
        "policy",
        "辽宁省邮政行业精神文明建设三年行动方案（2026—2028年）",
        "为加强全省邮政行业精神文明建设，培育和践行社会主义核心价值观，制定本方案。\n\n## 总体目标\n"
        "到2028年，全省邮政行业文明单位覆盖率明显提升，快递员职业认同感和社会美誉度显著增强。\n\n"
        "## 重点任务\n- 深化文明单位创建\n- 加强先进典型培育宣传\n- 推进志愿服务常态化\n- 维护快递员合法权益",
    ),
    (
        "policy",
        "快递员权益保障工作指引（试行）",
        "本指引适用于全省各快递企业及其分支机构、末端网点。\n\n## 主要内容\n- 合理确定派费和劳动报酬\n"
        "- 保障快递员休息休假权利\n- 完善社会保险和职业伤害保障\n- 畅通诉求表达渠道\n\n各市局负责监督本辖区企业落实。",
    ),
    (
        "work",
        "省局召开全省邮政行业精神文明建设工作会议",
        "省局召开全省邮政行业精神文明建设工作会议，总结2025年工作，部署2026年重点任务。\n\n"
        "会议强调，要坚持以社会主义核心价值观为引领，推动精神文明建设与行业发展深度融合，"
        "为建设人民满意邮政提供精神动力。\n\n14个市邮政管理局、主要寄递企业负责人参加会议。",
    ),
]


def _name(rng) -> str:
    s = rng.choice(SURNAMES)
    return f"{s}师傅" if rng.random() < 0.6 else f"小{s}"


def _picture(title: str, unit: str, variant: int, seed: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "scene.jpg", activity_scene_jpeg(title, unit, variant, seed=seed), content_type="image/jpeg"
    )


def _write(
    org, by, category: str, title: str, body: str, *, banner: str = "", seed: int = 0, summary: str = ""
) -> Article:
    data = {"category": category, "title": title[:80], "summary": summary, "body": body, "source": ""}
    a = services.article_create(organization=org, data=data, by=by)
    if banner:
        img = services.image_add(
            article_id=a.pk,
            upload=_picture(banner, org.short_name or org.name, seed % 2, seed),
            alt=f"{banner}（示意图）",
            by=by,
        )
        data["body"] = body.replace("\n\n", f"\n\n[图片:{img.pk}]\n\n", 1)
        services.article_update(article_id=a.pk, data=data, cover=img, by=by)
    return a


def _through_chain(a: Article, writer, city_user, province_user, *, until: str = "published") -> Article:
    services.article_submit(article_id=a.pk, by=writer)
    a.refresh_from_db()
    if until == "submitted":
        return a
    if a.status == "city_review":
        services.article_approve(article_id=a.pk, by=city_user)
    if until == "approved":
        return a
    return services.article_publish(article_id=a.pk, by=province_user)


def _date_it(a: Article, when: datetime) -> None:
    """Move a story's published time (and its history) back to ``when``."""
    Article.objects.filter(pk=a.pk).update(published_at=when, created_at=when - timedelta(days=1), updated_at=when)
    steps = list(ArticleEvent.objects.filter(article=a).order_by("id"))
    for i, e in enumerate(steps):
        e.at = when - timedelta(hours=4 * (len(steps) - 1 - i))
    ArticleEvent.objects.bulk_update(steps, ["at"])


def seed(ctx: Any) -> None:
    if Article.objects.exists():
        return
    rng = ctx.rng
    province_user = ctx.users.get("province")
    if province_user is None:
        return
    reviewers: dict[str, Any] = {}
    for username in ("shenyang", "dalian"):
        u = ctx.users.get(username)
        if u is not None and u.home_organization is not None:
            reviewers[u.home_organization.city_code] = u
    year_start = datetime(ctx.today.year, 1, 5, 9, 30, tzinfo=timezone.get_current_timezone())
    now = timezone.now()
    span = max(1, (now - year_start).days - 1)
    per_city = PER_CITY.get(ctx.size, 3)
    made = 0
    for n, (code, city) in enumerate(sorted(ctx.cities.items())):
        short = city_short(city.name.replace("邮政管理局", ""))
        units = [o for o in ctx.enterprises if o.city_code == code] or [city]
        city_user = reviewers.get(code)
        for k in range(per_city):
            category, title_t, banner, body_t = STORIES[(n * per_city + k) % len(STORIES)]
            unit = units[(n + k) % len(units)] if category != "work" or "{unit}" in title_t else city
            brand = ctx.brands.get(ctx.enterprise_brand.get(unit.pk, ""), None)
            fields = {
                "city": short,
                "unit": unit.short_name or unit.name,
                "brand": brand.name if brand else "",
                "name": _name(rng),
            }
            writer = province_user  # the province writes for any unit of the tree in the demo
            if (
                code == "210100"
                and unit.kind == "enterprise"
                and ctx.users.get("sf_shenyang")
                and unit == ctx.users["sf_shenyang"].home_organization
            ):
                writer = ctx.users["sf_shenyang"]
            a = _write(
                unit,
                writer,
                category,
                title_t.format(**fields),
                body_t.format(**fields),
                banner=banner,
                seed=n * 10 + k,
            )
            when = year_start + timedelta(days=rng.randint(0, span), minutes=rng.randint(0, 600))
            if city_user is None:
                _published_as_demo(a, when)
            else:  # Shenyang and Dalian: reviewed by the demo city account, published by the province
                _through_chain(a, writer, city_user, province_user)
            _date_it(a, when)
            made += 1
    for i, (category, title, body) in enumerate(PROVINCE_ITEMS):
        a = _write(ctx.province, province_user, category, title, body)
        _through_chain(a, province_user, None, province_user)
        _date_it(a, year_start + timedelta(days=int(span * (i + 1) / (len(PROVINCE_ITEMS) + 1)), hours=1))
        made += 1
    _work_in_progress(ctx, province_user)
    ctx.note("门户新闻稿件（已发布）", made)


def _published_as_demo(a: Article, when: datetime) -> None:
    """Cities without a demo reviewer account: the story is stored as published with its history marked as
    demo data (no account made up to have decided it)."""
    Article.objects.filter(pk=a.pk).update(status="published", published_at=when)
    ArticleEvent.objects.bulk_create(
        ArticleEvent(article=a, kind=k, from_status=f, to_status=t, by=None, at=when, comment="演示数据")
        for k, f, t in (
            ("submit", "draft", "city_review"),
            ("approve", "city_review", "province_review"),
            ("publish", "province_review", "published"),
        )
    )


def _work_in_progress(ctx: Any, province_user) -> None:
    """Stories still in the chain, so each demo account has something to do."""
    sf = ctx.users.get("sf_shenyang")
    shenyang = ctx.users.get("shenyang")
    if sf is None or shenyang is None:
        return
    unit = sf.home_organization
    name = unit.short_name or unit.name
    _write(
        unit,
        sf,
        "grassroots",
        f"{name}开展绿色包装回收宣传（草稿）",
        "本周末，营业部将在社区开展快递包装回收宣传。\n\n活动内容待补充。",
    )
    a = _write(
        unit,
        sf,
        "grassroots",
        f"{name}为环卫工人送上“爱心早餐”",
        "清晨六点，营业部的快递员为辖区环卫工人送上热腾腾的早餐。\n\n这项活动已坚持三年。",
        banner="爱心早餐",
        seed=91,
    )
    _through_chain(a, sf, shenyang, province_user, until="submitted")
    b = _write(
        unit,
        sf,
        "deeds",
        f"{name}快递员{_name(ctx.rng)}帮助走失老人回家",
        "派件途中，快递员发现一位走失的老人，主动联系社区和民警，帮助老人安全回家。",
        banner="助人为乐",
        seed=92,
    )
    _through_chain(b, sf, shenyang, province_user, until="approved")
    c = _write(
        ctx.province,
        province_user,
        "notice",
        "关于2027年元旦假期寄递服务安排的公告",
        "元旦假期期间，全省寄递企业正常提供收投服务。\n\n请广大用户合理安排寄递时间。",
    )
    services.article_submit(article_id=c.pk, by=province_user)
    local = timezone.localtime()
    services.article_schedule(
        article_id=c.pk,
        publish_at=timezone.make_aware(datetime.combine(local.date() + timedelta(days=7), time(9, 0))),
        by=province_user,
    )
