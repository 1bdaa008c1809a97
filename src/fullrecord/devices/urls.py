from django.urls import path

from . import booking_views, views

app_name = "devices"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("new/", views.device_register, name="register"),
    path("<int:pk>/", views.device_detail, name="detail"),
    path("<int:pk>/checkout/", views.checkout_create, name="checkout_create"),
    path("<int:pk>/fault/", views.fault_report, name="fault_report"),
    path("<int:pk>/maintenance/", views.device_maintain, name="maintain"),
    path("<int:pk>/override/", views.device_override, name="override"),
    path("<int:pk>/edit/", views.device_edit, name="edit"),
    path("<int:pk>/retire/", views.device_retire, name="retire"),
    path("<int:pk>/footage-lost/", views.footage_lost, name="footage_lost"),
    path("<int:pk>/book/", views.device_book, name="book"),
    path("bookings/<int:pk>/", booking_views.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", booking_views.booking_cancel, name="booking_cancel"),
    path("maintenance/", views.maintenance_page, name="maintenance"),
    path("models/<int:pk>/interval/", views.model_interval, name="model_interval"),
    path("numbers/map/", views.map_number, name="map_number"),
    path("checkouts/<int:pk>/", views.checkout_detail, name="checkout"),
    path("checkouts/<int:pk>/checkin/", views.checkout_checkin, name="checkin"),
    path("checkouts/<int:pk>/correct/", views.checkout_correct, name="correct"),
    path("faults/", views.fault_list, name="faults"),
    path("faults/<int:pk>/", views.fault_detail, name="fault"),
    path("faults/<int:pk>/move/", views.fault_move, name="fault_move"),
    path("patrols/", views.patrol_list, name="patrols"),
    path("patrols/new/", views.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("records/<int:pk>/marks/", views.mark_add, name="mark_add"),
    path("records/<int:pk>/clip/", views.clip_request, name="clip"),
]
