"""The staff page for one's own API tokens: shown once, listed masked, revoked after confirmation, audited."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from wenming.api.models import ApiToken
from wenming.api.services import api_token_create
from wenming.audit.models import AuditEvent

PAGE = "/accounts/tokens/"
ORGS = "/api/v1/organizations/"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_shows_the_key_once_and_lists_the_prefix_after(client, personas):
    client.force_login(personas.shenyang_admin)
    response = client.post(PAGE, {"name": "数据大屏", "days": "30"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("wm_") and key in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = ApiToken.objects.get(user=personas.shenyang_admin)
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    row = AuditEvent.objects.get(detail__change="api_token_create")
    assert row.actor_id == personas.shenyang_admin.pk and row.ip == "10.9.8.7" and key not in str(row.detail)
    # the key works, and the list shows only the prefix from now on
    assert client.get(ORGS, **bearer(key)).status_code == 200
    later = client.get(PAGE).content.decode()
    assert token.prefix in later and key not in later


def test_bad_input_keeps_the_name_and_writes_nothing(client, personas):
    client.force_login(personas.shenyang_admin)
    response = client.post(PAGE, {"name": "大屏", "days": "9999"})
    assert response.status_code == 200
    assert "请选择列出的有效期" in response.content.decode() and 'value="大屏"' in response.content.decode()
    assert not ApiToken.objects.exists()
    empty = client.post(PAGE, {"name": "", "days": "90"})
    assert "请填写令牌名称" in empty.content.decode()


def test_revoke_asks_first_then_revokes_and_audits(client, personas):
    token, key = api_token_create(user=personas.shenyang_admin, name="对接")
    client.force_login(personas.shenyang_admin)
    confirm = client.get(f"{PAGE}{token.pk}/revoke/")
    assert confirm.status_code == 200 and "确定撤销令牌" in confirm.content.decode()
    token.refresh_from_db()
    assert not token.revoked
    response = client.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert AuditEvent.objects.filter(detail__change="api_token_revoke", actor_id=personas.shenyang_admin.pk).exists()
    client.logout()
    assert client.get(ORGS, **bearer(key)).status_code == 401


def test_another_users_token_is_404(client, personas):
    token, key = api_token_create(user=personas.dalian_admin, name="大连")
    client.force_login(personas.shenyang_admin)
    assert client.get(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked
    assert (
        f"/{token.pk}/revoke/" not in client.get(PAGE).content.decode()
        and key[:11] not in client.get(PAGE).content.decode()
    )


def test_expired_token_is_401(client, personas):
    token, key = api_token_create(user=personas.shenyang_admin, name="短期", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(ORGS, **bearer(key))
    assert response.status_code == 401 and "令牌" in response.json()["detail"]


def test_page_needs_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
