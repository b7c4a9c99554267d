from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.file_list, name="file-list"),
    path("<int:pk>/", views.file_status, name="file-status"),
    path("<int:pk>/download/", views.file_download, name="file-download"),
    path("<int:pk>/delete/", views.file_delete, name="file-delete"),
]
