from django.urls import path

from fullrecord.media.api.urls import OptionalSlashRouter

from .views import (
    BookingViewSet,
    CheckoutViewSet,
    DeviceModelViewSet,
    DeviceViewSet,
    FaultViewSet,
    MarkListView,
    PatrolViewSet,
    StatisticsView,
)

router = OptionalSlashRouter()
router.register("devices", DeviceViewSet, basename="device")
router.register("device-models", DeviceModelViewSet, basename="device-model")
router.register("checkouts", CheckoutViewSet, basename="checkout")
router.register("camera-bookings", BookingViewSet, basename="camera-booking")
router.register("device-faults", FaultViewSet, basename="device-fault")
router.register("patrols", PatrolViewSet, basename="patrol")
urlpatterns = [
    path("media/<int:pk>/marks/", MarkListView.as_view(), name="media-marks"),
    path("device-statistics/", StatisticsView.as_view(), name="device-statistics"),
    *router.urls,
]
