"""Error pages speak Chinese and reveal nothing."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_url_gives_chinese_404():
    resp = Client().get("/no-such-page/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_chinese(personas):
    c = Client(enforce_csrf_checks=True)
    c.force_login(personas.shenyang_admin)
    resp = c.post("/accounts/logout/")
    assert resp.status_code == 403
    assert "页面已过期" in resp.content.decode()
