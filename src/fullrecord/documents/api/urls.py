from django.urls import path

from .views import CaseDocumentViewSet, router

urlpatterns = [
    path(
        "cases/<int:pk>/documents/",
        CaseDocumentViewSet.as_view({"get": "list", "post": "create"}),
        name="case-documents",
    ),
    path(
        "cases/<int:pk>/documents/scans",
        CaseDocumentViewSet.as_view({"post": "scans"}),
        name="case-document-scans",
    ),
    *router.urls,
]
