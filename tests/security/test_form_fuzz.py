"""IN1 form fuzz (MLPS 入侵防范): hostile text in real forms never causes a 5xx; the form answers in Chinese.

Fields are read from the rendered form, so added fields are fuzzed too.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .forms import main_form

CJK_ERROR = re.compile(r'class="(?:errorlist|form-errors|field-error)[^"]*"[^>]*>.*?[\u4e00-\u9fff]', re.S)
BIG = ["文" * 10240, "A" * 10240, "𠮷" * 2600, "<b>" * 3400]
SPECIAL = [
    "𠮷野家",
    "\u202e反转\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "😀👨‍👩‍👧",
    "\x00",
    "\x01\x1f\x7f",
    "a\r\nb\tc",
    " ",
    "'; --",
]
hostile = st.one_of(
    st.sampled_from(BIG + SPECIAL),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.tuples(st.sampled_from(SPECIAL), st.text(st.characters(exclude_categories=("Cs",)), max_size=20)).map("".join),
)
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _staff(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _check(client: Client, url: str, form, values: dict[str, str]) -> None:
    data = {**form.defaults, **values}
    resp = client.post(url, data)
    assert resp.status_code < 500, (url, resp.status_code)
    if resp.status_code >= 300 and resp.status_code < 400:
        return
    body = resp.content.decode("utf-8", "replace")
    echoed = any(escape(v.strip()) in body for k, v in values.items() if k not in form.password_fields and v.strip())
    assert echoed or CJK_ERROR.search(body), (url, resp.status_code, {k: v[:20] for k, v in values.items()})


def _fuzz(client: Client, url: str, query: str = ""):
    """One client for all examples (the form's state lives in the database, which the test wraps)."""
    page = client.get(url + query)
    assert page.status_code == 200, url
    form = main_form(page.content.decode(), url)
    assert form.text_fields, url

    @FUZZ
    @given(st.data())
    def run(data):
        values = {name: data.draw(hostile, label=name) for name in form.text_fields}
        _check(client, url + query, form, values)

    run()


@pytest.mark.django_db
def test_login_form_survives_hostile_text():
    _fuzz(Client(raise_request_exception=False), reverse("accounts:login"))


def test_courier_form_survives_hostile_text(personas):
    url = _url("people:courier-create")
    assert url, "people:courier-create is part of the platform"
    _fuzz(_staff(personas.shenyang_admin), url)


def test_outlet_create_form_survives_hostile_text(personas, org_tree):
    url = _url("organizations:create", pk=org_tree.shenyang_enterprise.pk)
    assert url
    _fuzz(_staff(personas.shenyang_admin), url, "?kind=outlet")


# --- IN2: out-of-range numbers and dates in every form and every API filter ---------------------------
HUGE_NUMBERS = [
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "NaN",
    "-Infinity",
    "-0",
    "１２",
    "٣",
]
EDGE_DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "1899-12-31", "10000-01-01"]
numbers = st.one_of(st.sampled_from(HUGE_NUMBERS), st.integers(-(2**70), 2**70).map(str))
days = st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"))
moments = st.one_of(
    days.map(lambda d: d + "T00:00"),
    st.datetimes().map(lambda t: f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}"),
)
anything = st.one_of(numbers, days, moments, hostile)
BY_KIND = {"number": numbers, "date": days, "datetime-local": moments}
FORM_PERSONAS = ("shenyang_admin", "province_admin", "sysadmin", "shenyang_enterprise")
# Forms whose submission would end the signed-in session under test, not answer it.
NOT_FUZZED = ("/accounts/logout/", "/i18n/")
EDGE = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _discover_forms(personas) -> list[tuple[str, str, object]]:
    """(persona, page URL, form) for every distinct form any persona is offered on any staff page."""
    from .crawl import fetch
    from .forms import all_forms
    from .urlwalk import CRAWL_SKIP_NAMES, concrete_urls, staff_endpoints

    found: dict[tuple, tuple[str, str, object]] = {}
    for who in FORM_PERSONAS:
        client = _staff(getattr(personas, who))
        for ep in staff_endpoints():
            if ep.name in CRAWL_SKIP_NAMES or ep.path.startswith("/api/"):
                continue
            for url in concrete_urls(ep)[:2]:
                page = fetch(client, url)
                if page.status != 200 or "html" not in page.content_type:
                    continue
                for form in all_forms(page.text):
                    target = form.action.split("?")[0] or url.split("?")[0]
                    if target.startswith(NOT_FUZZED):
                        continue
                    fields = tuple(sorted(n for n in form.kinds if n != "csrfmiddlewaretoken"))
                    if fields:
                        found.setdefault((form.method, ep.route, target == url, fields), (who, url, form))
    return list(found.values())


def test_every_form_answers_out_of_range_numbers_and_dates_without_5xx(personas, pii_world):
    forms = _discover_forms(personas)
    assert len(forms) > 40, len(forms)  # the walk reached the platform's forms, GET and POST
    assert sum(f.method == "post" for _, _, f in forms) > 20
    failures: list[str] = []
    for who, url, form in forms:
        _edge_form(_staff(getattr(personas, who)), who, form.action or url, form, failures)
    assert not failures, "\n".join(failures)


def _edge_form(client: Client, who: str, target: str, form, failures: list[str]) -> None:
    names = [n for n in form.kinds if n != "csrfmiddlewaretoken"]

    @EDGE
    @given(st.data())
    def run(data):
        values = {n: data.draw(BY_KIND.get(form.kinds[n], anything), label=n) for n in names}
        payload = {**form.defaults, **values}
        resp = client.post(target, payload) if form.method == "post" else client.get(target, payload)
        assert resp.status_code < 500, f"{form.method.upper()} {target} as {who}: {resp.status_code} {_short(values)}"

    try:
        run()
    except AssertionError as exc:
        failures.append(str(exc).splitlines()[0])


def _edge_api(client: Client, who: str, url: str, names: list[str], failures: list[str]) -> None:
    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), anything, min_size=1, max_size=3))
    def run(params):
        resp = client.get(url, params)
        assert resp.status_code < 500, f"GET {url} as {who}: {resp.status_code} {_short(params)}"

    try:
        run()
    except AssertionError as exc:
        failures.append(str(exc).splitlines()[0])


def _short(values: dict[str, str]) -> dict[str, str]:
    return {k: v if len(v) <= 40 else v[:40] + "…" for k, v in values.items()}


def test_every_api_filter_answers_out_of_range_values_without_5xx(personas, pii_world):
    from .urlwalk import staff_endpoints

    lists = []
    for ep in staff_endpoints():
        cls = getattr(ep.callback, "cls", None)
        if not ep.path.startswith("/api/") or ep.params or cls is None or not getattr(ep.callback, "actions", None):
            continue
        if "get" not in ep.callback.actions:
            continue
        filterset = getattr(cls, "filterset_class", None)
        names = [*(filterset.base_filters if filterset else ()), "page", "page_size", "status", "type", "format"]
        lists.append((ep.build({}), names))
    assert {u for u, _ in lists} >= {"/api/v1/organizations/", "/api/v1/couriers/", "/api/v1/activities/"}
    failures: list[str] = []
    for who in ("province_admin", "shenyang_enterprise"):
        client = _staff(getattr(personas, who))
        for url, names in lists:
            _edge_api(client, who, url, names, failures)
    assert not failures, "\n".join(failures)
