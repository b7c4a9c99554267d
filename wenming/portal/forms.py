"""Forms of the news CMS (labels in Chinese; bounds from ``core.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm
from wenming.organizations.models import Organization
from wenming.web.widgets import Picker

from .choices import Category
from .models import ArticleImage
from .permissions import PortalAction as PA

#: units that write stories (outlets write through their enterprise)
WRITER_KINDS = ["provincial_bureau", "division", "city_bureau", "section", "enterprise", "branch"]


def writer_units(user: Any):
    return Organization.objects.visible_to(user, PA.DRAFT).filter(is_active=True, kind__in=WRITER_KINDS)


class UnitField(forms.ModelChoiceField):
    widget = Picker("organizations")

    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class ArticleForm(BaseForm):
    organization = UnitField(label=_("供稿单位"), queryset=Organization.objects.none(), empty_label=_("请选择"))
    category = forms.ChoiceField(label=_("栏目"), choices=Category.choices)
    title = forms.CharField(label=_("标题"), max_length=80)
    summary = forms.CharField(
        label=_("摘要"), max_length=200, required=False, help_text=_("列表和搜索结果中显示，可不填")
    )
    body = forms.CharField(
        label=_("正文"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "段落之间空一行；“## ”开头为小标题，“- ”开头为列表，**文字** 加粗；图片上传后按“[图片:编号]”单独一行插入"
        ),
    )
    source = forms.CharField(label=_("来源"), max_length=60, required=False, help_text=_("不填则为供稿单位"))
    cover = forms.ModelChoiceField(
        label=_("题图"), queryset=ArticleImage.objects.none(), required=False, empty_label=_("无")
    )

    def __init__(self, *args: Any, user: Any, article: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = writer_units(user)
        field = self.fields["organization"]
        field.queryset = units
        field.widget.narrow(action=PA.DRAFT, kind=WRITER_KINDS)
        if article is not None:
            del self.fields["organization"]  # a story stays with its unit
            self.fields["cover"].queryset = article.images.all()
        else:
            del self.fields["cover"]
            home = getattr(user, "home_organization", None)
            if home is not None and units.filter(pk=home.pk).exists():
                self.initial.setdefault("organization", home.pk)


class ImageForm(BaseForm):
    image = forms.FileField(label=_("图片"), help_text=_("JPG、PNG 或 WebP，不超过 5 MB；不得使用他人肖像照片"))
    alt = forms.CharField(label=_("图片说明"), max_length=100, help_text=_("描述图片内容，供读屏软件朗读，也作图注"))


class CommentForm(BaseForm):
    comment = forms.CharField(label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(BaseForm):
    publish_at = forms.DateTimeField(
        label=_("定时发布时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    comment = forms.CharField(label=_("意见"), max_length=500, required=False)
