"""Every activities transition, for the generic suite (tests/test_every_transition.py).

An activity recorded by the Shenyang 顺丰 enterprise (verified by the Shenyang bureau); a volunteer
event of that enterprise with one signed-up volunteer.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wenming.activities import services
from wenming.activities.choices import ActivityStatus, PairingStatus, VolunteerEventStatus, VolunteerRecordStatus
from wenming.activities.models import Activity, ActivityType, Pairing, VolunteerEvent, VolunteerRecord, VolunteerSignup
from wenming.workflow.testing import TransitionCase, cases

A, V = ActivityStatus, VolunteerRecordStatus


def _activity(ns: Any, status: str) -> Activity:
    atype = ActivityType.objects.order_by("sort_order", "pk").first()
    atype.min_photos = 0
    atype.save(update_fields=["min_photos"])
    start = timezone.now() - timedelta(days=3)
    return Activity.objects.create(
        organization=ns.t.shenyang_enterprise,
        activity_type=atype,
        title="文明寄递进社区",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        address="沈阳市和平区南京北街",
        participant_count=6,
        description="在社区设置咨询台，讲解安全寄递知识。",
        status=status,
        created_by=ns.p.shenyang_enterprise,
    )


def _record(ns: Any, status: str, *, hours_ago: float = 2) -> VolunteerRecord:
    start = timezone.now() - timedelta(hours=hours_ago + 1)
    event = VolunteerEvent.objects.create(
        organization=ns.t.shenyang_enterprise,
        title="助老寄递志愿服务",
        place="和平区长白街道",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        auto_checkout_hours=4,
        organiser=ns.p.shenyang_enterprise,
    )
    volunteer = ns.p.shenyang_outlet  # a staff volunteer (the outlet manager)
    signup = VolunteerSignup.objects.create(event=event, user=volunteer, name="张晓明", personal_code="135246")
    check_in = timezone.now() - timedelta(hours=hours_ago)
    rec = VolunteerRecord.objects.create(signup=signup, check_in_at=check_in, status=status)
    if status != V.CHECKED_IN:
        rec.check_out_at = timezone.now()
        rec.hours = Decimal("2.0")
        rec.save(update_fields=["check_out_at", "hours"])
    return rec


def _pairing(ns: Any, status: str) -> Pairing:
    today = timezone.localdate()
    return Pairing.objects.create(
        organization=ns.t.shenyang_enterprise,
        partner_name="和平区长白街道第一社区",
        partner_type=Pairing._meta.get_field("partner_type").choices[0][0],
        title="网点与社区结对共建",
        plan="每月开展一次便民寄递服务。",
        goals="社区群众满意度提升。",
        period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=300),
        status=status,
        created_by=ns.p.shenyang_enterprise,
    )


def _event(ns: Any, status: str) -> VolunteerEvent:
    start = timezone.now() + timedelta(days=2)
    event = VolunteerEvent.objects.create(
        organization=ns.t.shenyang_enterprise,
        title="助老寄递志愿服务",
        place="和平区长白街道",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        organiser=ns.p.shenyang_enterprise,
        status=status,
    )
    VolunteerSignup.objects.create(event=event, user=ns.p.shenyang_outlet, name="张晓明", personal_code="135246")
    return event


enterprise = lambda ns: ns.p.shenyang_enterprise  # noqa: E731
city = lambda ns: ns.p.shenyang_admin  # noqa: E731
province = lambda ns: ns.p.province_admin  # noqa: E731
dalian = lambda ns: ns.p.dalian_admin  # noqa: E731

cases(
    TransitionCase(
        "activities.activity",
        "submit",
        make=lambda ns: _activity(ns, A.DRAFT),
        fire=lambda a, by: services.activity_submit(activity_id=a.pk, by=by),
        allowed=enterprise,
        denied=province,  # verifies activities, does not record them
        wrong_state=A.VERIFIED,
        http=lambda a: (reverse("activities:submit", args=[a.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "activities.activity",
        "resubmit",
        make=lambda ns: _activity(ns, A.RETURNED),
        fire=lambda a, by: services.activity_submit(activity_id=a.pk, by=by),
        allowed=enterprise,
        denied=province,
        wrong_state=A.SUBMITTED,
        http=lambda a: (reverse("activities:submit", args=[a.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "activities.activity",
        "verify",
        make=lambda ns: _activity(ns, A.SUBMITTED),
        fire=lambda a, by: services.activity_verify(activity_id=a.pk, by=by),
        allowed=city,
        denied=enterprise,  # records, never verifies its own work
        wrong_state=A.DRAFT,
        http=lambda a: (reverse("activities:verify", args=[a.pk]), {"comment": ""}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "activities.activity",
        "return",
        make=lambda ns: _activity(ns, A.SUBMITTED),
        fire=lambda a, by: services.activity_return(activity_id=a.pk, by=by, comment="照片与活动不符"),
        allowed=city,
        denied=enterprise,
        wrong_state=A.VERIFIED,
        http=lambda a: (reverse("activities:return", args=[a.pk]), {"comment": "请补充"}),
        outsider=dalian,
        notifies=True,
    ),
    TransitionCase(
        "activities.volunteer_record",
        "check_out",
        make=lambda ns: _record(ns, V.CHECKED_IN),
        fire=lambda r, by: services.volunteer_check_out(event_id=r.signup.event_id, signup_id=r.signup_id),
        allowed=None,  # public: the volunteer's signed QR token was checked by the page
        denied=None,
        wrong_state=V.PENDING,
    ),
    TransitionCase(
        "activities.volunteer_record",
        "auto_check_out",
        make=lambda ns: _record(ns, V.CHECKED_IN, hours_ago=6),
        fire=lambda r, by: services.volunteer_auto_checkout(),
        allowed=None,  # the system alone (scheduler)
        denied=None,
        wrong_state=V.PENDING,
    ),
    TransitionCase(
        "activities.volunteer_record",
        "approve",
        make=lambda ns: _record(ns, V.PENDING),
        fire=lambda r, by: services.volunteer_record_approve(record_id=r.pk, by=by),
        allowed=enterprise,
        denied=province,
        wrong_state=V.CHECKED_IN,
        http=lambda r: (reverse("activities:record-approve", args=[r.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "activities.volunteer_record",
        "decline",
        make=lambda ns: _record(ns, V.PENDING),
        fire=lambda r, by: services.volunteer_record_decline(record_id=r.pk, by=by, reason="未实际到场"),
        allowed=enterprise,
        denied=province,
        wrong_state=V.APPROVED,
        http=lambda r: (reverse("activities:record-decline", args=[r.pk]), {"reason": "未到场"}),
        outsider=dalian,
    ),
    TransitionCase(
        "activities.pairing",
        "end",
        make=lambda ns: _pairing(ns, PairingStatus.ACTIVE),
        fire=lambda p, by: services.pairing_end(pairing_id=p.pk, by=by),
        allowed=enterprise,
        denied=province,  # verifies activities, does not record pairings
        wrong_state=PairingStatus.ENDED,
        http=lambda p: (reverse("activities:pairing-end", args=[p.pk]), {}),
        outsider=dalian,
    ),
    TransitionCase(
        "activities.volunteer_event",
        "cancel",
        make=lambda ns: _event(ns, VolunteerEventStatus.OPEN),
        fire=lambda e, by: services.volunteer_event_cancel(event_id=e.pk, by=by, reason="暴雨预警，改期举办"),
        allowed=enterprise,
        denied=province,
        wrong_state=VolunteerEventStatus.CANCELLED,
        http=lambda e: (reverse("activities:volunteer-cancel", args=[e.pk]), {"reason": "暴雨预警"}),
        outsider=dalian,
        notifies=True,
    ),
)
