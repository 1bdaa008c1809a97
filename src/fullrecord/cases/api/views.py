from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .. import changes, completeness, services, timeline
from ..access import get_case, visible_cases
from ..choices import ChangeState
from ..filtersets import CaseFilterSet
from ..models import CaseAssignment, Cause, TimeLimitRule
from .completeness import CompletenessExceptionSerializer, CompletenessSerializer
from .serializers import (
    AssignSerializer,
    CaseChangeSerializer,
    CaseSerializer,
    CaseTransitionSerializer,
    CaseUpdateSerializer,
    CauseSerializer,
    ChangeDecisionSerializer,
    ChangeRequestSerializer,
    DeadlineSerializer,
    PartySerializer,
    TimeLimitRuleSerializer,
    TimelineItemSerializer,
    TransitionOptionSerializer,
    TransitionRequestSerializer,
)


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases (案件) the caller may see. Moves go through ``transitions``, never a PATCH of state."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            visible_cases(self.request.user)
            .select_related("cause", "org_unit")
            .prefetch_related(
                "parties",
                Prefetch("assignments", queryset=CaseAssignment.objects.select_related("officer")),
            )
            .order_by("-created_at", "-id")
        )

    def get_object(self):
        action_name = "edit" if self.action in ("partial_update", "parties") else "view"
        return get_case(self.request.user, self.kwargs["pk"], action_name)

    def get_serializer_class(self):
        if self.action == "partial_update":
            return CaseUpdateSerializer
        return CaseSerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        case = self.get_object()
        services.record_view(case, actor=request.user)
        return Response(self.get_serializer(case).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parties = data.pop("parties", [])
        officers = data.pop("officer_ids", [])
        serializer.instance = services.create_case(
            actor=self.request.user, parties=parties, officers=officers, **data
        )

    @extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseSerializer, 202: CaseChangeSerializer},
        description=(
            "Change the case's facts. After 立案 a `reason` is required; a change of the "
            "cause, discovery date or source then waits for the section head's approval "
            "and answers 202 with the change."
        ),
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        case = self.get_object()
        serializer = CaseUpdateSerializer(case, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        reason = values.pop("reason", "")
        change = changes.change_case(case, actor=request.user, changes=values, reason=reason)
        if change is not None and change.state == ChangeState.PENDING:
            return Response(CaseChangeSerializer(change).data, status=status.HTTP_202_ACCEPTED)
        return Response(CaseSerializer(get_case(request.user, case.pk)).data)

    @extend_schema(methods=["GET"], responses=CaseChangeSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ChangeRequestSerializer,
        responses={201: CaseChangeSerializer, 200: CaseChangeSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def changes(self, request: Request, pk=None) -> Response:
        """GET: the changes of this case's facts. POST: ask for one (a party's with
        ``party``); it takes effect at once or waits for approval (``state``)."""
        if request.method == "GET":
            case = self.get_object()
            rows = case.changes.select_related("requested_by", "decided_by")
            return Response(CaseChangeSerializer(rows, many=True).data)
        case = get_case(request.user, pk, "edit")
        ask = ChangeRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        party_id = ask.validated_data.get("party")
        if party_id is not None:
            party = get_object_or_404(case.parties.all(), pk=party_id)
            values = PartySerializer(party, data=ask.validated_data["values"], partial=True)
            values.is_valid(raise_exception=True)
            change = changes.change_party(
                party,
                actor=request.user,
                changes=dict(values.validated_data),
                reason=ask.validated_data["reason"],
            )
        else:
            values = CaseUpdateSerializer(case, data=ask.validated_data["values"], partial=True)
            values.is_valid(raise_exception=True)
            data = dict(values.validated_data)
            data.pop("reason", None)
            change = changes.change_case(
                case, actor=request.user, changes=data, reason=ask.validated_data["reason"]
            )
        if change is None:
            raise ValidationError({"values": [_("Nothing differs from what is recorded.")]})
        return Response(CaseChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChangeDecisionSerializer, responses={200: CaseChangeSerializer})
    @action(detail=True, methods=["post"], url_path=r"changes/(?P<change_id>\d+)/decide")
    def decide_change(self, request: Request, pk=None, change_id=None) -> Response:
        """The section head (or the leader) approves or rejects a change; approving applies it."""
        case = get_case(request.user, pk)
        change = get_object_or_404(case.changes.all(), pk=change_id)
        if not changes.may_approve(request.user, case):
            raise Http404
        decision = ChangeDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        change = changes.decide_change(
            change,
            actor=request.user,
            approve=decision.validated_data["approve"],
            note=decision.validated_data["note"],
        )
        return Response(CaseChangeSerializer(change).data)

    @extend_schema(responses=TimelineItemSerializer(many=True))
    @action(detail=True)
    def timeline(self, request: Request, pk=None) -> Response:
        case = self.get_object()
        return Response(TimelineItemSerializer(timeline.build(case), many=True).data)

    @extend_schema(responses=DeadlineSerializer(many=True))
    @action(detail=True)
    def deadlines(self, request: Request, pk=None) -> Response:
        case = self.get_object()
        return Response(DeadlineSerializer(case.deadlines.select_related("rule"), many=True).data)

    @extend_schema(methods=["GET"], responses=TransitionOptionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=TransitionRequestSerializer,
        responses={201: CaseTransitionSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request: Request, pk=None) -> Response:
        """GET: the moves you may make now and what blocks them. POST: make one."""
        case = self.get_object()
        if request.method == "GET":
            options = services.available_transitions(case, request.user)
            return Response(TransitionOptionSerializer(options, many=True).data)
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {}
        if serializer.validated_data.get("hearing_date"):
            data["hearing_date"] = serializer.validated_data["hearing_date"]
        step = services.do_transition(
            case,
            serializer.validated_data["name"],
            actor=request.user,
            reason=serializer.validated_data["reason"],
            data=data,
        )
        return Response(CaseTransitionSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PartySerializer, responses={201: PartySerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request: Request, pk=None) -> Response:
        case = self.get_object()
        serializer = PartySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party = services.add_party(case, actor=request.user, **serializer.validated_data)
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignSerializer, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"])
    def officers(self, request: Request, pk=None) -> Response:
        case = get_case(request.user, pk, "assign")
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assign_officer(
            case,
            serializer.validated_data["officer"],
            actor=request.user,
            lead=serializer.validated_data["lead"],
        )
        return Response(
            CaseSerializer(get_case(request.user, pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"officers/(?P<user_id>\d+)")
    def remove_officer(self, request: Request, pk=None, user_id=None) -> Response:
        case = get_case(request.user, pk, "assign")
        officer = get_object_or_404(case.officers.all(), pk=user_id)
        services.unassign_officer(case, officer, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=CompletenessSerializer)
    @action(detail=True)
    def completeness(self, request: Request, pk=None) -> Response:
        """第十一条: each stage reached, the records it expects, present, explained or missing."""
        case = self.get_object()
        return Response(CompletenessSerializer(completeness.grid(case)).data)

    @extend_schema(methods=["GET"], responses=CompletenessExceptionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=CompletenessExceptionSerializer,
        responses={201: CompletenessExceptionSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="completeness/exceptions")
    def completeness_exceptions(self, request: Request, pk=None) -> Response:
        """GET: why records are missing (缺失说明). POST: the leader in charge records one."""
        case = self.get_object()
        if request.method == "GET":
            rows = case.completeness_exceptions.select_related("recorded_by")
            return Response(CompletenessExceptionSerializer(rows, many=True).data)
        serializer = CompletenessExceptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exception = completeness.record_exception(
            case, actor=request.user, **serializer.validated_data
        )
        return Response(
            CompletenessExceptionSerializer(exception).data, status=status.HTTP_201_CREATED
        )


class CauseViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of causes (案由); the administrator edits it in the admin."""

    serializer_class = CauseSerializer
    queryset = Cause.objects.all()
    filterset_fields = ["active"]


class TimeLimitRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Statutory time limits, each with its legal source."""

    serializer_class = TimeLimitRuleSerializer
    queryset = TimeLimitRule.objects.all()
