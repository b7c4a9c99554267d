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
def test_closed_outlet_takes_no_responses(client, org_tree, questionnaire):
    from wenming.organizations.models import Outlet

    Outlet.objects.filter(pk=org_tree.shenyang_outlet.pk).update(status="closed")
    services.forget_outlet(org_tree.shenyang_outlet.pk)
    resp = client.post(_url(org_tree.shenyang_outlet), FULL)
    assert resp.status_code == 404 and SurveyResponse.objects.count() == 0
