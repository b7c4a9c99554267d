"""Which step of a case each time limit belongs to, and "past its limit and still pending" as a query."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .choices import ComplaintStatus as S
from .choices import Deadline

# deadline → (due-date field, flag field, states in which the step is still pending)
PENDING = {
    Deadline.ACCEPT: ("accept_due", "accept_overdue", (S.RECEIVED,)),
    Deadline.REPLY: ("reply_due", "reply_overdue", (S.FORWARDED,)),
    Deadline.CALLBACK: ("callback_due", "callback_overdue", (S.REPLIED,)),
    Deadline.FINAL: ("final_due", "final_overdue", (S.FORWARDED, S.REPLIED, S.MEDIATION)),
}


def overdue_q(deadline: str, today: date) -> Q:
    """Cases whose ``deadline`` is past and whose step is still pending (flagged or not)."""
    due, _flag, states = PENDING[deadline]
    return Q(status__in=states, **{f"{due}__lt": today})
