"""Test data builders for couriers and governing bodies (valid GB 11643 ID numbers, mobiles)."""

from __future__ import annotations

import itertools
from datetime import date

from wenming.core.pii import id_check_char
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.people.models import Courier, GoverningBody, Membership

_seq = itertools.count(1)


def id_number(region: str = "210102", born: str = "19900101", seq: int | None = None) -> str:
    first17 = f"{region}{born}{(seq if seq is not None else next(_seq)) % 1000:03d}"
    return first17 + id_check_char(first17)


def phone(seq: int | None = None) -> str:
    return f"139{(seq if seq is not None else next(_seq)):08d}"


def outlet_in(org: Organization) -> Organization:
    """The first outlet in ``org``'s subtree (``org`` may be the outlet itself)."""
    return Organization.objects.filter(kind=OrgKind.OUTLET, path__startswith=org.path).order_by("path").first()


def make_courier(outlet: Organization, name: str = "张三", **fields) -> Courier:
    ident = fields.pop("id_number", None) or id_number()
    mobile = fields.pop("phone", None)
    c = Courier(
        outlet=outlet,
        name=name,
        gender=fields.pop("gender", "M"),
        birth_date=fields.pop("birth_date", date(1990, 1, 1)),
        started_delivery_on=fields.pop("started_delivery_on", date(2015, 6, 1)),
        **fields,
    )
    c.set_id_number(ident)
    c.set_phone(mobile if mobile is not None else phone())
    c.save()
    return c


def make_body(org: Organization, name: str, kind: str = "leading_group") -> GoverningBody:
    return GoverningBody.objects.create(organization=org, kind=kind, name=name)


def make_member(body: GoverningBody, person_name: str, **fields) -> Membership:
    return Membership.objects.create(
        body=body,
        person_name=person_name,
        post_title=fields.pop("post_title", "局长"),
        position=fields.pop("position", "group_head"),
        valid_from=fields.pop("valid_from", date(2017, 1, 1)),
        **fields,
    )
