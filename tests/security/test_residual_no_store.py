"""PR11 剩余信息保护: nothing a signed-in member of staff receives may be kept by a browser or proxy cache."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .crawl import crawl, crawl_client, fetch


def test_every_signed_in_response_says_no_store(personas, pii_world):
    client = crawl_client()
    client.force_login(personas.province_admin)
    pages = crawl(client, skip_names=("api:schema",))
    assert any("export=" in p.url for p in pages)
    missing = [
        f"{p.url} ({p.status}) Cache-Control={p.cache_control!r}" for p in pages if "no-store" not in p.cache_control
    ]
    assert not missing, "\n".join(missing)


def test_exports_and_api_say_no_store(client, personas, pii_world):
    client.force_login(personas.shenyang_admin)
    for url in ("/people/couriers/?export=csv", "/people/couriers/?export=xlsx", "/org/outlets/?export=csv"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp["Content-Type"].split(";")[0] in (
            "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ), url
        assert "no-store" in resp["Cache-Control"], url
    resp = client.get(reverse("api:courier-list"))
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]


def test_error_pages_for_staff_say_no_store(personas, pii_world):
    client = crawl_client()
    client.force_login(personas.shenyang_admin)
    for url in ("/people/couriers/999999/", "/no-such-page/", reverse("accounts:user-list")):
        page = fetch(client, url)
        assert page.status in (403, 404), url
        assert "no-store" in page.cache_control, url


def test_logout_response_and_the_page_after_it_say_no_store(personas):
    client = Client()
    client.force_login(personas.shenyang_admin)
    resp = client.post(reverse("accounts:logout"))
    assert resp.status_code == 302
    assert "no-store" in resp.get("Cache-Control", "")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:courier-list")).status_code == 302
