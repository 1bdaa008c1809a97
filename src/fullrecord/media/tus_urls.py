"""/api/uploads/: the tus 1.0.0 resumable-upload endpoints (see tus_views)."""

from django.urls import path

from . import tus_views

urlpatterns = [
    path("", tus_views.uploads, name="tus-uploads"),
    path("<uuid:upload_id>", tus_views.upload, name="tus-upload"),
]
