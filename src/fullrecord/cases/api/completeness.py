"""The completeness grid and its exceptions (缺失说明) in the API (第十一条)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import RecordKind, Stage
from ..completeness import Grid
from ..models import CompletenessException


class CompletenessCellSerializer(serializers.Serializer):
    kind = serializers.CharField(source="entry.kind")
    record = serializers.CharField(source="entry.key", help_text="What an exception names.")
    label = serializers.CharField(source="entry.label")
    required = serializers.BooleanField(source="entry.required")
    present = serializers.BooleanField(source="entry.present")
    status = serializers.ChoiceField(
        choices=["present", "not_applicable", "excepted", "missing", "optional"]
    )
    detail = serializers.CharField(source="entry.detail")
    not_applicable = serializers.CharField(
        source="entry.not_applicable", help_text="Why the record does not apply (不适用), if so."
    )
    url = serializers.CharField(source="entry.url")
    exception = serializers.SerializerMethodField()

    def get_exception(self, cell) -> int | None:
        return cell.exception.pk if cell.exception else None


class CompletenessStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    current = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["complete", "missing", "empty"])
    records = CompletenessCellSerializer(source="cells", many=True)


class CompletenessSummarySerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    missing = serializers.IntegerField(help_text="Required records neither present nor excepted.")
    missing_stages = serializers.ListField(child=serializers.CharField())
    checked_at = serializers.DateTimeField(
        allow_null=True, help_text="When the stored summary the case list filters on was computed."
    )


class CompletenessSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    summary = serializers.SerializerMethodField()
    stages = CompletenessStageSerializer(source="rows", many=True)

    @extend_schema_field(CompletenessSummarySerializer)
    def get_summary(self, grid: Grid) -> dict:
        data = {
            "complete": not grid.missing,
            "missing": len(grid.missing),
            "missing_stages": grid.missing_stages,
            "checked_at": grid.case.completeness_checked_at,
        }
        return CompletenessSummarySerializer(data).data


class CompletenessExceptionSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = CompletenessException
        fields = ["id", "stage", "kind", "record", "label", "reason", "recorded_by", "recorded_at"]
        read_only_fields = ["id", "label", "recorded_by", "recorded_at"]
