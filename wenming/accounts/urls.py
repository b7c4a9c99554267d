from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user-password-reset"),
    path("users/<int:pk>/roles/grant/", views.role_grant, name="role-grant"),
    path("users/<int:pk>/duty/grant/", views.duty_grant, name="duty-grant"),
    path("users/<int:pk>/duty/revoke/", views.duty_revoke, name="duty-revoke"),
    path("users/<int:pk>/otp/reset/", views.otp_reset, name="otp-reset"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("grants/", views.grant_list, name="grants"),
    path("locks/", views.lock_list, name="locks"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/kill/", views.session_kill, name="session-kill"),
    path("login-log/", views.login_log, name="login-log"),
]
