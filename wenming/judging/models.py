"""Expert judging: indicator schemes (测评体系), judging rounds over generic entries, panels,
assignments with conflicts of interest, per-indicator scores, and secret-ballot committee votes.

An *entry* is anything judged — an honours application, a 最美快递员 nominee — named by
``subject_key`` (``"honours.application:12"``); this app never imports the apps whose objects are judged.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.models import Organization
from wenming.organizations.scoping import ScopedQuerySet

from .choices import (
    LEVEL_NUMERALS,
    AssignmentStatus,
    BallotChoice,
    CommitteeStatus,
    Method,
    RoundStatus,
    SchemeStatus,
)
from .workflows import ASSIGNMENT_WORKFLOW, COMMITTEE_WORKFLOW, ROUND_WORKFLOW, SCHEME_WORKFLOW

POINTS = {"max_digits": 6, "decimal_places": 2}


# --- indicator schemes ----------------------------------------------------------------------------
class SchemeQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Scheme(TimeStampedModel):
    """One version of a 测评体系. ``family`` ties the versions together; a published one never changes."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="judging_schemes", verbose_name=_("制定单位")
    )
    family = models.SlugField(_("体系代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    total_points = models.DecimalField(_("总分"), default=Decimal("100"), validators=[MinValueValidator(1)], **POINTS)
    pass_mark = models.DecimalField(_("合格线"), default=Decimal("80"), validators=[MinValueValidator(0)], **POINTS)
    status = models.CharField(_("状态"), max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评体系")
        verbose_name_plural = _("测评体系")
        ordering = ["family", "-version"]
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="judging_scheme_family_version")]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.version} 版）"

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED


class SchemeEventQuerySet(ScopedQuerySet):
    scope_field = "scheme__organization"


class SchemeEvent(TransitionEvent):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=SCHEME_WORKFLOW.kind_choices())

    objects = SchemeEventQuerySet.as_manager()


class IndicatorQuerySet(ScopedQuerySet):
    scope_field = "scheme__organization"


class Indicator(models.Model):
    """A node of the tree (level Ⅰ/Ⅱ/Ⅲ). Children's ``max_points`` add up to the parent's; the
    weights (权数, % of the parent) of siblings add up to 100. Experts score the leaves."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("上级指标")
    )
    level = models.PositiveSmallIntegerField(_("级别"), default=1)
    code = models.CharField(_("编号"), max_length=20, blank=True)
    name = models.CharField(_("指标名称"), max_length=100)
    max_points = models.DecimalField(_("分值"), validators=[MinValueValidator(0)], **POINTS)
    weight = models.DecimalField(_("权数（%）"), max_digits=5, decimal_places=2, default=Decimal("0"))
    method = models.CharField(_("测评方法"), max_length=20, choices=Method.choices, default=Method.MATERIALS)
    standard = models.TextField(_("测评标准"), blank=True)
    evidence = models.TextField(_("佐证材料要求"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评指标")
        verbose_name_plural = _("测评指标")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def level_label(self) -> str:
        return LEVEL_NUMERALS.get(self.level, str(self.level))


class VetoItemQuerySet(ScopedQuerySet):
    scope_field = "scheme__organization"


class VetoItem(models.Model):
    """一票否决: one item marked by any (counted) judge puts the entry out of the ranking."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="veto_items")
    text = models.CharField(_("否决事项"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = VetoItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("一票否决事项")
        verbose_name_plural = _("一票否决事项")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text


# --- panels and rounds ----------------------------------------------------------------------------
class PanelQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Panel(TimeStampedModel):
    """A pool of experts (专家库 / 评审组) kept by a unit; rounds draw their judges from it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="judging_panels", verbose_name=_("组建单位")
    )
    name = models.CharField(_("评审组名称"), max_length=100)

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家评审组")
        verbose_name_plural = _("专家评审组")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class PanelMemberQuerySet(ScopedQuerySet):
    scope_field = "panel__organization"


class PanelMember(models.Model):
    """An expert of a panel. ``affiliation`` is the unit the expert works for (none for outside
    experts): an entry of that unit's subtree, or of a unit above it, is flagged as a conflict."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judging_panels")
    affiliation = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所在单位"),
        help_text=_("专家本人所在单位；与参评单位属同一上下级链条时自动标记利益冲突。外聘专家留空"),
    )
    expertise = models.CharField(_("专业领域"), max_length=100, blank=True)

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="judging_panel_member_once")]

    def __str__(self) -> str:
        return getattr(self.user, "display_name", "") or self.user.username


class RoundQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Round(TimeStampedModel):
    """One judging round: a published scheme, a panel, entries, a scoring window."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="judging_rounds", verbose_name=_("组织单位")
    )
    title = models.CharField(_("评审名称"), max_length=120)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("测评体系"))
    panel = models.ForeignKey(
        Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("专家评审组")
    )
    opens_at = models.DateTimeField(_("评分开始"))
    closes_at = models.DateTimeField(_("评分截止"))
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    published_at = models.DateTimeField(_("结果发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


class RoundEventQuerySet(ScopedQuerySet):
    scope_field = "round__organization"


class RoundEvent(TransitionEvent):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=ROUND_WORKFLOW.kind_choices())

    objects = RoundEventQuerySet.as_manager()


class EntryQuerySet(ScopedQuerySet):
    scope_field = "round__organization"


class Entry(models.Model):
    """One thing judged in a round. ``organization`` is the entry's own unit (conflicts, display);
    the scope is the round's: a candidate unit does not read the experts' scores."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    subject_key = models.CharField(_("对象标识"), max_length=80)
    label = models.CharField(_("参评对象"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="judging_entries", verbose_name=_("参评单位")
    )
    summary = models.TextField(_("简要事迹"), blank=True)
    sort_order = models.PositiveIntegerField(_("申报顺序"), default=0)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("参评对象")
        verbose_name_plural = _("参评对象")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "subject_key"], name="judging_entry_once")]

    def __str__(self) -> str:
        return self.label


