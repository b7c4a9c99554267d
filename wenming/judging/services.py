"""Writes of expert judging — the public API the honours engine (and any other caller) uses.

Keyword-only, ``by=`` the acting user, transitions through ``workflow.perform``, other security-relevant
writes audited in the caller's transaction, errors as ``ApplicationError(message, field=…)``.

Schemes: :func:`scheme_create`, :func:`indicator_add` / :func:`indicator_update` / :func:`indicator_move`
/ :func:`indicator_delete`, :func:`veto_add` / :func:`veto_delete`, :func:`scheme_publish`,
:func:`scheme_new_version`. A published scheme is immutable: every edit refuses it.

Rounds: :func:`open_round` (with :class:`EntrySpec` rows), :func:`add_entries`, :func:`panel_create`,
:func:`panel_add_member`, :func:`assign`, :func:`assign_bulk`, :func:`assign_random`, :func:`round_start`,
:func:`round_close`, :func:`round_reopen`, :func:`round_publish`.

Scoring (the expert's own assignment only): :func:`save_scores`, :func:`submit_scores`,
:func:`declare_conflict`; :func:`return_assignment` for the organiser.

Committee: :func:`committee_open` (or :func:`committee_create` + :func:`committee_start`),
:func:`committee_cast`, :func:`committee_close`; the result is ``selectors.committee_result``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization
from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import notify_many
from wenming.workflow.engine import perform, record_event
from wenming.workflow.policy import authorize, require

from .choices import MAX_LEVEL, AssignmentStatus, BallotChoice, CommitteeStatus, Method, RoundStatus, SchemeStatus
from .models import (
    Assignment,
    Ballot,
    BallotItem,
    CommitteeMember,
    CommitteeVote,
    CommitteeVoter,
    Entry,
    Indicator,
    Panel,
    PanelMember,
    Round,
    Scheme,
    Score,
    VetoItem,
    VetoMark,
)
from .permissions import JudgingAction as J
from .rules import COMMITTEE_MEMBER, OWN_ASSIGNMENT
from .workflows import ASSIGNMENT_WORKFLOW, COMMITTEE_WORKFLOW, ROUND_WORKFLOW, SCHEME_WORKFLOW

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class EntrySpec:
    """What a caller hands in for one entry: its key (``"honours.application:12"``), label and unit."""

    subject_key: str
    label: str
    organization: Organization
    summary: str = ""


@dataclass(frozen=True)
class BallotSpec:
    """One item of a committee vote (an entry of a round, or anything named by a key)."""

    subject_key: str
    label: str
    entry: Entry | None = None


def _decimal(value: Any, *, field: str, label: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("%(label)s应为数字") % {"label": label}, field=field) from exc
    if not d.is_finite():
        raise ApplicationError(_("%(label)s应为数字") % {"label": label}, field=field)
    return d


# --- schemes --------------------------------------------------------------------------------------
def _require_draft(scheme: Scheme) -> None:
    if scheme.status != SchemeStatus.DRAFT:
        raise ApplicationError(_("已发布的测评体系不可修改；请“修订为新版本”后在新版本上修改"), code="published")


def _locked_scheme(scheme_id: int) -> Scheme:
    return Scheme.objects.select_for_update().select_related("organization").get(pk=scheme_id)


def scheme_create(
    *,
    organization: Organization,
    family: str,
    name: str,
    by: Any,
    total_points: Decimal = HUNDRED,
    pass_mark: Decimal = Decimal("80"),
    description: str = "",
) -> Scheme:
    """A new scheme family, version 1, in draft."""
    require(by, J.SCHEME, organization)
    family = (family or "").strip()
    if not family:
        raise ApplicationError(_("请填写体系代码"), field="family")
    if Scheme.objects.filter(family=family).exists():
        raise ApplicationError(_("体系代码已被使用"), field="family")
    total_points = _decimal(total_points, field="total_points", label=_("总分"))
    pass_mark = _decimal(pass_mark, field="pass_mark", label=_("合格线"))
    if total_points <= 0:
        raise ApplicationError(_("总分应大于 0"), field="total_points")
    if not (0 <= pass_mark <= total_points):
        raise ApplicationError(_("合格线应在 0 与总分之间"), field="pass_mark")
    with transaction.atomic():
        scheme = Scheme.objects.create(
            organization=organization,
            family=family,
            version=1,
            name=name,
            description=description,
            total_points=total_points,
            pass_mark=pass_mark,
            created_by=by,
        )
        record_event(SCHEME_WORKFLOW, scheme, "create", by=by, new=scheme.status)
        audit_record(AuditAction.CREATE, user=by, obj=scheme)
    return scheme


def scheme_update(*, scheme_id: int, by: Any, data: Mapping[str, Any]) -> Scheme:
    """Name, description, total points and pass mark of a draft."""
    with transaction.atomic():
        scheme = _locked_scheme(scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        changed = []
        for f in ("name", "description"):
            if f in data and getattr(scheme, f) != data[f]:
                setattr(scheme, f, data[f])
                changed.append(f)
        for f, label in (("total_points", _("总分")), ("pass_mark", _("合格线"))):
            if f in data:
                v = _decimal(data[f], field=f, label=label)
                if v != getattr(scheme, f):
                    setattr(scheme, f, v)
                    changed.append(f)
        if not (0 <= scheme.pass_mark <= scheme.total_points):
            raise ApplicationError(_("合格线应在 0 与总分之间"), field="pass_mark")
        if changed:
            scheme.save(update_fields=[*changed, "updated_at"])
            audit_record(AuditAction.UPDATE, user=by, obj=scheme, detail={"fields": changed})
    return scheme


def _indicator_values(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            raise ApplicationError(_("请填写指标名称"), field="name")
        out["name"] = name
    if "max_points" in data:
        v = _decimal(data["max_points"], field="max_points", label=_("分值"))
        if v < 0:
            raise ApplicationError(_("分值不能为负数"), field="max_points")
        out["max_points"] = v
    if "weight" in data and data["weight"] not in (None, ""):
        w = _decimal(data["weight"], field="weight", label=_("权数"))
        if not (0 <= w <= HUNDRED):
            raise ApplicationError(_("权数应在 0 到 100 之间"), field="weight")
        out["weight"] = w
    if "method" in data:
        if data["method"] not in Method.values:
            raise ApplicationError(_("请选择测评方法"), field="method")
        out["method"] = data["method"]
    for f in ("standard", "evidence", "code"):
        if f in data:
            out[f] = (data[f] or "").strip()
    return out


def _renumber(scheme: Scheme) -> None:
    """Codes follow the tree: 1, 1.2, 1.2.3 (in sibling order)."""
    nodes = list(scheme.indicators.order_by("sort_order", "id"))
    children: dict[int | None, list[Indicator]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    changed: list[Indicator] = []

    def walk(parent_id: int | None, prefix: str, level: int) -> None:
        for i, n in enumerate(children.get(parent_id, []), start=1):
            code = f"{prefix}{i}"
            if n.code != code or n.level != level or n.sort_order != i:
                n.code, n.level, n.sort_order = code, level, i
                changed.append(n)
            walk(n.pk, f"{code}.", level + 1)

    walk(None, "", 1)
    if changed:
        Indicator.objects.bulk_update(changed, ["code", "level", "sort_order"])


def indicator_add(*, scheme_id: int, by: Any, data: Mapping[str, Any], parent_id: int | None = None) -> Indicator:
    """Add an indicator at the end of its siblings (level = parent's + 1, at most Ⅲ).

    Without a weight the indicator's share of the parent's points is taken (分值 ÷ 上级分值)."""
    with transaction.atomic():
        scheme = _locked_scheme(scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        parent = None
        if parent_id:
            parent = scheme.indicators.filter(pk=parent_id).first()
            if parent is None:
                raise ApplicationError(_("上级指标不存在"), field="parent")
            if parent.level >= MAX_LEVEL:
                raise ApplicationError(_("指标最多三级（Ⅰ/Ⅱ/Ⅲ）"), field="parent")
        values = _indicator_values({"method": Method.MATERIALS, **data})
        if "max_points" not in values:
            raise ApplicationError(_("请填写分值"), field="max_points")
        if "weight" not in values:
            base = parent.max_points if parent else scheme.total_points
            values["weight"] = (values["max_points"] * HUNDRED / base).quantize(Decimal("0.01")) if base else 0
        last = scheme.indicators.filter(parent=parent).aggregate(m=Max("sort_order"))["m"] or 0
        ind = Indicator.objects.create(
            scheme=scheme, parent=parent, level=(parent.level + 1) if parent else 1, sort_order=last + 1, **values
        )
        _renumber(scheme)
        ind.refresh_from_db()
        audit_record(AuditAction.CREATE, user=by, obj=ind, detail={"scheme": scheme.pk})
    return ind


def indicator_update(*, indicator_id: int, by: Any, data: Mapping[str, Any]) -> Indicator:
    with transaction.atomic():
        ind = Indicator.objects.select_related("scheme").get(pk=indicator_id)
        scheme = _locked_scheme(ind.scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        values = _indicator_values(data)
        values.pop("code", None)  # codes follow the tree
        changed = [k for k, v in values.items() if getattr(ind, k) != v]
        for k in changed:
            setattr(ind, k, values[k])
        if changed:
            ind.save(update_fields=changed)
            audit_record(AuditAction.UPDATE, user=by, obj=ind, detail={"fields": changed})
    return ind


def indicator_move(
    *, indicator_id: int, by: Any, direction: str = "", parent_id: int | None | str = "keep"
) -> Indicator:
    """Move up/down among siblings (``direction``), or under another parent (``parent_id``; None = top)."""
    with transaction.atomic():
        ind = Indicator.objects.get(pk=indicator_id)
        scheme = _locked_scheme(ind.scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        if parent_id != "keep":
            new_parent = None
            if parent_id:
                new_parent = scheme.indicators.filter(pk=parent_id).first()
                if new_parent is None:
                    raise ApplicationError(_("上级指标不存在"), field="parent")
                # not under itself or its own descendant
                p = new_parent
                while p is not None:
                    if p.pk == ind.pk:
                        raise ApplicationError(_("不能移到自身或其下级指标之下"), field="parent")
                    p = p.parent
            depth = _subtree_depth(ind)
            level = (new_parent.level + 1) if new_parent else 1
            if level + depth - 1 > MAX_LEVEL:
                raise ApplicationError(_("指标最多三级（Ⅰ/Ⅱ/Ⅲ）"), field="parent")
            last = scheme.indicators.filter(parent=new_parent).exclude(pk=ind.pk).aggregate(m=Max("sort_order"))["m"]
            ind.parent = new_parent
            ind.sort_order = (last or 0) + 1
            ind.save(update_fields=["parent", "sort_order"])
        elif direction in ("up", "down"):
            siblings = list(scheme.indicators.filter(parent_id=ind.parent_id).order_by("sort_order", "id"))
            i = next(k for k, s in enumerate(siblings) if s.pk == ind.pk)
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(siblings):
                siblings[i], siblings[j] = siblings[j], siblings[i]
                for k, s in enumerate(siblings, start=1):
                    s.sort_order = k
                Indicator.objects.bulk_update(siblings, ["sort_order"])
        _renumber(scheme)
        ind.refresh_from_db()
        audit_record(AuditAction.UPDATE, user=by, obj=ind, detail={"moved": direction or "parent"})
    return ind


def _subtree_depth(ind: Indicator) -> int:
    kids = list(ind.children.all())
    return 1 + max((_subtree_depth(k) for k in kids), default=0)


def indicator_delete(*, indicator_id: int, by: Any) -> None:
    """Remove an indicator and its sub-indicators (drafts only)."""
    with transaction.atomic():
        ind = Indicator.objects.get(pk=indicator_id)
        scheme = _locked_scheme(ind.scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        audit_record(AuditAction.DELETE, user=by, obj=ind, detail={"scheme": scheme.pk})
        ind.delete()
        _renumber(scheme)


def veto_add(*, scheme_id: int, by: Any, text: str) -> VetoItem:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("请填写否决事项"), field="text")
    with transaction.atomic():
        scheme = _locked_scheme(scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        last = scheme.veto_items.aggregate(m=Max("sort_order"))["m"] or 0
        item = VetoItem.objects.create(scheme=scheme, text=text[:200], sort_order=last + 1)
        audit_record(AuditAction.CREATE, user=by, obj=item, detail={"scheme": scheme.pk})
    return item


def veto_delete(*, veto_id: int, by: Any) -> None:
    with transaction.atomic():
        item = VetoItem.objects.get(pk=veto_id)
        scheme = _locked_scheme(item.scheme_id)
        require(by, J.SCHEME, scheme)
        _require_draft(scheme)
        audit_record(AuditAction.DELETE, user=by, obj=item, detail={"scheme": scheme.pk})
        item.delete()


def scheme_problems(scheme: Scheme, indicators: Sequence[Indicator] | None = None) -> list[str]:
    """What stops publication: children's points must add up to the parent's (the top level to the
    total), siblings' weights to 100 %, the pass mark within the total; at least one indicator."""
    nodes = list(indicators if indicators is not None else scheme.indicators.all())
    problems: list[str] = []
    if not nodes:
        return [_("尚无测评指标")]
    children: dict[int | None, list[Indicator]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)

    def check(parent: Indicator | None, kids: list[Indicator]) -> None:
        points = sum((k.max_points for k in kids), Decimal("0"))
        weights = sum((k.weight for k in kids), Decimal("0"))
        target = parent.max_points if parent else scheme.total_points
        where = f"{parent.code} {parent.name}" if parent else _("一级指标")
        if points != target:
            problems.append(
                _("%(where)s：下级分值合计 %(sum)s，应为 %(target)s")
                % {"where": where, "sum": _fmt(points), "target": _fmt(target)}
            )
        if weights != HUNDRED:
            problems.append(_("%(where)s：下级权数合计 %(sum)s%%，应为 100%%") % {"where": where, "sum": _fmt(weights)})

    check(None, children.get(None, []))
    for n in nodes:
        if n.pk in children:
            check(n, children[n.pk])
    if not (0 <= scheme.pass_mark <= scheme.total_points):
        problems.append(_("合格线应在 0 与总分之间"))
    return problems


def _fmt(d: Decimal) -> str:
    s = f"{d.normalize():f}"
    return s


def scheme_publish(*, scheme_id: int, by: Any) -> Scheme:
    """draft → published; refused while the sums do not add up. From then on the version is frozen."""

    def prepare(scheme: Scheme, _t: Any) -> dict[str, Any]:
        problems = scheme_problems(scheme)
        if problems:
            raise ApplicationError(_("不能发布：") + "；".join(problems), code="sums")
        return {"published_at": timezone.now()}

    return perform(SCHEME_WORKFLOW, scheme_id, "publish", by=by, prepare=prepare).obj


def scheme_new_version(*, scheme_id: int, by: Any) -> Scheme:
    """A draft copy (version + 1) of a published scheme, tree and veto items included; the published
    version stays as it is (rounds keep pointing at it). An existing draft of the family is returned."""
    with transaction.atomic():
        source = _locked_scheme(scheme_id)
        require(by, J.SCHEME, source)
        draft = Scheme.objects.filter(family=source.family, status=SchemeStatus.DRAFT).first()
        if draft is not None:
            return draft
        last = Scheme.objects.filter(family=source.family).aggregate(m=Max("version"))["m"] or source.version
        new = Scheme.objects.create(
            organization=source.organization,
            family=source.family,
            version=last + 1,
            name=source.name,
            description=source.description,
            total_points=source.total_points,
            pass_mark=source.pass_mark,
            created_by=by,
        )
        mapping: dict[int, Indicator] = {}
        for ind in source.indicators.order_by("level", "sort_order", "id"):
            old_pk = ind.pk
            ind.pk = None
            ind.id = None
            ind.scheme = new
            ind.parent = mapping[ind.parent_id] if ind.parent_id else None
            ind._state.adding = True
            ind.save()
            mapping[old_pk] = ind
        VetoItem.objects.bulk_create(
            [VetoItem(scheme=new, text=v.text, sort_order=v.sort_order) for v in source.veto_items.all()]
        )
        record_event(
            SCHEME_WORKFLOW,
            new,
            "new_version",
            by=by,
            new=new.status,
            comment=_("由第 %(v)s 版修订") % {"v": source.version},
        )
        audit_record(AuditAction.CREATE, user=by, obj=new, detail={"from_version": source.version})
    return new


# --- panels ---------------------------------------------------------------------------------------
def panel_create(*, organization: Organization, name: str, by: Any) -> Panel:
    require(by, J.MANAGE, organization)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("请填写评审组名称"), field="name")
    with transaction.atomic():
        panel = Panel.objects.create(organization=organization, name=name)
        audit_record(AuditAction.CREATE, user=by, obj=panel)
    return panel


