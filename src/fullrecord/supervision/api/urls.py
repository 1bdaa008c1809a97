from django.urls import path

from fullrecord.media.api.urls import OptionalSlashRouter

from .views import (
    DashboardRefreshView,
    DashboardView,
    FindingsView,
    InspectionPlanViewSet,
    RectificationViewSet,
    ReviewViewSet,
)

router = OptionalSlashRouter()
router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
router.register("reviews", ReviewViewSet, basename="review")
router.register("rectifications", RectificationViewSet, basename="rectification")
urlpatterns = [
    path("supervision/dashboard", DashboardView.as_view(), name="supervision-dashboard"),
    path(
        "supervision/dashboard/refresh",
        DashboardRefreshView.as_view(),
        name="supervision-dashboard-refresh",
    ),
    path("supervision/findings", FindingsView.as_view(), name="supervision-findings"),
    *router.urls,
]
