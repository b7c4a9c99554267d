"""建言献策: a courier's suggestion is routed to its city bureau, answered, adopted and published
(issue 14, "Done when" 3, service and page level; the browser journey is in tests/e2e)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wenming.core import crypto
from wenming.publicity import selectors, services
from wenming.publicity.models import Suggestion

pytestmark = pytest.mark.django_db

FORM = {
    "is_courier": "1",
    "topic": "service",
    "title": "建议在老旧小区增设智能快件箱",
    "content": "老旧小区没有快递柜，老人取件不便。",
    "name": "张晓明",
    "phone": "13812345678",
    "agree": "on",
}


def test_public_form_routes_a_courier_to_the_bureau_over_his_outlet(client, personas, org_tree, couriers):
    # the courier picks the wrong city on the form: his outlet decides
    resp = client.post(reverse("public:publicity-suggest"), {**FORM, "city": org_tree.dalian.pk})
    assert resp.status_code == 302
    s = Suggestion.objects.get()
    assert s.organization == org_tree.shenyang and s.courier == couriers.zhang and s.source == "courier"
    # contact: ciphertext + mask, never the number in clear
    assert "13812345678" not in (s.phone_enc + s.phone_hint) and s.phone_hint == "138****5678"
    assert crypto.decrypt(s.phone_enc) == "13812345678"
    assert s.number in client.get(reverse("public:publicity-suggest"), {"done": "1"}).content.decode()


def test_public_form_of_the_public_goes_to_the_chosen_city(client, org_tree):
    resp = client.post(reverse("public:publicity-suggest"), {**FORM, "is_courier": "0", "city": org_tree.dalian.pk})
    assert resp.status_code == 302
    assert Suggestion.objects.get().organization == org_tree.dalian


def test_consent_box_is_required_and_not_pre_ticked(client, org_tree):
    page = client.get(reverse("public:publicity-suggest")).content.decode()
    assert 'name="agree"' in page and "checked" not in page.split('name="agree"')[1].split(">")[0]
    data = {k: v for k, v in FORM.items() if k != "agree"}
    resp = client.post(reverse("public:publicity-suggest"), {**data, "city": org_tree.shenyang.pk})
    assert resp.status_code == 422 and "请先阅读并勾选同意" in resp.content.decode()
    assert not Suggestion.objects.exists()


def test_public_form_is_rate_limited(client, org_tree):
    codes = []
    for i in range(7):
        data = {**FORM, "is_courier": "0", "city": org_tree.shenyang.pk, "phone": f"1390000000{i}"}
        codes.append(client.post(reverse("public:publicity-suggest"), data).status_code)
    assert codes[:5] == [302] * 5 and codes[5:] == [429, 429]
    assert Suggestion.objects.count() == 5


def test_routed_answered_adopted_appears_on_the_public_list(
    client, personas, org_tree, couriers, django_capture_on_commit_callbacks
):
    client.post(reverse("public:publicity-suggest"), {**FORM, "city": org_tree.shenyang.pk})
    s = Suggestion.objects.get()
    public = reverse("public:publicity-suggestions")
    client.force_login(personas.shenyang_admin)
    assert s.title in client.get(reverse("publicity:suggestion-list")).content.decode()
    move = lambda name, data: client.post(reverse("publicity:suggestion-move", args=[s.pk, name]), data)  # noqa: E731
    move("route", {"unit": org_tree.shenyang.pk, "comment": "市局直接办理"})
    s.refresh_from_db()
    assert s.status == "routed" and s.organization == org_tree.shenyang
    client.logout()
    assert s.title not in client.get(public).content.decode()
    client.force_login(personas.shenyang_admin)
    move("answer", {"answer": "已协调三家企业在和平区试点。"})
    move("adopt", {"note": "纳入明年重点工作"})
    s.refresh_from_db()
    assert s.status == "adopted" and s.adopted_at is not None
    assert list(selectors.published_suggestions(5)) == [s]
    client.logout()
    body = client.get(public).content.decode()
    assert s.title in body and "已协调三家企业" in body
    assert "张*明" in body and "张晓明" not in body and "138" not in body


def test_another_city_cannot_see_or_act(client, personas, org_tree):
    s = services.suggestion_submit_public(
        data={"title": "建议", "content": "内容"},
        city=org_tree.shenyang,
        name="李四",
        phone="13900000001",
        is_courier=False,
    )
    client.force_login(personas.dalian_admin)
    assert client.get(reverse("publicity:suggestion-detail", args=[s.pk])).status_code == 404
    assert (
        client.post(
            reverse("publicity:suggestion-move", args=[s.pk, "route"]), {"unit": org_tree.dalian.pk}
        ).status_code
        == 404
    )


def test_route_only_inside_the_subtree(personas, org_tree):
    from wenming.core.errors import ApplicationError

    s = services.suggestion_submit_public(
        data={"title": "建议", "content": "内容"},
        city=org_tree.shenyang,
        name="李四",
        phone="13900000001",
        is_courier=False,
    )
    with pytest.raises(ApplicationError):
        services.suggestion_route(by=personas.province_admin, suggestion_id=s.pk, unit=org_tree.dalian_enterprise)


def test_staff_form_on_behalf_of_a_courier(client, personas, org_tree, couriers):
    client.force_login(personas.shenyang_outlet)
    resp = client.post(
        reverse("publicity:suggestion-create"),
        {"courier": couriers.zhang.pk, "topic": "rights", "title": "建议落实快递员休息权", "content": "旺季轮休。"},
    )
    assert resp.status_code == 302
    s = Suggestion.objects.get()
    assert (s.source, s.organization, s.submitted_by) == ("courier", org_tree.shenyang, personas.shenyang_outlet)
