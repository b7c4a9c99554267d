from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.home, name="home"),
    path("template/<str:kind>/", views.template_download, name="template"),
    path("upload/<str:kind>/", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/errors.xlsx", views.error_report_download, name="errors"),
    path("<int:pk>/commit/", views.commit, name="commit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/result/", views.result, name="result"),
]
