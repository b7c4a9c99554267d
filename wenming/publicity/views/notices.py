"""通知公告: the sender's list and page (read / unread per unit, reminders), the recipients' inbox."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.organizations.scoping import is_in_scope
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..filters import NoticeFilter
from ..forms import NoticeForm
from ..models import Notice, NoticeAttachment, NoticeDelivery
from ..permissions import PublicityAction as PA
from ..workflows import NOTICE_WORKFLOW
from .common import file_response, form_page


@staff_view(PA.NOTICE)
def notice_list(request):
    export = ExportSpec(
        filename="通知公告",
        header=["标题", "发文单位", "发送范围", "状态", "发送时间", "接收单位数", "已读单位数"],
        row=lambda n: [
            n.title,
            n.organization.name,
            n.get_target_display(),
            n.get_status_display(),
            n.sent_at.strftime("%Y-%m-%d %H:%M") if n.sent_at else "",
            n.n_units,
            n.n_read,
        ],
        object_type="publicity.Notice",
    )
    return list_page(
        request,
        queryset=selectors.notice_list(user=request.user),
        template="publicity/notice_list.html",
        filterset_class=NoticeFilter,
        export=export,
    )


@staff_view(PA.NOTICE)
def notice_create(request):
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = services.notice_create(
                by=request.user,
                organization=d["organization"],
                title=d["title"],
                body=d["body"],
                target=d["target"],
                target_city=d.get("target_city"),
                units=list(d.get("units") or []),
                attachments=d.get("attachments") or [],
            )
            if d.get("send_now"):
                services.notice_send(by=request.user, notice_id=notice.pk)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("通知已发送") if d.get("send_now") else _("通知已保存为草稿"))
            return redirect("publicity:notice-detail", pk=notice.pk)
    return form_page(request, "publicity/notice_form.html", {"form": form})


@staff_view(Action.VIEW)
def notice_detail(request, pk: int):
    notice = get_scoped_or_404(request, Notice.objects.select_related("organization", "created_by"), pk=pk)
    show = request.GET.get("show", "")
    read = {"read": True, "unread": False}.get(show)
    all_rows = selectors.notice_deliveries(notice)
    rows = selectors.notice_deliveries(notice, read=read)
    return render(
        request,
        "publicity/notice_detail.html",
        {
            "notice": notice,
            "rows": list(rows),
            "show": show,
            "n_all": all_rows.count(),
            "n_read": selectors.notice_deliveries(notice, read=True).count(),
            "n_unread": selectors.notice_deliveries(notice, read=False).count(),
            "attachments": list(notice.attachments.all()),
            "can_send": NOTICE_WORKFLOW.can(notice, request.user, "send"),
            "can_remind": notice.status == "sent" and can(request, PA.NOTICE, notice),
            "events": list(notice.events.select_related("by")),
            "recipients_preview": list(services.notice_recipients(notice)[:50]) if notice.status == "draft" else [],
        },
    )


@staff_view(PA.NOTICE)
@require_POST
def notice_send(request, pk: int):
    notice = get_scoped_or_404(request, Notice.objects, pk=pk)
    try:
        services.notice_send(by=request.user, notice_id=notice.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("通知已发送"))
    return done(request, reverse("publicity:notice-detail", args=[notice.pk]))


@staff_view(PA.NOTICE)
@require_POST
def notice_remind(request, pk: int):
    notice = get_scoped_or_404(request, Notice.objects, pk=pk)
    try:
        n = services.notice_remind(by=request.user, notice_id=notice.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已提醒 %(n)s 个未读单位") % {"n": n})
    return done(request, reverse("publicity:notice-detail", args=[notice.pk]))


INBOX_EXPORT = ExportSpec(
    filename="收到的通知",
    header=["标题", "发文单位", "接收单位", "发送时间", "阅读情况"],
    row=lambda d: [
        d.notice.title,
        d.notice.organization.name,
        d.organization.name,
        export_dt(d.notice.sent_at),
        "已读" if d.seen else "未读",
    ],
    object_type="publicity.NoticeDelivery",
)


@staff_view()
def inbox_list(request):
    qs = selectors.inbox(user=request.user)
    if request.GET.get("unread") == "1":
        qs = qs.filter(seen=False)
    return list_page(
        request,
        queryset=qs,
        template="publicity/inbox_list.html",
        export=INBOX_EXPORT,
        context={"unread_only": request.GET.get("unread") == "1"},
    )


@staff_view()
def inbox_detail(request, pk: int):
    """A recipient opens the notice: the read receipt is written here."""
    delivery = selectors.inbox(user=request.user).filter(pk=pk).first()
    if delivery is None:
        raise Http404
    services.notice_open(user=request.user, delivery_id=delivery.pk)
    notice = delivery.notice
    return render(
        request,
        "publicity/inbox_detail.html",
        {"delivery": delivery, "notice": notice, "attachments": list(notice.attachments.all())},
    )


@staff_view()
def notice_attachment(request, pk: int):
    """An attachment: for the sender's scope, and for the people of a recipient unit."""
    att = NoticeAttachment.objects.select_related("notice__organization").filter(pk=pk).first()
    if att is None:
        raise Http404
    allowed = is_in_scope(request.user, att.notice, Action.VIEW) or (
        att.notice.status == "sent"
        and NoticeDelivery.objects.filter(
            notice=att.notice, pk__in=selectors.inbox(user=request.user).values("pk")
        ).exists()
    )
    if not allowed:
        raise Http404
    if not request.GET.get("dl") and att.content_type.startswith("image/"):
        return file_response(att.file, content_type=att.content_type, inline=True)
    return file_response(att.file, filename=att.original_name)
