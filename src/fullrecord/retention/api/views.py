"""Retention in the API: keep-until dates, holds, sweeps and case-file exports."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from fullrecord.cases.access import visible_cases
from fullrecord.media.access import visible_media

from .. import access, services, terms
from ..views import _resolve_target
from .serializers import (
    CaseFileTermSerializer,
    CaseFileTermWriteSerializer,
    DecideSerializer,
    ExportSerializer,
    HoldSerializer,
    ItemRetentionSerializer,
    NoteSerializer,
    PlaceHoldSerializer,
    ReasonSerializer,
    StartExportSerializer,
    SweepDetailSerializer,
    SweepSerializer,
)


@extend_schema(responses=ItemRetentionSerializer)
@api_view(["GET"])
def item_retention(request: Request, pk: int) -> Response:
    """An audiovisual record's keep-until date and the rule and case that give it."""
    item = visible_media(request.user).filter(pk=pk).select_related("retention").first()
    if item is None:
        raise Http404
    row = getattr(item, "retention", None)
    return Response(
        {
            "item": item.pk,
            "keep_until": row.keep_until if row else None,
            "never_due": bool(row and (row.forever or row.held)),
            "on_hold": bool(row and row.held),
            "rule": row.rule if row else "",
            "why": services.describe(row),
            "case": row.case.number if row and row.case else None,
            "holds": list(services.holds_on(item).values_list("pk", flat=True)),
        }
    )


class HoldViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """长期保存 (第十三条): place a hold, ask for its release, the leader decides."""

    serializer_class = HoldSerializer

    def get_queryset(self):
        return access.visible_holds(self.request.user).select_related("placed_by", "case")

    def get_object(self):
        return access.get_hold(self.request.user, self.kwargs["pk"])

    @extend_schema(request=PlaceHoldSerializer, responses={201: HoldSerializer})
    def create(self, request: Request) -> Response:
        serializer = PlaceHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        targets = [k for k in ("item", "session", "case_number") if data.get(k) is not None]
        if len(targets) != 1:
            raise services.RetentionError(
                _("A hold is placed on one record, one session or one case.")
            )
        kind = {"item": "item", "session": "session", "case_number": "case"}[targets[0]]
        target = _resolve_target(request.user, kind, str(data[targets[0]]))
        hold = services.place_hold(
            actor=request.user, reason=data["reason"], note=data["note"], **target
        )
        return Response(HoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=HoldSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk=None) -> Response:
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hold = services.ask_release(
            self.get_object(), actor=request.user, note=serializer.validated_data["note"]
        )
        return Response(HoldSerializer(hold).data)

    @extend_schema(request=DecideSerializer, responses=HoldSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk=None) -> Response:
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hold = services.decide_release(
            self.get_object(), actor=request.user, **serializer.validated_data
        )
        return Response(HoldSerializer(hold).data)


class SweepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deletion sweeps (第十八条第五项): listed, approved by two people, then deleted."""

    serializer_class = SweepSerializer

    def get_queryset(self):
        return access.visible_sweeps(self.request.user).select_related(
            "proposed_by", "archivist_approval_by", "leader_approval_by", "certificate"
        )

    def get_object(self):
        return access.get_sweep(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return SweepDetailSerializer if self.action == "retrieve" else SweepSerializer

    @extend_schema(
        request=None,
        responses={201: SweepDetailSerializer, 409: SweepDetailSerializer},
        description=(
            "Start a sweep of your bureau: what has fallen due is listed, as the daily job "
            "lists it (keep-until dates recomputed first); nothing is deleted before two "
            "approvals and the grace period. Archivist or leader in charge. While a sweep "
            "of the bureau is open the answer is 409 with that sweep."
        ),
    )
    def create(self, request: Request) -> Response:
        try:
            sweep = services.start_sweep(actor=request.user)
        except services.SweepRunning as exc:
            running = SweepDetailSerializer(exc.sweep).data
            return Response({"detail": [str(exc)], **running}, status=status.HTTP_409_CONFLICT)
        return Response(SweepDetailSerializer(sweep).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SweepDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        sweep = services.approve(self.get_object(), actor=request.user)
        return Response(SweepDetailSerializer(sweep).data)


class ExportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The case file on disc (第十三条、第十六条): start an export, follow its progress."""

    serializer_class = ExportSerializer

    def get_queryset(self):
        return access.visible_exports(self.request.user)

    def get_object(self):
        return access.get_export(self.request.user, self.kwargs["pk"])

    @extend_schema(request=StartExportSerializer, responses={201: ExportSerializer})
    def create(self, request: Request) -> Response:
        from .. import export

        serializer = StartExportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = visible_cases(request.user).filter(number=data["case_number"]).first()
        if case is None or not access.can_export(request.user):
            raise Http404
        job = export.start(
            case, actor=request.user, request_number=data["request_number"], iso=data["iso"]
        )
        return Response(ExportSerializer(job).data, status=status.HTTP_201_CREATED)


class CaseFileTermViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Case-file terms (第十二条): how long each kind of case's file and evidence is kept.
    Read by the administrator, archivists, leaders and inspectors; added, changed and
    deactivated by the administrator, with a reason; the keep-until dates of the evidence
    of cases are recomputed right after each change."""

    serializer_class = CaseFileTermSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return access.visible_terms(self.request.user).prefetch_related("causes")

    def get_object(self):
        return access.get_term(self.request.user, self.kwargs["pk"])

    @extend_schema(request=CaseFileTermWriteSerializer, responses={201: CaseFileTermSerializer})
    def create(self, request: Request) -> Response:
        serializer = CaseFileTermWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        term = terms.add_term(actor=request.user, **serializer.validated_data)
        return Response(CaseFileTermSerializer(term).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseFileTermWriteSerializer, responses=CaseFileTermSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        term = self.get_object()
        serializer = CaseFileTermWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        term = terms.change_term(
            term, actor=request.user, reason=changes.pop("reason", ""), **changes
        )
        return Response(CaseFileTermSerializer(term).data)

    @extend_schema(request=ReasonSerializer, responses=CaseFileTermSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk=None) -> Response:
        return self._set_active(request, active=False)

    @extend_schema(request=ReasonSerializer, responses=CaseFileTermSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk=None) -> Response:
        return self._set_active(request, active=True)

    def _set_active(self, request: Request, *, active: bool) -> Response:
        term = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        term = terms.set_active(
            term, actor=request.user, active=active, reason=serializer.validated_data["reason"]
        )
        return Response(CaseFileTermSerializer(term).data)
