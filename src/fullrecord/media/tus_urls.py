"""/api/uploads/: the tus 1.0.0 resumable-upload endpoints (see tus_views)."""

from django.urls import path

from . import tus_views

urlpatterns = [
    path("", tus_views.uploads, name="tus-uploads"),
    # Any id reaches the view, so a malformed one gets tus's 404 (with Tus-Resumable).
    path("<str:upload_id>", tus_views.upload, name="tus-upload"),
]
