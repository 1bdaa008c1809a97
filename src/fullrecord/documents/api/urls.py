from django.urls import path

from .manage import ManagedDocumentTypeViewSet
from .views import CaseDocumentViewSet, CasePaperViewSet, router

# The system administrator's (三员分立).
router.register(
    "manage/document-types", ManagedDocumentTypeViewSet, basename="manage-document-type"
)

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
    path(
        "cases/<int:pk>/party-papers/",
        CasePaperViewSet.as_view({"get": "list", "post": "create"}),
        name="case-party-papers",
    ),
    path(
        "cases/<int:pk>/party-papers/not-applicable",
        CasePaperViewSet.as_view({"post": "not_applicable"}),
        name="case-party-papers-not-applicable",
    ),
    *router.urls,
]
