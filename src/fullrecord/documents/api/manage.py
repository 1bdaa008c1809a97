"""The document catalogue (文书种类) kept through the API by the system administrator
(三员分立); everyone else the same 404. Types are retired, never deleted."""

from __future__ import annotations

from rest_framework import mixins, serializers
from rest_framework.response import Response

from fullrecord.accounts.api.manage import AdministeredViewSet

from .. import services
from ..models import DocumentType


class ManagedDocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = [
            "id",
            "code",
            "stage",
            "source",
            "numbered",
            "fields",
            "approval_roles",
            *services.DOCUMENT_TYPE_FIELDS,
        ]
        read_only_fields = ["code", "stage", "source", "numbered", "fields", "approval_roles"]


class ManagedDocumentTypeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet
):
    """Rename, require or not, reorder and retire (``active: false``) document types."""

    serializer_class = ManagedDocumentTypeSerializer
    queryset = DocumentType.objects.all()
    filterset_fields = ["stage", "active"]
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request, pk=None):
        doc_type = self.get_object()
        serializer = ManagedDocumentTypeSerializer(doc_type, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.save_document_type(doc_type, actor=request.user, **serializer.validated_data)
        return Response(
            ManagedDocumentTypeSerializer(DocumentType.objects.get(pk=doc_type.pk)).data
        )
