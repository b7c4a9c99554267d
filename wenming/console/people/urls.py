from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "people"
urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="people:courier-list")), name="index"),
    path("couriers/", views.courier_list_view, name="courier-list"),
    path("couriers/new/", views.courier_create_view, name="courier-create"),
    path("couriers/<int:pk>/", views.courier_detail, name="courier-detail"),
    path("couriers/<int:pk>/edit/", views.courier_edit_view, name="courier-edit"),
    path("couriers/<int:pk>/reveal/", views.courier_reveal_view, name="courier-reveal"),
    path("governance/", views.governance, name="governance"),
    path("governance/new/", views.body_create, name="body-create"),
    path("governance/<int:pk>/", views.body_detail, name="body-detail"),
    path("governance/<int:pk>/members/new/", views.membership_add_view, name="membership-add"),
    path("memberships/<int:pk>/end/", views.membership_end_view, name="membership-end"),
]
