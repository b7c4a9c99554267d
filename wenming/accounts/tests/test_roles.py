"""AC8: the 三员 are exclusive, and only the security admin grants roles; refusals are audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from wenming.accounts.models import AdminDuty, User
from wenming.audit.models import AuditEvent
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization, RoleAssignment
from wenming.organizations.scoping import scope_roots
from wenming.organizations.services import admin_duty_grant, admin_duty_revoke, role_grant, role_revoke


@pytest.mark.django_db
def test_second_duty_refused_and_audited(personas):
    with pytest.raises(ApplicationError) as exc:
        admin_duty_grant(user=personas.sysadmin, duty="audit_admin", by=personas.secadmin)
    assert "不能兼任" in exc.value.message
    assert AdminDuty.objects.get(user=personas.sysadmin).duty == "system_admin"
    ev = AuditEvent.objects.filter(action="role_grant").last()
    assert ev.outcome == "denied" and ev.actor_id == personas.secadmin.pk
    assert ev.object_id == str(personas.sysadmin.pk) and ev.detail["duty"] == "audit_admin"


@pytest.mark.django_db
def test_database_refuses_a_second_admin_duty(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminDuty.objects.create(user=personas.secadmin, duty="audit_admin")


@pytest.mark.django_db
def test_duty_refused_to_a_holder_of_business_roles(personas):
    with pytest.raises(ApplicationError) as exc:
        admin_duty_grant(user=personas.shenyang_admin, duty="audit_admin", by=personas.secadmin)
    assert "业务角色" in exc.value.message
    assert not AdminDuty.objects.filter(user=personas.shenyang_admin).exists()
    assert AuditEvent.objects.filter(action="role_grant", outcome="denied").count() == 1


@pytest.mark.django_db
def test_business_role_refused_to_a_mlps_admin(personas, org_tree):
    with pytest.raises(ApplicationError) as exc:
        role_grant(user=personas.auditor, organization=org_tree.shenyang, role="city_admin", by=personas.secadmin)
    assert "三员" in exc.value.message
    assert not RoleAssignment.objects.filter(user=personas.auditor).exists()
    ev = AuditEvent.objects.filter(action="role_grant").last()
    assert ev.outcome == "denied" and ev.detail["role"] == "city_admin"


@pytest.mark.django_db
def test_duty_cannot_be_granted_as_a_business_role(personas, org_tree):
    with pytest.raises(ApplicationError):
        role_grant(user=personas.nobody, organization=org_tree.province, role="audit_admin", by=personas.secadmin)
    assert AuditEvent.objects.filter(action="role_grant", outcome="denied").exists()


@pytest.mark.django_db
def test_grant_and_revoke_change_scope_at_once(personas, org_tree):
    user = personas.nobody
    assert scope_roots(user, "view") == []
    ra = role_grant(user=user, organization=org_tree.dalian, role="city_user", by=personas.secadmin)
    assert scope_roots(user, "view") == [org_tree.dalian.path]
    assert AuditEvent.objects.filter(action="role_grant", outcome="success", object_id=str(user.pk)).exists()
    role_revoke(assignment=ra, by=personas.secadmin)
    assert scope_roots(User.objects.get(pk=user.pk), "view") == []
    assert AuditEvent.objects.filter(action="role_revoke", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_duty_grant_and_revoke(personas):
    duty = admin_duty_grant(user=personas.nobody, duty="audit_admin", by=personas.secadmin)
    assert personas.nobody.admin_duty == "audit_admin"
    admin_duty_revoke(duty=duty, by=personas.secadmin)
    assert not AdminDuty.objects.filter(user=personas.nobody).exists()
    with pytest.raises(ApplicationError):
        admin_duty_revoke(duty=personas.secadmin.duty, by=personas.secadmin)  # not one's own


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sysadmin", "auditor", "province_admin", "shenyang_admin", "nobody"])
def test_only_the_security_admin_grants_roles_service(personas, org_tree, who):
    by = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        role_grant(user=personas.nobody, organization=org_tree.shenyang, role="city_user", by=by)
    with pytest.raises(PermissionDenied):
        admin_duty_grant(user=personas.nobody, duty="audit_admin", by=by)
    assert not RoleAssignment.objects.filter(user=personas.nobody).exists()
    assert AuditEvent.objects.filter(action="role_grant", outcome="denied", actor_id=by.pk).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["sysadmin", "auditor", "province_admin", "shenyang_admin", "shenyang_staff"])
def test_only_the_security_admin_grants_roles_http(login, personas, org_tree, who):
    c = login(getattr(personas, who))
    target = personas.nobody
    r = c.post(
        reverse("accounts:role-grant", args=[target.pk]),
        {"organization": org_tree.shenyang.pk, "role": "city_user"},
    )
    assert r.status_code in (403, 404)
    assert c.get(reverse("accounts:grants")).status_code == 403
    assert c.post(reverse("accounts:duty-grant", args=[target.pk]), {"duty": "audit_admin"}).status_code in (403, 404)
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert not AdminDuty.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(action="access_denied", actor_id=getattr(personas, who).pk).exists()


@pytest.mark.django_db
def test_security_admin_grants_through_the_page(login, personas, org_tree):
    c = login(personas.secadmin)
    target = personas.nobody
    page = c.get(reverse("accounts:user-detail", args=[target.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "data-picker" in body and "沈阳市邮政管理局" not in body
    found = c.get(reverse("picker", args=["organizations"]), {"q": "大连", "action": "role.manage"}).json()
    assert "大连市邮政管理局" in [r["label"] for r in found["results"]]
    r = c.post(
        reverse("accounts:role-grant", args=[target.pk]), {"organization": org_tree.dalian.pk, "role": "city_user"}
    )
    assert r.status_code == 302
    ra = RoleAssignment.objects.get(user=target)
    assert ra.organization == org_tree.dalian and ra.granted_by == personas.secadmin
    # a 三员 duty on top is refused with a message on the page, and audited
    r = c.post(reverse("accounts:duty-grant", args=[target.pk]), {"duty": "system_admin"})
    assert r.status_code == 200 and "业务角色" in r.content.decode()
    assert AuditEvent.objects.filter(action="role_grant", outcome="denied").exists()
    r = c.post(reverse("accounts:role-revoke", args=[ra.pk]))
    assert r.status_code == 302 and not RoleAssignment.objects.filter(user=target).exists()


@pytest.mark.django_db
def test_grant_form_errors_are_chinese(login, personas):
    c = login(personas.secadmin)
    r = c.post(reverse("accounts:role-grant", args=[personas.nobody.pk]), {"organization": "", "role": "bogus"})
    body = r.content.decode()
    assert r.status_code == 200 and "请选择授权机构" in body and "请选择有效的角色" in body
    assert Organization.objects.exists()
