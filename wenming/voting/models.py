"""Public online voting: polls (vote windows), candidates, the append-only ballot ledger and its seals.

A ballot never holds a phone number: ``voter_key`` is a keyed HMAC of it (``identity.voter_key``).
Ballots and their choices are write-once (``guards``: database triggers; the ORM refuses too). The
daily cap is enforced by the database whatever the fast path did: ``UNIQUE (poll, voter_key, vote_date,
seq)`` with ``1 ≤ seq ≤ cap`` checked on insert, and ``UNIQUE (poll, candidate, voter_key, vote_date)``
on the choices (one pick per candidate per voter per day). See docs/voting.md and ADR 0013.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.scoping import ScopedQuerySet

from .choices import AnomalyKind, AnomalyStatus, Channel, OfflineKind, PollStatus, QuarantineStatus
from .workflows import POLL_WORKFLOW, QUARANTINE_WORKFLOW


class PollQuerySet(ScopedQuerySet):
    scope_field = "organization"


class Poll(TimeStampedModel):
    """One vote window: exact times (stored as aware datetimes, entered in Asia/Shanghai) and its rules."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    title = models.CharField(_("投票名称"), max_length=120)
    intro = models.TextField(_("投票说明"), blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    ballots_per_day = models.PositiveSmallIntegerField(_("每人每天可投次数"), default=1)
    choices_per_ballot = models.PositiveSmallIntegerField(_("每次最多选择人数"), default=10)
    show_live_counts = models.BooleanField(_("投票期间显示票数"), default=True)
    shuffle_candidates = models.BooleanField(_("候选人随机排序"), default=True)
    status = models.CharField(_("状态"), max_length=20, choices=PollStatus.choices, default=PollStatus.DRAFT)
    subject_key = models.CharField(_("关联对象"), max_length=80, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("网络投票")
        verbose_name_plural = _("网络投票")
        ordering = ("-opens_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="voting_poll_window"),
            models.CheckConstraint(
                condition=Q(ballots_per_day__gte=1, ballots_per_day__lte=10), name="voting_poll_cap_range"
            ),
            models.CheckConstraint(
                condition=Q(choices_per_ballot__gte=1, choices_per_ballot__lte=50), name="voting_poll_choices_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == PollStatus.SCHEDULED and self.opens_at <= at < self.closes_at


class PollEventQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class PollEvent(TransitionEvent):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=POLL_WORKFLOW.kind_choices())

    objects = PollEventQuerySet.as_manager()


class CandidateQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class Candidate(TimeStampedModel):
    """Someone on the ballot. Story and photos are shown publicly only with ``consent`` recorded."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("投票"))
    number = models.PositiveSmallIntegerField(_("编号"))
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("所在单位"), max_length=120, blank=True)
    story = models.TextField(_("事迹简介"), blank=True)
    subject_key = models.CharField(_("关联对象"), max_length=80, blank=True, db_index=True)
    consent = models.BooleanField(_("本人同意公开事迹和照片"), default=False)
    consent_recorded_at = models.DateTimeField(_("同意记录时间"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ("poll", "number")
        constraints = [models.UniqueConstraint(fields=("poll", "number"), name="voting_candidate_number")]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.name}"

    @property
    def public_story(self) -> str:
        return self.story if self.consent else ""


class CandidatePhotoQuerySet(ScopedQuerySet):
    scope_field = "candidate__poll__organization"


class CandidatePhoto(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(max_length=200)  # storage name from core.uploads.save
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = CandidatePhotoQuerySet.as_manager()

    class Meta:
        ordering = ("candidate", "sort_order", "pk")


class VoterSeen(models.Model):
    """When a voter key was first verified (the "new phone" anomaly signal). No phone number here."""

    voter_key = models.CharField(max_length=64, unique=True)
    first_seen_at = models.DateTimeField(default=timezone.now)


class OtpChallenge(models.Model):
    """One SMS code: stored as a keyed hash, valid 5 minutes, at most 5 tries, used once."""

    phone_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=("phone_key", "-created_at"), name="voting_otp_phone_recent")]


class BallotQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"

    def update(self, **kwargs):  # write-once: the database refuses too (guards.py)
        raise PermissionError("ballots are write-once")

    def delete(self):
        raise PermissionError("ballots are write-once")


class Ballot(models.Model):
    """One submitted online ballot (the ledger). Append-only; sealed in batches by ``LedgerSeal``."""

    id = models.BigAutoField(primary_key=True)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    vote_date = models.DateField()
    seq = models.PositiveSmallIntegerField()
    cast_at = models.DateTimeField()
    request_id = models.CharField(max_length=40, unique=True)
    provider = models.CharField(max_length=10, default="sms")
    ip = models.CharField(max_length=45, blank=True)
    net = models.CharField(max_length=45, blank=True)  # the /24 (IPv4) or /48 (IPv6) network
    ua_hash = models.CharField(max_length=16, blank=True)
    fingerprint = models.CharField(max_length=16, blank=True)
    new_voter = models.BooleanField(default=False)
    verify_latency_s = models.PositiveIntegerField(default=0)  # seconds from SMS verification to this ballot

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(fields=("poll", "voter_key", "vote_date", "seq"), name="voting_ballot_daily_seq"),
            models.CheckConstraint(condition=Q(seq__gte=1, seq__lte=10), name="voting_ballot_seq_range"),
        ]
        indexes = [models.Index(fields=("poll", "cast_at"), name="voting_ballot_poll_time")]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("ballots are write-once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ballots are write-once")


class BallotChoiceQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"

    def update(self, **kwargs):
        raise PermissionError("ballots are write-once")

    def delete(self):
        raise PermissionError("ballots are write-once")


class BallotChoice(models.Model):
    id = models.BigAutoField(primary_key=True)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="choices")
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    voter_key = models.CharField(max_length=64)
    vote_date = models.DateField()

    objects = BallotChoiceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("poll", "candidate", "voter_key", "vote_date"), name="voting_choice_once_per_day"
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("ballots are write-once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ballots are write-once")


class LedgerSealQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class LedgerSeal(models.Model):
    """A batch of ballots ``(first_id, last_id]`` chained: hash = HMAC-SM3(prev_hash ‖ the batch's rows)."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="seals")
    number = models.PositiveIntegerField()
    after_id = models.BigIntegerField()  # exclusive
    last_id = models.BigIntegerField()  # inclusive
    ballots = models.PositiveIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = LedgerSealQuerySet.as_manager()

    class Meta:
        ordering = ("poll", "number")
        constraints = [models.UniqueConstraint(fields=("poll", "number"), name="voting_seal_number")]


class TallyQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class Tally(models.Model):
    """The displayed count per candidate and channel: counted ballots minus quarantined ones, plus offline."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="tallies")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="tallies")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    votes = models.BigIntegerField(default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("poll", "candidate", "channel"), name="voting_tally_row")]


class OfflineEntryQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class OfflineEntry(models.Model):
    """Offline votes counted elsewhere, entered with their provenance; corrections are further entries."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="offline_entries")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("渠道"), max_length=10, choices=OfflineKind.choices)
    votes = models.IntegerField(_("票数"))
    source = models.CharField(_("来源"), max_length=200)
    counted_on = models.DateField(_("计票日期"))
    witnesses = models.CharField(_("监票人"), max_length=200)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    objects = OfflineEntryQuerySet.as_manager()

    class Meta:
        ordering = ("-entered_at", "-pk")


class AnomalyQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class Anomaly(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="anomalies")
    kind = models.CharField(_("类型"), max_length=20, choices=AnomalyKind.choices)
    key = models.CharField(_("特征"), max_length=80)  # the network, candidate number or fingerprint
    window_start = models.DateTimeField(_("时段开始"))
    window_end = models.DateTimeField(_("时段结束"))
    ballots = models.PositiveIntegerField(_("涉及选票"))
    detail = models.JSONField(default=dict)
    status = models.CharField(_("状态"), max_length=20, choices=AnomalyStatus.choices, default=AnomalyStatus.OPEN)
    detected_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    objects = AnomalyQuerySet.as_manager()

    class Meta:
        ordering = ("-detected_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("poll", "kind", "key", "window_start"), name="voting_anomaly_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class QuarantineQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class Quarantine(models.Model):
    """Flagged ballots set aside: proposed by a security admin, approved by an audit admin; never deleted."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="quarantines")
    anomaly = models.ForeignKey(Anomaly, null=True, blank=True, on_delete=models.PROTECT, related_name="quarantines")
    reason = models.CharField(_("原因"), max_length=200)
    ballot_ids = models.JSONField(default=list)
    status = models.CharField(
        _("状态"), max_length=20, choices=QuarantineStatus.choices, default=QuarantineStatus.PENDING
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = QuarantineQuerySet.as_manager()

    class Meta:
        ordering = ("-proposed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.poll} · {self.reason}"


class QuarantineEventQuerySet(ScopedQuerySet):
    scope_field = "quarantine__poll__organization"


class QuarantineEvent(TransitionEvent):
    quarantine = models.ForeignKey(Quarantine, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=QUARANTINE_WORKFLOW.kind_choices())

    objects = QuarantineEventQuerySet.as_manager()


class QuarantinedBallotQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class QuarantinedBallot(models.Model):
    """A ballot set aside by an approved quarantine (one row per ballot; the ballot itself is untouched)."""

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="quarantined")
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="+")
    quarantine = models.ForeignKey(Quarantine, on_delete=models.PROTECT, related_name="rows")

    objects = QuarantinedBallotQuerySet.as_manager()


class SnapshotQuerySet(ScopedQuerySet):
    scope_field = "poll__organization"


class PollSnapshot(models.Model):
    """The frozen result at close: counts per candidate and channel, the last seal and a published hash."""

    poll = models.OneToOneField(Poll, on_delete=models.PROTECT, related_name="snapshot")
    taken_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    hash = models.CharField(max_length=64)

    objects = SnapshotQuerySet.as_manager()
