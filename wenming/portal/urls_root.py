"""The site's front door: ``/`` is the public portal (staff find 登录 / 工作台 in its header), and the
sitemap sits at the root where crawlers look for it."""

from django.urls import path

from .views import public

urlpatterns = [
    path("", public.home, name="site-home"),
    path("sitemap.xml", public.sitemap, name="sitemap"),
]
