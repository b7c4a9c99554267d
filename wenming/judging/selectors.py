"""Reads of expert judging. Staff lists start from ``visible_to(user, action)``; an expert's reads start
from their own assignments. Every page here is a constant number of queries, whatever the entries.

**Ranking** (:func:`ranking`): an entry's score is the MEAN of the totals of its counted judges — the
submitted assignments without a conflict (automatic or declared); drafts and conflicted scores are shown
but not counted. Beside the raw mean stands the **per-judge z-score** mean: for each counted judge, their
totals over the round's entries are standardised, z = (x − mean_j) / sd_j (population standard
deviation; a judge with one score or no spread contributes z = 0), and the entry's value is the mean of
its judges' z. Order: entries with a veto (一票否决, marked by a counted judge) go last and are out;
then entries without any counted score; the rest by raw mean, higher first, ties broken by the z mean,
then by the order of entry (申报顺序), then by id — deterministic. ``tied`` marks equal raw means.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wenming.accounts.roles import Action
from wenming.organizations.scoping import has_action_anywhere

from .choices import AssignmentStatus, RoundStatus
from .models import (
    Assignment,
    BallotItem,
    CommitteeVote,
    Entry,
    Indicator,
    Panel,
    Round,
    Scheme,
    Score,
    VetoItem,
    VetoMark,
)

TWO = Decimal("0.01")


def q2(d: Decimal | None) -> Decimal | None:
    return None if d is None else d.quantize(TWO, rounding=ROUND_HALF_UP)


# --- schemes --------------------------------------------------------------------------------------
def scheme_list(*, user: Any) -> QuerySet[Scheme]:
    return (
        Scheme.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(n_indicators=Count("indicators", distinct=True))
        .order_by("family", "-version")
    )


def published_schemes(*, user: Any) -> QuerySet[Scheme]:
    return Scheme.objects.visible_to(user, Action.VIEW).filter(status="published").order_by("family", "-version")


@dataclass
class Node:
    indicator: Indicator
    children: list[Node] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def children_points(self) -> Decimal:
        return sum((c.indicator.max_points for c in self.children), Decimal("0"))

    @property
    def children_weight(self) -> Decimal:
        return sum((c.indicator.weight for c in self.children), Decimal("0"))

    @property
    def sums_ok(self) -> bool:
        return self.is_leaf or (
            self.children_points == self.indicator.max_points and self.children_weight == Decimal("100")
        )


def scheme_tree(scheme: Scheme, indicators: list[Indicator] | None = None) -> list[Node]:
    """The tree in sibling order from one query."""
    rows = indicators if indicators is not None else list(scheme.indicators.order_by("sort_order", "id"))
    nodes = {i.pk: Node(i) for i in rows}
    roots: list[Node] = []
    for i in rows:
        (nodes[i.parent_id].children if i.parent_id in nodes else roots).append(nodes[i.pk])
    return roots


def flatten(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.children))
    return out


def leaves(nodes: list[Node]) -> list[Indicator]:
    return [n.indicator for n in flatten(nodes) if n.is_leaf]


# --- panels and rounds ----------------------------------------------------------------------------
def panel_list(*, user: Any) -> QuerySet[Panel]:
    return (
        Panel.objects.visible_to(user, Action.VIEW)
        .select_related("organization")
        .annotate(n_members=Count("members"))
        .order_by("-id")
    )


def round_list(*, user: Any) -> QuerySet[Round]:
    n_entries = Entry.objects.filter(round=OuterRef("pk")).values("round").annotate(n=Count("pk")).values("n")
    n_assign = (
        Assignment.objects.filter(entry__round=OuterRef("pk"))
        .values("entry__round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    n_done = (
        Assignment.objects.filter(entry__round=OuterRef("pk"), status=AssignmentStatus.SUBMITTED)
        .values("entry__round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zero = Value(0, output_field=IntegerField())
    return (
        Round.objects.visible_to(user, Action.VIEW)
        .select_related("organization", "scheme", "panel")
        .annotate(
            n_entries=Coalesce(Subquery(n_entries, output_field=IntegerField()), zero),
            n_assignments=Coalesce(Subquery(n_assign, output_field=IntegerField()), zero),
            n_submitted=Coalesce(Subquery(n_done, output_field=IntegerField()), zero),
        )
        .order_by("-opens_at", "-id")
    )


def _totals(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Each assignment's total points and veto count (subqueries, so the two do not multiply)."""
    total = Score.objects.filter(assignment=OuterRef("pk")).values("assignment").annotate(t=Sum("points")).values("t")
    vetoes = VetoMark.objects.filter(assignment=OuterRef("pk")).values("assignment").annotate(n=Count("pk")).values("n")
    n_scored = Score.objects.filter(assignment=OuterRef("pk")).values("assignment").annotate(n=Count("pk")).values("n")
    return qs.annotate(
        total=Coalesce(
            Subquery(total, output_field=DecimalField(max_digits=8, decimal_places=2)),
            Value(Decimal("0"), output_field=DecimalField(max_digits=8, decimal_places=2)),
        ),
        n_vetoes=Coalesce(Subquery(vetoes, output_field=IntegerField()), Value(0, output_field=IntegerField())),
        n_scored=Coalesce(Subquery(n_scored, output_field=IntegerField()), Value(0, output_field=IntegerField())),
    )


