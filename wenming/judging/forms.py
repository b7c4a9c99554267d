"""Forms of the judging pages (bounds from ``core.forms``; services re-check every rule)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wenming.accounts.models import User
from wenming.accounts.roles import Action
from wenming.core.forms import BaseForm
from wenming.organizations.models import Organization
from wenming.organizations.scoping import scope_roots, subtree_q

from .choices import Method
from .models import Panel, Scheme
from .permissions import JudgingAction

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _req(label: str) -> dict[str, Any]:
    return {"required": _("请填写%(label)s") % {"label": label}}


def orgs_for(user: Any, action: str) -> QuerySet[Organization]:
    roots = scope_roots(user, action)
    if not roots:
        return Organization.objects.none()
    q = subtree_q("path", roots[0])
    for r in roots[1:]:
        q |= subtree_q("path", r)
    return Organization.objects.filter(q, is_active=True).order_by("path")


def experts() -> QuerySet[User]:
    """Accounts holding the expert role (on any node)."""
    return User.objects.filter(is_active=True, role_assignments__role="expert").distinct().order_by("username")


class OrgField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return ("　" * max(0, obj.depth - 1)) + obj.name


class SchemeForm(BaseForm):
    organization = OrgField(label=_("制定单位"), queryset=Organization.objects.none(), empty_label=_("请选择"))
    family = forms.SlugField(label=_("体系代码"), max_length=40, help_text=_("字母、数字或连字符，如 wenming-unit"))
    name = forms.CharField(label=_("名称"), max_length=100)
    total_points = forms.DecimalField(label=_("总分"), max_digits=6, decimal_places=2, min_value=1, initial=100)
    pass_mark = forms.DecimalField(label=_("合格线"), max_digits=6, decimal_places=2, min_value=0, initial=80)
    description = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs_for(user, JudgingAction.SCHEME)
        if editing:
            del self.fields["organization"]
            del self.fields["family"]


class IndicatorForm(BaseForm):
    name = forms.CharField(label=_("指标名称"), max_length=100)
    max_points = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2, min_value=0)
    weight = forms.DecimalField(
        label=_("权数（%）"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("占上级指标的百分比；留空按分值自动计算"),
    )
    method = forms.ChoiceField(label=_("测评方法"), choices=Method.choices)
    standard = forms.CharField(
        label=_("测评标准"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("佐证材料要求"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(BaseForm):
    parent = forms.ModelChoiceField(label=_("移到"), queryset=None, required=False, empty_label=_("（作为一级指标）"))

    def __init__(self, *args: Any, scheme: Scheme, exclude: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = scheme.indicators.filter(level__lt=3).exclude(pk__in=exclude).order_by("code")


class VetoForm(BaseForm):
    text = forms.CharField(label=_("否决事项"), max_length=200)


class RoundForm(BaseForm):
    title = forms.CharField(label=_("评审名称"), max_length=120)
    organization = OrgField(label=_("组织单位"), queryset=Organization.objects.none(), empty_label=_("请选择"))
    scheme = forms.ModelChoiceField(label=_("测评体系"), queryset=Scheme.objects.none(), empty_label=_("请选择"))
    panel = forms.ModelChoiceField(label=_("专家评审组"), queryset=Panel.objects.none(), empty_label=_("请选择"))
    opens_at = forms.DateTimeField(
        label=_("评分开始"), input_formats=DT_FORMATS, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("评分截止"), input_formats=DT_FORMATS, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    units = forms.ModelMultipleChoiceField(
        label=_("参评单位"),
        queryset=Organization.objects.none(),
        help_text=_("按住 Ctrl 可多选；其他模块（如荣誉评选）会自动提交参评对象"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs_for(user, JudgingAction.MANAGE)
        self.fields["scheme"].queryset = Scheme.objects.visible_to(user, Action.VIEW).filter(status="published")
        self.fields["panel"].queryset = Panel.objects.visible_to(user, JudgingAction.MANAGE)
        self.fields["units"].queryset = orgs_for(user, Action.VIEW)


class PanelForm(BaseForm):
    organization = OrgField(label=_("组建单位"), queryset=Organization.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("评审组名称"), max_length=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs_for(user, JudgingAction.MANAGE)


class MemberForm(BaseForm):
    user = forms.ModelChoiceField(label=_("专家账号"), queryset=User.objects.none(), empty_label=_("请选择"))
    affiliation = OrgField(
        label=_("所在单位"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("（外聘专家，无所在单位）"),
        help_text=_("与参评单位属同一上下级链条时自动标记利益冲突"),
    )
    expertise = forms.CharField(label=_("专业领域"), max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = experts()
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name or u.username}（{u.username}）"
        self.fields["affiliation"].queryset = Organization.objects.filter(is_active=True).order_by("path")


class CommitteeForm(BaseForm):
    title = forms.CharField(label=_("表决事项"), max_length=120)
    members = forms.ModelMultipleChoiceField(
        label=_("表决成员"), queryset=User.objects.none(), help_text=_("按住 Ctrl 可多选")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roots = scope_roots(user, Action.VIEW)
        qs = User.objects.none()
        if roots:
            q = subtree_q("home_organization__path", roots[0])
            for r in roots[1:]:
                q |= subtree_q("home_organization__path", r)
            qs = User.objects.filter(q, is_active=True, role_assignments__isnull=False).distinct().order_by("username")
        self.fields["members"].queryset = qs
        self.fields["members"].label_from_instance = lambda u: f"{u.display_name or u.username}（{u.username}）"


class PresentForm(BaseForm):
    present_count = forms.IntegerField(label=_("出席人数"), min_value=0, max_value=500)


class ReasonForm(BaseForm):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
