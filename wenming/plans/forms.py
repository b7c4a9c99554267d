"""Forms of the plans pages (no saving here: views call services)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.forms import BaseForm, BaseModelForm
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.organizations.scoping import scope_roots
from wenming.plans.permissions import PlanAction as PA
from wenming.web.widgets import Picker
from wenming.workdays.forms import WorkingDayFormMixin

from .choices import ProgressMode, ReportKind
from .models import ProgressReport, SupervisionSettings, WorkDispatch, WorkGoal, WorkPlan
from .selectors import direct_org_paths
from .services import ASSIGNEE_KINDS


def _req(label: str) -> dict:
    return {"required": format_lazy(_("{}不能为空"), label), "invalid": format_lazy(_("请输入正确的{}"), label)}


DATE = {"type": "date"}


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def orgs_for(user, action: str):
    return Organization.objects.visible_to(user, action).filter(is_active=True)


class PlanForm(BaseForm):
    organization = forms.ModelChoiceField(
        label=_("制定单位"), queryset=Organization.objects.none(), error_messages={"required": _("请选择制定单位")}
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, error_messages=_req("年度"))
    title = forms.CharField(label=_("标题"), max_length=200, error_messages=_req("标题"))
    progress_mode = forms.ChoiceField(label=_("进度计算方式"), choices=ProgressMode.choices)
    summary = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs_for(user, PA.PLAN_DISPATCH).filter(
            kind__in=[OrgKind.PROVINCIAL_BUREAU, OrgKind.CITY_BUREAU]
        )
        self.fields["year"].initial = timezone.localdate().year


class ProgressModeForm(BaseForm):
    mode = forms.ChoiceField(label=_("进度计算方式"), choices=ProgressMode.choices, widget=forms.RadioSelect)


class GoalForm(BaseForm):
    clause = forms.CharField(label=_("条款"), max_length=40, required=False)
    title = forms.CharField(label=_("目标"), max_length=200, error_messages=_req("目标"))
    owner = forms.ModelChoiceField(
        label=_("牵头单位"),
        queryset=Organization.objects.none(),
        widget=Picker("organizations"),
        error_messages={"required": _("请选择牵头单位")},
    )
    indicators = forms.CharField(label=_("指标"), widget=forms.Textarea(attrs={"rows": 2}), error_messages=_req("指标"))
    target = forms.CharField(label=_("目标值"), max_length=200, error_messages=_req("目标值"))
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner_kinds = [OrgKind.DIVISION, OrgKind.CITY_BUREAU, OrgKind.PROVINCIAL_BUREAU]
        self.fields["owner"].queryset = Organization.objects.filter(
            path__startswith=plan.organization.path, kind__in=owner_kinds, is_active=True
        ).select_related("parent")
        self.fields["owner"].label_from_instance = _assignee_label
        self.fields["owner"].widget.narrow(under=plan.organization_id, kind=owner_kinds)


class GoalTransitionForm(BaseForm):
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    baseline = forms.CharField(label=_("基线数据"), required=False, max_length=200)
    evidence = forms.CharField(label=_("试点成效"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    pilot_units = forms.ModelMultipleChoiceField(
        label=_("试点单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=Picker("organizations", multiple=True),
        error_messages={"invalid_choice": _("所选单位（编号 %(value)s）不在本目标牵头单位之下")},
    )

    def __init__(self, *args, goal: WorkGoal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if goal is not None:
            # The whole subtree of the owner (never a slice: validation must accept every unit in it).
            self.fields["pilot_units"].queryset = (
                Organization.objects.filter(path__startswith=goal.owner.path, is_active=True)
                .exclude(kind=OrgKind.MASS_ORGANISATION)
                .select_related("parent")
            )
            self.fields["pilot_units"].label_from_instance = _assignee_label
            self.fields["pilot_units"].widget.narrow(under=goal.owner_id, exclude_kind=[OrgKind.MASS_ORGANISATION])


def _assignee_label(org: Organization) -> str:
    """Divisions and sections carry their bureau's name: every city has its own 办公室."""
    if org.kind in (OrgKind.DIVISION, OrgKind.SECTION) and org.parent_id:
        return f"{org.parent.name} / {org.name}"
    return org.name


