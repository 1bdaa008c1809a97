"""The cause catalogue (案由) kept through the API by the system administrator (三员分立);
everyone else the same 404. Retired, never deleted; changes recorded by the service."""

from __future__ import annotations

from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from fullrecord.accounts.api.manage import AdministeredViewSet

from .. import services
from ..models import Cause


class ManagedCauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cause
        fields = ["id", *services.CAUSE_FIELDS]


class ManagedCauseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet):
    """Add, change and retire (``active: false``) causes; the code is fixed once made."""

    serializer_class = ManagedCauseSerializer
    queryset = Cause.objects.all()
    filterset_fields = ["active"]

    def create(self, request):
        serializer = ManagedCauseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cause = services.save_cause(None, actor=request.user, **serializer.validated_data)
        return Response(ManagedCauseSerializer(cause).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        cause = self.get_object()
        serializer = ManagedCauseSerializer(cause, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        cause = services.save_cause(cause, actor=request.user, **serializer.validated_data)
        return Response(ManagedCauseSerializer(Cause.objects.get(pk=cause.pk)).data)