def panel_add_member(
    *, panel_id: int, user: Any, by: Any, affiliation: Organization | None = None, expertise: str = ""
) -> PanelMember:
    """Add an expert (an account holding the expert role) with their own unit, if any."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel_id)
        require(by, J.MANAGE, panel)
        if not has_action_anywhere(user, Action.REVIEW):
            raise ApplicationError(_("该账号没有评审专家角色"), field="user")
        if panel.members.filter(user=user).exists():
            raise ApplicationError(_("该专家已在评审组中"), field="user")
        member = PanelMember.objects.create(panel=panel, user=user, affiliation=affiliation, expertise=expertise)
        audit_record(AuditAction.CREATE, user=by, obj=member, detail={"panel": panel.pk, "expert": user.pk})
    return member


def panel_remove_member(*, member_id: int, by: Any) -> None:
    with transaction.atomic():
        member = PanelMember.objects.select_related("panel").get(pk=member_id)
        require(by, J.MANAGE, member.panel)
        audit_record(AuditAction.DELETE, user=by, obj=member, detail={"panel": member.panel_id})
        member.delete()


# --- rounds and entries -----------------------------------------------------------------------------
def _locked_round(round_id: int) -> Round:
    return (
        Round.objects.select_for_update(of=("self",)).select_related("organization", "scheme", "panel").get(pk=round_id)
    )


def _require_editable(rnd: Round) -> None:
    if rnd.status not in (RoundStatus.DRAFT, RoundStatus.SCORING):
        raise ApplicationError(_("评分已结束，不能再调整参评对象或专家"), code="frozen")


def open_round(
    *,
    scheme: Scheme,
    title: str,
    organization: Organization,
    entries: Iterable[EntrySpec],
    opens_at: datetime,
    closes_at: datetime,
    by: Any,
    panel: Panel | None = None,
) -> Round:
    """Create a judging round (筹备中) on a published scheme with its entries; start scoring with
    :func:`round_start` once the experts are assigned."""
    require(by, J.MANAGE, organization)
    if scheme.status != SchemeStatus.PUBLISHED:
        raise ApplicationError(_("只能使用已发布的测评体系"), field="scheme")
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("请填写评审名称"), field="title")
    if closes_at <= opens_at:
        raise ApplicationError(_("评分截止时间应晚于开始时间"), field="closes_at")
    if panel is not None and not authorize(by, J.MANAGE, panel):
        raise ApplicationError(_("专家评审组不在您的数据范围内"), field="panel")
    with transaction.atomic():
        rnd = Round.objects.create(
            organization=organization,
            title=title,
            scheme=scheme,
            panel=panel,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=by,
        )
        record_event(ROUND_WORKFLOW, rnd, "create", by=by, new=rnd.status)
        audit_record(AuditAction.CREATE, user=by, obj=rnd, detail={"scheme": scheme.pk})
        specs = list(entries)
        if specs:
            _add_entries(rnd, specs, by=by)
    return rnd


def _add_entries(rnd: Round, specs: list[EntrySpec], *, by: Any) -> list[Entry]:
    keys = [s.subject_key for s in specs]
    if len(set(keys)) != len(keys):
        raise ApplicationError(_("参评对象重复"), field="entries")
    existing = set(rnd.entries.filter(subject_key__in=keys).values_list("subject_key", flat=True))
    if existing:
        raise ApplicationError(_("已在本轮评审中：%(keys)s") % {"keys": "、".join(sorted(existing))}, field="entries")
    start = rnd.entries.aggregate(m=Max("sort_order"))["m"] or 0
    rows = [
        Entry(
            round=rnd,
            subject_key=s.subject_key[:80],
            label=s.label[:200],
            organization=s.organization,
            summary=s.summary,
            sort_order=start + i,
        )
        for i, s in enumerate(specs, start=1)
    ]
    Entry.objects.bulk_create(rows)
    created = list(rnd.entries.filter(subject_key__in=keys))
    record_event(ROUND_WORKFLOW, rnd, "entries", by=by, comment=_("添加 %(n)s 个参评对象") % {"n": len(created)})
    audit_record(AuditAction.UPDATE, user=by, obj=rnd, detail={"entries_added": len(created)})
    return created


def add_entries(*, round_id: int, entries: Iterable[EntrySpec], by: Any) -> list[Entry]:
    """Add entries to a round that is not yet closed (筹备中 or 评分中)."""
    with transaction.atomic():
        rnd = _locked_round(round_id)
        require(by, J.MANAGE, rnd)
        _require_editable(rnd)
        return _add_entries(rnd, list(entries), by=by)


def conflict_reason(entry_org: Organization, affiliation: Organization | None) -> str:
    """The automatic flag: the expert's unit and the entry's unit lie on one line of the tree."""
    if affiliation is None:
        return ""
    if entry_org.path.startswith(affiliation.path) or affiliation.path.startswith(entry_org.path):
        return _("专家所在单位（%(aff)s）与参评单位（%(org)s）属同一上下级链条") % {
            "aff": affiliation.name,
            "org": entry_org.name,
        }
    return ""


def _members_by_user(rnd: Round) -> dict[int, PanelMember]:
    if rnd.panel_id is None:
        raise ApplicationError(_("本轮评审尚未指定专家评审组"), field="panel")
    return {m.user_id: m for m in rnd.panel.members.select_related("user", "affiliation")}


def _create_assignments(rnd: Round, pairs: list[tuple[Entry, PanelMember]], *, by: Any) -> list[Assignment]:
    taken = set(Assignment.objects.filter(entry__round=rnd).values_list("entry_id", "expert_id"))
    rows = []
    for entry, member in pairs:
        if (entry.pk, member.user_id) in taken:
            continue
        taken.add((entry.pk, member.user_id))
        rows.append(
            Assignment(
                entry=entry,
                expert_id=member.user_id,
                auto_conflict=conflict_reason(entry.organization, member.affiliation)[:200],
            )
        )
    Assignment.objects.bulk_create(rows)
    if rows:
        record_event(ROUND_WORKFLOW, rnd, "assign", by=by, comment=_("分配 %(n)s 项评分任务") % {"n": len(rows)})
        audit_record(AuditAction.UPDATE, user=by, obj=rnd, detail={"assignments_added": len(rows)})
        if rnd.status == RoundStatus.SCORING:
            _notify_experts(rnd, {r.expert_id for r in rows})
    return rows


def _entries_of(rnd: Round, entry_ids: Iterable[int] | None) -> list[Entry]:
    qs = rnd.entries.select_related("organization")
    if entry_ids is not None:
        ids = list(entry_ids)
        qs = qs.filter(pk__in=ids)
        found = list(qs)
        if len(found) != len(set(ids)):
            raise ApplicationError(_("参评对象不属于本轮评审"), field="entries")
        return found
    return list(qs)


def assign(*, round_id: int, entry_ids: Iterable[int], expert_ids: Iterable[int], by: Any) -> list[Assignment]:
    """Manual and bulk assignment: every given expert (a panel member) on every given entry.
    Conflicts are flagged, not refused: the expert's score is then shown but not counted."""
    with transaction.atomic():
        rnd = _locked_round(round_id)
        require(by, J.MANAGE, rnd)
        _require_editable(rnd)
        members = _members_by_user(rnd)
        experts = list(dict.fromkeys(expert_ids))
        missing = [e for e in experts if e not in members]
        if missing or not experts:
            raise ApplicationError(_("请选择本评审组的专家"), field="experts")
        entries = _entries_of(rnd, entry_ids)
        if not entries:
            raise ApplicationError(_("请选择参评对象"), field="entries")
        return _create_assignments(rnd, [(e, members[x]) for e in entries for x in experts], by=by)


