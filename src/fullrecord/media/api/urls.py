from fullrecord.core.api import Router

from .views import MediaViewSet


class OptionalSlashRouter(Router):
    """/api/media/<id>/content as documented, and with a trailing slash too."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("media", MediaViewSet, basename="media")
urlpatterns = router.urls