class AssignmentQuerySet(ScopedQuerySet):
    scope_field = "entry__round__organization"


class Assignment(models.Model):
    """One expert on one entry: the scores, the conflict flags and the submission."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judging_assignments", verbose_name=_("专家")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    auto_conflict = models.CharField(_("自动标记的利益冲突"), max_length=200, blank=True)
    declared_conflict = models.CharField(_("本人声明的利益冲突"), max_length=300, blank=True)
    comment = models.TextField(_("总体评语"), blank=True)
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    saved_at = models.DateTimeField(_("最近保存"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分任务")
        verbose_name_plural = _("评分任务")
        ordering = ["entry__sort_order", "entry_id", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="judging_assignment_once")]
        indexes = [models.Index(fields=["expert", "status"], name="judging_assign_expert_idx")]

    def __str__(self) -> str:
        return f"{self.entry} · {getattr(self.expert, 'display_name', '') or self.expert}"

    @property
    def is_excluded(self) -> bool:
        return bool(self.auto_conflict or self.declared_conflict)

    @property
    def exclusion_reason(self) -> str:
        return "；".join(r for r in (self.auto_conflict, self.declared_conflict) if r)


class AssignmentEventQuerySet(ScopedQuerySet):
    scope_field = "assignment__entry__round__organization"


class AssignmentEvent(TransitionEvent):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=ASSIGNMENT_WORKFLOW.kind_choices())

    objects = AssignmentEventQuerySet.as_manager()


class ScoreQuerySet(ScopedQuerySet):
    scope_field = "assignment__entry__round__organization"


class Score(models.Model):
    """Points of one leaf indicator given by one expert (0 … the indicator's ``max_points``)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **POINTS)
    comment = models.CharField(_("评语"), max_length=500, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["assignment", "indicator"], name="judging_score_once")]


class VetoMarkQuerySet(ScopedQuerySet):
    scope_field = "assignment__entry__round__organization"


class VetoMark(models.Model):
    """An expert found a veto item (一票否决) for the entry."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="vetoes")
    veto_item = models.ForeignKey(VetoItem, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("说明"), max_length=300, blank=True)

    objects = VetoMarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("一票否决标记")
        verbose_name_plural = _("一票否决标记")
        constraints = [models.UniqueConstraint(fields=["assignment", "veto_item"], name="judging_veto_once")]


# --- committee decision (secret ballot) -------------------------------------------------------------
class CommitteeVoteQuerySet(ScopedQuerySet):
    scope_field = "organization"


class CommitteeVote(TimeStampedModel):
    """A secret-ballot decision of a committee over a list of items (entries of a round or others).

    Quorum: more than half of the members present. An item passes with more 同意 than half of those
    present. Who voted is recorded (``CommitteeVoter``); what they voted is not linkable to them
    (``Ballot`` rows carry no voter, no time, and a random key)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="judging_votes", verbose_name=_("组织单位")
    )
    title = models.CharField(_("表决事项"), max_length=120)
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.PROTECT, related_name="votes", verbose_name=_("专家评审")
    )
    present_count = models.PositiveSmallIntegerField(_("出席人数"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=CommitteeStatus.choices, default=CommitteeStatus.DRAFT)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommitteeVoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员会表决")
        verbose_name_plural = _("委员会表决")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class CommitteeEventQuerySet(ScopedQuerySet):
    scope_field = "vote__organization"


class CommitteeEvent(TransitionEvent):
    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=COMMITTEE_WORKFLOW.kind_choices())

    objects = CommitteeEventQuerySet.as_manager()


class CommitteeMemberQuerySet(ScopedQuerySet):
    scope_field = "vote__organization"


class CommitteeMember(models.Model):
    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("表决成员")
        verbose_name_plural = _("表决成员")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["vote", "user"], name="judging_member_once")]


class CommitteeVoterQuerySet(ScopedQuerySet):
    scope_field = "vote__organization"


class CommitteeVoter(models.Model):
    """ "Has voted": one row per member who cast a ballot sheet. It holds no choice."""

    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(_("投票时间"), auto_now_add=True)

    objects = CommitteeVoterQuerySet.as_manager()

    class Meta:
        verbose_name = _("已投票成员")
        verbose_name_plural = _("已投票成员")
        constraints = [models.UniqueConstraint(fields=["vote", "user"], name="judging_voter_once")]


class BallotItemQuerySet(ScopedQuerySet):
    scope_field = "vote__organization"


class BallotItem(models.Model):
    """One item voted on; the counts and ``passed`` are written when the vote is closed."""

    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="items")
    subject_key = models.CharField(_("对象标识"), max_length=80)
    label = models.CharField(_("表决对象"), max_length=200)
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sort_order = models.PositiveIntegerField(default=0)
    yes = models.PositiveSmallIntegerField(_("同意"), default=0)
    no = models.PositiveSmallIntegerField(_("不同意"), default=0)
    abstain = models.PositiveSmallIntegerField(_("弃权"), default=0)
    passed = models.BooleanField(_("通过"), null=True, blank=True)

    objects = BallotItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("表决对象")
        verbose_name_plural = _("表决对象")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "subject_key"], name="judging_item_once")]

    def __str__(self) -> str:
        return self.label


class BallotQuerySet(ScopedQuerySet):
    scope_field = "item__vote__organization"


class Ballot(models.Model):
    """One anonymous choice on one item: no voter, no time, a random primary key (no insertion order)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(_("表决意见"), max_length=10, choices=BallotChoice.choices)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
