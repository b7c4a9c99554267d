"""The honours spine at service level: a 青年文明号 application from an outlet through city review,
province review, expert scoring (a conflicted expert excluded), committee, 公示 with a dismissed
objection, designation; and a 最美快递员 edition with a rank limit, automatic rejection, votes,
combined score and award."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_user
from wenming.core.errors import ApplicationError
from wenming.honours import selectors, services
from wenming.honours.models import Application, Evidence, Title
from wenming.honours.tests import factories as f
from wenming.judging import services as judging
from wenming.judging.models import Assignment
from wenming.judging.tests import factories as jf

pytestmark = pytest.mark.django_db


def _eligible_unit(ns):
    members = f.team(ns.t.shenyang_outlet, 8)
    f.title("youth_civilization", ns.t.shenyang_outlet, level="city", valid_from=f.today() - timedelta(days=800))
    return members


def _evidence(app):
    for code in ("plan", "notice_board"):
        Evidence.objects.create(
            application=app, requirement=code, kind="file", file="honours/evidence/x.pdf", label=code
        )


def test_youth_application_through_the_whole_chain(ns, django_capture_on_commit_callbacks):
    p, t = ns.p, ns.t
    members = _eligible_unit(ns)
    cycle = f.cycle("youth_civilization", t.province)
    app = services.application_create(
        cycle=cycle,
        organization=t.shenyang_outlet,
        by=p.shenyang_outlet,
        data={
            "name": "顺丰和平营业部青年服务班组",
            "statement": "旺季零投诉，志愿服务 20 次。",
            "leader": members[0],
            "star": 1,
        },
    )
    assert app.status == "draft" and app.recommender == t.shenyang
    with pytest.raises(ApplicationError, match="必备材料"):
        services.application_submit(application_id=app.pk, by=p.shenyang_outlet)
    _evidence(app)
    services.application_submit(application_id=app.pk, by=p.shenyang_outlet)
    app.refresh_from_db()
    assert app.status == "city_review" and app.eligible is True
    assert list(selectors.review_queue(user=p.shenyang_admin)) == [app]
    assert list(selectors.review_queue(user=p.province_admin)) == []
    assert list(selectors.review_queue(user=p.dalian_admin)) == []
    with pytest.raises(PermissionDenied):
        services.application_decide(application_id=app.pk, decision="advance", by=p.province_admin)
    services.application_decide(application_id=app.pk, decision="advance", comment="同意推荐", by=p.shenyang_admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application_id=app.pk, decision="return", comment="请补充公示牌照片", by=p.province_admin
        )
    app.refresh_from_db()
    assert app.status == "returned" and app.last_comment == "请补充公示牌照片"
    services.application_submit(application_id=app.pk, by=p.shenyang_outlet)
    services.application_decide(application_id=app.pk, decision="advance", by=p.shenyang_admin)
    services.application_decide(application_id=app.pk, decision="advance", by=p.province_admin)
    app.refresh_from_db()
    assert app.status == "scoring"

    # expert scoring: two experts count, one from the applicant's own city is flagged and excluded
    scheme = jf.published_scheme(t.province, p.province_admin)
    panel = judging.panel_create(organization=t.province, name="青年文明号评审组", by=p.province_admin)
    e2 = jf.make_expert("expert2", t.province)
    e3 = jf.make_expert("expert3", t.province)
    judging.panel_add_member(panel_id=panel.pk, user=p.expert, by=p.province_admin)
    judging.panel_add_member(panel_id=panel.pk, user=e2, by=p.province_admin)
    judging.panel_add_member(panel_id=panel.pk, user=e3, by=p.province_admin, affiliation=t.shenyang)
    rnd = services.scoring_open(
        cycle_id=cycle.pk,
        scheme=scheme,
        panel=panel,
        closes_at=f.today_dt(5),
        opens_at=f.today_dt(-1),
        by=p.province_admin,
    )
    entry = rnd.entries.get()
    assert entry.subject_key == f"honours.application:{app.pk}"
    judging.assign(round_id=rnd.pk, entry_ids=[entry.pk], expert_ids=[p.expert.pk, e2.pk, e3.pk], by=p.province_admin)
    judging.round_start(round_id=rnd.pk, by=p.province_admin)
    for user, pts in ((p.expert, ["36", "18", "36"]), (e2, ["34", "16", "34"]), (e3, ["10", "5", "10"])):
        jf.score(Assignment.objects.get(entry=entry, expert=user), pts)
    with pytest.raises(ApplicationError, match="尚未结束"):
        services.scoring_close(cycle_id=cycle.pk, by=p.province_admin)
    judging.round_close(round_id=rnd.pk, by=p.province_admin)
    assert services.scoring_close(cycle_id=cycle.pk, by=p.province_admin) == (1, 0)
    app.refresh_from_db()
    assert app.status == "committee" and app.expert_mean == Decimal("87.00")  # (90 + 84) / 2, expert3 excluded

    # committee: 5 members, 3 present, 2 in favour
    members_ = [make_user(f"cm{i}", role="committee_office", org=t.province) for i in range(5)]
    vote = services.committee_start(cycle_id=cycle.pk, members=members_, present_count=3, by=p.province_admin)
    item = vote.items.get()
    judging.committee_cast(vote_id=vote.pk, by=members_[0], choices={item.pk: "yes"})
    judging.committee_cast(vote_id=vote.pk, by=members_[1], choices={item.pk: "yes"})
    judging.committee_cast(vote_id=vote.pk, by=members_[2], choices={item.pk: "no"})
    assert services.committee_record(cycle_id=cycle.pk, by=p.province_admin) == (1, 0)
    app.refresh_from_db()
    assert app.status == "notice" and app.committee_result == "adopted"

    # 公示 with one objection, dismissed
    notice = services.notice_publish(cycle_id=cycle.pk, by=p.province_admin, starts_on=f.today() - timedelta(days=12))
    assert notice.ends_on < f.today()
    notice.starts_on, notice.ends_on = f.today(), f.today() + timedelta(days=6)
    notice.save()
    o = services.objection_submit(
        notice_id=notice.pk,
        application_id=app.pk,
        name="李明",
        phone="13900001111",
        content="该班组旺季曾有快件积压，与事迹不符。",
    )
    assert o.name_hint != "李明" and "李明" not in o.name_enc and o.phone_hint.startswith("139")
    with pytest.raises(ApplicationError, match="公示期"):
        services.designate(
            cycle_id=cycle.pk, decision_no="辽青联〔2026〕8号", decision_date=f.today(), by=p.province_admin
        )
    services.objection_investigate(objection_id=o.pk, by=p.province_admin)
    services.objection_decide(
        objection_id=o.pk, upheld=False, finding="积压系暴雪停运所致，已按规定处置", by=p.province_admin
    )
    notice.starts_on, notice.ends_on = f.today() - timedelta(days=8), f.today() - timedelta(days=1)
    notice.save()
    titles = services.designate(
        cycle_id=cycle.pk, decision_no="辽青联〔2026〕8号", decision_date=f.today(), by=p.province_admin
    )
    app.refresh_from_db()
    assert app.status == "designated"
    [title] = titles
    assert title.level == "provincial" and title.star == 1 and title.decision_no == "辽青联〔2026〕8号"
    assert title.valid_to == f.today().replace(year=f.today().year + 3) - timedelta(days=1)
    assert title in selectors.public_roll()
    assert [k for k in app.events.values_list("kind", flat=True)] == [
        "create",
        "submit",
        "advance",
        "return",
        "resubmit",
        "advance",
        "advance",
        "advance",
        "advance",
        "advance",
    ]


def test_selection_edition_rank_limit_screening_votes_and_award(ns):
    p, t = ns.p, ns.t
    cycle = f.cycle("most_beautiful_courier", t.province)
    cycle.vote_weight = Decimal("0.30")
    cycle.save()
    good = [f.courier(t.shenyang_outlet, name=f"张{i}", started=f.today() - timedelta(days=5 * 365)) for i in range(6)]
    apps = []
    for i, c in enumerate(good[:5], start=1):
        a = services.application_create(
            cycle=cycle,
            organization=t.shenyang_outlet,
            by=p.shenyang_admin,
            data={"courier": c, "rank": i, "statement": "风雨无阻"},
        )
        services.application_submit(application_id=a.pk, by=p.shenyang_admin)
        apps.append(a)
    with pytest.raises(ApplicationError, match="排序 3 已被"):
        services.application_create(
            cycle=cycle,
            organization=t.shenyang_outlet,
            by=p.shenyang_admin,
            data={"courier": good[5], "rank": 3, "statement": "x"},
        )
    with pytest.raises(ApplicationError, match="1 至 5"):
        services.application_create(
            cycle=cycle,
            organization=t.shenyang_outlet,
            by=p.shenyang_admin,
            data={"courier": good[5], "rank": 6, "statement": "x"},
        )
    with pytest.raises(ApplicationError, match="请填写推荐排序"):
        services.application_create(
            cycle=cycle,
            organization=t.shenyang_outlet,
            by=p.shenyang_admin,
            data={"courier": good[5], "statement": "x"},
        )
    # Dalian nominates a courier who has delivered for less than two years: screened out with the reason
    new = f.courier(t.dalian_outlet, name="刘新", started=f.today() - timedelta(days=200))
    extra = services.application_create(
        cycle=cycle, organization=t.dalian_outlet, by=p.dalian_admin, data={"courier": new, "rank": 1, "statement": "x"}
    )
    services.application_submit(application_id=extra.pk, by=p.dalian_admin)
    assert services.eligibility_run(cycle_id=cycle.pk, by=p.province_admin) == (5, 1)
    extra.refresh_from_db()
    assert extra.status == "rejected" and "从业年限" in extra.last_comment and "须满 2 年" in extra.last_comment

    # offline votes with provenance, then the vote closes
    for a, n in zip(apps[:4], (1000, 500, 800, 100), strict=True):
        services.tally_enter(
            application_id=a.pk,
            votes=n,
            source="paper",
            batch_ref="沈阳日报-第3期",
            counted_on=f.today(),
            by=p.province_admin,
        )
    assert services.vote_close(cycle_id=cycle.pk, by=p.province_admin) == 5

    scheme = jf.published_scheme(t.province, p.province_admin)
    panel = judging.panel_create(organization=t.province, name="最美快递员评审组", by=p.province_admin)
    judging.panel_add_member(panel_id=panel.pk, user=p.expert, by=p.province_admin)
    rnd = services.scoring_open(
        cycle_id=cycle.pk,
        scheme=scheme,
        panel=panel,
        closes_at=f.today_dt(5),
        opens_at=f.today_dt(-1),
        by=p.province_admin,
    )
    judging.assign(
        round_id=rnd.pk,
        entry_ids=list(rnd.entries.values_list("pk", flat=True)),
        expert_ids=[p.expert.pk],
        by=p.province_admin,
    )
    judging.round_start(round_id=rnd.pk, by=p.province_admin)
    pts = {
        apps[0].pk: ["30", "15", "35"],
        apps[1].pk: ["40", "20", "40"],
        apps[2].pk: ["30", "10", "30"],
        apps[3].pk: ["20", "10", "20"],
        apps[4].pk: ["10", "10", "10"],
    }
    for a in Assignment.objects.filter(entry__round=rnd).select_related("entry"):
        jf.score(a, pts[int(a.entry.subject_key.split(":")[1])])
    judging.round_close(round_id=rnd.pk, by=p.province_admin)
    prog = cycle.programme
    prog.categories = [
        {"code": "most_beautiful", "label": "最美快递员", "quota": 2, "subject": "person"},
        {"code": "nominee_award", "label": "提名奖", "quota": 1, "subject": "person"},
    ]
    prog.save()
    assert services.scoring_close(cycle_id=cycle.pk, by=p.province_admin) == (3, 2)
    got = {a.pk: a for a in Application.objects.filter(pk__in=[a.pk for a in apps[:4]])}
    # apps[0]: votes 100 → 100×0.3 + 80×0.7 = 86; apps[1]: 50×0.3 + 100×0.7 = 85; apps[2]: 80×0.3 + 70×0.7 = 73
    assert got[apps[0].pk].final_score == Decimal("86.00") and got[apps[0].pk].vote_score == Decimal("100.00")
    assert got[apps[1].pk].final_score == Decimal("85.00")
    assert got[apps[2].pk].final_score == Decimal("73.00")
    assert [got[a.pk].category for a in apps[:3]] == ["most_beautiful", "most_beautiful", "nominee_award"]
    assert got[apps[3].pk].status == "rejected"
    n = services.notice_publish(cycle_id=cycle.pk, by=p.province_admin, starts_on=f.today() - timedelta(days=14))
    assert set(n.entries.values_list("pk", flat=True)) == {apps[0].pk, apps[1].pk, apps[2].pk}
    titles = services.designate(
        cycle_id=cycle.pk, decision_no="辽邮管〔2026〕30号", decision_date=f.today(), by=p.province_admin
    )
    assert sorted(t_.category for t_ in titles) == ["most_beautiful", "most_beautiful", "nominee_award"]
    assert all(t_.valid_to is None and t_.courier_id for t_ in titles)


def test_recheck_warning_then_revocation_removes_the_title_from_the_roll(ns, client):
    p, t = ns.p, ns.t
    title = f.title(
        "women_civilization_post",
        t.shenyang_outlet,
        holder="顺丰和平营业部巾帼服务岗",
        valid_from=f.today().replace(month=1, day=1) - timedelta(days=365),
    )
    url = reverse("public:honours-roll")
    assert "顺丰和平营业部巾帼服务岗" in client.get(url).content.decode()
    assert services.titles_tick()["opened"] == 1
    title.refresh_from_db()
    assert title.status == "under_review"
    with pytest.raises(ApplicationError, match="自查"):
        services.recheck_decide(title_id=title.pk, decision="recheck_pass", note="", by=p.shenyang_admin)
    services.recheck_self_report(
        title_id=title.pk, text="本年度开展巾帼志愿服务 6 次，服务承诺卡已上墙，无有效投诉。", by=p.shenyang_outlet
    )
    services.recheck_decide(
        title_id=title.pk, decision="warn", note="群众评议满意度偏低，限期整改", by=p.shenyang_admin
    )
    title.refresh_from_db()
    assert title.status == "rectifying" and title.rectify_due == f.today() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.rectification_decide(title_id=title.pk, decision="revoke", note="整改不到位", by=p.shenyang_admin)
    services.rectification_decide(title_id=title.pk, decision="revoke", note="整改期满仍不达标", by=p.province_admin)
    title.refresh_from_db()
    assert title.status == "revoked"
    assert "顺丰和平营业部巾帼服务岗" not in client.get(url).content.decode()
    assert list(title.events.values_list("kind", flat=True)) == ["recheck_open", "self_report", "warn", "revoke"]


def test_downgrade_takes_one_star_and_a_missed_self_check_is_withdrawal(ns):
    p, t = ns.p, ns.t
    a = f.title("youth_civilization", t.shenyang_outlet, status="rectifying", star=2)
    services.rectification_decide(title_id=a.pk, decision="downgrade", note="整改不彻底", by=p.province_admin)
    a.refresh_from_db()
    assert a.status == "active" and a.star == 1
    b = f.title(
        "youth_civilization", t.shenyang_outlet, valid_from=f.today().replace(month=1, day=1) - timedelta(days=365)
    )
    services.recheck_open(title_id=b.pk, today=f.today() - timedelta(days=40))
    assert services.titles_tick()["missed"] == 1
    b.refresh_from_db()
    assert b.status == "revoked" and b.rechecks.get().result == "missed"


def test_expiring_within_90_days_and_expiry(ns):
    t = ns.t
    soon = f.title("civilized_window", t.shenyang_outlet, valid_to=f.today() + timedelta(days=30))
    later = f.title("civilized_window", t.shenyang_outlet, valid_to=f.today() + timedelta(days=200))
    gone = f.title("civilized_window", t.shenyang_outlet, valid_to=f.today() - timedelta(days=1))
    got = list(selectors.expiring(user=ns.p.province_admin, today=f.today()))
    assert soon in got and later not in got
    services.titles_tick()
    gone.refresh_from_db()
    assert gone.status == "expired"
    assert Title.objects.get(pk=soon.pk).status != "expired"
