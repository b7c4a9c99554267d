"""Complaints in a given state for tests (written directly; the services have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from wenming.complaints.choices import Category, ComplaintStatus
from wenming.complaints.models import Complaint

_seq = [0]


def make_complaint(
    enterprise: Any,
    *,
    outlet: Any = None,
    received_on: date | None = None,
    status: str = ComplaintStatus.RECEIVED,
    is_valid: bool | None = None,
    phone: str = "13912345678",
    **extra: Any,
) -> Complaint:
    _seq[0] += 1
    received_on = received_on or timezone.localdate()
    received_at = timezone.make_aware(datetime.combine(received_on, time(10, 0)))
    c = Complaint(
        case_no=f"T{received_on:%Y%m%d}{_seq[0]:06d}",
        enterprise=enterprise,
        outlet=outlet,
        brand=enterprise.enterprise.brand,
        city_code=enterprise.city_code,
        waybill_no=extra.pop("waybill_no", "SF1234567890"),
        category=extra.pop("category", Category.DELAY),
        description=extra.pop("description", "快件超过承诺时限三天仍未送达，网点电话无人接听。"),
        mailed_on=extra.pop("mailed_on", received_on - timedelta(days=20)),
        prior_complaint_on=extra.pop("prior_complaint_on", received_on - timedelta(days=10)),
        status=status,
        received_at=received_at,
        received_on=received_on,
        accept_due=extra.pop("accept_due", received_on + timedelta(days=2)),
        is_valid=is_valid,
        **extra,
    )
    c.set_phone(phone)
    c.save()
    return c
