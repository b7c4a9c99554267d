from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("batches/<int:pk>/", views.batch_status, name="batch"),
]
