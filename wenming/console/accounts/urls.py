"""Identity pages under the ``accounts:`` namespace. ``config/urls.py`` mounts them together with the user
administration pages of ``urls_accounts`` next door (same namespace, same names)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
]
