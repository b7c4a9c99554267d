"""JSON API v1 (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CourierViewSet, OrganizationViewSet, SchemaView

app_name = "api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("couriers", CourierViewSet, basename="courier")

urlpatterns = [
    path("openapi.json", SchemaView.as_view(), name="schema"),
    *router.urls,
]

from wenming.activities.api import urlpatterns as activities_api_urls  # noqa: E402
from wenming.judging.api import urlpatterns as judging_api_urls  # noqa: E402
from wenming.plans.api import urlpatterns as plans_api_urls  # noqa: E402

urlpatterns += activities_api_urls
urlpatterns += plans_api_urls
urlpatterns += judging_api_urls
from wenming.honours.api import urlpatterns as honours_api_urls  # noqa: E402

urlpatterns += honours_api_urls
