"""AC2: the password policy holds on create, change and reset."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, make_user
from wenming.accounts.models import PasswordHistory, User
from wenming.accounts.services import password_set
from wenming.audit.models import AuditEvent


def _codes(raw, user):
    try:
        validate_password(raw, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.django_db
def test_staff_needs_ten_characters_and_admins_twelve(personas):
    staff, sysadmin = personas.shenyang_staff, personas.sysadmin
    assert _codes("Kq7!vmZr2x", staff) == set()  # 10 characters, 4 classes
    assert "password_too_short" in _codes("Kq7!vmZr2", staff)  # 9
    assert "password_too_short" in _codes("Kq7!vmZr2xw", sysadmin)  # 11 for a 三员
    assert _codes("Kq7!vmZr2xwp", sysadmin) == set()  # 12
    root = User.objects.create_superuser("root", password=None)
    assert "password_too_short" in _codes("Kq7!vmZr2xw", root)


@pytest.mark.django_db
def test_three_of_four_character_classes(personas):
    staff = personas.shenyang_staff
    assert "password_too_simple" in _codes("abcdefghij12", staff)  # lower + digit
    assert "password_too_simple" in _codes("ABCDEFGHIJ!!", staff)  # upper + symbol
    assert _codes("kq7!vmzr2xwp", staff) == set()  # lower + digit + symbol
    assert _codes("KQ7vmZR2xwPn", staff) == set()  # upper + lower + digit


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw", ["Password#2026", "P@ssw0rd2026!", "Wenming@2026", "Liaoning#2026", "Qwerty#2026", "Zxcvbnm#2026"]
)
def test_a_common_word_with_a_symbol_and_a_year_is_refused_in_chinese(personas, raw):
    staff = personas.shenyang_staff
    assert "password_too_guessable" in _codes(raw, staff)
    with pytest.raises(ValidationError) as exc:
        validate_password(raw, staff)
    assert any("密码太容易被猜中" in m for m in exc.value.messages)


@pytest.mark.django_db
def test_an_unguessable_password_passes_the_strength_check(personas):
    assert _codes("Kq7!vmZr2x", personas.shenyang_staff) == set()
    assert _codes("Lake-Tiger-Brick-58!", personas.sysadmin) == set()


@pytest.mark.django_db
def test_a_very_long_password_is_scored_not_refused(personas):
    assert "password_too_guessable" not in _codes("Lake-Tiger-Brick-58!" * 20, personas.sysadmin)


@pytest.mark.django_db
def test_the_strength_check_knows_the_users_own_names(personas):
    """A password built from the user's display name is guessable for that user only."""
    staff = personas.shenyang_staff
    staff.display_name = "Zhouyanbing"
    assert "password_too_guessable" in _codes("Zhouyanbing#88", staff)


@pytest.mark.django_db
def test_password_must_not_contain_username_in_any_case(personas):
    staff = personas.shenyang_staff  # username "sy_staff"
    assert "password_contains_username" in _codes("Xx#SY_STAFF2026", staff)
    assert "password_contains_username" in _codes("9!sy_staffAB", staff)
    assert _codes("9!sy-stafAB9", staff) == set()


@pytest.mark.django_db
def test_messages_are_chinese(personas):
    with pytest.raises(ValidationError) as exc:
        validate_password("abc", personas.shenyang_staff)
    text = " ".join(exc.value.messages)
    assert "密码长度不能少于 10 位" in text
    assert "三类" in text


@pytest.mark.django_db
def test_none_of_last_five_passwords_may_be_reused(personas):
    user = personas.shenyang_staff
    used = [f"Hist#{i}orical2026" for i in range(6)]
    for raw in used:
        password_set(user=user, raw=raw, by=user)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # the last five (1..5) are refused, the sixth-oldest (0) is allowed again
    for raw in used[1:]:
        assert "password_reused" in _codes(raw, user), raw
    assert _codes(used[0], user) == set()
    # the conftest password was set outside the service and is long gone from the last five
    assert _codes(PASSWORD, user) == set()


@pytest.mark.django_db
def test_current_password_counts_even_without_history(personas):
    user = personas.shenyang_staff  # password set by create_user, no history rows
    assert not PasswordHistory.objects.filter(user=user).exists()
    assert "password_reused" in _codes(PASSWORD, user)


@pytest.mark.django_db
def test_password_set_records_history_and_audit(personas):
    user, admin = personas.shenyang_staff, personas.sysadmin
    password_set(user=user, raw="Reset#Temp2026", by=admin)
    user.refresh_from_db()
    assert user.check_password("Reset#Temp2026")
    assert user.must_change_password is True  # set by someone else
    assert PasswordHistory.objects.filter(user=user).count() == 1
    ev = AuditEvent.objects.filter(action="password_change").last()
    assert ev.actor_id == admin.pk and ev.object_id == str(user.pk)
    password_set(user=user, raw="Own#Choice20261", by=user)
    user.refresh_from_db()
    assert user.must_change_password is False


@pytest.mark.django_db
def test_password_set_refuses_policy_violations(personas):
    user = personas.shenyang_staff
    with pytest.raises(ValidationError):
        password_set(user=user, raw="short1A!", by=user)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not PasswordHistory.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_first_login_redirects_to_password_change(client, org_tree):
    make_user("fresh", role="city_user", org=org_tree.shenyang)
    User.objects.filter(username="fresh").update(must_change_password=True)
    client.post(reverse("accounts:login"), {"username": "fresh", "password": PASSWORD})
    r = client.get(reverse("workbench:notifications"))
    assert r.status_code == 302 and r.url == reverse("accounts:password_change")
    r = client.get(reverse("accounts:password_change"))
    assert r.status_code == 200 and "首次登录" in r.content.decode()
    r = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand#New2026x", "new_password2": "Brand#New2026x"},
    )
    assert r.status_code == 302
    assert client.get(reverse("workbench:notifications")).status_code == 200
    user = User.objects.get(username="fresh")
    assert user.must_change_password is False and user.check_password("Brand#New2026x")


@pytest.mark.django_db
def test_expired_password_redirects_after_90_days(client, personas):
    user = personas.shenyang_staff
    client.post(reverse("accounts:login"), {"username": "sy_staff", "password": PASSWORD})
    assert client.get(reverse("workbench:notifications")).status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    r = client.get(reverse("workbench:notifications"))
    assert r.status_code == 302 and r.url == reverse("accounts:password_change")
    assert "90 天" in client.get(reverse("accounts:password_change")).content.decode()
    # logout stays reachable
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
def test_password_not_expired_at_89_days(client, personas):
    user = personas.shenyang_staff
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    client.post(reverse("accounts:login"), {"username": "sy_staff", "password": PASSWORD})
    assert client.get(reverse("workbench:notifications")).status_code == 200


@pytest.mark.django_db
def test_change_form_shows_field_errors_and_keeps_policy(login, personas):
    c = login(personas.shenyang_staff)
    r = c.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "原密码不正确" in body and "两次输入的新密码不一致" in body
    r = c.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "不能使用最近 5 次用过的密码" in r.content.decode()
