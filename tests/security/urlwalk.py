"""Walk every URL pattern of the project and turn it into concrete URLs (AC7, PR1, PR11).

New modules are picked up automatically: nothing here lists staff pages one by one. The only
hand-written lists are the small public allow-list and the URLs a crawl must never GET.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

# Prefixes that are public on purpose (no staff login). Keep this list short and explained.
PUBLIC_PREFIXES = (
    "/accounts/login/",  # the login form itself
    "/p/",  # public namespace: volunteer scan pages, certificate check
    "/static/",
    "/i18n/",  # language switch
    "/healthz/",  # load-balancer probe, no data
    "/workbench/care/",  # 关怀模式 toggle: POST-only, sets a display cookie and redirects; reads no data
)
# Exact paths that are public on purpose: the portal's home page and its sitemap (ADR 0016).
PUBLIC_PATHS = ("/", "/sitemap.xml")
# URL names a crawl must not GET even when signed in (they end the session under test).
CRAWL_SKIP_NAMES = frozenset({"accounts:logout"})
MISSING_PK = 999999
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass
class Endpoint:
    """One URL pattern with its full route, name, parameters and view."""

    route: str
    name: str | None
    params: dict[str, str]  # kwarg name -> converter name ("int", "str", "slug", "regex")
    callback: Any
    default_kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return "/" + self.route.replace("^", "").replace("$", "")

    @property
    def is_public(self) -> bool:
        probe = self.path
        if probe in PUBLIC_PATHS or probe.startswith(PUBLIC_PREFIXES):
            return True
        return self.name == "api:schema" and schema_is_public()

    @property
    def app_label(self) -> str | None:
        module = getattr(self.callback, "__module__", "") or ""
        parts = module.split(".")
        if len(parts) >= 3 and parts[:2] == ["wenming", "console"]:
            return parts[2]  # the base apps' pages: wenming.console.<app>.views
        if len(parts) >= 2 and parts[0] == "wenming":
            return parts[1]
        return None

    def build(self, values: dict[str, Any]) -> str:
        if self.name:
            try:
                return reverse(self.name, kwargs={k: values[k] for k in self.params})
            except Exception:  # fall back to plain substitution (duplicate names, extra kwargs)
                pass
        route = self.route.replace("^", "").replace("$", "")
        route = _PARAM.sub(lambda m: str(values[m.group("name")]), route)
        route = _GROUP.sub(lambda m: str(values[m.group("name")]), route)
        return "/" + route


def _params(pattern: Any) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {m.group("name"): m.group("conv") or "str" for m in _PARAM.finditer(str(pattern))}
    if isinstance(pattern, RegexPattern):
        return {name: "regex" for name in pattern.regex.groupindex}
    return {}


def _walk(resolver: URLResolver, prefix: str, ns: str, params: dict[str, str]) -> Iterator[Endpoint]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        merged = {**params, **_params(entry.pattern)}
        if isinstance(entry, URLResolver):
            child_ns = f"{ns}:{entry.namespace}" if ns and entry.namespace else (entry.namespace or ns)
            yield from _walk(entry, route, child_ns, merged)
        elif isinstance(entry, URLPattern):
            name = f"{ns}:{entry.name}" if ns and entry.name else entry.name
            yield Endpoint(route, name, merged, entry.callback, dict(entry.default_args))


def endpoints() -> list[Endpoint]:
    """Every URL pattern of ``ROOT_URLCONF``, in declaration order, first pattern of a name wins."""
    seen: set[str] = set()
    out = []
    for ep in _walk(get_resolver(), "", "", {}):
        key = ep.route
        if key in seen:
            continue
        seen.add(key)
        out.append(ep)
    return out


def staff_endpoints() -> list[Endpoint]:
    return [ep for ep in endpoints() if not ep.is_public]


def schema_is_public() -> bool:
    """The OpenAPI document counts as public only if its view lets anonymous users in."""
    from django.test import Client

    return Client().get(reverse("api:schema")).status_code == 200


# --- concrete values for parameters -------------------------------------------------------------------
def placeholder_values(ep: Endpoint, pk: int = 1) -> dict[str, Any]:
    return {k: (pk if conv in ("int", "regex") else "x") for k, conv in ep.params.items()}


def _model_of(ep: Endpoint, kwarg: str) -> list[type]:
    """Models whose primary keys are worth trying for ``kwarg`` of ``ep`` (generic, no per-page table)."""
    if kwarg.startswith("org"):
        return [apps.get_model("organizations", "Organization")]
    cls = getattr(ep.callback, "cls", None)  # DRF viewsets: queryset, else the serializer's model
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return [queryset.model]
    model = getattr(getattr(getattr(cls, "serializer_class", None), "Meta", None), "model", None)
    if model is not None:
        return [model]
    if ep.app_label:
        try:
            return list(apps.get_app_config(ep.app_label).get_models())
        except LookupError:
            return []
    return []


def candidate_pks(ep: Endpoint, kwarg: str, per_model: int = 2) -> list[int]:
    pks: set[int] = set()
    for model in _model_of(ep, kwarg):
        pk_field = model._meta.pk
        if pk_field.get_internal_type() not in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
            continue
        pks.update(model._default_manager.order_by("-pk").values_list("pk", flat=True)[:per_model])
    return sorted(pks)


def slug_values(ep: Endpoint, kwarg: str) -> list[str]:
    """A real value for known slug parameters, so that the page behind them is rendered too."""
    if kwarg == "type_code":
        from wenming.activities.models import ActivityType

        code = ActivityType.objects.values_list("code", flat=True).first()
        return [code] if code else ["x"]
    if kwarg == "kind":
        return ["couriers", "courier", "x"]
    return ["x"]


def concrete_urls(ep: Endpoint) -> list[str]:
    """URLs for a signed-in crawl: real objects of the view's app, plus an unknown id (error page)."""
    if not ep.params:
        return [ep.build({})]
    options: dict[str, list[Any]] = {}
    for kwarg, conv in ep.params.items():
        if conv in ("int", "regex"):
            options[kwarg] = [*candidate_pks(ep, kwarg), MISSING_PK]
        else:
            options[kwarg] = slug_values(ep, kwarg)
    # Vary one parameter at a time around the first value of the others: enough to reach every object.
    base = {k: v[0] for k, v in options.items()}
    urls = []
    for kwarg, values in options.items():
        for value in values:
            urls.append(ep.build({**base, kwarg: value}))
    return list(dict.fromkeys(urls))