assign_bulk = assign


def assign_random(*, round_id: int, n: int, by: Any, rng: random.Random | None = None) -> list[Assignment]:
    """Give every entry ``n`` experts drawn at random from the panel, never one with an automatic
    conflict, the least loaded first (ties broken by ``rng``; pass a seeded ``random.Random`` for a
    repeatable draw). Entries that already have experts get only the missing ones. All or nothing."""
    rng = rng or random.SystemRandom()
    if n < 1:
        raise ApplicationError(_("每个参评对象至少分配 1 位专家"), field="n")
    with transaction.atomic():
        rnd = _locked_round(round_id)
        require(by, J.MANAGE, rnd)
        _require_editable(rnd)
        members = list(_members_by_user(rnd).values())
        members.sort(key=lambda m: m.user_id)
        load: dict[int, int] = {m.user_id: 0 for m in members}
        have: dict[int, set[int]] = {}
        for entry_id, expert_id in Assignment.objects.filter(entry__round=rnd).values_list("entry_id", "expert_id"):
            have.setdefault(entry_id, set()).add(expert_id)
            if expert_id in load:
                load[expert_id] += 1
        pairs: list[tuple[Entry, PanelMember]] = []
        short: list[str] = []
        for entry in _entries_of(rnd, None):
            already = have.get(entry.pk, set())
            need = n - len(already)
            if need <= 0:
                continue
            candidates = [
                m
                for m in members
                if m.user_id not in already and not conflict_reason(entry.organization, m.affiliation)
            ]
            if len(candidates) < need:
                short.append(entry.label)
                continue
            keyed = [(load[m.user_id], rng.random(), m) for m in candidates]
            keyed.sort(key=lambda t: (t[0], t[1]))
            for _load, _r, m in keyed[:need]:
                pairs.append((entry, m))
                load[m.user_id] += 1
        if short:
            raise ApplicationError(
                _("可分配的无利益冲突专家不足 %(n)s 位：%(labels)s") % {"n": n, "labels": "、".join(short[:5])},
                field="n",
            )
        return _create_assignments(rnd, pairs, by=by)


