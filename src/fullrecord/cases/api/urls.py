from rest_framework.routers import DefaultRouter

from .views import CaseViewSet, CauseViewSet, TimeLimitRuleViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("causes", CauseViewSet, basename="cause")
router.register("time-limits", TimeLimitRuleViewSet, basename="time-limit")
urlpatterns = router.urls
