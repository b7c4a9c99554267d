"""The six indicators read from activities, honours, surveys and complaints, each against a hand-computed
fixture (Shenyang and Dalian rows in and out of the period; the other twelve cities have no value)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from wenming.assessment.metrics import Period, metric
from wenming.complaints.models import ItemVolume
from wenming.complaints.tests.factories import make_complaint
from wenming.honours.tests import factories as hf
from wenming.surveys.models import ScoreRollup

pytestmark = pytest.mark.django_db
Y2026 = Period.year(2026)


def _values(key: str, org_tree, period: Period = Y2026):
    got = metric(key).compute(period)
    return got[org_tree.shenyang.pk], got[org_tree.dalian.pk]


def _records_ok(client, personas, key, org, period=Y2026):
    client.force_login(personas.province_admin)
    url = metric(key).records_url(org, period)
    assert client.get(url).status_code == 200, url
    return url


# --- volunteer hours per courier ----------------------------------------------------------------------


def _hours(org_tree, personas, enterprise, outlet_user, day: date, hours: str, status: str = "approved"):
    from wenming.activities.models import VolunteerEvent, VolunteerRecord, VolunteerSignup

    start = timezone.make_aware(datetime.combine(day, time(9)))
    event = VolunteerEvent.objects.create(
        organization=enterprise,
        title="助老寄递志愿服务",
        place="社区服务站",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        auto_checkout_hours=4,
        organiser=outlet_user,
    )
    signup = VolunteerSignup.objects.create(event=event, user=outlet_user, name="张晓明", personal_code="135246")
    return VolunteerRecord.objects.create(
        signup=signup, check_in_at=start, check_out_at=start + timedelta(hours=3), hours=D(hours), status=status
    )


def test_volunteer_hours_per_active_courier(org_tree, personas, client):
    from wenming.activities.selectors import approved_hours_by_city
    from wenming.honours.tests.factories import team

    team(org_tree.shenyang_outlet, 4)  # 4 active couriers in Shenyang, none in Dalian
    sy, dl = org_tree.shenyang_enterprise, org_tree.dalian_enterprise
    _hours(org_tree, personas, sy, personas.shenyang_outlet, date(2026, 3, 5), "3.0")
    _hours(org_tree, personas, sy, personas.shenyang_outlet, date(2026, 12, 31), "2.5")
    _hours(org_tree, personas, sy, personas.shenyang_outlet, date(2026, 4, 1), "8.0", status="pending")  # not approved
    _hours(org_tree, personas, sy, personas.shenyang_outlet, date(2025, 12, 31), "6.0")  # last year
    _hours(org_tree, personas, dl, personas.shenyang_outlet, date(2026, 6, 1), "4.0")

    assert approved_hours_by_city(date(2026, 1, 1), date(2026, 12, 31)) == {"210100": D("5.5"), "210200": D("4.0")}
    s, d = _values("volunteer_hours_per_courier", org_tree)
    assert (s.value, s.numerator, s.denominator) == (D("1.38"), D("5.5"), D(4))  # 5.5 h / 4 couriers
    assert d.value is None and d.numerator == D("4.0")  # Dalian has hours but no courier on file
    assert "status=approved" in _records_ok(client, personas, "volunteer_hours_per_courier", org_tree.shenyang)


# --- honours by level --------------------------------------------------------------------------------------


def test_honour_points_by_level(org_tree, personas, client):
    from wenming.honours.selectors import titles_by_city_and_level

    sy, dl = org_tree.shenyang_outlet, org_tree.dalian_outlet
    hf.title("civilized_window", sy, level="national", valid_from=date(2026, 5, 1))
    hf.title("civilized_window", org_tree.shenyang_enterprise, level="provincial", valid_from=date(2026, 9, 1))
    hf.title("youth_civilization", sy, level="city", valid_from=date(2026, 2, 1))
    hf.title("youth_civilization", sy, level="city", valid_from=date(2026, 2, 2), status="revoked")  # lost
    hf.title("youth_civilization", sy, level="national", valid_from=date(2025, 6, 1))  # last year
    hf.title("women_civilization_post", dl, level="enterprise", valid_from=date(2026, 7, 1))

    rows = titles_by_city_and_level(date(2026, 1, 1), date(2026, 12, 31))
    assert rows == {"210100": {"national": 1, "provincial": 1, "city": 1}, "210200": {"enterprise": 1}}
    s, d = _values("honours_by_level", org_tree)
    assert (s.value, s.denominator) == (D(17), D(3))  # 10 + 5 + 2 points from three titles
    assert (d.value, d.denominator) == (D(1), D(1))
    url = _records_ok(client, personas, "honours_by_level", org_tree.shenyang)
    client.force_login(personas.province_admin)
    page = client.get(url).content.decode()
    assert "大连" not in page.split("<tbody", 1)[-1]  # the drill-down lists Shenyang's titles only


# --- satisfaction index and trend -------------------------------------------------------------------------


def _rollup(org_tree, outlet, city: str, month: date, n: int, mean_points: float) -> None:
    from wenming.organizations.models import Outlet

    o = Outlet.objects.get(organization=outlet)
    total = round(mean_points * 10) * n  # tenths of a point, as the rollup stores them
    ScoreRollup.objects.create(
        outlet=o,
        enterprise=outlet.parent,
        brand=o.brand,
        city_code=city,
        month=month,
        responses=n,
        n=n,
        s=total,
        ss=total * round(mean_points * 10) // n if n else 0,
    )


def test_satisfaction_index_and_trend(org_tree, personas, client):
    sy, dl = org_tree.shenyang_outlet, org_tree.dalian_outlet
    _rollup(org_tree, sy, "210100", date(2026, 1, 1), 30, 80.0)
    _rollup(org_tree, sy, "210100", date(2026, 2, 1), 10, 90.0)  # (30×80 + 10×90) / 40 = 82.5
    _rollup(org_tree, sy, "210100", date(2025, 6, 1), 20, 79.0)  # the previous year
    _rollup(org_tree, dl, "210200", date(2026, 3, 1), 5, 70.0)  # no previous year: no trend

    s, d = _values("satisfaction_index", org_tree)
    assert (s.value, s.denominator) == (D("82.5"), D(40))
    assert (d.value, d.denominator) == (D("70.0"), D(5))
    st, dt = _values("satisfaction_trend", org_tree)
    assert (st.value, st.numerator, st.denominator) == (D("3.5"), D("82.5"), D("79.0"))
    assert dt.value is None
    _records_ok(client, personas, "satisfaction_index", org_tree.shenyang)


# --- complaints ----------------------------------------------------------------------------------------


def test_valid_complaints_per_million_and_overdue_replies(org_tree, personas, client):
    sy, dl = org_tree.shenyang_enterprise, org_tree.dalian_enterprise
    for m in (1, 2):
        ItemVolume.objects.create(enterprise=sy, month=date(2026, m, 1), items=1_000_000)
    ItemVolume.objects.create(enterprise=dl, month=date(2026, 1, 1), items=500_000)
    accepted = timezone.make_aware(datetime(2026, 1, 12, 10))
    make_complaint(sy, received_on=date(2026, 1, 10), status="closed", is_valid=True, accepted_at=accepted)
    make_complaint(
        sy, received_on=date(2026, 2, 3), status="closed", is_valid=True, accepted_at=accepted, reply_overdue=True
    )
    make_complaint(sy, received_on=date(2026, 2, 4), status="closed", is_valid=False, accepted_at=accepted)
    make_complaint(sy, received_on=date(2026, 2, 5), status="not_accepted")  # refused: never counts
    make_complaint(sy, received_on=date(2025, 12, 30), status="closed", is_valid=True, accepted_at=accepted)  # 2025
    make_complaint(dl, received_on=date(2026, 1, 20), status="closed", is_valid=False, accepted_at=accepted)

    s, d = _values("valid_complaints_ppm", org_tree)
    assert (s.value, s.numerator, s.denominator) == (D("1.00"), D(2), D(2_000_000))  # 2 valid / 2 million items
    assert (d.value, d.numerator) == (D("0.00"), D(0))
    so, do = _values("complaint_reply_overdue", org_tree)
    assert (so.value, so.numerator, so.denominator) == (D("33.33"), D(1), D(3))  # 1 late of 3 forwarded
    assert (do.value, do.denominator) == (D("0.00"), D(1))
    client.force_login(personas.province_admin)
    url = metric("complaint_reply_overdue").records_url(org_tree.shenyang, Y2026)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.context["page"].paginator.count == 1, url
    url = metric("valid_complaints_ppm").records_url(org_tree.shenyang, Y2026)
    assert client.get(url).context["page"].paginator.count == 2  # the two valid complaints behind the number


def test_every_indicator_of_the_issue_is_registered():
    from wenming.assessment.metrics import all_metrics

    keys = {m.key for m in all_metrics()}
    assert {
        "task_on_time",
        "task_ack_1wd",
        "reports_adopted",
        "activities_per_1000",
        "volunteer_hours_per_courier",
        "honours_by_level",
        "satisfaction_index",
        "satisfaction_trend",
        "valid_complaints_ppm",
        "complaint_reply_overdue",
        "media_coverage",
    } <= keys


def test_assessment_refresh_command(org_tree, personas):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from wenming.assessment.models import MetricSnapshot
    from wenming.publicity.models import MediaCoverage

    assert not MediaCoverage.objects.exists()
    out = StringIO()
    call_command("assessment_refresh", "--period", "2026-Q3", "--metric", "media_coverage", stdout=out)
    assert f"{Period.quarter(2026, 3).label}：2 条快照" in out.getvalue()
    rows = MetricSnapshot.objects.filter(metric_key="media_coverage", period_kind="quarter")
    assert rows.count() == 2 and {r.value for r in rows} == {D(0)}  # both cities of the tree, 0 reports
    call_command("assessment_refresh", "--year", "2026", "--all", "--metric", "media_coverage", stdout=StringIO())
    assert MetricSnapshot.objects.filter(metric_key="media_coverage").count() == 2 * (1 + 4 + 12)
    for bad in (["--period", "2026-Q9"], ["--period", "abc"], ["--metric", "nope"], ["--all"], ["--year", "1800"]):
        with pytest.raises(CommandError):
            call_command("assessment_refresh", *bad, stdout=StringIO())
