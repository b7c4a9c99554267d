"""Builders of honours test data: a 青年文明号 cycle open today, couriers that make a unit eligible,
applications in any stage, a 公示 with an objection, a title in any state."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from wenming.core import pii
from wenming.honours.models import Application, Cycle, CycleStage, Notice, Objection, Programme, Title
from wenming.people.models import Courier

_seq = count(1)


def today() -> date:
    return timezone.localdate()


def id_number(birth: date) -> str:
    n = next(_seq)
    body = f"210102{birth:%Y%m%d}{n % 1000:03d}"
    return body + pii.id_check_char(body)


def courier(
    outlet: Any,
    *,
    name: str = "",
    born: date = date(1996, 5, 1),
    gender: str = "M",
    started: date = date(2018, 3, 1),
    contract: bool = True,
) -> Courier:
    c = Courier(
        outlet=outlet,
        name=name or f"快递员{next(_seq)}",
        gender=gender,
        birth_date=born,
        started_delivery_on=started,
        has_labour_contract=contract,
    )
    c.set_id_number(id_number(born))
    c.save()
    return c


def team(outlet: Any, n: int = 8, *, young: int | None = None, women: int = 0) -> list[Courier]:
    """``n`` couriers at ``outlet``: ``young`` of them aged 30 (the rest 50), ``women`` of them women."""
    young = n if young is None else young
    year = today().year
    out = []
    for i in range(n):
        born = date(year - 30, 1, 10) if i < young else date(year - 50, 1, 10)
        out.append(courier(outlet, born=born, gender="F" if i < women else "M"))
    return out


def cycle(programme_code: str, organizer: Any, *, year: int | None = None, open_now: bool = True) -> Cycle:
    prog = Programme.objects.get(code=programme_code)
    year = year or today().year
    c = Cycle.objects.create(
        programme=prog, year=year, level=prog.level, organizer=organizer, name=f"{year}年度{prog.name}评选"
    )
    start = today() - timedelta(days=10) if open_now else today() - timedelta(days=60)
    CycleStage.objects.create(
        cycle=c, order=0, code="apply", label="申报推荐", starts_on=start, ends_on=start + timedelta(days=30)
    )
    cur = start + timedelta(days=31)
    for i, s in enumerate(prog.stages, start=1):
        CycleStage.objects.create(
            cycle=c, order=i, code=s["code"], label=s["label"], starts_on=cur, ends_on=cur + timedelta(days=14)
        )
        cur += timedelta(days=15)
    return c


def application(cycle: Cycle, organization: Any, *, status: str = "draft", by: Any = None, **kw: Any) -> Application:
    kw.setdefault("name", f"{organization.name}青年服务班组")
    kw.setdefault("statement", "坚持“快递进村”，旺季零投诉，开展志愿服务 20 余次。")
    return Application.objects.create(
        cycle=cycle, organization=organization, status=status, created_by=by, recommender=organization.parent, **kw
    )


def notice(
    cycle: Cycle, entries: list[Application], *, starts: date | None = None, ends: date | None = None, round: int = 1
) -> Notice:
    n = Notice.objects.create(
        cycle=cycle,
        round=round,
        starts_on=starts or today() - timedelta(days=2),
        ends_on=ends or today() + timedelta(days=3),
        phone="024-22880000",
        email="jd@example.cn",
    )
    n.entries.set(entries)
    return n


def objection(notice: Notice, app: Application, *, status: str = "received") -> Objection:
    o = Objection(
        notice=notice, application=app, content="该单位在去年旺季存在多起延误投诉，与事迹不符。", status=status
    )
    o.set_person("王建国", "13812345678")
    o.save()
    return o


def title(
    programme_code: str,
    organization: Any,
    *,
    status: str = "active",
    star: int = 2,
    valid_from: date | None = None,
    **kw: Any,
) -> Title:
    prog = Programme.objects.get(code=programme_code)
    vf = valid_from or today() - timedelta(days=400)
    return Title.objects.create(
        programme=prog,
        level=kw.pop("level", prog.level),
        star=star,
        organization=organization,
        holder=kw.pop("holder", f"{organization.name}"),
        conferred_by=prog.conferring_body,
        decision_no=kw.pop("decision_no", "辽邮管〔2025〕12号"),
        decision_date=vf,
        valid_from=vf,
        valid_to=kw.pop("valid_to", vf + timedelta(days=3 * 365)),
        status=status,
        **kw,
    )


def today_dt(days: int = 0):
    return timezone.now() + timedelta(days=days)
