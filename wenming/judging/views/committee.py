"""委员会表决: votes of the committee (secret ballot), the member's ballot sheet and the result."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.organizations.scoping import is_in_scope
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import BallotChoice
from ..forms import CommitteeForm
from ..models import CommitteeVote, Round
from ..permissions import JudgingAction as J
from ..services import BallotSpec
from ..workflows import COMMITTEE_WORKFLOW

COMMITTEE_EXPORT = ExportSpec(
    filename="委员会表决",
    header=["表决事项", "组织单位", "成员", "出席", "表决对象", "状态"],
    row=lambda v: [v.title, v.organization.name, v.n_members, v.present_count, v.n_items, v.get_status_display()],
    object_type="judging.CommitteeVote",
)


@staff_view(Action.VIEW)
def committee_list(request):
    mine = list(selectors.votes_to_cast(user=request.user))
    return list_page(
        request,
        queryset=selectors.committee_list(user=request.user),
        template="judging/committee_list.html",
        export=COMMITTEE_EXPORT,
        context={"mine": mine, "can_create": can(request, J.MANAGE)},
    )


@staff_view(J.MANAGE)
def committee_create(request):
    rnd = None
    rid = request.GET.get("round") or request.POST.get("round")
    if rid and str(rid).isdigit():
        rnd = get_scoped_or_404(request, Round.objects.select_related("scheme"), pk=int(rid), permission=J.MANAGE)
    form = CommitteeForm(request.POST or None, user=request.user, initial={"title": f"{rnd.title}审定" if rnd else ""})
    if request.method == "POST" and form.is_valid():
        try:
            if rnd is None:
                raise ApplicationError(_("请从专家评审的排名页发起委员会表决"))
            rows = [r for r in selectors.ranking(rnd) if r.passed]
            items = [BallotSpec(r.entry.subject_key, r.entry.label, r.entry) for r in rows]
            if not items:
                raise ApplicationError(_("本轮评审没有达到合格线的参评对象"))
            vote = services.committee_create(
                title=form.cleaned_data["title"],
                organization=rnd.organization,
                members=form.cleaned_data["members"],
                items=items,
                round=rnd,
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("judging:committee-detail", args=[vote.pk]), _("委员会表决已创建"))
    return render(
        request,
        "judging/form.html",
        {
            "form": form,
            "title": _("发起委员会表决"),
            "back": reverse("judging:round-ranking", args=[rnd.pk]) if rnd else reverse("judging:committee-list"),
            "hidden": {"round": rnd.pk} if rnd else {},
            "intro": _("表决对象为本轮评审中达到合格线且未被一票否决的参评对象，按排名顺序列出。") if rnd else "",
        },
        status=422 if request.method == "POST" else 200,
    )


def _vote(request, pk: int) -> tuple[CommitteeVote, list]:
    """A member of the vote sees it wherever it sits; others through their scope (404 otherwise)."""
    vote = get_object_or_404(CommitteeVote.objects.select_related("organization", "round"), pk=pk)
    members = list(vote.members.select_related("user"))
    if not any(m.user_id == request.user.pk for m in members) and not is_in_scope(request.user, vote, Action.VIEW):
        raise Http404
    return vote, members


@staff_view()
def committee_detail(request, pk: int):
    vote, members = _vote(request, pk)
    is_member = any(m.user_id == request.user.pk for m in members)
    voters = set(vote.voters.values_list("user_id", flat=True))
    has_voted = request.user.pk in voters
    items = list(vote.items.all())
    result = selectors.CommitteeResult(
        vote=vote,
        members=len(members),
        present=vote.present_count,
        voted=len(voters),
        quorum=vote.present_count * 2 > len(members),
        items=[selectors.ItemResult(i, i.yes, i.no, i.abstain, i.passed) for i in items],
    )
    return render(
        request,
        "judging/committee_detail.html",
        {
            "vote": vote,
            "result": result,
            "members": members,
            "voters": voters,
            "can_open": COMMITTEE_WORKFLOW.can(vote, request.user, "open"),
            "can_close": COMMITTEE_WORKFLOW.can(vote, request.user, "close"),
            "can_cast": is_member and not has_voted and vote.status == "voting",
            "has_voted": has_voted,
            "choices": BallotChoice.choices,
        },
    )


@require_POST
@staff_view(J.MANAGE)
def committee_start(request, pk: int):
    vote = get_scoped_or_404(request, CommitteeVote.objects.all(), pk=pk)
    try:
        services.committee_start(vote_id=vote.pk, present_count=request.POST.get("present_count"), by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:committee-detail", pk=vote.pk)
    return done(request, reverse("judging:committee-detail", args=[vote.pk]), _("表决已开始"))


@require_POST
@staff_view()
def committee_cast(request, pk: int):
    vote, _members = _vote(request, pk)
    choices = {item.pk: request.POST.get(f"item_{item.pk}", "") for item in vote.items.all()}
    try:
        services.committee_cast(vote_id=vote.pk, by=request.user, choices=choices)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:committee-detail", pk=vote.pk)
    return done(request, reverse("judging:committee-detail", args=[vote.pk]), _("您的选票已投出"))


@require_POST
@staff_view(J.MANAGE)
def committee_close(request, pk: int):
    vote = get_scoped_or_404(request, CommitteeVote.objects.all(), pk=pk)
    if vote.status != "voting":
        raise Http404
    try:
        services.committee_close(vote_id=vote.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("judging:committee-detail", pk=vote.pk)
    return done(request, reverse("judging:committee-detail", args=[vote.pk]), _("已计票，结果已记录"))