class DispatchForm(WorkingDayFormMixin, BaseForm):
    working_day_fields = ("due_date",)

    issuer = forms.ModelChoiceField(
        label=_("交办单位"),
        queryset=Organization.objects.none(),
        widget=Picker("organizations"),
        error_messages={"required": _("请选择交办单位")},
    )
    title = forms.CharField(label=_("督办事项"), max_length=200, error_messages=_req("督办事项"))
    content = forms.CharField(
        label=_("工作要求"), widget=forms.Textarea(attrs={"rows": 4}), error_messages=_req("工作要求")
    )
    due_date = forms.DateField(label=_("办理期限"), widget=forms.DateInput(attrs=DATE), error_messages=_req("办理期限"))
    assignees = forms.ModelMultipleChoiceField(
        label=_("承办单位"),
        queryset=Organization.objects.none(),
        widget=Picker("organizations", multiple=True),
        error_messages={"required": _("请选择承办单位"), "invalid_choice": _("所选单位不可交办")},
    )
    plan = forms.ModelChoiceField(label=_("所属工作方案"), queryset=None, required=False, empty_label=_("（无）"))
    goal = forms.ModelChoiceField(label=_("对应工作目标"), queryset=None, required=False, empty_label=_("（无）"))
    files = MultiFileField(label=_("附件"), required=False)

    def __init__(self, *args, user=None, parent_task=None, **kwargs):
        super().__init__(*args, **kwargs)
        not_issuers = [OrgKind.OUTLET, OrgKind.DIVISION, OrgKind.SECTION, OrgKind.MASS_ORGANISATION]
        issuers = orgs_for(user, PA.PLAN_DISPATCH).exclude(kind__in=not_issuers)
        self.fields["issuer"].widget.narrow(action=PA.PLAN_DISPATCH, exclude_kind=not_issuers)
        if parent_task is not None:
            issuers = issuers.filter(pk=parent_task.assignee_id)
            self.fields["issuer"].initial = parent_task.assignee_id
        self.fields["issuer"].queryset = issuers

        kinds = set().union(*ASSIGNEE_KINDS.values())
        if parent_task is not None:
            kinds = ASSIGNEE_KINDS.get(parent_task.assignee.kind, set())
            assignees = Organization.objects.filter(path__startswith=parent_task.assignee.path, is_active=True)
        else:
            assignees = orgs_for(user, PA.PLAN_DISPATCH)
        assignees = (
            assignees.filter(kind__in=kinds)
            .exclude(path__in=scope_roots(user, PA.PLAN_DISPATCH))
            .select_related("parent")
            .order_by("path")
        )
        self.fields["assignees"].queryset = assignees
        self.fields["assignees"].label_from_instance = _assignee_label
        self.fields["assignees"].widget.narrow(
            action=PA.PLAN_DISPATCH,
            kind=sorted(kinds),
            under=parent_task.assignee_id if parent_task is not None else None,
        )
        self.fields["plan"].queryset = WorkPlan.objects.visible_to(user, Action.VIEW)
        self.fields["goal"].queryset = WorkGoal.objects.visible_to(user, Action.VIEW).select_related("plan")


class AcknowledgeForm(BaseForm):
    pass


class ProgressForm(BaseForm):
    progress = forms.IntegerField(
        label=_("完成进度（%）"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("请填写进度"),
            "invalid": _("请输入0–100的整数"),
            "min_value": _("进度不能小于0"),
            "max_value": _("进度不能大于100"),
        },
    )
    note = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), error_messages=_req("办理情况")
    )
    files = MultiFileField(label=_("佐证材料"), required=False)


class ReasonForm(BaseForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), error_messages=_req("理由"))


class CommentForm(BaseForm):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(WorkingDayFormMixin, BaseForm):
    working_day_fields = ("new_due_date",)

    new_due_date = forms.DateField(label=_("申请延至"), widget=forms.DateInput(attrs=DATE), error_messages=_req("日期"))
    reason = forms.CharField(
        label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), error_messages=_req("延期理由")
    )


