"""The one picker of organisations and people (a remote search, never a dropdown of the whole scope).

``Picker(source, multiple=..., params=...)`` is the widget of any ``ModelChoiceField`` or
``ModelMultipleChoiceField`` whose options are units (``source="organizations"``), couriers
(``"couriers"``) or staff accounts (``"users"``). The field keeps its queryset — the user's scope, never
sliced — so validation accepts any row in scope; the widget renders only the chosen rows:

* a list of the chosen items (checked checkboxes named after the field, each with a 移除 button);
* a search box and a results list filled from :mod:`wenming.web.picker` (``static/js/picker.js``,
  configured by ``data-`` attributes, no inline script);
* without JavaScript, the search box itself is the field: it takes the number (ID) of a unit or person,
  several separated by commas, and unticking a chosen item removes it.

``follow="organization"`` narrows the search to the subtree of the unit chosen in that field.
``params`` narrow the search (``action`` the scope action, ``kind`` organisation kinds, ``under`` a
unit's pk, ``exclude_kind``); forms set them per instance through :meth:`Picker.narrow`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from wenming.core import pii
from wenming.core.forms import parse_ids

_SPLIT = re.compile(r"[\s,，、;；]+")

SOURCES = ("organizations", "couriers", "users")  # built in; modules register more (web.picker.register_source)


class Picker(forms.Widget):
    """A text search box + results list + chosen items (a transfer list when ``multiple``)."""

    def __init__(
        self,
        source: str = "organizations",
        *,
        multiple: bool = False,
        params: dict[str, Any] | None = None,
        placeholder: str = "",
        follow: str = "",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.allow_multiple_selected = multiple
        self.params: dict[str, Any] = dict(params or {})
        self.placeholder = placeholder or {
            "organizations": gettext_lazy("输入单位名称或代码搜索"),
            "couriers": gettext_lazy("输入姓名搜索"),
            "users": gettext_lazy("输入姓名搜索"),
        }.get(source, gettext_lazy("输入名称搜索"))
        self.follow = follow  # another picker's field name: its chosen unit narrows this search (``under``)
        self.choices: Any = ()

    def __deepcopy__(self, memo: dict) -> Picker:
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        return obj

    def narrow(self, **params: Any) -> Picker:
        """Narrow the search (``under=<org pk>``, ``kind=[...]``, ``action=...``); returns the widget."""
        self.params.update({k: v for k, v in params.items() if v not in (None, "", [])})
        return self

    # --- data ----------------------------------------------------------------------------------------
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if not isinstance(raw, list | tuple):
            raw = [raw]
        values: list[str] = []
        for item in raw:
            if item is None:
                continue
            for part in _SPLIT.split(str(item).strip()):
                if part and part not in values:
                    values.append(part)
        if self.allow_multiple_selected:
            return values
        return values[-1] if values else ""

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str) or not isinstance(value, Iterable):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value if v not in (None, "")]

    def _chosen(self, values: list[str]) -> list[tuple[str, str]]:
        """(pk, label) of the chosen rows that lie in the field's queryset (the user's scope)."""
        field = getattr(self.choices, "field", None)
        ids = parse_ids(values)
        if field is None or field.queryset is None or not ids:
            return []
        qs = field.queryset.filter(pk__in=ids)
        if self.source == "couriers":
            qs = qs.select_related("outlet")
        elif self.source == "users":
            qs = qs.select_related("home_organization")
        rows = {str(o.pk): o for o in qs}
        return [(pk, self._label(field, rows[pk])) for pk in values if pk in rows]

    def _label(self, field: Any, obj: Any) -> str:
        """People by their masked name and unit only; units by the field's label."""
        if self.source == "couriers":
            return f"{pii.mask_name(obj.name)}（{obj.outlet.name}）"
        if self.source == "users":
            unit = obj.home_organization.name if obj.home_organization_id else ""
            return f"{pii.mask_name(obj.display_name or obj.username)}（{unit}）" if unit else pii.mask_name(str(obj))
        return field.label_from_instance(obj)

    def url(self) -> str:
        query = {k: ",".join(map(str, v)) if isinstance(v, list | tuple | set) else v for k, v in self.params.items()}
        base = reverse("picker", args=[self.source])
        return f"{base}?{urlencode(query)}" if query else base

    # --- HTML ----------------------------------------------------------------------------------------
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.get("id") or f"id_{name}"
        chosen = self._chosen(self.format_value(value))
        items = format_html_join(
            "",
            '<li class="picker-item"><label><input type="checkbox" name="{}" value="{}" checked> {}</label>'
            '<button type="button" class="btn btn-sm picker-remove" data-picker-remove aria-label="{} {}">{}</button></li>',
            ((name, pk, label, gettext("移除"), label, gettext("移除")) for pk, label in chosen),
        )
        hint = gettext("可输入多个编号，用逗号分隔") if self.allow_multiple_selected else gettext("输入编号")
        texts = {
            "remove": gettext("移除"),
            "chosen": gettext("已选择："),
            "found": gettext("找到 {n} 项"),
            "more": gettext("，请输入更多字缩小范围"),
            "none": gettext("未找到匹配项"),
            "failed": gettext("搜索失败，请稍后重试"),
            "removed": gettext("已移除"),
        }
        return format_html(
            '<div class="picker" data-picker data-picker-url="{url}" data-picker-name="{name}" data-picker-multiple="{multi}" data-picker-follow="{follow}" data-picker-text="{texts}">'
            '<ul class="picker-chosen" aria-label="{chosen_label}">{items}</ul>'
            '<input type="search" class="picker-search" id="{id}" name="{name}" value="" autocomplete="off" '
            'placeholder="{ph}" title="{hint}" aria-autocomplete="list" aria-controls="{id}_results"{req}>'
            '<ul class="picker-results" id="{id}_results" role="listbox" hidden></ul>'
            '<p class="picker-status muted" aria-live="polite"></p>'
            "</div>",
            url=self.url(),
            name=name,
            multi="1" if self.allow_multiple_selected else "0",
            follow=self.follow,
            items=items,
            id=input_id,
            ph=self.placeholder,
            hint=hint,
            req="",
            texts=json.dumps(texts, ensure_ascii=False),
            chosen_label=gettext("已选"),
        )


def use_picker(field: forms.ModelChoiceField, source: str = "organizations", **params: Any) -> Picker:
    """Give a model choice field of a form below the web layer (people, organisations, accounts) the
    picker; its view calls this after building the form. The field's queryset stays the validator."""
    widget = Picker(source, multiple=isinstance(field, forms.ModelMultipleChoiceField), params=params)
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget
    return widget
