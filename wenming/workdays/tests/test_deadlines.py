"""Deadlines land on working days: computed ones roll forward, chosen rest days are warned about,
and next year's calendar is entered from the State Council notice."""

from __future__ import annotations

from datetime import date

import pytest

from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.plans.models import ExtensionRequest, ProgressReport, WorkDispatch
from wenming.plans.services import report_create, report_due_date
from wenming.plans.tests.conftest import at
from wenming.workdays.models import CalendarDay
from wenming.workdays.notice import parse_notice
from wenming.workdays.services import is_working_day, next_working_day, rest_day_label

pytestmark = pytest.mark.django_db

NOTICE_2027 = """元旦 2027-01-01 至 2027-01-03
春节：2月6日至2月13日；调休上班 2月14日、2月20日
清明节 2027年4月3日 至 2027年4月5日
劳动节 2027/5/1 到 2027/5/5；调休上班 2027-04-25、2027-05-08
"""


# --- computed deadlines ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, year, period, configured, due",
    [
        ("monthly", 2026, 11, date(2026, 12, 5), date(2026, 12, 7)),  # Saturday → Monday
        ("half_year", 2026, 1, date(2026, 7, 5), date(2026, 7, 6)),  # Sunday → Monday
        ("monthly", 2026, 9, date(2026, 10, 5), date(2026, 10, 8)),  # inside the 国庆 week
        ("monthly", 2026, 1, date(2026, 2, 5), date(2026, 2, 5)),  # a Thursday stays
        ("annual", 2026, 1, date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_report_due_dates_roll_to_the_next_working_day(kind, year, period, configured, due):
    assert report_due_date(kind, year, period) == due
    assert is_working_day(due)
    assert next_working_day(configured) == due


def test_a_new_report_carries_the_rolled_deadline(personas, org_tree):
    with at(2026, 12, 1):
        r = report_create(
            organization=org_tree.shenyang, kind="monthly", year=2026, period=11, by=personas.shenyang_admin
        )
    assert ProgressReport.objects.get(pk=r.pk).due_date == date(2026, 12, 7)


def test_rest_day_label_names_the_holiday_or_the_weekday():
    assert rest_day_label(date(2026, 10, 1)) == "国庆节"
    assert rest_day_label(date(2026, 11, 28)) == "星期六"
    assert rest_day_label(date(2026, 10, 10)) == ""  # make-up working Saturday


# --- a chosen rest day: warned, next working day offered ------------------------------------------
def _dispatch_post(org_tree, **extra):
    return {
        "issuer": org_tree.province.pk,
        "title": "国庆期间寄递安全检查",
        "content": "各市局按要求开展检查",
        "due_date": "2026-10-01",
        "assignees": [org_tree.shenyang.pk],
        **extra,
    }


def test_dispatch_due_on_a_holiday_comes_back_with_the_next_working_day(client, personas, org_tree):
    client.force_login(personas.province_admin)
    with at(2026, 9, 1):
        resp = client.post("/plans/tasks/new/", _dispatch_post(org_tree))
        page = resp.content.decode()
        assert resp.status_code == 200
        assert "2026-10-01 是休息日（国庆节），下一个工作日是 2026-10-08" in page
        assert 'name="due_date__next" value="2026-10-08"' in page
        assert "改为 2026-10-08（下一个工作日）" in page
        assert 'name="due_date__keep"' in page and "仍按所选日期（2026-10-01）" in page
        assert "国庆期间寄递安全检查" in page  # input kept
        assert not WorkDispatch.objects.exists()

        resp = client.post("/plans/tasks/new/", _dispatch_post(org_tree, due_date__next="2026-10-08"))
        assert resp.status_code == 302
        assert WorkDispatch.objects.get().due_date == date(2026, 10, 8)

        resp = client.post("/plans/tasks/new/", _dispatch_post(org_tree, title="按原日期", due_date__keep="1"))
        assert resp.status_code == 302
        assert WorkDispatch.objects.get(title="按原日期").due_date == date(2026, 10, 1)


def test_dispatch_due_on_a_plain_saturday_is_warned_too(client, personas, org_tree):
    client.force_login(personas.province_admin)
    with at(2026, 11, 2):
        page = client.post("/plans/tasks/new/", _dispatch_post(org_tree, due_date="2026-11-28")).content.decode()
    assert "2026-11-28 是休息日（星期六），下一个工作日是 2026-11-30" in page
    assert not WorkDispatch.objects.exists()


def test_extension_to_a_rest_day_is_warned_and_keeps_the_reason(client, personas, make_task):
    task = make_task(due=date(2026, 11, 20))
    client.force_login(personas.shenyang_admin)
    url = f"/plans/tasks/{task.pk}/extension/"
    with at(2026, 11, 3):
        resp = client.post(url, {"new_due_date": "2026-12-05", "reason": "需协调企业总部"})
        page = resp.content.decode()
        assert resp.status_code == 200
        assert "2026-12-05 是休息日（星期六），下一个工作日是 2026-12-07" in page
        assert 'name="new_due_date__next" value="2026-12-07"' in page
        assert "需协调企业总部" in page
        assert not ExtensionRequest.objects.exists()
        resp = client.post(url, {"new_due_date": "2026-12-05", "new_due_date__next": "2026-12-07", "reason": "需协调"})
        assert resp.status_code == 302
    assert ExtensionRequest.objects.get().requested_due_date == date(2026, 12, 7)


# --- the State Council notice as a short table ---------------------------------------------------
def test_parse_notice_reads_ranges_single_days_and_make_up_days():
    lines = parse_notice(NOTICE_2027, 2027)
    assert [(e.name, e.start, e.end, e.makeups) for e in lines] == [
        ("元旦", date(2027, 1, 1), date(2027, 1, 3), []),
        ("春节", date(2027, 2, 6), date(2027, 2, 13), [date(2027, 2, 14), date(2027, 2, 20)]),
        ("清明节", date(2027, 4, 3), date(2027, 4, 5), []),
        ("劳动节", date(2027, 5, 1), date(2027, 5, 5), [date(2027, 4, 25), date(2027, 5, 8)]),
    ]
    assert parse_notice("端午节 6月9日", 2027)[0].end == date(2027, 6, 9)


@pytest.mark.parametrize(
    "text, message",
    [
        ("元旦 2027-01-01 至 2027-01-03；调休上班 2027-01-04", "第1行：调休上班日 2027-01-04 必须是周六或周日"),
        ("元旦 2027-01-01\n元旦补 2027-01-01", "第2行：2027-01-01 已在第1行出现"),
        ("春节 2027-02-30", "第1行：日期“2027-02-30”不正确"),
        ("2027-01-01 至 2027-01-03", "第1行：缺少节日名称"),
        ("元旦放假三天", "第1行：没有找到日期"),
        ("国庆节 2027-10-07 至 2027-10-01", "第1行：截止日期不能早于起始日期"),
        ("国庆节 2027-10-01 至 2027-11-01", "第1行：放假不超过15天"),
        ("元旦 2026-01-01", "第1行：2026-01-01 不属于2027年的安排"),
        ("元旦 2027-01-01；调休上班", "第1行：“调休上班”后缺少日期"),
        ("\n \n", "请逐行填写节假日安排"),
    ],
)
def test_parse_notice_rejects_with_the_line_number(text, message):
    with pytest.raises(ApplicationError) as exc:
        parse_notice(text, 2027)
    assert message in exc.value.message


def test_province_enters_the_notice_with_a_preview_and_an_audit_row(client, personas):
    client.force_login(personas.province_admin)
    with at(2026, 11, 2):
        page = client.get("/calendar/notice/").content.decode()
        assert 'value="2027"' in page and "元旦 2026-01-01 至 2026-01-03；调休上班 2026-01-04" in page
        resp = client.post("/calendar/notice/", {"year": "2027", "text": NOTICE_2027})
        page = resp.content.decode()
        assert resp.status_code == 200 and "2027年节假日安排预览" in page and "确认保存" in page
        assert "2027-02-14（星期日）、2027-02-20（星期六）" in page
        assert not CalendarDay.objects.filter(date__year=2027).exists()  # the preview saves nothing

        resp = client.post("/calendar/notice/", {"year": "2027", "text": NOTICE_2027, "confirm": "1"})
        assert resp.status_code == 302 and resp["Location"].endswith("?year=2027")
    assert CalendarDay.objects.filter(date__year=2027, kind="holiday").count() == 3 + 8 + 3 + 5
    assert CalendarDay.objects.filter(date__year=2027, kind="makeup_workday").count() == 4
    assert not is_working_day(date(2027, 1, 1)) and is_working_day(date(2027, 2, 20))
    ev = AuditEvent.objects.get(object_type="workdays.CalendarDay", object_id="2027")
    assert ev.action == "create" and ev.actor == personas.province_admin and ev.detail["days"] == 23

    # entered again with a correction: the old days of the year go, one more audit row (an update)
    with at(2026, 11, 3):
        client.force_login(personas.province_admin)  # a new session: the idle timeout has passed
        client.post("/calendar/notice/", {"year": "2027", "text": "元旦 2027-01-01", "confirm": "1"})
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [date(2027, 1, 1)]
    assert AuditEvent.objects.filter(object_id="2027", action="update").get().detail["removed"] == 22


def test_a_bad_notice_keeps_the_text_and_names_the_line(client, personas):
    client.force_login(personas.province_admin)
    text = "元旦 2027-01-01\n春节 2027-02-06 至 2027-02-13；调休上班 2027-02-15"
    page = client.post("/calendar/notice/", {"year": "2027", "text": text, "confirm": "1"}).content.decode()
    assert "第2行：调休上班日 2027-02-15 必须是周六或周日" in page
    assert "春节 2027-02-06 至 2027-02-13" in page
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_only_calendar_managers_enter_the_notice(client, personas):
    client.force_login(personas.shenyang_admin)
    assert client.get("/calendar/notice/").status_code == 403
    assert (
        client.post("/calendar/notice/", {"year": "2027", "text": "元旦 2027-01-01", "confirm": "1"}).status_code == 403
    )
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_workbench_warns_the_province_from_november_when_next_year_is_missing(client, personas):
    warning = "2027年节假日安排尚未录入"
    with at(2026, 10, 30):
        client.force_login(personas.province_admin)
        assert warning not in client.get("/workbench/").content.decode()
    with at(2026, 11, 1):
        client.force_login(personas.province_admin)
        page = client.get("/workbench/").content.decode()
        assert warning in page and 'href="/calendar/notice/"' in page
        assert warning in client.get("/calendar/").content.decode()
        client.force_login(personas.shenyang_admin)  # a city bureau cannot enter it: not told
        assert warning not in client.get("/workbench/").content.decode()
        client.force_login(personas.province_admin)
        client.post("/calendar/notice/", {"year": "2027", "text": NOTICE_2027, "confirm": "1"})
        assert warning not in client.get("/workbench/").content.decode()
