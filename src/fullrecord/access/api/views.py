from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .. import copies, services, tasks
from ..access import get_copy, get_request, visible_requests
from ..models import Copy
from ..views import resolve_scope
from .serializers import (
    AccessRequestSerializer,
    CopyRequestSerializer,
    CopySerializer,
    DecisionSerializer,
    FileRequestSerializer,
    RevokeSerializer,
)


class AccessRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """查阅申请 (第十七条): file, decide, revoke; copies and exports under an approval."""

    serializer_class = AccessRequestSerializer

    def get_queryset(self):
        return visible_requests(self.request.user).select_related("requester", "case")

    def get_object(self):
        return get_request(self.request.user, self.kwargs["pk"])

    @extend_schema(request=FileRequestSerializer, responses={201: AccessRequestSerializer})
    def create(self, request: Request) -> Response:
        serializer = FileRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case, items, errors = resolve_scope(data["case_number"], ",".join(data["items"]))
        if errors:
            raise ValidationError({"detail": errors})
        clip = None
        if data.get("clip_start") is not None or data.get("clip_end") is not None:
            if data.get("clip_start") is None or data.get("clip_end") is None:
                raise ValidationError({"detail": [_("Give both ends of the clip (from and to).")]})
            clip = (data["clip_start"], data["clip_end"])
        created = services.file_request(
            requester=request.user,
            reason=data["reason"],
            purpose=data["purpose"],
            case=case,
            items=items,
            clip=clip,
        )
        return Response(AccessRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk=None) -> Response:
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = services.decide(
            self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(AccessRequestSerializer(decided).data)

    @extend_schema(request=RevokeSerializer, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk=None) -> Response:
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = services.revoke(
            self.get_object(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(AccessRequestSerializer(revoked).data)

    @extend_schema(request=None, responses=AccessRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        return Response(
            AccessRequestSerializer(services.withdraw(self.get_object(), actor=request.user)).data
        )

    @extend_schema(request=CopyRequestSerializer, responses={202: CopySerializer})
    @action(detail=True, methods=["post"])
    def copies(self, request: Request, pk=None) -> Response:
        """Make a watermarked copy of one record in scope (in the background; poll the copy)."""
        access_request = self.get_object()
        serializer = CopyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = (
            copies.items_in_scope(access_request)
            .filter(pk=serializer.validated_data["item"])
            .first()
        )
        if item is None:
            raise ValidationError({"item": _("This record is outside the request's scope.")})
        copy = tasks.enqueue_copy(copies.start_copy(access_request, item, actor=request.user))
        return Response(
            CopySerializer(Copy.objects.get(pk=copy.pk)).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=None, responses={201: CopySerializer})
    @action(detail=True, methods=["post"])
    def export(self, request: Request, pk=None) -> Response:
        """The archivist's approved export of originals, as a self-verifying BagIt package."""
        copy = copies.export_originals(self.get_object(), actor=request.user)
        return Response(CopySerializer(copy).data, status=status.HTTP_201_CREATED)


class CopyViewSet(viewsets.GenericViewSet):
    """Copies handed out; only their maker may fetch them, while the approval lasts."""

    serializer_class = CopySerializer

    def get_queryset(self):
        return Copy.objects.filter(made_by=self.request.user, kind__in=copies.HANDED_OUT)

    @extend_schema(responses=CopySerializer)
    def retrieve(self, request: Request, pk=None) -> Response:
        try:
            copy = self.get_queryset().get(pk=int(pk))
        except (Copy.DoesNotExist, ValueError, OverflowError):
            from django.http import Http404

            raise Http404 from None
        return Response(CopySerializer(copy).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True)
    def content(self, request: Request, pk=None):
        return copies.hand_out(get_copy(request.user, pk), actor=request.user)
