from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.access import get_case

from .. import content, services
from ..access import can_classify, get_item, visible_media
from ..filtersets import MediaFilterSet
from ..pagination import paginate
from .serializers import (
    ClassificationSerializer,
    CustodyEntrySerializer,
    LinkSerializer,
    MediaDetailSerializer,
    MediaItemSerializer,
)


class MediaViewSet(viewsets.GenericViewSet):
    """Audiovisual records (音像记录) the caller may see. Originals are read-only."""

    serializer_class = MediaItemSerializer
    filterset_class = MediaFilterSet
    pagination_class = None

    def get_queryset(self):
        return visible_media(self.request.user).select_related("org_unit", "officer", "cause")

    @extend_schema(
        parameters=[OpenApiParameter("cursor", str), OpenApiParameter("limit", int)],
        responses=inline_serializer(
            "MediaPage",
            {
                "results": MediaItemSerializer(many=True),
                "next": serializers.CharField(allow_null=True),
            },
        ),
    )
    def list(self, request: Request) -> Response:
        """Newest first, keyset-paginated: follow ``next`` (no total count is computed)."""
        queryset = self.filter_queryset(self.get_queryset())
        try:
            limit = max(1, min(int(request.query_params.get("limit", 50)), 500))
        except ValueError:
            raise ValidationError({"limit": "a whole number from 1 to 500"}) from None
        page = paginate(queryset, request.query_params.get("cursor"), limit)
        next_url = None
        if page.next_cursor:
            query = request.query_params.copy()
            query["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {"results": MediaItemSerializer(page.items, many=True).data, "next": next_url}
        )

    @extend_schema(responses=MediaDetailSerializer)
    def retrieve(self, request: Request, pk=None) -> Response:
        item = get_item(request.user, pk)
        services.record_access(item, actor=request.user, action="view")
        return Response(MediaDetailSerializer(item).data)

    @extend_schema(
        parameters=[OpenApiParameter("download", bool)],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            (206, "application/octet-stream"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get", "head"])
    def content(self, request: Request, pk=None) -> HttpResponse:
        """The original bytes; honours Range (several ranges as multipart/byteranges),
        If-Range, and answers 416 with ``Content-Range: bytes */<length>``."""
        item = get_item(request.user, pk)
        return content.original_response(
            request, item, download=request.query_params.get("download") == "1"
        )

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def thumbnail(self, request: Request, pk=None) -> HttpResponse:
        return content.derivative_response(request, get_item(request.user, pk), "thumbnail")

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def poster(self, request: Request, pk=None) -> HttpResponse:
        return content.derivative_response(request, get_item(request.user, pk), "poster")

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def proxy(self, request: Request, pk=None) -> HttpResponse:
        """A browser-playable copy, for originals the browser cannot play as they are."""
        return content.derivative_response(request, get_item(request.user, pk), "proxy")

    @extend_schema(request=ClassificationSerializer, responses=MediaDetailSerializer)
    @action(detail=True, methods=["patch"])
    def classification(self, request: Request, pk=None) -> Response:
        """Correct the six classification fields of 第十五条, with a reason."""
        item = get_item(request.user, pk)
        if not can_classify(request.user, item):
            # As on the page: a correction the caller may not make is not offered at all.
            raise Http404
        serializer = ClassificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        item = services.correct_classification(
            item, actor=request.user, changes=changes, reason=reason
        )
        return Response(MediaDetailSerializer(item).data)

    @extend_schema(request=LinkSerializer, responses={201: MediaDetailSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request: Request, pk=None) -> Response:
        """Use this record as evidence in a case, at a stage (default: the case's stage)."""
        item = get_item(request.user, pk)
        serializer = LinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = get_case(request.user, serializer.validated_data["case"], "edit")
        services.link_to_case(
            item,
            case,
            stage=serializer.validated_data.get("stage") or case.stage,
            actor=request.user,
            note=serializer.validated_data["note"],
        )
        return Response(
            MediaDetailSerializer(get_item(request.user, pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=CustodyEntrySerializer(many=True))
    @action(detail=True)
    def custody(self, request: Request, pk=None) -> Response:
        """The chain of custody: every recorded event on this item, oldest first."""
        item = get_item(request.user, pk)
        entries = AuditEntry.objects.filter(
            object_type="media.mediaitem", object_id=str(item.pk)
        ).select_related("actor")
        return Response(CustodyEntrySerializer(entries, many=True).data)