class ReportCreateForm(BaseForm):
    organization = forms.ModelChoiceField(
        label=_("报送单位"), queryset=Organization.objects.none(), error_messages={"required": _("请选择报送单位")}
    )
    kind = forms.ChoiceField(label=_("类型"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, error_messages=_req("年度"))
    period = forms.IntegerField(
        label=_("月份"), min_value=1, max_value=12, required=False, help_text=_("月度报告填写月份")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

        paths = direct_org_paths(user, PA.PLAN_HANDLE) + direct_org_paths(user, PA.PLAN_APPROVE)
        self.fields["organization"].queryset = Organization.objects.filter(path__in=paths, kind=OrgKind.CITY_BUREAU)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["period"].initial = today.month


class ReportEditForm(BaseModelForm):
    class Meta:
        model = ProgressReport
        fields = ["summary", "highlights", "problems", "next_steps"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in fields}


class ReportReturnForm(BaseForm):
    reason = forms.CharField(label=_("退回理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    c_summary = forms.CharField(label=_("对“工作开展情况”的意见"), required=False)
    c_highlights = forms.CharField(label=_("对“主要成效与亮点”的意见"), required=False)
    c_problems = forms.CharField(label=_("对“存在问题”的意见"), required=False)
    c_next_steps = forms.CharField(label=_("对“下步打算”的意见"), required=False)


class AdoptForm(BaseForm):
    for_bulletin = forms.BooleanField(label=_("编入简报"), required=False, initial=True)
    for_publication = forms.BooleanField(label=_("拟公开发布"), required=False)


class BulletinForm(BaseForm):
    period_start = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs=DATE), error_messages=_req("起始日期")
    )
    period_end = forms.DateField(
        label=_("截止日期"), widget=forms.DateInput(attrs=DATE), error_messages=_req("截止日期")
    )
    issued_on = forms.DateField(
        label=_("印发日期"), widget=forms.DateInput(attrs=DATE), error_messages=_req("印发日期")
    )
    editor_note = forms.CharField(label=_("编者按"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InstitutionForm(BaseForm):
    title = forms.CharField(label=_("制度名称"), max_length=200, error_messages=_req("制度名称"))
    doc_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    issued_on = forms.DateField(
        label=_("印发日期"), required=False, widget=forms.DateInput(attrs=DATE), error_messages=_req("印发日期")
    )
    issuing_org = forms.ModelChoiceField(
        label=_("印发单位"),
        queryset=Organization.objects.none(),
        widget=Picker("organizations"),
        error_messages={"required": _("请选择印发单位")},
    )
    file = forms.FileField(label=_("文件"), required=False)
    link = forms.URLField(
        label=_("链接"), required=False, assume_scheme="https", error_messages={"invalid": _("请输入正确的网址")}
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("关联目标"), queryset=None, required=False, widget=Picker("goals", multiple=True)
    )
    dispatches = forms.ModelMultipleChoiceField(
        label=_("关联督办事项"), queryset=None, required=False, widget=Picker("dispatches", multiple=True)
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        issuing_kinds = [OrgKind.PROVINCIAL_BUREAU, OrgKind.DIVISION, OrgKind.CITY_BUREAU, OrgKind.ENTERPRISE]
        self.fields["issuing_org"].queryset = orgs_for(user, PA.PLAN_HANDLE).filter(kind__in=issuing_kinds)
        self.fields["issuing_org"].widget.narrow(action=PA.PLAN_HANDLE, kind=issuing_kinds)
        self.fields["goals"].queryset = WorkGoal.objects.visible_to(user, Action.VIEW)
        self.fields["dispatches"].queryset = WorkDispatch.objects.visible_to(user, Action.VIEW)


class SettingsForm(BaseModelForm):
    class Meta:
        model = SupervisionSettings
        fields = [
            "two_person_rule",
            "due_soon_working_days",
            "lag_points",
            "escalation_working_days",
            "ack_reminder_working_days",
            "monthly_due_day",
            "half_year_due_month",
            "half_year_due_day",
            "annual_due_month",
            "annual_due_day",
            "monthly_max_chars",
            "half_year_max_chars",
            "annual_max_chars",
            "attachment_max_mb",
        ]
