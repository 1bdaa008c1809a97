"""Retention's API routes at the API's root: ``/api/retention-sweeps/`` and
``/api/retention-terms/`` (the rest of retention is under ``/api/retention/``)."""

from fullrecord.media.api.urls import OptionalSlashRouter

from .views import CaseFileTermViewSet, SweepViewSet

router = OptionalSlashRouter()
router.register("retention-sweeps", SweepViewSet, basename="retention-sweep")
router.register("retention-terms", CaseFileTermViewSet, basename="retention-term")
urlpatterns = router.urls
