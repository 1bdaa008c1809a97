from fullrecord.media.api.urls import OptionalSlashRouter

from .views import AccessRequestViewSet, CopyViewSet

router = OptionalSlashRouter()
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("copies", CopyViewSet, basename="copy")
urlpatterns = router.urls
