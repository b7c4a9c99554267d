from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "organizations"
urlpatterns = [
    path("", login_required(RedirectView.as_view(pattern_name="organizations:tree")), name="index"),
    path("tree/", views.tree, name="tree"),
    path("tree/<int:pk>/children/", views.tree_children, name="tree-children"),
    path("nodes/<int:pk>/", views.detail, name="detail"),
    path("nodes/<int:pk>/new/", views.create, name="create"),
    path("nodes/<int:pk>/move/", views.move, name="move"),
    path("nodes/<int:pk>/seal/", views.seal, name="seal"),
    path("nodes/<int:pk>/deactivate/", views.set_active, {"active": False}, name="deactivate"),
    path("nodes/<int:pk>/reactivate/", views.set_active, {"active": True}, name="reactivate"),
    path("outlets/", views.outlet_list_view, name="outlet-list"),
    path("enterprises/", views.enterprise_list_view, name="enterprise-list"),
]
