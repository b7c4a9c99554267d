"""先进典型库: publication only with consent; withdrawal unpublishes at once; expiry by the hourly job;
the public page masks the name unless the consent says otherwise and carries its QR code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wenming.core.errors import ApplicationError
from wenming.core.uploads import process_images
from wenming.publicity import selectors, services

from . import factories as f
from .conftest import jpeg

pytestmark = pytest.mark.django_db


def _make(personas, org_tree, couriers, media):
    return services.exemplar_create(
        by=personas.shenyang_outlet,
        organization=org_tree.shenyang_outlet,
        data={"headline": "八年零差错", "deeds": "坚持为独居老人送件上门。", "honours": "2025年度最美快递员"},
        courier=couriers.zhang,
        photos=process_images([jpeg()]),
    )


def test_register_verify_publish_needs_consent(client, personas, org_tree, couriers, media):
    ex = _make(personas, org_tree, couriers, media)
    assert ex.name == "张晓明" and ex.photos.count() == 1
    services.exemplar_verify(by=personas.shenyang_enterprise, exemplar_id=ex.pk)
    with pytest.raises(ApplicationError, match="同意"):
        services.exemplar_publish(by=personas.shenyang_admin, exemplar_id=ex.pk)
    url = reverse("public:publicity-profile", args=[ex.public_key])
    assert client.get(url).status_code == 404
    services.exemplar_record_consent(
        by=personas.shenyang_outlet,
        exemplar_id=ex.pk,
        consent_by="张晓明",
        scope="masked",
        given_on=timezone.localdate(),
    )
    services.exemplar_publish(by=personas.shenyang_admin, exemplar_id=ex.pk)
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "张*明" in body and "张晓明" not in body and "<svg" in body  # masked name, QR code inline
    photo = ex.photos.get()
    assert client.get(reverse("public:publicity-photo", args=[photo.public_key])).status_code == 200
    assert ex in selectors.published_profiles(5)


def test_withdrawal_unpublishes_at_once(client, personas, org_tree, couriers, media):
    ex = f.exemplar(org_tree.shenyang_enterprise, "published", consent_scope="full")
    url = reverse("public:publicity-profile", args=[ex.public_key])
    assert "张晓明" in client.get(url).content.decode()  # full name: the consent covers it
    client.force_login(personas.shenyang_enterprise)
    client.post(reverse("publicity:exemplar-withdraw", args=[ex.pk]), {"comment": "本人来电撤回"})
    ex.refresh_from_db()
    assert ex.status == "verified" and ex.consent_withdrawn_at is not None
    client.logout()
    assert client.get(url).status_code == 404
    assert ex not in selectors.published_profiles()
    with pytest.raises(ApplicationError):
        services.exemplar_publish(by=personas.shenyang_admin, exemplar_id=ex.pk)


def test_withdrawn_consent_hides_even_a_row_left_published(client, org_tree):
    ex = f.exemplar(org_tree.shenyang_enterprise, "published", consent_withdrawn_at=timezone.now())
    assert client.get(reverse("public:publicity-profile", args=[ex.public_key])).status_code == 404


def test_expired_consent_is_taken_down_by_the_job(client, org_tree):
    ex = f.exemplar(org_tree.shenyang_enterprise, "published", consent_until=timezone.localdate() - timedelta(days=1))
    keep = f.exemplar(org_tree.shenyang_enterprise, "published", name="李文", consent_until=timezone.localdate())
    assert client.get(reverse("public:publicity-profile", args=[ex.public_key])).status_code == 404
    assert services.exemplar_expire_consents() == 1
    ex.refresh_from_db()
    keep.refresh_from_db()
    assert ex.status == "verified" and keep.status == "published"


def test_deeds_only_consent_shows_no_photo(client, personas, org_tree, couriers, media):
    ex = _make(personas, org_tree, couriers, media)
    ex.status, ex.consent_at, ex.consent_scope, ex.published_at = "published", timezone.now(), "deeds", timezone.now()
    ex.save()
    body = client.get(reverse("public:publicity-profile", args=[ex.public_key])).content.decode()
    photo = ex.photos.get()
    assert photo.public_key not in body
    assert client.get(reverse("public:publicity-photo", args=[photo.public_key])).status_code == 404


def test_another_city_gets_404_and_outlet_cannot_publish(client, personas, org_tree):
    ex = f.exemplar(org_tree.shenyang_enterprise, "verified")
    client.force_login(personas.dalian_admin)
    assert client.get(reverse("publicity:exemplar-detail", args=[ex.pk])).status_code == 404
    client.force_login(personas.shenyang_enterprise)
    client.post(reverse("publicity:exemplar-move", args=[ex.pk, "publish"]))
    ex.refresh_from_db()
    assert ex.status == "verified"


def test_staff_pages_render(client, personas, org_tree, couriers, media):
    ex = _make(personas, org_tree, couriers, media)
    client.force_login(personas.shenyang_admin)
    for url in (
        reverse("publicity:exemplar-list"),
        reverse("publicity:exemplar-create"),
        reverse("publicity:exemplar-detail", args=[ex.pk]),
        reverse("publicity:exemplar-edit", args=[ex.pk]),
        reverse("publicity:exemplar-consent", args=[ex.pk]),
        reverse("publicity:exemplar-photo", args=[ex.photos.get().pk]),
    ):
        assert client.get(url).status_code == 200, url
    body = client.get(reverse("publicity:exemplar-list")).content.decode()
    assert "张*明" in body and "张晓明" not in body
