"""Calendar pages: the year's holidays and make-up days; province admins edit them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_year
from wenming.web.forms import form_error
from wenming.web.gate import staff_view
from wenming.workdays.permissions import CalendarAction
from wenming.workflow.policy import may_anywhere

from .data import OFFICIAL
from .forms import CalendarDayForm, HolidayNoticeForm
from .models import CalendarDay
from .services import calendar_day_delete, calendar_day_set, holiday_notice_apply, next_year_calendar_due


def can_manage(user) -> bool:
    return may_anywhere(user, CalendarAction.CALENDAR_MANAGE)


@staff_view(Action.VIEW)
def calendar_year(request):
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    year = max(2000, min(2100, year))
    days = CalendarDay.objects.filter(date__year=year)
    form = CalendarDayForm(initial={"date": date(year, 1, 1)}) if can_manage(request.user) else None
    years = sorted(set(CalendarDay.objects.dates("date", "year").values_list("date__year", flat=True)) | {today.year})
    return render(
        request,
        "workdays/calendar.html",
        {
            "days": days,
            "year": year,
            "years": years,
            "form": form,
            "can_manage": can_manage(request.user),
            "missing_year": next_year_calendar_due(today),
        },
    )


@staff_view(CalendarAction.CALENDAR_MANAGE)
@require_POST
def calendar_day_save(request):
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            calendar_day_set(day=d["date"], kind=d["kind"], name=d["name"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("保存成功"))
            return redirect(f"{reverse('workdays:calendar')}?year={d['date'].year}")
    year = form.data.get("date", "")[:4]
    year = parse_year(year, timezone.localdate().year)
    return render(
        request,
        "workdays/calendar.html",
        {
            "days": CalendarDay.objects.filter(date__year=year),
            "year": year,
            "years": [year],
            "form": form,
            "can_manage": True,
        },
    )


@staff_view(CalendarAction.CALENDAR_MANAGE)
@require_POST
def calendar_day_remove(request, pk: int):
    obj = get_object_or_404(CalendarDay, pk=pk)
    year = obj.date.year
    calendar_day_delete(day_id=obj.pk, by=request.user)
    messages.success(request, _("删除成功"))
    return redirect(f"{reverse('workdays:calendar')}?year={year}")


def notice_example(year: int = 2026) -> str:
    """The notice of a year already entered, written as the page expects it."""
    lines = []
    for name, ranges, makeups in OFFICIAL.get(year, []):
        (start, end), work = ranges[0], "、".join(makeups)
        lines.append(
            f"{name} {start}" + (f" 至 {end}" if end != start else "") + (f"；调休上班 {work}" if work else "")
        )
    return "\n".join(lines)


@staff_view(CalendarAction.CALENDAR_MANAGE)
def holiday_notice(request):
    """Enter a year's arrangement from the State Council notice: type the table, check the preview, confirm."""
    today = timezone.localdate()
    year = today.year + 1 if today.month >= 11 else today.year
    form = HolidayNoticeForm(request.POST or None, initial={"year": year})
    preview = None
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        if request.POST.get("confirm") == "1":
            n = holiday_notice_apply(year=year, lines=form.lines, by=request.user)
            messages.success(request, f"已录入{year}年节假日安排（{n}天）")
            return redirect(f"{reverse('workdays:calendar')}?year={year}")
        preview = form.lines
    elif form.is_bound:
        year = parse_year(form.data.get("year"), year)
    return render(
        request,
        "workdays/notice.html",
        {
            "form": form,
            "preview": preview,
            "year": year,
            "replaces": CalendarDay.objects.filter(date__year=year).exists(),
            "example": notice_example(),
        },
    )
