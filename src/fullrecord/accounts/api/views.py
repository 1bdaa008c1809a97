from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import OrgUnit
from .serializers import MeSerializer, OrgUnitSerializer


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation tree: bureaus, detachments and sections."""

    serializer_class = OrgUnitSerializer
    queryset = OrgUnit.objects.all()
    filterset_fields = ["kind", "parent"]


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who the token belongs to, with unit and roles."""
    return Response(MeSerializer(request.user).data)
