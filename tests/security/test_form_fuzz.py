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