def unassign(*, assignment_id: int, by: Any) -> None:
    """Remove an assignment that has no scores yet (before the round closes)."""
    with transaction.atomic():
        a = Assignment.objects.select_related("entry__round").get(pk=assignment_id)
        rnd = _locked_round(a.entry.round_id)
        require(by, J.MANAGE, rnd)
        _require_editable(rnd)
        if a.status != AssignmentStatus.PENDING or a.scores.exists():
            raise ApplicationError(_("专家已开始评分，不能撤销分配"))
        audit_record(AuditAction.DELETE, user=by, obj=a, detail={"round": rnd.pk, "expert": a.expert_id})
        a.delete()


def _notify_experts(rnd: Round, expert_ids: set[int]) -> None:
    if not expert_ids:
        return
    # deferred: the user model is resolved through the app registry, as everywhere
    from django.contrib.auth import get_user_model

    notify_many(
        recipients=get_user_model().objects.filter(pk__in=expert_ids),
        title=_("专家评审“%(title)s”有待评分的参评对象") % {"title": rnd.title},
        url=reverse("judging:queue"),
        category="评审",
    )


def round_start(*, round_id: int, by: Any) -> Round:
    """筹备中 → 评分中: needs entries, each with at least one expert; the experts are told."""

    def prepare(rnd: Round, _t: Any) -> None:
        if not rnd.entries.exists():
            raise ApplicationError(_("尚无参评对象"))
        if rnd.entries.filter(assignments__isnull=True).exists():
            raise ApplicationError(_("还有参评对象未分配专家"))

    def after(rnd: Round, _o: Any) -> None:
        _notify_experts(rnd, set(Assignment.objects.filter(entry__round=rnd).values_list("expert_id", flat=True)))

    return perform(ROUND_WORKFLOW, round_id, "start", by=by, prepare=prepare, after=after).obj


