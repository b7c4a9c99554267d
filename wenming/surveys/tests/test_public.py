"""The public outlet survey: signed link, anonymous statement, one response per device and day (polite
refusal), validation, rate limit; then the rollup job puts it into the outlet's index."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.surveys import rollup, selectors, services
from wenming.surveys.choices import Grain, Period
from wenming.surveys.models import SurveyResponse

FULL = {
    **{f"q_acc{i}": "5" for i in range(1, 5)},
    **{f"q_pic{i}": "4" for i in range(1, 5)},
    "q_del1": "5",
    "q_del2": "3",
    "q_inf1": "4",
    "q_inf2": "4",
    "q_problem": "有",
    "q_problem_kind": ["延误"],
    "q_comment": "快递员态度很好，就是送得有点慢",
}


def _url(outlet) -> str:
    return reverse("public:surveys-outlet", args=[services.outlet_token(outlet.pk)])


@pytest.mark.django_db
def test_survey_page_states_what_is_anonymous_and_sets_a_device_cookie(client, org_tree, questionnaire):
    resp = client.get(_url(org_tree.shenyang_outlet))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "顺丰沈阳和平营业部" in body and "匿名评价" in body and "不收集姓名、电话或快递单号" in body
    assert services.DEVICE_COOKIE in resp.cookies and resp.cookies[services.DEVICE_COOKIE]["httponly"]
    assert 'name="q_acc1"' in body and 'data-show-if="problem"' in body


@pytest.mark.django_db
def test_forged_link_is_refused(client, org_tree, questionnaire):
    token = services.outlet_token(org_tree.shenyang_outlet.pk)
    forged = f"{org_tree.dalian_outlet.pk}.{token.split('.', 1)[1]}"
    resp = client.get(reverse("public:surveys-outlet", args=[forged]))
    assert resp.status_code == 404 and "二维码无效" in resp.content.decode()


@pytest.mark.django_db
def test_submit_once_then_polite_refusal_then_index_after_rollup(client, org_tree, personas, questionnaire):
    url = _url(org_tree.shenyang_outlet)
    client.get(url)
    resp = client.post(url, FULL)
    assert resp.status_code == 200 and "提交成功" in resp.content.decode()
    r = SurveyResponse.objects.get()
    # 受理 100; 揽收 75; 投递 (100 + 50) / 2 = 75; 信息 75 → (100 + 75 + 75 + 75) / 4 = 81.25 → 81.3
    assert (r.s_acceptance, r.s_pickup, r.s_delivery, r.s_after_sales, r.s_information) == (1000, 750, 750, None, 750)
    assert r.score == 813 and r.answers["problem_kind"] == ["延误"] and r.comment.startswith("快递员")
    again = client.post(url, FULL)
    assert again.status_code == 409 and "您今天已经评价过这个网点了" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert "您今天已经评价过这个网点了" in client.get(url).content.decode()  # the page itself says so
    # another device may answer; the same device may answer another outlet
    other = client.__class__()
    assert other.post(url, FULL).status_code == 200
    assert client.post(_url(org_tree.dalian_outlet), FULL).status_code == 200
    rollup.refresh()
    a, b = selectors.period_range(Period.YEAR, r.day.year, None)
    row = next(
        x
        for x in selectors.index_rows(user=personas.shenyang_admin, grain=Grain.OUTLET, start=a, end=b)
        if x.key == org_tree.shenyang_outlet.pk
    )
    assert row.sums.n == 2 and row.mean == pytest.approx(81.3)


@pytest.mark.django_db
def test_wrong_answers_are_shown_back_and_nothing_stored(client, org_tree, questionnaire):
    url = _url(org_tree.shenyang_outlet)
    bad = dict(FULL, q_acc1="9")
    del bad["q_pic2"]
    resp = client.post(url, bad)
    body = resp.content.decode()
    assert resp.status_code == 422 and "此题必答" in body and "请选择 1 到 5 之间的分值" in body
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_rate_limit_per_address_and_outlet(client, org_tree, questionnaire, settings):
    settings.WENMING_SURVEY_RATE_LIMITS = {"ip_outlet": (2, 3600)}
    url = _url(org_tree.shenyang_outlet)
    codes = [client.__class__().post(url, FULL).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_address_gets_the_429_whatever_its_answers(client, org_tree, questionnaire, settings):
    settings.WENMING_SURVEY_RATE_LIMITS = {"ip_outlet": (1, 3600)}
    url = _url(org_tree.shenyang_outlet)
    bad = dict(FULL, q_acc1="9")
    assert client.__class__().post(url, bad).status_code == 422  # counted, and within the limit
    over = client.__class__().post(url, bad)
    assert over.status_code == 429 and over["Retry-After"]  # the limit is decided before the answers
    assert client.__class__().post(url, FULL).status_code == 429
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_closed_outlet_takes_no_responses(client, org_tree, questionnaire):
    from wenming.organizations.models import Outlet

    Outlet.objects.filter(pk=org_tree.shenyang_outlet.pk).update(status="closed")
    services.forget_outlet(org_tree.shenyang_outlet.pk)
    resp = client.post(_url(org_tree.shenyang_outlet), FULL)
    assert resp.status_code == 404 and SurveyResponse.objects.count() == 0


def _csrf_of(body: str) -> str:
    import re

    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert len(tokens) == 1, tokens  # every form of the page carries the visitor's one token
    return tokens.pop()


@pytest.mark.django_db
def test_stored_pages_carry_each_visitors_own_working_csrf_token(org_tree, questionnaire):
    """The blank form and the thanks page are rendered once per process (web.stored_page); each visitor
    still gets a token of their own that the CSRF check accepts, and never the stored page's slot."""
    from django.test import Client

    from wenming.web.responses import CSRF_SLOT

    url = _url(org_tree.shenyang_outlet)
    a, b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_a, page_b = a.get(url).content.decode(), b.get(url).content.decode()
    assert CSRF_SLOT not in page_a and CSRF_SLOT not in page_b
    token_a, token_b = _csrf_of(page_a), _csrf_of(page_b)
    assert token_a != token_b
    assert a.post(url, dict(FULL, csrfmiddlewaretoken="x" * 64)).status_code == 403  # the check is real
    thanks = a.post(url, dict(FULL, csrfmiddlewaretoken=token_a))
    assert thanks.status_code == 200 and "提交成功" in thanks.content.decode()
    assert CSRF_SLOT not in thanks.content.decode()
    assert b.post(url, dict(FULL, csrfmiddlewaretoken=token_b)).status_code == 200
    # the thanks page's own form (关怀模式) works with the token it carries
    care = a.post(reverse("workbench:care"), {"next": url, "csrfmiddlewaretoken": _csrf_of(thanks.content.decode())})
    assert care.status_code == 302
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_submit_outside_a_transaction_is_one_insert_and_still_refuses_the_second(org_tree, questionnaire):
    """In production the submit runs in autocommit (no BEGIN/COMMIT around its one INSERT): the unique
    constraint still decides, and the refusal leaves the connection usable."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenming.surveys import scoring

    info = services.outlet_info(org_tree.shenyang_outlet.pk)
    fq = services.questionnaire_for(info)
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for k, v in FULL.items():
        data.setlist(k, v if isinstance(v, list) else [v])
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as q:
        services.response_submit(info=info, questionnaire=fq, device_token="device-0001", data=data)
    assert [x["sql"].split()[0] for x in q.captured_queries] == ["INSERT"]
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(info=info, questionnaire=fq, device_token="device-0001", data=data)
    assert SurveyResponse.objects.count() == 1  # the connection still works after the refused INSERT
    with pytest.raises(scoring.AnswerErrors):
        services.response_submit(info=info, questionnaire=fq, device_token="device-0002", data={})


@pytest.mark.django_db(transaction=True)
def test_the_submit_stores_every_column_as_given_and_binds_the_values_on_postgresql(org_tree, questionnaire):
    """The submit's INSERT (server-side parameters on PostgreSQL, the ORM on SQLite) stores what the form
    said: answers as JSON, the copied attribution, day and month, the scores, the device's digest."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    info = services.outlet_info(org_tree.shenyang_outlet.pk)
    fq = services.questionnaire_for(info)
    data = QueryDict(mutable=True)
    for k, v in FULL.items():
        data.setlist(k, v if isinstance(v, list) else [v])
    with CaptureQueriesContext(connection) as q:
        made = services.response_submit(info=info, questionnaire=fq, device_token="device-0009", data=data)
    (insert,) = q.captured_queries
    if connection.vendor == "postgresql":
        assert "快递员" not in insert["sql"]  # the comment travels as a parameter, not in the SQL text
    r = SurveyResponse.objects.get()
    assert made.pk == r.pk and not made._state.adding
    assert (r.outlet_id, r.enterprise_id, r.brand_id, r.city_code) == (
        info.outlet_id,
        info.enterprise_id,
        info.brand_id,
        info.city_code,
    )
    assert r.questionnaire_id == fq.id and r.month == r.day.replace(day=1) and r.submitted_at is not None
    assert r.device == services.device_digest("device-0009") and r.comment == FULL["q_comment"]
    assert r.answers["acc1"] == 5 and r.answers["problem"] == "有" and r.answers["problem_kind"] == ["延误"]
    assert (r.score, r.s_acceptance, r.s_pickup, r.s_after_sales) == (813, 1000, 750, None)


