"""Reports: start a background file, build it in the reader's scope, schedules, the permission matrix.

Every report file is a :class:`~wenming.exports.models.GeneratedFile` of a ``reports.*`` kind, built by a
builder registered with the one background-file mechanism (progress, 24-hour link, audited download).
The builder reads the numbers as the file's *owner*: a scheduled report makes one file per recipient,
owned by that recipient, so each copy holds the recipient's own data scope, never the creator's.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenming.accounts.models import AdminDuty
from wenming.accounts.roles import ACTION_LABELS, Role, role_actions
from wenming.assessment import selectors as assessment
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.exports.models import GeneratedFile
from wenming.exports.services import XLSX_CONTENT_TYPE, generated_file_start, register_builder, safe_cell
from wenming.organizations.models import Organization, RoleAssignment
from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import notify

from . import documents
from .models import ReportFormat, ReportKind, ReportSchedule
from .periods import ReportPeriod
from .permissions import ReportsAction
from .selectors import city_stats

SUMMARY_KIND = "reports.summary"
NATIONAL_KIND = "reports.national"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MATRIX_DUTIES = (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def issuer_of(user: Any) -> str:
    """The issuing body printed on the report: the top unit of the user's scope."""
    org = getattr(user, "home_organization", None)
    return org.name if org is not None else "辽宁省邮政管理局"


def start_report(
    *, by: Any, kind: str, period: ReportPeriod, fmt: str, schedule: ReportSchedule | None = None
) -> GeneratedFile:
    """Queue one report file for ``by`` (its owner and the scope it is read in)."""
    if kind == ReportKind.NATIONAL:
        if fmt != ReportFormat.XLSX or period.kind == "month":
            raise ApplicationError("上报国家局统计表为 Excel，按年度或季度生成", field="fmt")
        gf_kind, title = NATIONAL_KIND, f"{period.label}上报国家局统计表"
    else:
        if fmt not in (ReportFormat.DOCX, ReportFormat.PDF):
            raise ApplicationError("工作总结可生成 Word 或 PDF", field="fmt")
        gf_kind = SUMMARY_KIND
        title = f"{period.label}{'年度总结' if period.kind == 'year' else '工作报告'}（{fmt.upper()}）"
    with transaction.atomic():
        gf = generated_file_start(
            owner=by,
            kind=gf_kind,
            title=title,
            params={"period": period.token, "fmt": fmt, "schedule": schedule.pk if schedule else None},
        )
        audit_record(
            AuditAction.EXPORT,
            user=by,
            obj=gf,
            detail={"kind": gf_kind, "period": period.token, "fmt": fmt, "schedule": schedule.pk if schedule else None},
        )
    return gf


def _owner_checked(gf: GeneratedFile) -> Any:
    if not gf.owner.is_active:
        raise PermissionError("账号已停用")
    return gf.owner


def annual_ranking(user: Any, period: ReportPeriod) -> list[documents.RankedCity]:
    """The city assessment ranking of the year under its published scheme, rows in the user's scope."""
    r = assessment.ranking(user, year=period.year)
    rows = sorted(r.rows, key=lambda row: (row.rank, row.org.code))
    return [
        documents.RankedCity(rank=row.rank, name=row.org.short_name or row.org.name, total=float(row.total))
        for row in rows
    ]


@register_builder(SUMMARY_KIND)
def build_summary(gf: GeneratedFile, set_progress) -> tuple[bytes, str, str]:
    user = _owner_checked(gf)
    period = ReportPeriod.parse(gf.params["period"])
    stats = city_stats(user, period)
    set_progress(40)
    ranking = annual_ranking(user, period) if period.kind == "year" else None
    content = documents.build_content(stats, issuer=issuer_of(user), issued_on=timezone.localdate(), ranking=ranking)
    set_progress(60)
    if gf.params.get("fmt") == ReportFormat.PDF:
        return documents.render_pdf(content), f"{content.title}.pdf", "application/pdf"
    return documents.render_docx(content), f"{content.title}.docx", DOCX_TYPE


@register_builder(NATIONAL_KIND)
def build_national(gf: GeneratedFile, set_progress) -> tuple[bytes, str, str]:
    user = _owner_checked(gf)
    period = ReportPeriod.parse(gf.params["period"])
    stats = city_stats(user, period)
    set_progress(60)
    data = documents.render_national_xlsx(
        stats, issuer=issuer_of(user), generated=timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    )
    return data, f"{period.label}邮政行业精神文明建设统计表.xlsx", XLSX_CONTENT_TYPE


# ------------------------------------------------------------------------------------------- schedules


def schedule_create(
    *, by: Any, organization: Organization | None, data: dict[str, Any], recipients: list[Any]
) -> ReportSchedule:
    if organization is None:  # a schedule belongs to a unit: its scope decides who may see and delete it
        raise ApplicationError("您的账号未设所属单位，不能保存定时报告；请联系安全管理员为账号指定所属单位")
    if data["kind"] == ReportKind.NATIONAL and (data["fmt"] != ReportFormat.XLSX or data["frequency"] == "month"):
        raise ApplicationError("上报国家局统计表为 Excel，按年度或季度生成", field="fmt")
    if data["kind"] == ReportKind.SUMMARY and data["fmt"] == ReportFormat.XLSX:
        raise ApplicationError("工作总结可生成 Word 或 PDF", field="fmt")
    if not recipients:
        raise ApplicationError("请选择接收人", field="recipients")
    with transaction.atomic():
        s = ReportSchedule.objects.create(
            organization=organization,
            name=data["name"],
            kind=data["kind"],
            fmt=data["fmt"],
            frequency=data["frequency"],
            day=data["day"],
            created_by=by,
        )
        s.recipients.set(recipients)
        audit_record(
            AuditAction.CREATE, user=by, obj=s, detail={"recipients": sorted(u.pk for u in recipients), "kind": s.kind}
        )
    return s


