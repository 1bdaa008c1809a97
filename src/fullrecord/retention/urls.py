from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.due, name="due"),
    path("sweeps/propose", views.propose, name="propose"),
    path("sweeps/<int:pk>/", views.sweep_detail, name="sweep"),
    path("sweeps/<int:pk>/approve", views.sweep_approve, name="approve"),
    path("sweeps/<int:pk>/cancel", views.sweep_cancel, name="cancel"),
    path("sweeps/<int:pk>/certificate.pdf", views.sweep_certificate, name="certificate"),
    path("terms/", views.term_list, name="terms"),
    path("terms/add", views.term_add, name="term_add"),
    path("terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/active", views.term_active, name="term_active"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/", views.hold_detail, name="hold"),
    path("holds/<int:pk>/release", views.hold_ask_release, name="ask_release"),
    path("holds/<int:pk>/decide", views.hold_decide, name="decide_release"),
    path("items/<int:pk>/", views.item_retention, name="item"),
    path("cases/<int:pk>/export", views.case_export, name="case_export"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/disc.iso", views.export_download, name="export_download"),
]