def test_the_bound_insert_names_every_column_of_the_response():
    """The PostgreSQL INSERT lists its columns by hand: a field added to the model and not to the list
    would be left to the database (NULL, or a refused row) on PostgreSQL only. Every concrete field but
    the key must be in it."""
    concrete = {f.attname for f in SurveyResponse._meta.concrete_fields if not f.primary_key}
    assert set(services._INSERT_FIELDS) == concrete
    assert len(services._INSERT_FIELDS) == len(set(services._INSERT_FIELDS))


CSRF_SECRET = "leansurveycsrfsecret0123456789ab"  # 32 characters: a CSRF secret as the cookie holds it


@pytest.mark.django_db
def test_the_submit_on_the_lean_stack_checks_csrf_stores_once_and_keeps_the_headers(
    lean_client, org_tree, questionnaire
):
    """Production serves the survey POST through the lean middleware stack (wenming.web.wsgi)."""
    url = _url(org_tree.shenyang_outlet)
    assert lean_client.post(url, FULL).status_code == 403  # no CSRF pair
    assert SurveyResponse.objects.count() == 0
    lean_client.cookies["csrftoken"] = CSRF_SECRET
    data = {**FULL, "csrfmiddlewaretoken": CSRF_SECRET}
    bad = lean_client.post(url, dict(data, q_acc1="9"))  # the form comes back with the answers given
    assert bad.status_code == 422 and "请选择 1 到 5 之间的分值" in bad.content.decode()
    assert "快递员态度很好，就是送得有点慢" in bad.content.decode()
    assert services.DEVICE_COOKIE in bad.cookies  # the new device's cookie, kept for the next try
    assert SurveyResponse.objects.count() == 0
    resp = lean_client.post(url, data)
    assert resp.status_code == 200 and "提交成功" in resp.content.decode()
    assert resp["X-Frame-Options"] == "DENY" and "default-src" in resp["Content-Security-Policy"]
    assert resp["X-Request-ID"] and "no-store" in resp["Cache-Control"]
    again = lean_client.post(url, data)
    assert again.status_code == 409 and "您今天已经评价过这个网点了" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
