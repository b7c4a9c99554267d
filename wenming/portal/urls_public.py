"""Public pages of portal, mounted at /p/portal/ inside the ``public`` namespace (names start with "portal-").

The home page itself is the site's root (``site-home``, ``urls_root``)."""

from django.urls import path

from .views import public

urlpatterns = [
    path("c/<slug:slug>/", public.category, name="portal-category"),
    path("a/<int:pk>/", public.article, name="portal-article"),
    path("search/", public.search, name="portal-search"),
    path("outlets/", public.outlets, name="portal-outlets"),
    path("rss.xml", public.rss, name="portal-rss"),
    path("map/", public.site_map_page, name="portal-map"),
    path("img/<int:pk>/", public.image, name="portal-image-full"),
    path("img/<int:pk>/<int:width>/", public.image, name="portal-image"),
]
