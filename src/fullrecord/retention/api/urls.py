from django.urls import path

from fullrecord.media.api.urls import OptionalSlashRouter

from .views import ExportViewSet, HoldViewSet, item_retention

# Deletion sweeps and case-file terms: /api/retention-sweeps/ and /api/retention-terms/
# (``urls_root``).
router = OptionalSlashRouter()
router.register("holds", HoldViewSet, basename="retention-hold")
router.register("exports", ExportViewSet, basename="retention-export")
urlpatterns = [
    path("items/<int:pk>/", item_retention, name="retention-item"),
    *router.urls,
]
