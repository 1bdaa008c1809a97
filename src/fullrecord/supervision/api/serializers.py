from __future__ import annotations

from rest_framework import serializers

from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Cause

from ..choices import Answer
from ..models import (
    FootageMark,
    InspectionPlan,
    Rectification,
    RectificationStep,
    Review,
    ReviewScore,
    SampleDraw,
    SampleEntry,
)


class InspectionPlanSerializer(serializers.ModelSerializer):
    sections = serializers.PrimaryKeyRelatedField(
        many=True, queryset=OrgUnit.objects.all(), required=False
    )
    officers = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.all(), required=False
    )
    causes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Cause.objects.all(), required=False
    )
    stages = serializers.ListField(
        child=serializers.ChoiceField(choices=Stage.choices), required=False
    )
    media_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=["video", "audio", "photo", "other"]),
        required=False,
    )
    device_numbers = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False
    )
    stratum_sizes = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=10000)),
        required=False,
        help_text='Sample size per named stratum: {"case": {"<section or cause id>": n}, '
        '"footage": {"<section id or device number>": n}}; a stratum not named takes '
        "cases_per_stratum / footage_per_stratum.",
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    started_by = serializers.CharField(
        source="started_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "title",
            "bureau",
            "period_start",
            "period_end",
            "sections",
            "officers",
            "causes",
            "stages",
            "media_kinds",
            "device_numbers",
            "case_strata",
            "footage_strata",
            "stratum_sizes",
            "cases_per_stratum",
            "footage_per_stratum",
            "state",
            "created_by",
            "created_at",
            "started_by",
            "seed_tree_size",
            "seed_root_hash",
            "seed",
            "seeded_at",
        ]
        # The seed is taken from the signed audit log when the plan starts; never written here.
        read_only_fields = [
            "bureau",
            "state",
            "created_by",
            "created_at",
            "seed",
            "seeded_at",
        ]


class SampleEntrySerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    item_sha256 = serializers.CharField(source="item.sha256", default=None, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = SampleEntry
        fields = [
            "id",
            "kind",
            "stratum",
            "rank",
            "case",
            "case_number",
            "item",
            "item_sha256",
            "review",
        ]

    def get_review(self, obj: SampleEntry) -> int | None:
        review = getattr(obj, "review", None)
        return review.pk if review is not None else None


class SampleDrawSerializer(serializers.ModelSerializer):
    drawn_by = serializers.CharField(source="drawn_by.username", read_only=True)
    seed = serializers.CharField(source="plan.seed", read_only=True)
    seed_tree_size = serializers.IntegerField(source="plan.seed_tree_size", read_only=True)
    seed_root_hash = serializers.CharField(source="plan.seed_root_hash", read_only=True)
    algorithm = serializers.SerializerMethodField()
    sizes = serializers.SerializerMethodField()
    entries = SampleEntrySerializer(many=True, read_only=True)

    class Meta:
        model = SampleDraw
        fields = [
            "plan",
            "number",
            "drawn_at",
            "drawn_by",
            "reason",
            "algorithm",
            "seed",
            "seed_tree_size",
            "seed_root_hash",
            "scope",
            "sizes",
            "population",
            "sample",
            "all_taken",
            "entries",
        ]

    def get_sizes(self, obj) -> dict[str, dict]:
        """Per kind: ``default`` (every stratum not named) and ``strata`` (named sizes)."""
        from ..services import sizes_as_json, sizes_of

        return sizes_as_json(sizes_of(obj.scope))

    def get_algorithm(self, obj) -> str:
        from ..sampling import VERSION

        return VERSION


class DrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewScoreSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="item.label", read_only=True)
    max_score = serializers.IntegerField(source="item.max_score", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["item", "label", "max_score", "points", "answer", "comment", "prefilled"]


class FootageMarkSerializer(serializers.ModelSerializer):
    made_by = serializers.CharField(source="made_by.username", read_only=True)

    class Meta:
        model = FootageMark
        fields = ["id", "at_seconds", "note", "made_by", "made_at"]
        read_only_fields = ["id", "made_by", "made_at"]


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    case = serializers.IntegerField(source="entry.case_id", read_only=True)
    item = serializers.IntegerField(source="entry.item_id", read_only=True)
    scores = ReviewScoreSerializer(many=True, read_only=True)
    marks = FootageMarkSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "plan",
            "entry",
            "kind",
            "case",
            "item",
            "reviewer",
            "state",
            "comment",
            "score",
            "machine_findings",
            "scores",
            "marks",
            "created_at",
            "submitted_at",
        ]
        read_only_fields = fields


class OpenReviewSerializer(serializers.Serializer):
    entry = serializers.IntegerField()


class ScoreInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    points = serializers.IntegerField(required=False, allow_null=True)
    answer = serializers.ChoiceField(choices=Answer.choices, required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ScoreRequestSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True)
    comment = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    submit = serializers.BooleanField(required=False, default=False)


class RectificationStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = RectificationStep
        fields = ["event", "actor", "at", "note"]


class RectificationSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)
    steps = RectificationStepSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Rectification
        fields = [
            "id",
            "number",
            "finding",
            "requirement",
            "plan",
            "review",
            "case",
            "item",
            "assignee",
            "assignee_unit",
            "deadline",
            "state",
            "overdue",
            "issued_by",
            "issued_at",
            "answer",
            "evidence",
            "evidence_note",
            "answered_at",
            "closed_at",
            "escalated_at",
            "steps",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Rectification) -> bool:
        return obj.is_overdue()


class IssueSerializer(serializers.Serializer):
    finding = serializers.CharField()
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField()
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    assignee_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    review = serializers.IntegerField(required=False, allow_null=True, default=None)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)
    item = serializers.IntegerField(required=False, allow_null=True, default=None)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    evidence_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500
    )


class JudgeSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    group_id = serializers.CharField(allow_null=True)
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))
    counts = serializers.DictField(child=serializers.ListField(child=serializers.FloatField()))


class DashboardFreshnessSerializer(serializers.Serializer):
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="When counted.")
    refreshed_text = serializers.CharField(help_text="The same, in the user's language.")
    max_age_minutes = serializers.IntegerField(
        help_text="The figures are counted again at least this often."
    )


class DashboardSerializer(DashboardFreshnessSerializer):
    start = serializers.DateField()
    end = serializers.DateField()
    group = serializers.CharField()
    metrics = serializers.DictField(child=serializers.CharField())
    rows = FigureSerializer(many=True)
    total = FigureSerializer()


class FindingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    at = serializers.CharField(allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    item_id = serializers.IntegerField(allow_null=True)


class FindingKindSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    article = serializers.CharField()
    count = serializers.IntegerField()


class FindingsPageSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    kinds = FindingKindSerializer(many=True)
    results = FindingSerializer(many=True)
