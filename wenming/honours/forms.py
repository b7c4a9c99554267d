"""Forms of the honours pages (bounded through ``core.forms``; choices from the user's scope)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.models import User
from wenming.core.forms import BaseFilterSet, BaseForm
from wenming.judging import selectors as judging_selectors
from wenming.judging.models import Panel as JudgingPanel
from wenming.judging.models import Scheme
from wenming.organizations.divisions import city_choices
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.web.picker import staff_in_scope
from wenming.web.widgets import Picker

from .choices import EvidenceKind, Level, TallySource, TitleStatus
from .models import Application, Cycle, Programme, Title
from .permissions import HonourAction as HA

STATUS_FILTER = [
    ("draft", _("草稿")),
    ("returned", _("退回补正")),
    ("in_review", _("评审中")),
    ("designated", _("已授予")),
    ("rejected", _("未通过")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class OrgField(forms.ModelChoiceField):
    widget = Picker("organizations")

    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class ApplicationForm(BaseForm):
    organization = OrgField(label=_("申报单位"), queryset=Organization.objects.none())
    name = forms.CharField(
        label=_("申报名称"), max_length=100, required=False, help_text=_("如：某某营业部青年服务班组；个人推荐可不填")
    )
    courier = forms.ModelChoiceField(
        label=_("被推荐人"),
        queryset=Courier.objects.none(),
        required=False,
        widget=Picker("couriers", follow="organization"),
    )
    leader = forms.ModelChoiceField(
        label=_("负责人"),
        queryset=Courier.objects.none(),
        required=False,
        widget=Picker("couriers", follow="organization"),
    )
    rank = forms.IntegerField(label=_("推荐排序"), min_value=1, max_value=99, required=False)
    category = forms.ChoiceField(label=_("申报类别"), required=False)
    star = forms.TypedChoiceField(label=_("申报星级"), coerce=int, required=False, empty_value=0)
    statement = forms.CharField(label=_("主要事迹"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, user: Any, programme: Programme, editing: Application | None = None, **kw: Any):
        super().__init__(*args, **kw)
        f = self.fields
        f["organization"].queryset = Organization.objects.visible_to(user, HA.APPLY).filter(is_active=True)
        f["organization"].widget.narrow(action=HA.APPLY)
        couriers = Courier.objects.visible_to(user, HA.APPLY).filter(status="active")
        f["courier"].queryset = couriers
        f["leader"].queryset = couriers
        f["courier"].widget.narrow(action=HA.APPLY)
        f["leader"].widget.narrow(action=HA.APPLY)
        if programme.subject == "person":
            del f["leader"]
            f["courier"].required = True
        else:
            del f["courier"]
            f["name"].required = True
        if not programme.recommender_quota:
            del f["rank"]
        cats = [(c["code"], c["label"]) for c in programme.categories if not c.get("manual")]
        if cats:
            f["category"].choices = [("", _("请选择")), *cats]
        else:
            del f["category"]
        if programme.star_levels:
            f["star"].choices = [(i, "★" * i) for i in range(1, programme.star_levels + 1)]
        else:
            del f["star"]
        if editing is not None:
            del f["organization"]


class DecisionForm(BaseForm):
    comment = forms.CharField(
        label=_("审核意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceUploadForm(BaseForm):
    requirement = forms.ChoiceField(label=_("材料项"), required=False)
    label = forms.CharField(label=_("说明"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"), help_text=_("图片、PDF 或 Word 文件"))

    def __init__(self, *args: Any, programme: Programme, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["requirement"].choices = [
            ("", _("其他材料")),
            *[(e["code"], e["label"]) for e in programme.evidence],
        ]


class EvidenceReuseForm(BaseForm):
    kind = forms.ChoiceField(label=_("来源"), choices=[c for c in EvidenceKind.choices if c[0] != EvidenceKind.FILE])
    record = forms.IntegerField(label=_("记录"), min_value=1)
    requirement = forms.CharField(max_length=40, required=False)


class CycleForm(BaseForm):
    programme = forms.ModelChoiceField(label=_("评选项目"), queryset=Programme.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    edition = forms.IntegerField(label=_("届次"), min_value=1, max_value=999, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    starts_on = _date(_("申报开始日期"))
    vote_weight = forms.DecimalField(label=_("投票权重"), min_value=0, max_value=1, decimal_places=2, required=False)


class NoticeForm(BaseForm):
    starts_on = _date(_("公示开始日期"))
    text = forms.CharField(
        label=_("公示说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DesignateForm(BaseForm):
    decision_no = forms.CharField(label=_("命名文号"), max_length=60)
    decision_date = _date(_("命名日期"))


class TallyForm(BaseForm):
    application = forms.ModelChoiceField(label=_("被推荐人"), queryset=Application.objects.none())
    votes = forms.IntegerField(label=_("票数"), min_value=0, max_value=10_000_000)
    source = forms.ChoiceField(label=_("来源"), choices=TallySource.choices)
    batch_ref = forms.CharField(label=_("批次编号"), max_length=60)
    counted_on = _date(_("计票日期"))

    def __init__(self, *args: Any, queryset: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["application"].queryset = queryset


class ObjectionForm(BaseForm):
    application = forms.ModelChoiceField(label=_("异议对象"), queryset=Application.objects.none())
    name = forms.CharField(label=_("真实姓名"), max_length=20)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    content = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, queryset: Any, **kw: Any):
        super().__init__(*args, **kw)
        f = self.fields["application"]
        f.queryset = queryset
        f.label_from_instance = lambda a: a.public_name


class FindingForm(BaseForm):
    finding = forms.CharField(label=_("调查结论"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(BaseForm):
    note = forms.CharField(label=_("意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SelfReportForm(BaseForm):
    text = forms.CharField(label=_("自查报告"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))


class PointsForm(BaseForm):
    points = forms.IntegerField(label=_("分值"), min_value=-100, max_value=100)
    reason = forms.CharField(label=_("事由"), max_length=200)
    on = _date(_("日期"))


class ApplicationFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    cycle = django_filters.ModelChoiceFilter(label=_("批次"), queryset=Cycle.objects.all())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=STATUS_FILTER, method="by_status")

    class Meta:
        model = Application
        fields: list[str] = []

    def by_status(self, qs, name, value):
        if value == "in_review":
            return qs.exclude(status__in=["draft", "returned", "designated", "rejected"])
        return qs.filter(status=value)


class TitleFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("获得者"), field_name="holder", lookup_expr="icontains")
    programme = django_filters.ModelChoiceFilter(label=_("称号"), queryset=Programme.objects.all())
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TitleStatus.choices)
    expiring = django_filters.ChoiceFilter(label=_("即将到期"), choices=[("90", _("90 天内到期"))], method="by_expiry")
    city = django_filters.ChoiceFilter(
        label=_("地市"), choices=city_choices, empty_label=_("全部"), field_name="organization__city_code"
    )
    year = django_filters.NumberFilter(
        label=_("命名年度"), field_name="decision_date__year", min_value=2000, max_value=2100
    )

    class Meta:
        model = Title
        fields: list[str] = []

    def by_expiry(self, qs, name, value):
        today = timezone.localdate()
        return qs.filter(
            status__in=["active", "under_review", "rectifying"],
            valid_to__isnull=False,
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=int(value)),
        )


class ScoringForm(BaseForm):
    scheme = forms.ModelChoiceField(label=_("测评体系"), queryset=Scheme.objects.none())
    panel = forms.ModelChoiceField(label=_("专家评审组"), queryset=JudgingPanel.objects.none(), required=False)
    closes_on = _date(_("评分截止日期"))

    def __init__(self, *args: Any, user: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["scheme"].queryset = judging_selectors.published_schemes(user=user)
        self.fields["panel"].queryset = judging_selectors.panel_list(user=user)


class CommitteeStartForm(BaseForm):
    members = forms.ModelMultipleChoiceField(
        label=_("表决成员"), queryset=User.objects.none(), widget=Picker("users", multiple=True)
    )
    present_count = forms.IntegerField(label=_("出席人数"), min_value=1, max_value=500)

    def __init__(self, *args: Any, user: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["members"].queryset = staff_in_scope(user)
