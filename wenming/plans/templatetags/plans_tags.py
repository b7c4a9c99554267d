"""Template helpers for 督办 pages: computed traffic lights and progress."""

from django import template
from django.utils.html import format_html

from ..selectors import effective_progress, light_view, task_light

register = template.Library()


@register.simple_tag
def task_light_tag(task):
    """A light always shows a shape and a word (● 正常 ◆ 临期 ▲ 滞后 ■ 已逾期)."""
    lv = light_view(task_light(task))
    if lv is None:
        return "--"
    return format_html('<span class="tag {}">{}</span>', lv.css, lv.label)


@register.filter
def progress_of(task) -> int:
    return effective_progress(task)


@register.simple_tag
def status_tag(obj):
    css = {
        "draft": "tag-muted",
        "approved": "tag-soon",
        "dispatched": "tag-soon",
        "in_progress": "tag-ok",
        "reported": "tag-warn",
        "closed": "tag-ok",
        "cancelled": "tag-muted",
        "submitted": "tag-soon",
        "reviewed": "tag-ok",
        "adopted": "tag-ok",
        "archived": "tag-muted",
        "published": "tag-ok",
        "planned": "tag-muted",
        "piloting": "tag-soon",
        "evaluated": "tag-soon",
        "rolling_out": "tag-ok",
        "institutionalised": "tag-ok",
    }.get(obj.status, "tag-muted")
    return format_html('<span class="tag {}">{}</span>', css, obj.get_status_display())
