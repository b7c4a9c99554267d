"""The effect-evaluation panel of an activity, a pairing or a work goal (loaded into their pages by htmx
from the include ``surveys/effect_hook.html``). The subject is read through the user's VIEW scope."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.activities.models import Activity, Pairing
from wenming.plans.models import WorkGoal
from wenming.web.gate import get_scoped_or_404, staff_view

from .. import effect


def subject_of(request, kind: str, pk: int):
    """(title, units, start date) of the subject, or 404 outside the user's scope."""
    if kind == "activity":
        a = get_scoped_or_404(request, Activity.objects.select_related("organization", "outlet"), pk=pk)
        return a.title, [a.outlet or a.organization], timezone.localdate(a.starts_at)
    if kind == "pairing":
        p = get_scoped_or_404(request, Pairing.objects.select_related("organization"), pk=pk)
        return p.title, [p.organization], p.period_start
    if kind == "goal":
        g = get_scoped_or_404(request, WorkGoal.objects.all(), pk=pk)
        started = g.events.filter(to_status="piloting").order_by("at").values_list("at", flat=True).first()
        return g.title, list(g.pilot_units.all()), timezone.localdate(started) if started else None
    raise Http404


@staff_view(Action.VIEW)
def effect_panel(request, kind: str, pk: int):
    title, units, start = subject_of(request, kind, pk)
    months = request.GET.get("months", "")
    months = int(months) if months.isdigit() and 1 <= int(months) <= 12 else effect.MONTHS
    result = effect.evaluate(user=request.user, orgs=units, start=start, months=months)
    return render(
        request,
        "surveys/effect_panel.html",
        {"e": result, "title": title, "months": months, "kind": kind, "pk": pk, "min_n": effect.MIN_N},
    )
