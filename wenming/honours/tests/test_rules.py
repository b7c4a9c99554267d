"""Each eligibility rule over platform data, the 公示 end on the working-day calendar, objections
from the public page, the honour roll's masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from wenming.core.errors import ApplicationError
from wenming.honours import eligibility as E
from wenming.honours import services
from wenming.honours.models import Objection
from wenming.honours.tests import factories as f
from wenming.organizations.models import Enterprise

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def subject(org, **kw):
    return E.Subject(organization=org, today=TODAY, level=kw.pop("level", "provincial"), **kw)


def test_headcount(ns):
    f.team(ns.t.shenyang_outlet, 5)
    assert "5 人" in E.headcount(subject(ns.t.shenyang_outlet), min=6, max=200)
    f.team(ns.t.shenyang_outlet, 1)
    assert E.headcount(subject(ns.t.shenyang_outlet), min=6, max=200) is None
    assert E.headcount(subject(ns.t.shenyang_outlet), min=2, max=5) == "集体人数 6 人，须在 2–5 人之间"


def test_headcount_counts_the_subtree_and_active_only(ns):
    team = f.team(ns.t.shenyang_outlet, 7)
    team[0].status = "left"
    team[0].save()
    assert E.headcount(subject(ns.t.shenyang_enterprise), min=7, max=200) == "集体人数 6 人，须在 7–200 人之间"


def test_young_share(ns):
    f.team(ns.t.shenyang_outlet, 10, young=4)
    reason = E.young_share(subject(ns.t.shenyang_outlet), max_age=35, min_pct=50)
    assert reason == "35 周岁以下青年占 40%（4/10 人），须不低于 50%"
    f.team(ns.t.shenyang_outlet, 2, young=2)
    assert E.young_share(subject(ns.t.shenyang_outlet), max_age=35, min_pct=50) is None  # 6 of 12


def test_young_share_boundary_age_35_counts(ns):
    f.courier(ns.t.shenyang_outlet, born=date(1991, 6, 1))  # 35 on the day
    f.courier(ns.t.shenyang_outlet, born=date(1991, 5, 31))  # 35 and a day
    f.courier(ns.t.shenyang_outlet, born=date(1990, 6, 1))  # 36
    assert E.young_share(subject(ns.t.shenyang_outlet), max_age=35, min_pct=66) is None
    assert "（2/3 人）" in E.young_share(subject(ns.t.shenyang_outlet), max_age=35, min_pct=67)


def test_women_share_and_female_leader(ns):
    team = f.team(ns.t.shenyang_outlet, 4, women=1)
    assert E.women_share(subject(ns.t.shenyang_outlet), min_pct=50) == "女职工占 25%（1/4 人），须不低于 50%"
    f.team(ns.t.shenyang_outlet, 2, women=2)
    assert E.women_share(subject(ns.t.shenyang_outlet), min_pct=50) is None
    assert E.female_leader(subject(ns.t.shenyang_outlet, leader=team[1])) == "须有至少 1 名女性负责人"
    assert E.female_leader(subject(ns.t.shenyang_outlet, leader=team[0])) is None
    assert E.female_leader(subject(ns.t.shenyang_outlet)) == "须有至少 1 名女性负责人"


def test_leader_max_age(ns):
    old = f.courier(ns.t.shenyang_outlet, born=date(1980, 1, 1))
    young = f.courier(ns.t.shenyang_outlet, born=date(1986, 6, 1))
    assert (
        E.leader_max_age(subject(ns.t.shenyang_outlet, leader=old), max_age=40)
        == "负责人年龄 46 周岁，须不超过 40 周岁"
    )
    assert E.leader_max_age(subject(ns.t.shenyang_outlet, leader=young), max_age=40) is None
    assert E.leader_max_age(subject(ns.t.shenyang_outlet), max_age=40) == "未填写集体负责人"


def test_prior_title_held_long_enough(ns):
    from wenming.honours.models import Programme

    pid = Programme.objects.get(code="youth_civilization").pk
    s = subject(ns.t.shenyang_outlet, programme_id=pid)
    assert E.prior_title(s, years=1) == "未获得市级称号"
    f.title("youth_civilization", ns.t.shenyang_outlet, level="city", valid_from=date(2025, 9, 1))
    assert E.prior_title(s, years=1) == "市级称号获得于 2025-09-01，须满 1 年"
    f.title("youth_civilization", ns.t.shenyang_outlet, level="city", valid_from=date(2025, 5, 31))
    assert E.prior_title(s, years=1) is None
    f.title("youth_civilization", ns.t.dalian_outlet, level="city", valid_from=date(2020, 1, 1), status="revoked")
    assert E.prior_title(subject(ns.t.dalian_outlet, programme_id=pid), years=1) == "未获得市级称号"


def test_licensed_employer(ns):
    c = f.courier(ns.t.shenyang_outlet)
    assert E.licensed_employer(subject(ns.t.shenyang_outlet, courier=c)) is None
    Enterprise.objects.filter(organization=ns.t.shenyang_enterprise).update(licence_valid_to=date(2026, 1, 31))
    assert E.licensed_employer(subject(ns.t.shenyang_outlet, courier=c)) == "所在企业经营许可已于 2026-01-31 到期"
    Enterprise.objects.filter(organization=ns.t.shenyang_enterprise).update(licence_no="")
    assert E.licensed_employer(subject(ns.t.shenyang_outlet, courier=c)) == "所在企业未取得快递业务经营许可"


def test_labour_contract_delivery_years_and_in_post(ns):
    c = f.courier(ns.t.shenyang_outlet, started=date(2024, 6, 2), contract=False)
    s = subject(ns.t.shenyang_outlet, courier=c)
    assert E.labour_contract(s) == "未与用人单位签订劳动合同"
    assert E.delivery_years(s, min_years=2) == "从事收投工作 1 年（自 2024-06-02），须满 2 年"
    assert E.in_post(s) is None
    c.started_delivery_on, c.has_labour_contract, c.status = date(2024, 6, 1), True, "left"
    assert E.labour_contract(s) is None and E.delivery_years(s, min_years=2) is None
    assert E.in_post(s) == "被推荐人不在岗"


def test_screen_reports_every_failed_rule_and_unknown_codes(ns):
    c = f.courier(ns.t.shenyang_outlet, started=date(2025, 1, 1), contract=False)
    rows = E.screen(
        [
            {"code": "labour_contract"},
            {"code": "delivery_years", "params": {"min_years": 2}},
            {"code": "in_post"},
            {"code": "nope"},
        ],
        subject(ns.t.shenyang_outlet, courier=c),
    )
    assert [(r.code, r.ok) for r in rows] == [
        ("labour_contract", False),
        ("delivery_years", False),
        ("in_post", True),
        ("nope", False),
    ]
    assert all(r.reason for r in rows if not r.ok)


def test_honour_application_refused_with_every_reason(ns):
    cycle = f.cycle("youth_civilization", ns.t.province)
    f.team(ns.t.shenyang_outlet, 3, young=1)
    app = f.application(cycle, ns.t.shenyang_outlet, by=ns.p.shenyang_outlet)
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(application_id=app.pk, by=ns.p.shenyang_outlet)
    msg = exc.value.message
    assert "集体人数 3 人" in msg and "青年占 33%" in msg and "未填写集体负责人" in msg and "未获得市级称号" in msg
    app.refresh_from_db()
    assert app.status == "draft"


def test_submission_only_inside_the_window(ns):
    cycle = f.cycle("youth_civilization", ns.t.province, open_now=False)
    with pytest.raises(ApplicationError, match="不在申报时间内"):
        services.application_create(
            cycle=cycle,
            organization=ns.t.shenyang_outlet,
            by=ns.p.shenyang_outlet,
            data={"name": "x", "statement": "y"},
        )


def test_notice_end_counts_working_days_over_a_holiday():
    # 2026-09-28 (Mon) + 5 working days: Mon–Wed, then 国庆 1–7 Oct (with 10 Oct a make-up working day)
    from wenming.workdays.services import is_working_day

    start = date(2026, 9, 28)
    end = services.notice_end(start, 5)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    assert sum(1 for d in days if is_working_day(d)) == 5
    assert is_working_day(end)
    assert services.notice_end(date(2026, 11, 28), 5) == date(2026, 12, 4)  # Saturday start → Mon 30 Nov to Fri 4 Dec


def test_objection_from_the_public_page_is_stored_encrypted_and_masked(ns, client):
    app = f.application(
        f.cycle("civilized_unit", ns.t.province), ns.t.shenyang, status="notice", name="沈阳市邮政管理局机关"
    )
    n = f.notice(app.cycle, [app])
    url = reverse("public:honours-notice", args=[n.pk])
    page = client.get(url).content.decode()
    assert "沈阳市邮政管理局机关" in page and "024-22880000" in page and "jd@example.cn" in page
    resp = client.post(
        url,
        {"application": app.pk, "name": "赵海燕", "phone": "13700001234", "content": "该单位窗口曾多次推诿群众咨询。"},
    )
    assert resp.status_code == 302
    o = Objection.objects.get()
    assert o.name_hint.startswith("赵") and "海燕" not in o.name_hint and "赵海燕" not in o.name_enc
    assert "13700001234" not in o.phone_enc and o.phone_hint != "13700001234"
    bad = client.post(
        url, {"application": app.pk, "name": "赵海燕", "phone": "123", "content": "该单位窗口曾多次推诿群众咨询。"}
    )
    assert bad.status_code == 422 and Objection.objects.count() == 1
    n.ends_on = f.today() - timedelta(days=1)
    n.starts_on = f.today() - timedelta(days=7)
    n.save()
    assert "公示期已结束" in client.get(url).content.decode()
    with pytest.raises(ApplicationError, match="公示期已结束"):
        services.objection_submit(
            notice_id=n.pk,
            application_id=app.pk,
            name="赵海燕",
            phone="13700001234",
            content="再次提出异议，内容足够长。",
        )


def test_upheld_objection_withdraws_the_entry_and_a_second_notice_follows(ns):
    c = f.cycle("civilized_unit", ns.t.province)
    a = f.application(c, ns.t.shenyang, status="notice", name="沈阳市局机关")
    b = f.application(c, ns.t.dalian, status="notice", name="大连市局机关")
    n = f.notice(c, [a, b])
    o = f.objection(n, a, status="investigating")
    services.objection_decide(objection_id=o.pk, upheld=True, finding="经核实存在违规收费问题", by=ns.p.province_admin)
    a.refresh_from_db()
    assert a.status == "rejected" and "异议经调查成立" in a.last_comment
    n.starts_on, n.ends_on = f.today() - timedelta(days=9), f.today() - timedelta(days=1)
    n.save()
    n2 = services.notice_publish(cycle_id=c.pk, by=ns.p.province_admin)
    assert n2.round == 2 and list(n2.entries.all()) == [b]


def test_public_roll_masks_people_and_filters(ns, client):
    c = f.courier(ns.t.shenyang_outlet, name="王小红")
    f.title("most_beautiful_courier", ns.t.shenyang_outlet, courier=c, holder="王小红", valid_to=None)
    f.title("civilized_window", ns.t.dalian_outlet, holder="中通大连中山营业部窗口")
    ns.t.dalian_outlet.city_code = "210200"
    ns.t.dalian_outlet.save()
    body = client.get(reverse("public:honours-roll")).content.decode()
    assert "王小红" not in body and "王*" in body and "中通大连中山营业部窗口" in body
    body = client.get(reverse("public:honours-roll"), {"programme": "civilized_window"}).content.decode()
    assert "王*" not in body and "中通大连中山营业部窗口" in body
    body = client.get(reverse("public:honours-roll"), {"city": "210200"}).content.decode()
    assert "中通大连中山营业部窗口" in body


def test_no_valid_complaint_in_the_last_12_months(ns):
    from wenming.complaints.tests.factories import make_complaint
    from wenming.honours.models import Programme

    t = ns.t
    today = TODAY
    c = f.courier(t.shenyang_outlet)
    unit, person = subject(t.shenyang_enterprise), subject(t.shenyang_outlet, courier=c)
    make_complaint(t.shenyang_enterprise, outlet=t.shenyang_outlet, received_on=today, is_valid=False)
    make_complaint(
        t.shenyang_enterprise, outlet=t.shenyang_outlet, received_on=E.months_before(today, 13), is_valid=True
    )
    make_complaint(t.dalian_enterprise, outlet=t.dalian_outlet, received_on=today, is_valid=True)
    assert E.no_valid_complaint(unit) is None and E.no_valid_complaint(person) is None
    make_complaint(
        t.shenyang_enterprise, outlet=t.shenyang_outlet, received_on=today - timedelta(days=30), is_valid=True
    )
    start = E.months_before(today, 12)
    reason = f"近 12 个月（自 {start:%Y-%m-%d}）有效申诉 1 件，须不超过 0 件"
    assert E.no_valid_complaint(unit) == reason and E.no_valid_complaint(person) == reason
    assert E.no_valid_complaint(person, max=1) is None
    # the seeded programmes that ask for it carry the rule, and screening reports the reason
    for code in ("civilized_window", "most_beautiful_courier"):
        rules = Programme.objects.get(code=code).rules
        assert {"code": "no_valid_complaint", "params": {"months": 12, "max": 0}} in rules, code
    results = E.screen([{"code": "no_valid_complaint", "params": {"months": 12}}], person)
    assert [(r.label, r.ok, r.reason) for r in results] == [("无有效申诉", False, reason)]


def test_months_before_clamps_to_the_month_end():
    assert E.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert E.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert E.months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