# --- the expert's queue ------------------------------------------------------------------------------
def expert_assignments(*, user: Any) -> QuerySet[Assignment]:
    """Every assignment of the signed-in expert (any round); nothing for anyone without the expert role."""
    if not has_action_anywhere(user, Action.REVIEW):
        return Assignment.objects.none()
    return _totals(
        Assignment.objects.filter(expert=user).select_related(
            "entry", "entry__organization", "entry__round", "entry__round__scheme"
        )
    ).order_by("entry__round__closes_at", "entry__round_id", "entry__sort_order", "entry_id")


def expert_queue(*, user: Any) -> QuerySet[Assignment]:
    """待评分: the expert's pending assignments in rounds that are scoring now."""
    return expert_assignments(user=user).filter(
        status=AssignmentStatus.PENDING, entry__round__status=RoundStatus.SCORING
    )


def expert_assignment(*, user: Any, pk: int) -> Assignment | None:
    """One of the expert's own assignments (None for anyone else's: the page answers 404)."""
    return expert_assignments(user=user).filter(pk=pk).first()


@dataclass
class Sheet:
    """The scoring sheet of one assignment: tree, the given points and the veto marks."""

    assignment: Assignment
    tree: list[Node]
    rows: list[Node]
    veto_items: list[VetoItem]
    scores: dict[int, Score]
    vetoes: dict[int, VetoMark]

    @property
    def total(self) -> Decimal:
        return sum((s.points for s in self.scores.values()), Decimal("0"))


def score_sheet(assignment: Assignment) -> Sheet:
    scheme_id = assignment.entry.round.scheme_id
    indicators = list(Indicator.objects.filter(scheme_id=scheme_id).order_by("sort_order", "id"))
    tree = scheme_tree(assignment.entry.round.scheme, indicators)
    return Sheet(
        assignment=assignment,
        tree=tree,
        rows=flatten(tree),
        veto_items=list(VetoItem.objects.filter(scheme_id=scheme_id)),
        scores={s.indicator_id: s for s in assignment.scores.all()},
        vetoes={v.veto_item_id: v for v in assignment.vetoes.all()},
    )


# --- ranking ----------------------------------------------------------------------------------------
@dataclass
class JudgeScore:
    assignment: Assignment
    total: Decimal
    counted: bool
    reason: str  # why not counted ("" when counted)
    z: Decimal | None = None


@dataclass
class RankedEntry:
    entry: Entry
    position: int = 0
    mean: Decimal | None = None
    normalised: Decimal | None = None
    judges: list[JudgeScore] = field(default_factory=list)
    vetoed: bool = False
    veto_reasons: list[str] = field(default_factory=list)
    passed: bool | None = None
    tied: bool = False

    @property
    def n_counted(self) -> int:
        return sum(1 for j in self.judges if j.counted)

    @property
    def n_excluded(self) -> int:
        return sum(1 for j in self.judges if not j.counted)

    @property
    def mean_display(self) -> Decimal | None:
        return q2(self.mean)

    @property
    def normalised_display(self) -> Decimal | None:
        return q2(self.normalised)


def _not_counted(a: Assignment) -> str:
    if a.auto_conflict or a.declared_conflict:
        return a.exclusion_reason
    if a.status != AssignmentStatus.SUBMITTED:
        return _("未提交")
    return ""


