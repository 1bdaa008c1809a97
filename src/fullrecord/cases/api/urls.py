from fullrecord.core.api import Router

from .manage import ManagedCauseViewSet
from .views import CaseViewSet, CauseViewSet, TimeLimitRuleViewSet

router = Router()
router.register("cases", CaseViewSet, basename="case")
router.register("causes", CauseViewSet, basename="cause")
router.register("manage/causes", ManagedCauseViewSet, basename="manage-cause")
router.register("time-limits", TimeLimitRuleViewSet, basename="time-limit")
urlpatterns = router.urls