def round_close(*, round_id: int, by: Any) -> Round:
    """评分中 → 评分结束: scores are frozen from now on (unsubmitted drafts do not count)."""
    return perform(ROUND_WORKFLOW, round_id, "close", by=by).obj


def round_reopen(*, round_id: int, by: Any, comment: str) -> Round:
    if not (comment or "").strip():
        raise ApplicationError(_("请填写重新开放的原因"), field="comment")
    return perform(ROUND_WORKFLOW, round_id, "reopen", by=by, comment=comment).obj


def round_publish(*, round_id: int, by: Any) -> Round:
    """评分结束 → 结果已发布: the ranking is final; nothing about the round changes afterwards."""
    return perform(ROUND_WORKFLOW, round_id, "publish", by=by, fields={"published_at": timezone.now()}).obj


# --- scoring --------------------------------------------------------------------------------------
def _check_window(rnd: Round) -> None:
    if rnd.status != RoundStatus.SCORING:
        raise ApplicationError(_("本轮评审不在评分阶段，评分已冻结"), code="frozen")
    now = timezone.now()
    if now < rnd.opens_at:
        raise ApplicationError(_("评分尚未开始"), code="window")
    if now > rnd.closes_at:
        raise ApplicationError(_("评分已截止"), code="window")


def _locked_assignment(assignment_id: int) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("entry__round__scheme", "entry__round__organization", "entry__organization")
        .get(pk=assignment_id)
    )


