"""Bridge to the honours engine (below this app): a poll for an edition's public-vote stage, the edition's
"online" tally source, and the edition's offline ballots (``honours.OfflineTally``) as the poll's
offline channel.

* :func:`poll_for_edition` creates the poll of a 最美快递员 edition (``honours.Cycle``) for its ``vote``
  stage (dates from the stage row: 00:00 of the first day to 24:00 of the last, Asia/Shanghai) with the
  nominees on the ballot as candidates (``subject_key = "honours.application:<id>"``). Consent to
  publish a nominee's story is recorded per candidate (``services.candidate_consent``).
* :func:`online_votes` is registered with ``honours.tally.register_tally_source("online", …)``: the
  displayed online count per nominee, which the honours engine weighs into the combined score.
* For a poll linked to an edition the offline channel is read from honours (entered there, with its
  provenance); the poll's own offline form is not offered.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from wenming.core.errors import ApplicationError
from wenming.honours.models import Application, Cycle, OfflineTally
from wenming.honours.tally import register_tally_source

from . import engine, services
from .engine import LOCAL_TZ
from .models import Candidate, Poll

EDITION_PREFIX = "honours.cycle:"
NOMINEE_PREFIX = "honours.application:"
VOTE_STAGE = "vote"


def edition_key(cycle: Cycle) -> str:
    return f"{EDITION_PREFIX}{cycle.pk}"


def poll_of(cycle: Cycle) -> Poll | None:
    return Poll.objects.filter(subject_key=edition_key(cycle)).order_by("-pk").first()


def poll_for_edition(*, cycle: Cycle, by: Any, ballots_per_day: int = 1, choices_per_ballot: int = 10) -> Poll:
    """The edition's poll (created once) for its ``vote`` stage, with its on-ballot nominees as candidates."""
    existing = poll_of(cycle)
    if existing is not None:
        return existing
    stage = cycle.stage_rows.filter(code=VOTE_STAGE).first()
    if stage is None:
        raise ApplicationError(_("该评选批次没有公众投票环节"))
    opens_at = datetime.combine(stage.starts_on, time.min, tzinfo=LOCAL_TZ)
    closes_at = datetime.combine(stage.ends_on + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    poll = services.poll_create(
        by=by,
        organization=cycle.organizer,
        title=f"{cycle.name} · 网络投票",
        intro=f"网络投票占综合得分的 {int(cycle.weight * 100)}%，最终结果以评审委员会审定并公示为准。",
        opens_at=opens_at,
        closes_at=closes_at,
        ballots_per_day=ballots_per_day,
        choices_per_ballot=choices_per_ballot,
        subject_key=edition_key(cycle),
    )
    for app in nominees(cycle):
        services.candidate_add(
            by=by,
            poll=poll,
            name=app.courier.name if app.courier_id else app.name,
            unit=app.organization.name,
            story=app.statement,
            subject_key=f"{NOMINEE_PREFIX}{app.pk}",
        )
    return poll


def nominees(cycle: Cycle):
    """The edition's applications on the ballot: those whose review reached the ``vote`` stage."""
    return (
        Application.objects.filter(cycle=cycle, status=VOTE_STAGE)
        .select_related("courier", "organization")
        .order_by("recommender_id", "rank", "pk")
    )


def _nominee_of(candidate_subject: str) -> int | None:
    if candidate_subject.startswith(NOMINEE_PREFIX):
        tail = candidate_subject[len(NOMINEE_PREFIX) :]
        return int(tail) if tail.isdigit() else None
    return None


def online_votes(cycle: Any) -> dict[int, int]:
    """{application id: online votes} as displayed (ballots minus quarantined ones) for the edition's poll."""
    poll = poll_of(cycle)
    if poll is None:
        return {}
    counts = engine.live_counts(poll.pk)
    out: dict[int, int] = {}
    for cand_id, subject in Candidate.objects.filter(poll=poll).values_list("pk", "subject_key"):
        app_id = _nominee_of(subject)
        if app_id is not None:
            out[app_id] = counts.get(cand_id, {}).get("online", 0)
    return out


def offline_of_poll(poll: Poll) -> dict[int, int] | None:
    """The offline channel of an edition's poll ({candidate id: votes}) from honours, or None (own entries)."""
    if not poll.subject_key.startswith(EDITION_PREFIX):
        return None
    by_app = dict(
        OfflineTally.objects.filter(application__cycle_id=int(poll.subject_key[len(EDITION_PREFIX) :]))
        .values("application_id")
        .annotate(n=Sum("votes"))
        .values_list("application_id", "n")
    )
    out: dict[int, int] = {}
    for cand_id, subject in Candidate.objects.filter(poll=poll).values_list("pk", "subject_key"):
        app_id = _nominee_of(subject)
        if app_id is not None:
            out[cand_id] = int(by_app.get(app_id) or 0)
    return out


def register() -> None:
    register_tally_source("online", "网络投票", online_votes)
    engine.register_offline_source(offline_of_poll)