def ranking(rnd: Round) -> list[RankedEntry]:
    """The round's entries, ranked (see the module docstring). Three queries, whatever the size."""
    scheme = rnd.scheme
    entries = list(rnd.entries.select_related("organization").order_by("sort_order", "id"))
    by_entry = {e.pk: RankedEntry(entry=e) for e in entries}
    assignments = list(
        _totals(Assignment.objects.filter(entry__round=rnd).select_related("expert")).order_by("expert_id", "id")
    )
    veto_text: dict[int, list[str]] = defaultdict(list)
    for assignment_id, text in (
        VetoMark.objects.filter(assignment__entry__round=rnd)
        .order_by("veto_item__sort_order")
        .values_list("assignment_id", "veto_item__text")
    ):
        veto_text[assignment_id].append(text)
    per_judge: dict[int, list[JudgeScore]] = defaultdict(list)
    for a in assignments:
        reason = _not_counted(a)
        js = JudgeScore(assignment=a, total=a.total, counted=not reason, reason=reason)
        row = by_entry[a.entry_id]
        row.judges.append(js)
        if js.counted:
            per_judge[a.expert_id].append(js)
            if a.n_vetoes:
                row.vetoed = True
                row.veto_reasons.extend(t for t in veto_text[a.pk] if t not in row.veto_reasons)
    for scores in per_judge.values():
        n = len(scores)
        mean = sum((s.total for s in scores), Decimal("0")) / n
        var = sum(((s.total - mean) ** 2 for s in scores), Decimal("0")) / n
        sd = var.sqrt() if var > 0 else Decimal("0")
        for s in scores:
            s.z = (s.total - mean) / sd if sd > 0 else Decimal("0")
    for row in by_entry.values():
        counted = [j for j in row.judges if j.counted]
        if counted:
            row.mean = sum((j.total for j in counted), Decimal("0")) / len(counted)
            row.normalised = sum((j.z or Decimal("0") for j in counted), Decimal("0")) / len(counted)
            row.passed = not row.vetoed and row.mean >= scheme.pass_mark
        elif row.vetoed:
            row.passed = False
    rows = sorted(
        by_entry.values(),
        key=lambda r: (
            r.vetoed,
            r.mean is None,
            -(r.mean or 0),
            -(r.normalised or 0),
            r.entry.sort_order,
            r.entry.pk,
        ),
    )
    for i, r in enumerate(rows, start=1):
        r.position = i
    for a, b in zip(rows, rows[1:], strict=False):
        if a.mean is not None and not a.vetoed and not b.vetoed and a.mean == b.mean:
            a.tied = b.tied = True
    return rows


def entry_result(rnd: Round, subject_key: str) -> RankedEntry | None:
    """The ranked row of one entry (by its subject key) — for callers such as the honours engine."""
    return next((r for r in ranking(rnd) if r.entry.subject_key == subject_key), None)


def round_progress(rnd: Round) -> dict[str, int]:
    agg = Assignment.objects.filter(entry__round=rnd).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status=AssignmentStatus.SUBMITTED)),
    )
    return {"total": agg["total"] or 0, "submitted": agg["submitted"] or 0}


# --- committee --------------------------------------------------------------------------------------
def committee_list(*, user: Any) -> QuerySet[CommitteeVote]:
    return (
        CommitteeVote.objects.visible_to(user, Action.VIEW)
        .select_related("organization", "round")
        .annotate(n_members=Count("members", distinct=True), n_items=Count("items", distinct=True))
        .order_by("-id")
    )


def member_votes(*, user: Any) -> QuerySet[CommitteeVote]:
    """Votes the user is a member of (whatever their scope): where they cast their ballot."""
    return CommitteeVote.objects.filter(members__user=user).select_related("organization").order_by("-id")


def votes_to_cast(*, user: Any) -> QuerySet[CommitteeVote]:
    """Open votes of which the user is a member and has not voted yet."""
    return member_votes(user=user).filter(status="voting").exclude(voters__user=user)


@dataclass
class ItemResult:
    item: BallotItem
    yes: int
    no: int
    abstain: int
    passed: bool | None


@dataclass
class CommitteeResult:
    vote: CommitteeVote
    members: int
    present: int
    voted: int
    quorum: bool
    items: list[ItemResult]


def committee_result(vote: CommitteeVote) -> CommitteeResult:
    """The recorded result (after closing; before it, the counts are zero and ``passed`` is None)."""
    members = vote.members.count()
    return CommitteeResult(
        vote=vote,
        members=members,
        present=vote.present_count,
        voted=vote.voters.count(),
        quorum=vote.present_count * 2 > members,
        items=[ItemResult(i, i.yes, i.no, i.abstain, i.passed) for i in vote.items.all()],
    )