def _own(by: Any, a: Assignment) -> None:
    require(by, OWN_ASSIGNMENT, a)


def save_scores(
    *,
    assignment_id: int,
    by: Any,
    points: Mapping[int, Any],
    comments: Mapping[int, str] | None = None,
    vetoes: Mapping[int, str] | None = None,
    comment: str | None = None,
) -> Assignment:
    """Save the expert's draft: ``points`` per leaf indicator id (blank/None = not yet scored),
    ``comments`` per indicator, ``vetoes`` = veto item id → note for every veto item found. Every value
    is bounded by the indicator's maximum. Refused once submitted or outside the scoring window."""
    comments = comments or {}
    vetoes = vetoes or {}
    with transaction.atomic():
        a = _locked_assignment(assignment_id)
        _own(by, a)
        if a.status != AssignmentStatus.PENDING:
            raise ApplicationError(_("评分已提交，不能再修改"), code="submitted")
        rnd = a.entry.round
        _check_window(rnd)
        leaves = {i.pk: i for i in Indicator.objects.filter(scheme_id=rnd.scheme_id, children__isnull=True)}
        veto_ids = set(VetoItem.objects.filter(scheme_id=rnd.scheme_id).values_list("pk", flat=True))
        unknown = [k for k in list(points) + list(comments) if int(k) not in leaves]
        if unknown:
            raise ApplicationError(_("指标不属于本轮测评体系"), field="points")
        if any(int(k) not in veto_ids for k in vetoes):
            raise ApplicationError(_("否决事项不属于本轮测评体系"), field="vetoes")
        keep: dict[int, tuple[Decimal, str]] = {}
        for raw_id, raw in points.items():
            ind = leaves[int(raw_id)]
            if raw is None or str(raw).strip() == "":
                continue
            value = _decimal(raw, field=f"points_{ind.pk}", label=f"{ind.code} {ind.name}")
            if value < 0 or value > ind.max_points:
                raise ApplicationError(
                    _("%(ind)s 的得分应在 0 到 %(max)s 之间")
                    % {"ind": f"{ind.code} {ind.name}", "max": _fmt(ind.max_points)},
                    field=f"points_{ind.pk}",
                )
            if value.as_tuple().exponent < -2:
                raise ApplicationError(_("得分最多保留两位小数"), field=f"points_{ind.pk}")
            keep[ind.pk] = (value, (comments.get(ind.pk) or comments.get(str(ind.pk)) or "").strip()[:500])
        existing = {s.indicator_id: s for s in a.scores.all()}
        a.scores.exclude(indicator_id__in=list(keep)).delete()
        new, changed = [], []
        for ind_id, (value, note) in keep.items():
            s = existing.get(ind_id)
            if s is None:
                new.append(Score(assignment=a, indicator_id=ind_id, points=value, comment=note))
            elif s.points != value or s.comment != note:
                s.points, s.comment = value, note
                changed.append(s)
        Score.objects.bulk_create(new)
        if changed:
            Score.objects.bulk_update(changed, ["points", "comment"])
        a.vetoes.exclude(veto_item_id__in=[int(k) for k in vetoes]).delete()
        have = set(a.vetoes.values_list("veto_item_id", flat=True))
        VetoMark.objects.bulk_create(
            [
                VetoMark(assignment=a, veto_item_id=int(k), comment=(note or "").strip()[:300])
                for k, note in vetoes.items()
                if int(k) not in have
            ]
        )
        fields = ["saved_at"]
        a.saved_at = timezone.now()
        if comment is not None:
            a.comment = comment.strip()[:3000]
            fields.append("comment")
        a.save(update_fields=fields)
        record_event(ASSIGNMENT_WORKFLOW, a, "save", by=by)
    return a


