from django.urls import path, re_path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/start/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/entries/<int:entry_id>/review/", views.entry_review, name="entry_review"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/marks/", views.review_mark, name="review_mark"),
    path("rubric/", views.rubric_list, name="rubric"),
    path("rubric/<int:pk>/", views.rubric_edit, name="rubric_edit"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/new/", views.rectification_create, name="rectification_create"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification_answer"
    ),
    path(
        "rectifications/<int:pk>/decision/", views.rectification_judge, name="rectification_judge"
    ),
    path("findings/", views.findings_page, name="findings"),
    path("findings/export.xlsx", views.findings_export, name="findings_export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    re_path(
        r"^dashboard/export\.(?P<kind>xlsx|pdf)$", views.dashboard_export, name="dashboard_export"
    ),
]
