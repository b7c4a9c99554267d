"""Staff pages of the cases: list (with the to-do lists), intake, detail and every workflow step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, check, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import ComplaintStatus as S
from ..filters import ComplaintFilter
from ..forms import (
    CloseForm,
    NoteForm,
    RefuseForm,
    ReplyForm,
    RequiredNoteForm,
    ReturnForm,
    RevealForm,
    StaffIntakeForm,
)
from ..models import Complaint
from ..permissions import ComplaintAction as CA
from ..selectors import TODOS
from ..workflows import COMPLAINT_WORKFLOW as WF

V = Action.VIEW


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _dt(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _valid(c: Complaint) -> str:
    return "" if c.is_valid is None else ("有效" if c.is_valid else "无效")


COMPLAINT_EXPORT = ExportSpec(
    filename="申诉",
    header=[
        "申诉编号",
        "登记时间",
        "渠道",
        "被申诉企业",
        "品牌",
        "网点",
        "运单号",
        "申诉类别",
        "业务类型",
        "状态",
        "受理转办期限",
        "企业答复期限",
        "回访期限",
        "办结期限",
        "超时",
        "有效申诉",
        "满意度",
        "联系电话",
    ],
    row=lambda c: [
        c.case_no,
        _dt(c.received_at),
        c.get_channel_display(),
        c.enterprise.name,
        c.brand.name,
        c.outlet.name if c.outlet else "",
        c.waybill_no,
        c.get_category_display(),
        c.get_business_type_display(),
        c.get_status_display(),
        _d(c.accept_due),
        _d(c.reply_due),
        _d(c.callback_due),
        _d(c.final_due),
        "、".join(c.overdue_labels()),
        _valid(c),
        c.get_satisfaction_display(),
        c.masked_phone,
    ],
    object_type="complaints.Complaint",
)


@staff_view(V)
def complaint_list(request):
    todo = request.GET.get("todo", "")
    return list_page(
        request,
        queryset=selectors.complaint_list(user=request.user),
        template="complaints/complaint_list.html",
        filterset_class=ComplaintFilter,
        export=COMPLAINT_EXPORT,
        context={
            "can_intake": can(request, CA.HANDLE),
            "todo": todo if todo in TODOS else "",
            "todos": [(k, _(v)) for k, v in TODOS.items()],
            "today": timezone.localdate(),
        },
    )


@staff_view(CA.HANDLE)
def complaint_create(request):
    form = StaffIntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            c = services.complaint_register(data=data, channel=data["channel"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("申诉已登记，编号 %(no)s") % {"no": c.case_no})
            return redirect("complaints:detail", pk=c.pk)
    return render(
        request, "complaints/complaint_form.html", {"form": form}, status=422 if request.method == "POST" else 200
    )


def _case(request, pk: int) -> Complaint:
    return get_scoped_or_404(request, Complaint.objects.select_related("enterprise", "outlet", "brand"), pk=pk)


def _context(request, c: Complaint, **forms: Any) -> dict[str, Any]:
    available = {t.name for t in WF.available(c, request.user)}
    handler = can(request, CA.HANDLE, c)
    replier = can(request, CA.REPLY, c)
    now = timezone.now()
    retry_at = None
    if c.status == S.REPLIED and c.callback_attempts == 1 and c.last_attempt_at:
        retry_at = c.last_attempt_at + services.CALLBACK_RETRY
    same_waybill = (
        selectors.complaint_list(user=request.user).filter(waybill_no=c.waybill_no).exclude(pk=c.pk)[:5]
        if c.waybill_no
        else []
    )
    return {
        "c": c,
        "same_waybill": same_waybill,
        "events": c.events.select_related("by").order_by("at", "id"),
        "available": available,
        "can_attempt": handler and c.status == S.REPLIED and c.callback_attempts < 2,
        "retry_at": retry_at if retry_at and retry_at > now else None,
        "can_progress": replier and c.status == S.FORWARDED,
        "can_reveal": handler and c.status not in (S.CLOSED, S.NOT_ACCEPTED),
        "accept_form": forms.get("accept") or NoteForm(prefix="accept"),
        "refuse_form": forms.get("refuse") or RefuseForm(prefix="refuse"),
        "reply_form": forms.get("reply") or ReplyForm(prefix="reply"),
        "progress_form": forms.get("progress") or RequiredNoteForm(prefix="progress"),
        "return_form": forms.get("return") or ReturnForm(prefix="return"),
        "callback_form": forms.get("callback") or CloseForm(prefix="callback"),
        "mediate_form": forms.get("mediate") or RequiredNoteForm(prefix="mediate"),
        "conclude_form": forms.get("conclude") or CloseForm(prefix="conclude"),
        "reveal_form": forms.get("reveal") or RevealForm(prefix="reveal"),
        "revealed": forms.get("revealed"),
        "today": timezone.localdate(),
    }


@never_cache
@staff_view(V)
def complaint_detail(request, pk: int):
    c = _case(request, pk)
    return render(request, "complaints/complaint_detail.html", _context(request, c))


def _step(
    request,
    pk: int,
    *,
    key: str,
    form_class: type,
    permission: str,
    run: Callable[[Complaint, dict[str, Any]], Any],
    ok: str,
):
    """POST of one workflow step: the form (prefixed ``key``), the service, back to the detail page."""
    c = _case(request, pk)
    check(request, permission, c)
    form = form_class(request.POST, prefix=key)
    if form.is_valid():
        try:
            run(c, form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("complaints:detail", args=[c.pk]), str(ok))
    c.refresh_from_db()
    return render(request, "complaints/complaint_detail.html", _context(request, c, **{key: form}), status=422)


@staff_view(CA.HANDLE)
@require_POST
def complaint_accept(request, pk: int):
    return _step(
        request,
        pk,
        key="accept",
        form_class=NoteForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_accept(complaint_id=c.pk, by=request.user, note=d["note"]),
        ok=_("已受理并转办企业"),
    )


@staff_view(CA.HANDLE)
@require_POST
def complaint_refuse(request, pk: int):
    return _step(
        request,
        pk,
        key="refuse",
        form_class=RefuseForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_refuse(
            complaint_id=c.pk, by=request.user, reason=d["reason"], note=d["note"]
        ),
        ok=_("已作不予受理处理"),
    )


@staff_view(V)
@require_POST
def complaint_reply(request, pk: int):
    return _step(
        request,
        pk,
        key="reply",
        form_class=ReplyForm,
        permission=CA.REPLY,
        run=lambda c, d: services.complaint_reply(
            complaint_id=c.pk, by=request.user, text=d["text"], handler=d["handler"], compensation=d["compensation"]
        ),
        ok=_("答复已提交"),
    )


@staff_view(V)
@require_POST
def complaint_progress(request, pk: int):
    return _step(
        request,
        pk,
        key="progress",
        form_class=RequiredNoteForm,
        permission=CA.REPLY,
        run=lambda c, d: services.complaint_progress(complaint_id=c.pk, by=request.user, note=d["note"]),
        ok=_("进展说明已报送"),
    )


@staff_view(CA.HANDLE)
@require_POST
def complaint_return(request, pk: int):
    return _step(
        request,
        pk,
        key="return",
        form_class=ReturnForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_return(complaint_id=c.pk, by=request.user, reason=d["reason"]),
        ok=_("已退回企业重新答复"),
    )


@staff_view(CA.HANDLE)
@require_POST
def complaint_attempt(request, pk: int):
    c = _case(request, pk)
    check(request, CA.HANDLE, c)
    try:
        services.complaint_callback_failed(complaint_id=c.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记回访未接通"))
    return done(request, reverse("complaints:detail", args=[c.pk]))


@staff_view(CA.HANDLE)
@require_POST
def complaint_callback(request, pk: int):
    return _step(
        request,
        pk,
        key="callback",
        form_class=CloseForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_callback(
            complaint_id=c.pk,
            by=request.user,
            is_valid=d["is_valid"],
            satisfaction=d["satisfaction"],
            note=d["note"],
        ),
        ok=_("回访完成，申诉已办结"),
    )


@staff_view(CA.HANDLE)
@require_POST
def complaint_mediate(request, pk: int):
    return _step(
        request,
        pk,
        key="mediate",
        form_class=RequiredNoteForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_mediate(complaint_id=c.pk, by=request.user, note=d["note"]),
        ok=_("已转入调解"),
    )


@staff_view(CA.HANDLE)
@require_POST
def complaint_conclude(request, pk: int):
    return _step(
        request,
        pk,
        key="conclude",
        form_class=CloseForm,
        permission=CA.HANDLE,
        run=lambda c, d: services.complaint_conclude(
            complaint_id=c.pk,
            by=request.user,
            is_valid=d["is_valid"],
            satisfaction=d["satisfaction"],
            note=d["note"],
        ),
        ok=_("调解办结"),
    )


@never_cache
@staff_view(CA.HANDLE)
@require_POST
def complaint_reveal(request, pk: int):
    """The complainant's phone in full on this response only (for the callback; audited)."""
    c = _case(request, pk)
    check(request, CA.HANDLE, c)
    form = RevealForm(request.POST, prefix="reveal")
    if form.is_valid():
        try:
            phone = services.complaint_reveal_phone(complaint=c, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return render(request, "complaints/complaint_detail.html", _context(request, c, revealed=phone))
    return render(request, "complaints/complaint_detail.html", _context(request, c, reveal=form), status=422)