def submit_scores(*, assignment_id: int, by: Any) -> Assignment:
    """待评分 → 已提交: every leaf indicator scored (unless the expert declared a conflict)."""

    def prepare(a: Assignment, _t: Any) -> dict[str, Any]:
        _check_window(a.entry.round)
        if not a.declared_conflict:
            leaves = Indicator.objects.filter(scheme_id=a.entry.round.scheme_id, children__isnull=True)
            missing = leaves.exclude(pk__in=a.scores.values("indicator_id")).order_by("sort_order", "id")
            names = [f"{i.code} {i.name}" for i in missing[:5]]
            if names:
                raise ApplicationError(_("还有指标未评分：%(names)s") % {"names": "、".join(names)}, field="points")
        return {"submitted_at": timezone.now()}

    return perform(ASSIGNMENT_WORKFLOW, assignment_id, "submit", by=by, prepare=prepare).obj


def declare_conflict(*, assignment_id: int, by: Any, reason: str) -> Assignment:
    """The expert declares a conflict of interest with the entry: their score is not counted."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请填写利益冲突的情况"), field="reason")
    with transaction.atomic():
        a = _locked_assignment(assignment_id)
        _own(by, a)
        if a.status != AssignmentStatus.PENDING:
            raise ApplicationError(_("评分已提交，不能再修改"), code="submitted")
        if a.entry.round.is_frozen:
            raise ApplicationError(_("本轮评审不在评分阶段，评分已冻结"), code="frozen")
        a.declared_conflict = reason[:300]
        a.save(update_fields=["declared_conflict"])
        record_event(ASSIGNMENT_WORKFLOW, a, "conflict", by=by, comment=a.declared_conflict)
        audit_record(AuditAction.UPDATE, user=by, obj=a, detail={"declared_conflict": True})
    return a


def return_assignment(*, assignment_id: int, by: Any, comment: str) -> Assignment:
    """已提交 → 待评分 (the organiser, while scoring is open), with the reason for the expert."""
    if not (comment or "").strip():
        raise ApplicationError(_("请填写退回原因"), field="comment")

    def prepare(a: Assignment, _t: Any) -> dict[str, Any]:
        if a.entry.round.status != RoundStatus.SCORING:
            raise ApplicationError(_("本轮评审不在评分阶段，评分已冻结"), code="frozen")
        return {"submitted_at": None}

    def after(a: Assignment, _o: Any) -> None:
        notify_many(
            recipients=[a.expert],
            title=_("您对“%(label)s”的评分被退回重评") % {"label": a.entry.label},
            body=comment,
            url=reverse("judging:score", args=[a.pk]),
            category="评审",
        )

    return perform(
        ASSIGNMENT_WORKFLOW, assignment_id, "return", by=by, comment=comment, prepare=prepare, after=after
    ).obj


# --- committee decision (secret ballot) -------------------------------------------------------------
def committee_create(
    *,
    title: str,
    organization: Organization,
    members: Iterable[Any],
    items: Iterable[BallotSpec],
    by: Any,
    round: Round | None = None,
) -> CommitteeVote:
    """A committee vote in draft: its members (accounts) and the items voted on."""
    require(by, J.MANAGE, organization)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(_("请填写表决事项"), field="title")
    people = list({u.pk: u for u in members}.values())
    if not people:
        raise ApplicationError(_("请选择表决成员"), field="members")
    specs = list(items)
    if not specs:
        raise ApplicationError(_("请选择表决对象"), field="items")
    if len({s.subject_key for s in specs}) != len(specs):
        raise ApplicationError(_("表决对象重复"), field="items")
    with transaction.atomic():
        vote = CommitteeVote.objects.create(organization=organization, title=title, round=round, created_by=by)
        CommitteeMember.objects.bulk_create([CommitteeMember(vote=vote, user=u) for u in people])
        BallotItem.objects.bulk_create(
            [
                BallotItem(vote=vote, subject_key=s.subject_key[:80], label=s.label[:200], entry=s.entry, sort_order=i)
                for i, s in enumerate(specs, start=1)
            ]
        )
        record_event(COMMITTEE_WORKFLOW, vote, "create", by=by, new=vote.status)
        audit_record(AuditAction.CREATE, user=by, obj=vote, detail={"members": len(people), "items": len(specs)})
    return vote


def committee_start(*, vote_id: int, present_count: int, by: Any) -> CommitteeVote:
    """筹备中 → 投票中 with the number of members present; refused without a quorum (more than half)."""

    def prepare(vote: CommitteeVote, _t: Any) -> dict[str, Any]:
        members = vote.members.count()
        try:
            present = int(present_count)
        except (TypeError, ValueError) as exc:
            raise ApplicationError(_("请填写出席人数"), field="present_count") from exc
        if present < 0 or present > members:
            raise ApplicationError(_("出席人数应在 0 到成员总数 %(n)s 之间") % {"n": members}, field="present_count")
        if present * 2 <= members:
            raise ApplicationError(
                _("不足法定人数：成员 %(m)s 人，出席须超过半数（至少 %(q)s 人）")
                % {"m": members, "q": members // 2 + 1},
                field="present_count",
            )
        return {"present_count": present, "opened_at": timezone.now()}

    return perform(
        COMMITTEE_WORKFLOW, vote_id, "open", by=by, prepare=prepare, detail={"present_count": present_count}
    ).obj


def committee_open(
    *,
    title: str,
    organization: Organization,
    members: Iterable[Any],
    present_count: int,
    items: Iterable[BallotSpec],
    by: Any,
    round: Round | None = None,
) -> CommitteeVote:
    """Create a committee vote and open it at once (:func:`committee_create` + :func:`committee_start`)."""
    with transaction.atomic():
        vote = committee_create(
            title=title, organization=organization, members=members, items=items, by=by, round=round
        )
        return committee_start(vote_id=vote.pk, present_count=present_count, by=by)


def committee_cast(*, vote_id: int, by: Any, choices: Mapping[int, str]) -> None:
    """A member casts their ballot sheet once: 同意 / 不同意 / 弃权 for every item. The "has voted" row
    names the member; the ballots carry no voter, no time and a random key, so no choice is linkable."""
    with transaction.atomic():
        vote = CommitteeVote.objects.select_for_update().select_related("organization").get(pk=vote_id)
        require(by, COMMITTEE_MEMBER, vote)
        if vote.status != CommitteeStatus.VOTING:
            raise ApplicationError(_("表决未在进行中"), code="closed")
        if vote.voters.filter(user=by).exists():
            raise ApplicationError(_("您已投过票"), code="voted")
        if vote.voters.count() >= vote.present_count:
            raise ApplicationError(_("投票人数已达出席人数"), code="full")
        items = list(vote.items.all())
        ballots = []
        for item in items:
            choice = choices.get(item.pk) or choices.get(str(item.pk))  # type: ignore[call-overload]
            if choice not in BallotChoice.values:
                raise ApplicationError(_("请对“%(label)s”表明意见") % {"label": item.label}, field=f"item_{item.pk}")
            ballots.append(Ballot(item=item, choice=choice))
        try:
            with transaction.atomic():
                CommitteeVoter.objects.create(vote=vote, user=by)
        except IntegrityError as exc:
            raise ApplicationError(_("您已投过票"), code="voted") from exc
        random.SystemRandom().shuffle(ballots)
        Ballot.objects.bulk_create(ballots)
        audit_record(AuditAction.DECISION, user=by, obj=vote, detail={"ballot_cast": len(ballots)})


def committee_close(*, vote_id: int, by: Any) -> CommitteeVote:
    """投票中 → 已计票: each item passes with more 同意 than half of the members present."""

    def prepare(vote: CommitteeVote, _t: Any) -> dict[str, Any]:
        items = list(vote.items.all())
        counts: dict[tuple[int, str], int] = {}
        for item_id, choice in Ballot.objects.filter(item__vote=vote).values_list("item_id", "choice"):
            counts[(item_id, choice)] = counts.get((item_id, choice), 0) + 1
        for item in items:
            item.yes = counts.get((item.pk, BallotChoice.YES), 0)
            item.no = counts.get((item.pk, BallotChoice.NO), 0)
            item.abstain = counts.get((item.pk, BallotChoice.ABSTAIN), 0)
            item.passed = item.yes * 2 > vote.present_count
        BallotItem.objects.bulk_update(items, ["yes", "no", "abstain", "passed"])
        return {"closed_at": timezone.now()}

    outcome = perform(COMMITTEE_WORKFLOW, vote_id, "close", by=by, prepare=prepare)
    vote = outcome.obj
    audit_record(
        AuditAction.DECISION,
        user=by,
        obj=vote,
        detail={
            "result": [
                {"item": i.subject_key, "yes": i.yes, "no": i.no, "abstain": i.abstain, "passed": i.passed}
                for i in vote.items.all()
            ],
            "voted": vote.voters.count(),
            "present": vote.present_count,
        },
    )
    return vote


def may_score(user: Any, assignment: Assignment) -> bool:
    return authorize(user, OWN_ASSIGNMENT, assignment)
