from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("", views.media_list, name="list"),
    path("<int:pk>/", views.media_detail, name="detail"),
    path("<int:pk>/status/", views.media_status, name="status"),
    path("upload/", views.upload_page, name="upload"),
]
