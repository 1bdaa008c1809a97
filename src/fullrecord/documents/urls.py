from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/", views.case_documents, name="case"),
    path("case/<int:pk>/scans/", views.upload_scan, name="upload"),
    path("templates/", views.templates, name="templates"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("<int:pk>/file/<slug:kind>/", views.download, name="file"),
]
