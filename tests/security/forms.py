"""Read the POST forms of a rendered page, so that fuzz tests post what a browser would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "textarea", "tel", "email", "search", "password", "date", "datetime-local", "number", "url"}


@dataclass
class Form:
    """One ``<form method="post">``: its action, text fields and the defaults a browser would send."""

    action: str
    text_fields: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    password_fields: set[str] = field(default_factory=set)
    method: str = "post"
    kinds: dict[str, str] = field(default_factory=dict)  # every named control -> input type / tag


class _Parser(HTMLParser):
    def __init__(self, methods: tuple[str, ...] = ("post",)):
        super().__init__(convert_charrefs=True)
        self.methods = methods
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = Form(action=a.get("action", ""), method=method) if method in self.methods else None
            if self._form:
                self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            if tag == "option" and form is not None and self._select and self._select not in form.defaults:
                if a.get("value"):
                    form.defaults[self._select] = a["value"]
            return
        if tag in ("input", "textarea", "select"):
            form.kinds.setdefault(name, a.get("type", "text").lower() if tag == "input" else tag)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in TEXT_TYPES:
                form.text_fields.append(name)
                if kind == "password":
                    form.password_fields.add(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in form.defaults):
                    form.defaults[name] = a.get("value", "on")
            elif kind == "hidden":
                form.defaults[name] = a.get("value", "")
        elif tag == "textarea":
            form.text_fields.append(name)
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def all_forms(html: str) -> list[Form]:
    """Every form of the page, GET (query forms) and POST alike."""
    parser = _Parser(methods=("get", "post"))
    parser.feed(html)
    return parser.forms


def main_form(html: str, path: str) -> Form:
    """The page's own form (action empty or the page itself), not the logout form of the shell."""
    forms = [f for f in post_forms(html) if f.action in ("", path) or f.action.split("?")[0] == path]
    assert forms, f"no POST form on {path}"
    return max(forms, key=lambda f: len(f.text_fields))
