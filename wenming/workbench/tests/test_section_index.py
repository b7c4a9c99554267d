"""Section roots lead somewhere useful: signed-in staff land on the section's main page."""

import pytest


@pytest.mark.parametrize(
    ("url", "target"),
    [("/org/", "/org/tree/"), ("/people/", "/people/couriers/"), ("/plans/", "/plans/tasks/")],
)
def test_section_root_redirects_staff_to_its_main_page(client, personas, url, target):
    client.force_login(personas.shenyang_admin)
    resp = client.get(url)
    assert resp.status_code == 302 and resp["Location"] == target


def test_section_root_sends_anonymous_users_to_login(client, db):
    resp = client.get("/org/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
