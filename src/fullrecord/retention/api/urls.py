from django.urls import path

from fullrecord.media.api.urls import OptionalSlashRouter

from .views import ExportViewSet, HoldViewSet, SweepViewSet, item_retention

router = OptionalSlashRouter()
router.register("holds", HoldViewSet, basename="retention-hold")
router.register("sweeps", SweepViewSet, basename="retention-sweep")
router.register("exports", ExportViewSet, basename="retention-export")
urlpatterns = [
    path("items/<int:pk>/", item_retention, name="retention-item"),
    *router.urls,
]
