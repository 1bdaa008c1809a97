from django.urls import path

from . import catalogue_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    # The cause catalogue, kept by the system administrator.
    path("causes/", catalogue_views.cause_list, name="cause_list"),
    path("causes/new/", catalogue_views.cause_form, name="cause_create"),
    path("causes/<int:pk>/", catalogue_views.cause_form, name="cause_edit"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transitions/<slug:name>/", views.case_transition, name="transition"),
    path("<int:pk>/officers/", views.case_assign, name="assign"),
    path("<int:pk>/officers/<int:user_id>/remove/", views.case_unassign, name="unassign"),
    path("<int:pk>/parties/", views.party_add, name="party_add"),
    path("<int:pk>/parties/<int:party_id>/remove/", views.party_remove, name="party_remove"),
    path(
        "<int:pk>/completeness/exceptions/",
        views.completeness_exception,
        name="completeness_exception",
    ),
    path("<int:pk>/parties/<int:party_id>/edit/", views.party_edit, name="party_edit"),
    path("<int:pk>/changes/<int:change_id>/decide/", views.change_decide, name="change_decide"),
]
