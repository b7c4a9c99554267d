"""Services of 申诉: time limits on the calendar, preconditions, the whole case with a missed limit,
the callback retry, statistics per million items against hand-computed figures, retention."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from wenming.audit.models import AuditEvent
from wenming.complaints import services
from wenming.complaints.checks import complaint_retention_check
from wenming.complaints.choices import Category, Channel, ComplaintStatus, Satisfaction
from wenming.complaints.models import Complaint, ItemVolume
from wenming.core.errors import ApplicationError
from wenming.workbench.models import Notification

from .factories import make_complaint

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
S = ComplaintStatus


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0):
    return time_machine.travel(datetime(y, m, d, h, minute, tzinfo=TZ), tick=False)


# --- every time limit across a weekend and across a holiday (the 2026 calendar) ------------------------
@pytest.mark.parametrize(
    "start, expected",
    [
        (date(2026, 11, 26), date(2026, 11, 30)),  # Thu → Fri, (weekend), Mon
        (date(2026, 9, 24), date(2026, 9, 29)),  # Thu → (中秋 Fri–Sun), Mon, Tue
        (date(2026, 9, 18), date(2026, 9, 21)),  # Fri → Sun 20 is a make-up working day (国庆调休), Mon
    ],
)
def test_accept_within_two_working_days(start, expected):
    assert services.accept_due_for(start) == expected


@pytest.mark.parametrize(
    "start, expected",
    [
        (date(2026, 11, 6), date(2026, 11, 23)),  # +15 days = Sat 21 → Mon 23
        (date(2026, 9, 16), date(2026, 10, 8)),  # +15 days = 1 Oct (国庆) → Thu 8 Oct
        (date(2026, 11, 2), date(2026, 11, 17)),  # +15 days = Tue 17, a working day
    ],
)
def test_enterprise_reply_within_fifteen_days_landing_on_a_working_day(start, expected):
    assert services.reply_due_for(start) == expected


@pytest.mark.parametrize(
    "start, expected",
    [
        (date(2026, 12, 3), date(2026, 12, 8)),  # Thu → Fri, Mon, Tue
        (date(2026, 9, 30), date(2026, 10, 10)),  # Wed → (国庆 1–7) Thu 8, Fri 9, Sat 10 (make-up day)
    ],
)
def test_callback_within_three_working_days(start, expected):
    assert services.callback_due_for(start) == expected


@pytest.mark.parametrize(
    "start, expected",
    [
        (date(2026, 11, 5), date(2026, 12, 7)),  # +30 = Sat 5 Dec → Mon 7
        (date(2026, 9, 1), date(2026, 10, 8)),  # +30 = 1 Oct (国庆) → Thu 8
    ],
)
def test_final_answer_within_thirty_days(start, expected):
    assert services.final_due_for(start) == expected


# --- preconditions ---------------------------------------------------------------------------------
TODAY = date(2026, 12, 4)


def test_complaint_to_the_enterprise_less_than_seven_days_ago_is_refused_with_the_date_it_may_come():
    with pytest.raises(ApplicationError) as e:
        services.check_preconditions(
            mailed_on=date(2026, 11, 20), prior_complaint_on=date(2026, 12, 1), prior_unsatisfied=False, today=TODAY
        )
    assert e.value.field == "prior_complaint_on" and e.value.code == "no_prior"
    assert "请先向企业投诉" in e.value.message and "2026-12-08" in e.value.message
    # exactly seven days: allowed; an unsatisfactory answer of the enterprise: allowed at once
    services.check_preconditions(
        mailed_on=date(2026, 11, 20), prior_complaint_on=date(2026, 11, 27), prior_unsatisfied=False, today=TODAY
    )
    services.check_preconditions(
        mailed_on=date(2026, 11, 20), prior_complaint_on=date(2026, 12, 3), prior_unsatisfied=True, today=TODAY
    )


def test_a_case_mailed_more_than_a_year_ago_is_refused():
    with pytest.raises(ApplicationError) as e:
        services.check_preconditions(
            mailed_on=date(2025, 12, 3), prior_complaint_on=date(2026, 11, 1), prior_unsatisfied=False, today=TODAY
        )
    assert e.value.code == "too_old" and "超过1年" in e.value.message
    services.check_preconditions(
        mailed_on=date(2025, 12, 4), prior_complaint_on=date(2026, 11, 1), prior_unsatisfied=False, today=TODAY
    )


def _data(t, **over):
    data = {
        "enterprise": t.shenyang_enterprise,
        "outlet": t.shenyang_outlet,
        "waybill_no": " sf 1234 5678 90 ",
        "category": Category.DELAY,
        "business_type": "parcel",
        "description": "快件超过承诺时限五天未送达，网点电话无人接听。",
        "claim": "尽快投递并说明原因",
        "complainant_name": "王小明",
        "phone": "139-1234-5678",
        "mailed_on": date(2026, 11, 10),
        "prior_complaint_on": date(2026, 11, 16),
        "prior_unsatisfied": False,
    }
    data.update(over)
    return data


def test_registration_refused_stores_nothing(org_tree):
    with at(2026, 11, 19), pytest.raises(ApplicationError):
        services.complaint_register(data=_data(org_tree))
    assert not Complaint.objects.exists()


def test_staff_intake_needs_the_handle_right_on_the_enterprise(org_tree, personas):
    with at(2026, 11, 26):
        c = services.complaint_register(data=_data(org_tree), channel=Channel.PHONE, by=personas.shenyang_staff)
        assert c.channel == Channel.PHONE and c.created_by == personas.shenyang_staff
        with pytest.raises(PermissionDenied):
            services.complaint_register(data=_data(org_tree), channel=Channel.PHONE, by=personas.dalian_admin)
        with pytest.raises(ApplicationError):  # an outlet of another enterprise
            services.complaint_register(data=_data(org_tree, outlet=org_tree.dalian_outlet), by=None)


# --- the whole case, one limit missed and flagged ----------------------------------------------------
def test_a_case_from_registration_to_closing_with_a_missed_accept_limit(
    org_tree, personas, django_capture_on_commit_callbacks
):
    t, p = org_tree, personas
    with at(2026, 11, 26, 9):  # Thursday
        c = services.complaint_register(data=_data(t))
    assert c.status == S.RECEIVED and c.accept_due == date(2026, 11, 30)
    assert c.waybill_no == "SF1234567890" and c.phone_hint == "139****5678"
    assert "13912345678" not in c.phone_enc and c.phone_matches("13912345678")

    with at(2026, 11, 30, 23):  # the last day of the limit: not yet late
        assert services.flag_overdue() == 0
    with at(2026, 12, 1, 8), django_capture_on_commit_callbacks(execute=True):  # Tuesday: the limit was missed
        assert services.flag_overdue() == 1
        assert services.flag_overdue() == 0  # idempotent
    c.refresh_from_db()
    assert c.accept_overdue and c.escalated_at is not None
    assert Notification.objects.filter(recipient=p.shenyang_admin, title__contains="受理转办超时").count() == 1
    assert list(c.events.values_list("kind", flat=True)) == ["register", "overdue", "escalate"]

    with at(2026, 12, 1, 10), django_capture_on_commit_callbacks(execute=True):
        c = services.complaint_accept(complaint_id=c.pk, by=p.shenyang_staff)
    assert c.status == S.FORWARDED and c.accept_overdue
    assert c.reply_due == date(2026, 12, 16) and c.final_due == date(2026, 12, 31)
    assert Notification.objects.filter(recipient=p.shenyang_enterprise, title__contains=c.case_no).exists()

    with at(2026, 12, 10, 15):
        c = services.complaint_reply(
            complaint_id=c.pk,
            by=p.shenyang_enterprise,
            text="经核实，快件在分拨中心滞留，已于12月9日投递并致歉。",
            handler="李明",
        )
    assert c.status == S.REPLIED and not c.reply_overdue and c.callback_due == date(2026, 12, 15)

    with at(2026, 12, 11, 9):
        services.complaint_callback_failed(complaint_id=c.pk, by=p.shenyang_staff)
    with at(2026, 12, 11, 12, 59), pytest.raises(ApplicationError, match="4小时"):
        services.complaint_callback_failed(complaint_id=c.pk, by=p.shenyang_staff)
    with at(2026, 12, 11, 12), pytest.raises(ApplicationError, match="未能联系"):
        services.complaint_callback(
            complaint_id=c.pk, by=p.shenyang_staff, is_valid=True, satisfaction=Satisfaction.UNREACHABLE
        )
    with at(2026, 12, 11, 13, 30):
        c = services.complaint_callback(
            complaint_id=c.pk, by=p.shenyang_staff, is_valid=True, satisfaction=Satisfaction.SATISFIED, note="已投递"
        )
    assert c.status == S.CLOSED and c.is_valid is True and c.satisfaction == Satisfaction.SATISFIED
    assert not (c.reply_overdue or c.callback_overdue or c.final_overdue) and c.accept_overdue
    assert c.retain_until == date(2029, 12, 11)
    kinds = list(c.events.values_list("kind", flat=True))
    assert kinds == ["register", "overdue", "escalate", "accept", "reply", "callback_attempt", "callback"]
    assert AuditEvent.objects.filter(object_type="complaints.Complaint", object_id=str(c.pk)).count() >= 6


def test_unreachable_after_the_retry_may_close(org_tree, personas):
    p = personas
    c = make_complaint(
        org_tree.shenyang_enterprise, status=S.REPLIED, received_on=date(2026, 12, 1), callback_due=date(2026, 12, 9)
    )
    with at(2026, 12, 7, 9):
        services.complaint_callback_failed(complaint_id=c.pk, by=p.shenyang_staff)
    with at(2026, 12, 7, 13, 1):
        services.complaint_callback_failed(complaint_id=c.pk, by=p.shenyang_staff)
        with pytest.raises(ApplicationError, match="两次"):
            services.complaint_callback_failed(complaint_id=c.pk, by=p.shenyang_staff)
        c = services.complaint_callback(
            complaint_id=c.pk, by=p.shenyang_staff, is_valid=False, satisfaction=Satisfaction.UNREACHABLE
        )
    assert c.status == S.CLOSED and c.callback_attempts == 2 and c.is_valid is False


def test_a_late_reply_is_flagged_by_the_job_and_stays_flagged(org_tree, personas, django_capture_on_commit_callbacks):
    c = make_complaint(
        org_tree.shenyang_enterprise,
        status=S.FORWARDED,
        received_on=date(2026, 11, 2),
        accepted_at=datetime(2026, 11, 2, 10, tzinfo=TZ),
        reply_due=date(2026, 11, 17),
        final_due=date(2026, 12, 2),
    )
    with at(2026, 11, 18, 8), django_capture_on_commit_callbacks(execute=True):
        assert services.flag_overdue() == 1
    with at(2026, 11, 19, 9):
        c = services.complaint_reply(
            complaint_id=c.pk, by=personas.shenyang_enterprise, text="已核实并赔偿，向用户致歉。", handler="李明"
        )
    assert c.reply_overdue and not c.final_overdue
    # the enterprise was told too (escalation of a late reply)
    assert Notification.objects.filter(recipient=personas.shenyang_enterprise, title__contains="企业答复超时").exists()


def test_refusal_keeps_the_reason_and_the_file_three_years(org_tree, personas):
    c = make_complaint(org_tree.shenyang_enterprise, received_on=date(2026, 12, 1), accept_due=date(2026, 12, 3))
    with at(2026, 12, 2):
        with pytest.raises(ApplicationError):
            services.complaint_refuse(complaint_id=c.pk, by=personas.shenyang_staff, reason="other", note="")
        c = services.complaint_refuse(complaint_id=c.pk, by=personas.shenyang_staff, reason="in_court")
    assert c.status == S.NOT_ACCEPTED and c.refuse_reason == "in_court" and c.retain_until == date(2029, 12, 2)
    assert not c.accept_overdue


def test_retention_purges_only_files_past_three_years(org_tree):
    old = make_complaint(org_tree.shenyang_enterprise, status=S.CLOSED, retain_until=date(2026, 12, 1))
    kept = make_complaint(org_tree.shenyang_enterprise, status=S.CLOSED, retain_until=date(2026, 12, 2))
    open_case = make_complaint(org_tree.shenyang_enterprise, status=S.FORWARDED, retain_until=date(2020, 1, 1))
    assert services.purge_expired_cases(today=date(2026, 12, 2)) == 1
    assert set(Complaint.objects.values_list("pk", flat=True)) == {kept.pk, open_case.pk}
    assert not Complaint.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(detail__op="retention_purge").count() == 1


@override_settings(WENMING_COMPLAINT_RETENTION_YEARS=2)
def test_a_retention_below_three_years_is_refused(org_tree):
    assert [e.id for e in complaint_retention_check()] == ["wenming.complaints.E001"]
    with pytest.raises(ApplicationError):
        services.purge_expired_cases(today=date(2026, 12, 2))


# --- statistics per million items, against a hand-computed fixture -----------------------------------
def test_per_million_and_overdue_replies_match_hand_computed_figures(org_tree, personas):
    t = org_tree
    sy, dl = t.shenyang_enterprise, t.dalian_enterprise
    ItemVolume.objects.create(enterprise=sy, month=date(2026, 1, 1), items=2_000_000)
    ItemVolume.objects.create(enterprise=sy, month=date(2026, 2, 1), items=3_000_000)
    ItemVolume.objects.create(enterprise=sy, month=date(2026, 3, 1), items=9_000_000)  # outside the period
    ItemVolume.objects.create(enterprise=dl, month=date(2026, 2, 1), items=4_000_000)
    acc = datetime(2026, 1, 5, 10, tzinfo=TZ)
    make_complaint(sy, received_on=date(2026, 1, 5), status=S.CLOSED, is_valid=True, accepted_at=acc)
    make_complaint(
        sy, received_on=date(2026, 2, 10), status=S.CLOSED, is_valid=True, accepted_at=acc, reply_overdue=True
    )
    make_complaint(sy, received_on=date(2026, 2, 27), status=S.FORWARDED, accepted_at=acc)
    make_complaint(sy, received_on=date(2026, 2, 28), status=S.NOT_ACCEPTED)  # refused: not counted
    make_complaint(sy, received_on=date(2026, 3, 1), status=S.CLOSED, is_valid=True)  # outside
    make_complaint(
        dl, received_on=date(2026, 2, 3), status=S.CLOSED, is_valid=True, accepted_at=acc, reply_overdue=True
    )

    def rows(user, group):
        return services.per_million(
            complaints=Complaint.objects.visible_to(user),
            volumes=ItemVolume.objects.visible_to(user),
            start=date(2026, 1, 1),
            end=date(2026, 3, 1),
            group=group,
        )

    by_ent = {r.key: r for r in rows(personas.province_admin, "enterprise")}
    # Shenyang: 3 complaints, 2 valid over 5,000,000 items → 0.60 and 0.40 per million
    assert (by_ent[sy.pk].complaints, by_ent[sy.pk].valid, by_ent[sy.pk].items) == (3, 2, 5_000_000)
    assert by_ent[sy.pk].ppm == Decimal("0.60") and by_ent[sy.pk].valid_ppm == Decimal("0.40")
    # Dalian: 1 and 1 over 4,000,000 → 0.25 and 0.25
    assert by_ent[dl.pk].ppm == Decimal("0.25") and by_ent[dl.pk].valid_ppm == Decimal("0.25")
    by_city = {r.label: r for r in rows(personas.province_admin, "city")}
    assert by_city["沈阳市邮政管理局"].ppm == Decimal("0.60")
    by_brand = {r.label: r for r in rows(personas.province_admin, "brand")}
    assert by_brand["中通"].valid_ppm == Decimal("0.25")
    # the city sees its own enterprises only
    assert [r.key for r in rows(personas.shenyang_admin, "enterprise")] == [sy.pk]

    overdue = services.overdue_replies(
        complaints=Complaint.objects.visible_to(personas.province_admin), start=date(2026, 1, 1), end=date(2026, 3, 1)
    )
    got = {(r.city, r.enterprise): (r.forwarded, r.overdue, r.rate) for r in overdue}
    assert got == {
        ("沈阳市邮政管理局", sy.name): (3, 1, Decimal("33.3")),
        ("大连市邮政管理局", dl.name): (1, 1, Decimal("100.0")),
    }


def test_volume_entry_replaces_the_month_and_is_audited(org_tree, personas):
    with at(2026, 12, 4):
        services.volume_set(
            enterprise=org_tree.shenyang_enterprise, month=date(2026, 11, 15), items=10, by=personas.shenyang_staff
        )
        row = services.volume_set(
            enterprise=org_tree.shenyang_enterprise, month=date(2026, 11, 1), items=12, by=personas.shenyang_staff
        )
        with pytest.raises(ApplicationError):
            services.volume_set(
                enterprise=org_tree.shenyang_enterprise, month=date(2027, 1, 1), items=1, by=personas.shenyang_staff
            )
        with pytest.raises(PermissionDenied):
            services.volume_set(
                enterprise=org_tree.shenyang_enterprise,
                month=date(2026, 11, 1),
                items=1,
                by=personas.shenyang_enterprise,
            )
    assert ItemVolume.objects.get().items == 12 and row.month == date(2026, 11, 1)
    assert AuditEvent.objects.filter(object_type="complaints.ItemVolume").count() == 2


def test_lookup_needs_the_number_and_the_phone(org_tree):
    c = make_complaint(org_tree.shenyang_enterprise, phone="13912345678")
    assert services.complaint_lookup(case_no=c.case_no.lower(), phone="139 1234 5678") == c
    assert services.complaint_lookup(case_no=c.case_no, phone="13912345679") is None
    assert services.complaint_lookup(case_no="X" + c.case_no, phone="13912345678") is None


def test_deadlines_of_the_selector_todo_lists(org_tree, personas):
    from wenming.complaints.selectors import todo_count

    make_complaint(org_tree.shenyang_enterprise, accept_due=date(2026, 1, 1))
    make_complaint(org_tree.shenyang_enterprise, status=S.FORWARDED, reply_due=date(2099, 1, 1))
    make_complaint(org_tree.dalian_enterprise)
    staff, ent = personas.shenyang_staff, personas.shenyang_enterprise
    assert (todo_count(staff, "accept"), todo_count(staff, "reply"), todo_count(staff, "overdue")) == (1, 0, 1)
    assert (todo_count(ent, "accept"), todo_count(ent, "reply"), todo_count(ent, "overdue")) == (0, 1, 0)
    assert todo_count(personas.province_admin, "accept") == 2
