from django.urls import path

from . import catalogue_views, views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/", views.case_documents, name="case"),
    path("case/<int:pk>/scans/", views.upload_scan, name="upload"),
    path("case/<int:pk>/papers/", views.upload_paper, name="paper_upload"),
    path(
        "case/<int:pk>/papers/not-applicable/",
        views.paper_not_applicable,
        name="paper_not_applicable",
    ),
    path("templates/", views.templates, name="templates"),
    # The document catalogue, kept by the system administrator.
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", catalogue_views.type_edit, name="type_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/file/<slug:kind>/", views.download, name="file"),
]
