"""Bearer tokens: hashed at rest, audited, refused when revoked, expired or of a disabled account."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conftest import make_user
from wenming.api.models import ApiToken
from wenming.api.services import api_token_create, api_token_revoke
from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.people.models import Courier

ORGS = "/api/v1/organizations/"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def dalian_admin(org_tree):
    return make_user("dl_api", role="city_admin", org=org_tree.dalian)


def test_token_gives_the_owners_scope(client, org_tree, dalian_admin):
    token, key = api_token_create(user=dalian_admin, name="数据大屏")

    response = client.get(ORGS, {"page_size": 100}, **bearer(key))

    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    assert org_tree.dalian.pk in ids and org_tree.dalian_outlet.pk in ids
    assert org_tree.shenyang.pk not in ids
    assert client.get(f"{ORGS}{org_tree.shenyang.pk}/", **bearer(key)).status_code == 404
    assert "no-store" in response["Cache-Control"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_key_is_never_stored(org_tree, dalian_admin):
    token, key = api_token_create(user=dalian_admin, name="对接")

    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key.startswith("wm_") and len(key) == 67
    assert all(key not in str(v) for v in row.values())
    assert row["prefix"] == key[:11]
    assert len(row["key_hash"]) == 64


def test_creation_and_revocation_are_audited(org_tree, dalian_admin):
    token, key = api_token_create(user=dalian_admin, name="对接")
    api_token_revoke(token=token, by=dalian_admin)

    events = list(AuditEvent.objects.filter(object_type="api.ApiToken", object_id=str(token.pk)).order_by("id"))
    assert [e.detail["change"] for e in events] == ["api_token_create", "api_token_revoke"]
    assert events[1].actor_username == "dl_api"
    assert all(key not in str(e.detail) for e in events)
    with pytest.raises(ApplicationError):
        api_token_revoke(token=token, by=dalian_admin)


def test_revoked_token_is_refused(client, org_tree, dalian_admin):
    token, key = api_token_create(user=dalian_admin, name="对接")
    assert client.get(ORGS, **bearer(key)).status_code == 200

    api_token_revoke(token=token)
    response = client.get(ORGS, **bearer(key))

    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效、已撤销或已过期"


def test_expired_token_is_refused(client, org_tree, dalian_admin):
    token, key = api_token_create(user=dalian_admin, name="对接", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(ORGS, **bearer(key)).status_code == 401


def test_token_of_a_disabled_account_is_refused(client, org_tree, dalian_admin):
    _, key = api_token_create(user=dalian_admin, name="对接")
    dalian_admin.is_active = False
    dalian_admin.save(update_fields=["is_active"])

    assert client.get(ORGS, **bearer(key)).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer wm_" + "0" * 64, "Bearer", "Bearer a b", "Bearer 随便"],
)
def test_bad_or_unknown_tokens_are_refused(client, org_tree, header):
    response = client.get(ORGS, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_lists_couriers_masked(client, org_tree, dalian_admin):
    c = Courier(
        outlet=org_tree.dalian_outlet,
        name="王小明",
        gender="M",
        birth_date=timezone.localdate().replace(year=1990, month=1, day=1),
        started_delivery_on=timezone.localdate().replace(year=2015),
    )
    c.set_id_number("11010519491231002X")
    c.set_phone("13812345678")
    c.save()
    _, key = api_token_create(user=dalian_admin, name="对接")

    body = client.get("/api/v1/couriers/", **bearer(key)).content.decode()

    assert "1****************X" in body and "138****5678" in body
    assert "11010519491231002X" not in body and "13812345678" not in body


def test_command_prints_a_working_key_once(client, org_tree, dalian_admin):
    out = StringIO()
    call_command("api_token_create", "dl_api", "命令行令牌", "--days", "30", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    assert client.get(ORGS, **bearer(key)).status_code == 200
    token = ApiToken.objects.get(name="命令行令牌")
    assert (token.expires_at - timezone.now()).days in (29, 30)

    call_command("api_token_revoke", token.prefix, stdout=StringIO())
    assert client.get(ORGS, **bearer(key)).status_code == 401
    with pytest.raises(CommandError):
        call_command("api_token_create", "nobody-here", "x", stdout=StringIO())
