"""User administration pages, mounted by ``config/urls.py`` under the ``accounts:`` namespace next to
``wenming.console.accounts.urls`` (the services, selectors and forms are organizations')."""

from django.urls import path

from .views import security, users

urlpatterns = [
    path("users/", users.user_list, name="user-list"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_detail, name="user-detail"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", users.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/password/", users.user_password_reset, name="user-password-reset"),
    path("users/<int:pk>/roles/grant/", users.role_grant, name="role-grant"),
    path("users/<int:pk>/duty/grant/", users.duty_grant, name="duty-grant"),
    path("users/<int:pk>/duty/revoke/", users.duty_revoke, name="duty-revoke"),
    path("users/<int:pk>/otp/reset/", users.otp_reset, name="otp-reset"),
    path("roles/<int:pk>/revoke/", users.role_revoke, name="role-revoke"),
    path("grants/", users.grant_list, name="grants"),
    path("locks/", security.lock_list, name="locks"),
    path("sessions/", security.session_list, name="sessions"),
    path("sessions/<int:pk>/kill/", security.session_kill, name="session-kill"),
    path("login-log/", security.login_log, name="login-log"),
]
