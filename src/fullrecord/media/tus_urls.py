"""/api/uploads/: the tus 1.0.0 resumable-upload endpoints (filled in by tus_views)."""

urlpatterns: list = []
