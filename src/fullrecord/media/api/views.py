from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.access import get_case

from .. import content, playback, services
from ..access import can_classify, get_item, reached_through, visible_media
from ..choices import PlaybackSource
from ..filtersets import MediaFilterSet
from ..fixity import require_original
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
        If-Range, and answers 416 with ``Content-Range: bytes */<length>``. Each answer
        that carries bytes is covered by a ``media.play`` entry: one per playback (a grant
        for this caller's credential), not one per range. Refused (403) to whoever sees the
        record only through an access request: they play a watermarked rendition."""
        item = get_item(request.user, pk)
        if request.query_params.get("download") == "1":
            raise PermissionDenied(
                _(
                    "Originals leave the system only in the archivist's approved "
                    "export. File an access request for a watermarked copy."
                )
            )
        require_original(item, actor=request.user)  # a lost original: 410, recorded
        return self._covered(request, item, PlaybackSource.ORIGINAL, content.open_original(item))

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def thumbnail(self, request: Request, pk=None) -> HttpResponse:
        """A still at most 320 px wide, for lists: sent to whoever sees the record and not
        recorded per image (docs/access.md: lists are not recorded; a page of them would
        be dozens of entries). The poster, the playable copy and the original are."""
        item = get_item(request.user, pk)
        return content.send(request, content.open_derived(content.derivative_of(item, "thumbnail")))

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def poster(self, request: Request, pk=None) -> HttpResponse:
        """A frame up to 1280 px (of a photo: the photo): not for access-request holders."""
        item = get_item(request.user, pk)
        derivative = content.derivative_of(item, "poster")
        return self._covered(request, item, PlaybackSource.STILLS, content.open_derived(derivative))

    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get", "head"])
    def proxy(self, request: Request, pk=None) -> HttpResponse:
        """A browser-playable copy, for originals the browser cannot play as they are."""
        item = get_item(request.user, pk)
        derivative = content.derivative_of(item, "proxy")
        return self._covered(
            request,
            item,
            PlaybackSource.PROXY,
            content.open_derived(derivative),
            derivative=derivative,
        )

    def _covered(self, request: Request, item, source: str, opened, **grant) -> HttpResponse:
        """Send ``opened``; an answer that carries bytes is covered by the caller's grant."""
        via = reached_through(request.user, item)
        if via is not None:
            raise PermissionDenied(playback.refusal_for_request_holders())
        response = content.send(request, opened)
        if content.carries_bytes(request, response):
            playback.cover(
                request.user,
                item,
                source=source,
                credential=playback.credential_of(request),
                **grant,
            )
        return response

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer(
                "Playback",
                {
                    "url": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                    "source": serializers.CharField(),
                },
            ),
            202: inline_serializer("PlaybackPreparing", {"detail": serializers.CharField()}),
        },
    )
    @action(detail=True, methods=["post"])
    def playback(self, request: Request, pk=None) -> Response:
        """Start a playback: records one ``media.play`` entry and answers a signed URL for
        the player's ranges, bound to this session or API token. Someone who sees the
        record only through an access request gets a watermarked rendition (202 while it
        is being made: ask again)."""
        item = get_item(request.user, pk)
        credential = playback.credential_of(request)
        if not credential.usable:
            raise PermissionDenied(_("Playback needs a signed-in session or an API token."))
        via = reached_through(request.user, item)
        try:
            grant = playback.begin(request.user, item, credential=credential, via=via)
        except playback.RenditionPending:
            return Response(
                {"detail": _("A copy watermarked with your name is being prepared for playback.")},
                status=status.HTTP_202_ACCEPTED,
            )
        except playback.RenditionFailed as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except playback.NotPlayable:
            return Response(
                {"detail": _("This file cannot be played in the browser.")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            {
                "url": request.build_absolute_uri(playback.signed_url(grant)),
                "expires_at": grant.expires_at,
                "source": grant.source,
            },
            status=status.HTTP_201_CREATED,
        )

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