def schedule_delete(*, by: Any, schedule: ReportSchedule) -> None:
    with transaction.atomic():
        audit_record(AuditAction.DELETE, user=by, obj=schedule, detail={"name": schedule.name})
        schedule.delete()


def due_period(schedule: ReportSchedule, today: date) -> ReportPeriod | None:
    """The finished period a schedule reports on ``today``, or None when nothing is due."""
    if today.day < schedule.day:
        return None
    if schedule.frequency == "quarter" and today.month not in (1, 4, 7, 10):
        return None
    if schedule.frequency == "year" and today.month != 1:
        return None
    current = ReportPeriod.containing(schedule.frequency, today)
    period = current.previous()
    return None if schedule.last_period == period.token else period


def run_schedules(today: date | None = None) -> int:
    """Start the files of every due schedule: one per active recipient still allowed this report, in their scope."""
    today = today or timezone.localdate()
    started = 0
    for s in ReportSchedule.objects.filter(is_active=True).prefetch_related("recipients"):
        period = due_period(s, today)
        if period is None:
            continue
        with transaction.atomic():
            claimed = ReportSchedule.objects.filter(pk=s.pk, last_period=s.last_period).update(last_period=period.token)
            if not claimed:
                continue
            action = ReportsAction.NATIONAL if s.kind == ReportKind.NATIONAL else ReportsAction.GENERATE
            for user in s.recipients.all():
                if not user.is_active or not has_action_anywhere(user, action):
                    continue  # left, or no longer allowed to receive this report since the schedule was set up
                gf = start_report(by=user, kind=s.kind, period=period, fmt=s.fmt, schedule=s)
                notify(
                    recipient=user,
                    title=f"定时报告：{s.name}（{period.label}）",
                    body="报告已在后台生成，按您的数据范围统计；链接 24 小时内有效。",
                    url=reverse("exports:file-status", args=[gf.pk]),
                    category="统计报告",
                )
                started += 1
    return started


# ------------------------------------------------------------------------------------ permission matrix


def may_export_matrix(user: Any) -> bool:
    duty = AdminDuty.objects.filter(user=user).values_list("duty", flat=True).first()
    return duty in {str(d) for d in MATRIX_DUTIES}


def permission_matrix_xlsx(*, request: Any) -> bytes:
    """Roles × actions, role grants (user × role × scope) and the 三员 duties; audited. 三员 security/audit only."""
    from openpyxl import Workbook

    if not may_export_matrix(request.user):
        raise PermissionError("仅安全管理员、审计管理员可导出权限矩阵")
    wb = Workbook(write_only=True)
    grants = role_actions()
    roles = [r for r in Role]
    ws = wb.create_sheet(title="角色权限")
    ws.append(["权限代码", "权限", *[str(r.label) for r in roles]])
    for action, label in ACTION_LABELS.items():
        ws.append([action, label, *["✓" if action in grants.get(r.value, ()) else "" for r in roles]])
    ws = wb.create_sheet(title="授权明细")
    ws.append(["用户名", "姓名", "账号状态", "角色", "授权范围（单位）", "范围路径", "授权人", "授权时间"])
    labels = {r.value: str(r.label) for r in roles}
    n = 0
    for ra in (
        RoleAssignment.objects.select_related("user", "organization", "granted_by")
        .order_by("user__username", "role", "organization__path")
        .iterator(chunk_size=2000)
    ):
        n += 1
        ws.append(
            [
                safe_cell(ra.user.username),
                safe_cell(ra.user.get_full_name() if hasattr(ra.user, "get_full_name") else ""),
                "有效" if ra.user.is_active else "停用",
                labels.get(ra.role, ra.role),
                safe_cell(ra.organization.name),
                ra.organization.path,
                safe_cell(ra.granted_by.username if ra.granted_by_id else ""),
                timezone.localtime(ra.created_at).strftime("%Y-%m-%d %H:%M") if getattr(ra, "created_at", None) else "",
            ]
        )
    ws = wb.create_sheet(title="三员")
    ws.append(["用户名", "职责", "授予时间", "授予人"])
    for d in AdminDuty.objects.select_related("user", "granted_by").order_by("duty", "user__username"):
        ws.append(
            [
                safe_cell(d.user.username),
                labels.get(d.duty, d.duty),
                timezone.localtime(d.granted_at).strftime("%Y-%m-%d %H:%M"),
                safe_cell(d.granted_by.username if d.granted_by_id else ""),
            ]
        )
    audit_record(
        AuditAction.EXPORT,
        request=request,
        object_type="reports.PermissionMatrix",
        detail={"format": "xlsx", "assignments": n, "actions": len(ACTION_LABELS)},
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
