"""System-admin and security-admin pages: lists with filters, create, deactivate, unlock, sessions, login log."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from conftest import PASSWORD, make_user
from wenming.accounts.models import LoginRecord, User, UserSession
from wenming.audit.models import AuditEvent


@pytest.mark.django_db
def test_user_list_search_and_pagination(login, personas, org_tree):
    for i in range(25):
        make_user(f"bulk{i:02d}", display_name=f"批量{i}", org=org_tree.dalian)
    c = login(personas.sysadmin)
    r = c.get(reverse("accounts:user-list"))
    body = r.content.decode()
    assert r.status_code == 200 and "共 36 条" in body and "bulk00" in body and "bulk24" not in body
    r = c.get(reverse("accounts:user-list"), {"q": "批量2", "page": "1"})
    body = r.content.decode()
    assert "bulk02" in body and "bulk20" in body and "sy_staff" not in body
    assert 'value="批量2"' in body  # the query form keeps its values
    r = c.get(reverse("accounts:user-list"), {"q": "找不到"})
    assert "没有符合条件的记录" in r.content.decode()
    r = c.get(reverse("accounts:user-list"), {"kind": "admin"})
    body = r.content.decode()
    assert "安全管理员" in body and "sy_staff" not in body


@pytest.mark.django_db
def test_user_list_export_honours_filters_and_is_audited(login, personas):
    c = login(personas.sysadmin)
    r = c.get(reverse("accounts:user-list"), {"q": "sy_", "export": "csv"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert "sy_staff" in text and "dl_admin" not in text
    assert AuditEvent.objects.filter(action="export", object_type="accounts.User").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["secadmin", "auditor", "province_admin", "shenyang_staff"])
def test_user_management_is_for_the_system_admin(login, personas, who):
    c = login(getattr(personas, who))
    assert c.get(reverse("accounts:user-list")).status_code == 403
    assert c.get(reverse("accounts:user-create")).status_code == 403
    assert c.post(reverse("accounts:user-deactivate", args=[personas.nobody.pk])).status_code == 403
    assert User.objects.get(pk=personas.nobody.pk).is_active


@pytest.mark.django_db
def test_create_user_applies_policy_and_forces_first_change(login, client, personas, org_tree):
    c = login(personas.sysadmin)
    url = reverse("accounts:user-create")
    page = c.get(url).content.decode()
    assert 'data-picker-url="/picker/organizations/?action=user.manage"' in page and "<option" not in page
    found = c.get(reverse("picker", args=["organizations"]), {"q": "沈阳", "action": "user.manage"}).json()
    assert "沈阳市邮政管理局" in [r["label"] for r in found["results"]]
    r = c.post(
        url,
        {
            "username": "new_clerk",
            "display_name": "新同事",
            "home_organization": org_tree.shenyang.pk,
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "密码长度不能少于 10 位" in body and 'value="新同事"' in body
    assert not User.objects.filter(username="new_clerk").exists()
    r = c.post(
        url,
        {
            "username": "new_clerk",
            "display_name": "新同事",
            "home_organization": org_tree.shenyang.pk,
            "new_password1": "Initial#2026pw",
            "new_password2": "Initial#2026pw",
        },
    )
    assert r.status_code == 302
    user = User.objects.get(username="new_clerk")
    assert user.must_change_password and user.home_organization == org_tree.shenyang
    assert AuditEvent.objects.filter(action="user_change", object_id=str(user.pk), detail__op="create").exists()
    # the new account is sent to the change page at first login
    client.post(reverse("accounts:login"), {"username": "new_clerk", "password": "Initial#2026pw"})
    r = client.get(reverse("workbench:notifications"))
    assert r.url == reverse("accounts:password_change")


@pytest.mark.django_db
def test_duplicate_username_is_refused(login, personas):
    c = login(personas.sysadmin)
    r = c.post(
        reverse("accounts:user-create"),
        {
            "username": "SY_STAFF",
            "display_name": "重复",
            "new_password1": "Initial#2026pw",
            "new_password2": "Initial#2026pw",
        },
    )
    assert r.status_code == 200 and "用户名已存在" in r.content.decode()


@pytest.mark.django_db
def test_deactivate_needs_confirmation_then_kills_sessions(login, personas):
    from django.test import Client

    victim = Client()
    victim.post(reverse("accounts:login"), {"username": "sy_staff", "password": PASSWORD})
    key = victim.session.session_key
    c = login(personas.sysadmin)
    url = reverse("accounts:user-deactivate", args=[personas.shenyang_staff.pk])
    page = c.get(url).content.decode()
    assert "确定停用账号“sy_staff" in page and "停用" in page
    assert User.objects.get(pk=personas.shenyang_staff.pk).is_active  # GET changes nothing
    assert c.post(url).status_code == 302
    assert not User.objects.get(pk=personas.shenyang_staff.pk).is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert victim.get(reverse("workbench:notifications")).status_code == 302
    c.post(reverse("accounts:user-reactivate", args=[personas.shenyang_staff.pk]))
    assert User.objects.get(pk=personas.shenyang_staff.pk).is_active


@pytest.mark.django_db
def test_system_admin_cannot_deactivate_self(login, personas):
    c = login(personas.sysadmin)
    c.post(reverse("accounts:user-deactivate", args=[personas.sysadmin.pk]))
    assert User.objects.get(pk=personas.sysadmin.pk).is_active
    assert AuditEvent.objects.filter(action="user_change", outcome="denied").exists()


@pytest.mark.django_db
def test_password_reset_by_system_admin(login, personas, client):
    c = login(personas.sysadmin)
    r = c.post(
        reverse("accounts:user-password-reset", args=[personas.shenyang_staff.pk]),
        {"new_password1": "Temp#Reset2026", "new_password2": "Temp#Reset2026"},
    )
    assert r.status_code == 302
    user = User.objects.get(pk=personas.shenyang_staff.pk)
    assert user.check_password("Temp#Reset2026") and user.must_change_password


@pytest.mark.django_db
def test_security_admin_lock_session_and_log_pages(login, client, personas):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "dl_admin", "password": "Wrong#Pass2026"})
    victim = make_user("victim", org=None)
    from django.test import Client

    vc = Client()
    vc.post(reverse("accounts:login"), {"username": "victim", "password": PASSWORD})
    c = login(personas.secadmin)
    page = c.get(reverse("accounts:locks")).content.decode()
    assert "dl_admin" in page and "已锁定" in page
    assert c.post(reverse("accounts:locks"), {"username": "dl_admin"}).status_code == 302
    page = c.get(reverse("accounts:locks")).content.decode()
    assert "已解除“dl_admin”的锁定" in page and '<td data-label="用户名">dl_admin</td>' not in page

    page = c.get(reverse("accounts:sessions"), {"q": "victim"}).content.decode()
    assert "victim" in page and "强制下线" in page
    s = UserSession.objects.get(user=victim)
    assert c.post(reverse("accounts:session-kill", args=[s.pk])).status_code == 302
    assert vc.get(reverse("workbench:notifications")).status_code == 302

    page = c.get(reverse("accounts:login-log"), {"username": "dl_admin", "outcome": "failure"}).content.decode()
    assert "共 4 条" in page
    page = c.get(reverse("accounts:login-log"), {"outcome": "locked"}).content.decode()
    assert "共 1 条" in page
    r = c.get(reverse("accounts:login-log"), {"username": "dl_admin", "export": "csv"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert text.count("dl_admin") == 5
    assert LoginRecord.objects.filter(username="victim", outcome="success").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sysadmin", "province_admin", "shenyang_staff"])
def test_security_pages_refuse_others(login, personas, who):
    c = login(getattr(personas, who))
    for name in ("accounts:locks", "accounts:sessions", "accounts:login-log"):
        assert c.get(reverse(name)).status_code == 403, name


@pytest.mark.django_db
def test_audit_admin_reads_the_login_log(login, personas):
    c = login(personas.auditor)
    assert c.get(reverse("accounts:login-log")).status_code == 200


@pytest.mark.django_db
def test_menu_entries_follow_duties(login, personas):
    sys_page = login(personas.sysadmin).get(reverse("workbench:notifications")).content.decode()
    assert "用户管理" in sys_page and "在线会话" not in sys_page
    from django.test import Client

    sec_page = login(personas.secadmin, Client()).get(reverse("workbench:notifications")).content.decode()
    assert "角色授权" in sec_page and "在线会话" in sec_page and "用户管理" not in sec_page
