"""The inspection team's API: plans and their sample, reviews, rectification orders,
the dashboard's figures and the automatic findings. Same access helper and services
as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fullrecord.cases.access import get_case
from fullrecord.media.access import get_item
from fullrecord.media.models import MediaItem

from .. import access, figures, findings, services
from ..forms import FindingsForm, PeriodForm
from ..models import SampleEntry
from .serializers import (
    AnswerSerializer,
    DashboardFreshnessSerializer,
    DashboardSerializer,
    DrawRequestSerializer,
    FindingsPageSerializer,
    FootageMarkSerializer,
    InspectionPlanSerializer,
    IssueSerializer,
    JudgeSerializer,
    OpenReviewSerializer,
    RectificationSerializer,
    ReviewSerializer,
    SampleDrawSerializer,
    ScoreRequestSerializer,
)


def _team(request: Request) -> None:
    if not access.is_team(request.user):
        raise PermissionDenied


class InspectionPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """检查计划 (第十九条): scope, sample sizes per section, and the seed of the draw."""

    serializer_class = InspectionPlanSerializer

    def get_queryset(self):
        return access.visible_plans(self.request.user).prefetch_related(
            "sections", "officers", "causes"
        )

    def get_object(self):
        return access.get_plan(self.request.user, self.kwargs["pk"])

    @extend_schema(request=InspectionPlanSerializer, responses={201: InspectionPlanSerializer})
    def create(self, request: Request) -> Response:
        _team(request)
        serializer = InspectionPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        plan = services.create_plan(actor=request.user, **data)
        return Response(InspectionPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InspectionPlanSerializer, responses=InspectionPlanSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        serializer = InspectionPlanSerializer(plan, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = services.update_plan(plan, actor=request.user, **serializer.validated_data)
        return Response(InspectionPlanSerializer(plan).data)

    @extend_schema(
        request=None,
        responses=InspectionPlanSerializer,
        description="开始: start the plan; its seed is fixed from the latest signed audit tree "
        "head and its scope with it. The inspection team of the bureau only.",
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        if not access.can_manage(request.user, plan):
            raise Http404
        plan = services.start_plan(plan, actor=request.user)
        return Response(InspectionPlanSerializer(plan).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=SampleDrawSerializer,
        description="The current sample: seed, signed tree head, population, sample.",
    )
    @extend_schema(
        methods=["POST"],
        request=DrawRequestSerializer,
        responses={201: SampleDrawSerializer},
        description="Draw the sample (again). Once reviews started, only the leader in "
        "charge, with a reason.",
    )
    @action(detail=True, methods=["get", "post"])
    def sample(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        if request.method == "POST":
            serializer = DrawRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            draw = services.draw_sample(
                plan, actor=request.user, reason=serializer.validated_data["reason"]
            )
            return Response(SampleDrawSerializer(draw).data, status=status.HTTP_201_CREATED)
        draw = plan.current_draw
        if draw is None:
            raise Http404
        return Response(SampleDrawSerializer(draw).data)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """案卷评查 and footage reviews (第二十条) of sampled records."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        return (
            access.visible_reviews(self.request.user)
            .select_related("reviewer", "entry")
            .prefetch_related("scores__item", "marks__made_by")
        )

    def get_object(self):
        return access.get_review(self.request.user, self.kwargs["pk"])

    @extend_schema(request=OpenReviewSerializer, responses={201: ReviewSerializer})
    def create(self, request: Request) -> Response:
        """Open the review of one sampled record, with the machine's checks pre-filled."""
        serializer = OpenReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = (
            SampleEntry.objects.filter(
                pk=serializer.validated_data["entry"],
                draw__plan__in=access.visible_plans(request.user),
            )
            .select_related("draw__plan")
            .first()
        )
        if entry is None or not access.can_manage(request.user, entry.draw.plan):
            raise Http404
        review = services.open_review(entry, actor=request.user)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScoreRequestSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk=None) -> Response:
        review = self.get_object()
        if not access.can_manage(request.user, review.plan):
            raise Http404
        serializer = ScoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.score_review(
            review,
            actor=request.user,
            scores=[dict(s) for s in data["scores"]],
            comment=data["comment"],
            submit=data["submit"],
        )
        return Response(ReviewSerializer(review).data)

    @extend_schema(request=FootageMarkSerializer, responses={201: FootageMarkSerializer})
    @action(detail=True, methods=["post"])
    def marks(self, request: Request, pk=None) -> Response:
        review = self.get_object()
        if not access.can_manage(request.user, review.plan):
            raise Http404
        serializer = FootageMarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mark = services.add_mark(review, actor=request.user, **serializer.validated_data)
        return Response(FootageMarkSerializer(mark).data, status=status.HTTP_201_CREATED)


class RectificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """责令改正 (第十九条): issued by the team, answered by the assignee, closed or reopened."""

    serializer_class = RectificationSerializer

    def get_queryset(self):
        return (
            access.visible_rectifications(self.request.user)
            .prefetch_related("steps__actor", "evidence")
            .select_related("issued_by")
        )

    def get_object(self):
        return access.get_rectification(self.request.user, self.kwargs["pk"])

    @extend_schema(request=IssueSerializer, responses={201: RectificationSerializer})
    def create(self, request: Request) -> Response:
        _team(request)
        serializer = IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        review_id, case_id, item_id = data.pop("review"), data.pop("case"), data.pop("item")
        order = services.issue_rectification(
            actor=request.user,
            review=access.get_review(request.user, review_id) if review_id else None,
            case=get_case(request.user, case_id) if case_id else None,
            item=get_item(request.user, item_id) if item_id else None,
            **data,
        )
        return Response(RectificationSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        order = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = list(MediaItem.objects.filter(pk__in=data["evidence"]))
        if len(items) != len(set(data["evidence"])):
            raise ValidationError({"evidence": ["unknown record"]})
        order = services.answer_rectification(
            order,
            actor=request.user,
            answer=data["answer"],
            evidence=items,
            evidence_note=data["evidence_note"],
        )
        return Response(RectificationSerializer(order).data)

    @extend_schema(request=JudgeSerializer, responses=RectificationSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk=None) -> Response:
        order = self.get_object()
        serializer = JudgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.judge_rectification(order, actor=request.user, **serializer.validated_data)
        return Response(RectificationSerializer(order).data)


PERIOD = [
    OpenApiParameter("start", OpenApiTypes.DATE),
    OpenApiParameter("end", OpenApiTypes.DATE),
]


def _freshness() -> dict:
    at = figures.refreshed_at()
    return {
        "refreshed_at": at,
        "refreshed_text": figures.freshness_text(at),
        "max_age_minutes": figures.MAX_AGE_MINUTES,
    }


class DashboardView(APIView):
    """The dashboard's figures per section, officer or month (from the last count)."""

    @extend_schema(
        parameters=[*PERIOD, OpenApiParameter("group", str, enum=["section", "officer", "month"])],
        responses=DashboardSerializer,
    )
    def get(self, request: Request) -> Response:
        if not access.is_reader(request.user):
            raise Http404
        start, end, group = PeriodForm(request.query_params or None).period()
        rows, total = figures.figures(
            request.user.org_unit.bureau(), start=start, end=end, group=group
        )

        def row(r):
            return {
                "key": r.key,
                "group_id": None if r.group_id is None else str(r.group_id),
                "values": r.values,
                "counts": {k: list(v) for k, v in r.counts.items()},
            }

        return Response(
            {
                "start": start,
                "end": end,
                "group": group,
                **_freshness(),
                "metrics": {k: str(v) for k, v in figures.METRICS.items()},
                "rows": [row(r) for r in rows],
                "total": row(total),
            }
        )


class DashboardRefreshView(APIView):
    """Count the dashboard's figures again now (the inspection team; recorded)."""

    @extend_schema(request=None, responses=DashboardFreshnessSerializer)
    def post(self, request: Request) -> Response:
        if not access.is_team(request.user):
            raise Http404
        services.recount_dashboard(actor=request.user)
        return Response(_freshness())


FINDINGS_PAGE_SIZE = 50
FINDINGS_PAGE_MAX = 500


class FindingsView(APIView):
    """Automatic findings (第十八条、第九条): no draw needed. Every finding of the period, one
    kind after the other (or one ``kind``), a page at a time: ``count``, ``next``,
    ``previous``, ``results``; ``kinds`` gives each kind's count."""

    @extend_schema(
        parameters=[
            *PERIOD,
            OpenApiParameter("kind", str, enum=[k for k, _label in findings.kinds()]),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="1–500, default 50"),
        ],
        responses=FindingsPageSerializer,
    )
    def get(self, request: Request) -> Response:
        if not access.is_reader(request.user):
            raise Http404
        form = FindingsForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors)
        start, end, _group = form.period()
        try:
            page = max(int(request.query_params.get("page") or 1), 1)
            size = int(request.query_params.get("page_size") or FINDINGS_PAGE_SIZE)
        except ValueError:
            raise ValidationError({"page": ["a whole number"]}) from None
        if not 1 <= size <= FINDINGS_PAGE_MAX:
            raise ValidationError({"page_size": [f"from 1 to {FINDINGS_PAGE_MAX}"]})
        groups = findings.all_findings(
            request.user.org_unit.bureau(), start, end, kind=form.chosen_kind() or None, first=0
        )
        count = sum(g.count for g in groups)
        rows = findings.page(groups, (page - 1) * size, size)

        def link(number: int | None) -> str | None:
            if number is None:
                return None
            query = request.query_params.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "start": start,
                "end": end,
                "count": count,
                "next": link(page + 1 if page * size < count else None),
                "previous": link(page - 1 if page > 1 else None),
                "kinds": [
                    {"key": g.key, "label": g.label, "article": g.article, "count": g.count}
                    for g in groups
                ],
                "results": [
                    {
                        "kind": g.key,
                        "title": f.title,
                        "detail": f.detail,
                        "url": f.url,
                        "at": f.at.isoformat() if f.at else None,
                        "case_id": f.case_id,
                        "item_id": f.item_id,
                    }
                    for g, f in rows
                ],
            }
        )
