from datetime import date

import pytest

from wenming.workdays.models import CalendarDay
from wenming.workdays.services import (
    add_working_days,
    calendar_day_set,
    is_working_day,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_official_2026_arrangement_is_seeded():
    assert CalendarDay.objects.filter(date__year=2026, kind="makeup_workday").count() == 6
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "makeup_workday"
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert CalendarDay.objects.filter(date__year=2017).exists()


@pytest.mark.parametrize(
    "d, working",
    [
        (date(2026, 10, 1), False),  # 国庆, Thursday
        (date(2026, 10, 5), False),  # Monday inside the 国庆 week
        (date(2026, 10, 7), False),  # last day of the break (Wednesday)
        (date(2026, 10, 8), True),  # back to work
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 9, 20), True),  # make-up Sunday
        (date(2026, 10, 11), False),  # ordinary Sunday
        (date(2026, 11, 28), False),  # ordinary Saturday
        (date(2026, 11, 27), True),  # ordinary Friday
        (date(2026, 2, 14), True),  # 春节 make-up Saturday
        (date(2026, 2, 23), False),  # 正月初七, Monday, still off
        (date(2025, 2, 8), True),  # 2025 make-up Saturday
        (date(2025, 10, 8), False),
        (date(2017, 9, 30), True),  # 2017 make-up Saturday before 国庆
        (date(2017, 10, 2), False),
    ],
)
def test_is_working_day(d, working):
    assert is_working_day(d) is working


def test_add_working_days_skips_the_national_day_week():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Thu, Fri, make-up Sat
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert add_working_days(date(2026, 10, 8), 0) == date(2026, 10, 8)


def test_working_days_between_counts_half_open_interval():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert working_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2  # Sat 10 is a make-up day
    assert working_days_between(date(2026, 10, 12), date(2026, 10, 9)) == -2
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 4)) == 3  # crosses the year (no 2027 data)


def test_next_working_day():
    assert next_working_day(date(2026, 10, 3)) == date(2026, 10, 8)
    assert next_working_day(date(2026, 10, 9)) == date(2026, 10, 9)


def test_editing_a_day_refreshes_the_cached_year(personas):
    assert is_working_day(date(2026, 12, 31)) is True  # fills the cache for 2026
    calendar_day_set(day=date(2026, 12, 31), kind="holiday", name="测试假日", by=personas.province_admin)
    assert is_working_day(date(2026, 12, 31)) is False


def test_make_up_day_must_be_a_weekend(personas):
    from wenming.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        calendar_day_set(day=date(2026, 12, 30), kind="makeup_workday", name="错误", by=personas.province_admin)


def test_calendar_page_lists_and_edits_for_province_admin_only(client, personas):
    client.force_login(personas.province_admin)
    resp = client.get("/calendar/?year=2026")
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "国庆节" in text and "调休上班" in text
    resp = client.post("/calendar/days/", {"date": "2026-12-31", "kind": "holiday", "name": "测试"})
    assert resp.status_code == 302
    assert CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()
    resp = client.post("/calendar/days/", {"date": "", "kind": "holiday", "name": ""})
    assert "日期不能为空" in resp.content.decode()

    client.force_login(personas.shenyang_admin)
    assert client.get("/calendar/").status_code == 200
    assert client.post("/calendar/days/", {"date": "2026-12-30", "kind": "holiday", "name": "x"}).status_code == 403
