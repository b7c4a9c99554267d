"""Fixtures of the security suite: couriers with known personal data, linked into other modules."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from wenming.core import pii

# Regexes for anything that looks like an unmasked ID number or mobile (PR1).
ID18 = re.compile(r"(?<![\w])\d{17}[\dXx](?![\w])")
ID15 = re.compile(r"(?<![\w])\d{15}(?![\w])")
MOBILE = re.compile(r"(?<![\w])1[3-9]\d{9}(?![\w])")


def valid_id(region: str, born: str, seq: int) -> str:
    first17 = f"{region}{born}{seq:03d}"
    return first17 + pii.id_check_char(first17)


def id_ending_in_x(region: str, born: str) -> str:
    for seq in range(1000):
        candidate = valid_id(region, born, seq)
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no X check character found")


def _courier(outlet, name: str, id_number: str, phone: str):
    from wenming.people.models import Courier

    # Birth date and sex as the ID number states them (the courier form enforces it), so that the
    # recombination check of the masking crawl works on realistic pages.
    gender = "M" if int(id_number[16]) % 2 else "F"
    c = Courier(
        outlet=outlet,
        name=name,
        gender=gender,
        birth_date=pii.birth_date_from_id(id_number),
        started_delivery_on=date(2015, 1, 1),
    )
    c.set_id_number(id_number)
    c.set_phone(phone)
    c.save()
    return c


@pytest.fixture
def pii_world(org_tree, personas):
    """Three couriers (Shenyang ×2, Dalian) with known ID numbers and phones, used across modules."""
    from wenming.activities import services as act
    from wenming.activities.models import ActivityType

    t, p = org_tree, personas
    secrets = SimpleNamespace(
        ids=[
            id_ending_in_x("210102", "19880512"),
            valid_id("210102", "19910203", 417),
            valid_id("210202", "19850707", 233),
        ],
        phones=["13912345678", "15098765432", "18611112222"],
    )
    couriers = [
        _courier(t.shenyang_outlet, "张建国", secrets.ids[0], secrets.phones[0]),
        _courier(t.shenyang_outlet, "李文华", secrets.ids[1], secrets.phones[1]),
        _courier(t.dalian_outlet, "王大力", secrets.ids[2], secrets.phones[2]),
    ]
    now = timezone.now()
    atype = ActivityType.objects.order_by("pk").first()
    activities = []
    if atype is not None:
        for org, by, people in (
            (t.shenyang_outlet, p.shenyang_admin, couriers[:2]),
            (t.dalian_outlet, p.dalian_admin, couriers[2:]),
        ):
            activities.append(
                act.activity_create(
                    by=by,
                    organization=org,
                    activity_type=atype,
                    data={
                        "title": "文明寄递宣传",
                        "starts_at": now - timedelta(days=2),
                        "ends_at": now - timedelta(days=2) + timedelta(hours=2),
                        "address": "和平区中山广场",
                        "participant_count": 3,
                        "beneficiaries": "过往群众",
                        "beneficiary_count": 100,
                        "figures": {},
                        "core_values": ["civility"],
                        "postal_values": ["service"],
                        "description": "现场解答寄递问题。",
                    },
                    couriers=people,
                )
            )
    event = act.volunteer_event_create(
        by=p.shenyang_admin,
        organization=t.shenyang,
        data={
            "title": "社区快递知识宣讲",
            "place": "和平区南市场社区",
            "starts_at": now - timedelta(hours=5),
            "ends_at": now - timedelta(hours=1),
            "auto_checkout_hours": 4,
        },
    )
    signups = [act.volunteer_signup_add(event_id=event.pk, by=p.shenyang_admin, courier=c) for c in couriers[:2]]
    record = act.volunteer_record_create_manual(
        signup_id=signups[0].pk,
        by=p.shenyang_admin,
        check_in_at=now - timedelta(hours=4),
        check_out_at=now - timedelta(hours=2),
    )
    act.volunteer_record_approve(record_id=record.pk, by=p.shenyang_admin)
    certificate = act.certificate_issue(by=p.shenyang_admin, courier=couriers[0])
    return SimpleNamespace(
        secrets=secrets,
        couriers=couriers,
        activities=activities,
        event=event,
        signups=signups,
        record=record,
        certificate=certificate,
    )
