from django.urls import path

from .views import staff

app_name = "portal"
urlpatterns = [
    path("articles/", staff.article_list, name="article-list"),
    path("articles/new/", staff.article_create, name="article-create"),
    path("articles/<int:pk>/", staff.article_detail, name="article-detail"),
    path("articles/<int:pk>/edit/", staff.article_edit, name="article-edit"),
    path("articles/<int:pk>/images/", staff.image_upload, name="image-upload"),
    path("articles/<int:pk>/revisions/<int:number>/", staff.revision_detail, name="revision-detail"),
    path("articles/<int:pk>/revisions/<int:number>/restore/", staff.article_rollback, name="revision-restore"),
    path("articles/<int:pk>/<slug:name>/", staff.article_act, name="article-act"),
    path("images/<int:pk>/", staff.image_file, name="image"),
    path("images/<int:pk>/<int:width>/", staff.image_file, name="image-size"),
]
