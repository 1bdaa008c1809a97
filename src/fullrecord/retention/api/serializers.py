from __future__ import annotations

from rest_framework import serializers

from ..choices import HoldReason
from ..models import CaseExport, Hold, Sweep, SweepItem


class ItemRetentionSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    keep_until = serializers.DateField(allow_null=True)
    never_due = serializers.BooleanField()
    on_hold = serializers.BooleanField()
    rule = serializers.CharField()
    why = serializers.CharField()
    case = serializers.CharField(allow_null=True)
    holds = serializers.ListField(child=serializers.IntegerField())


class HoldSerializer(serializers.ModelSerializer):
    placed_by = serializers.StringRelatedField()
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)

    class Meta:
        model = Hold
        fields = [
            "id",
            "reason",
            "note",
            "label",
            "state",
            "item",
            "session",
            "case_number",
            "placed_by",
            "placed_at",
            "release_note",
            "released_at",
        ]


class PlaceHoldSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    item = serializers.IntegerField(required=False)
    session = serializers.IntegerField(required=False)
    case_number = serializers.CharField(required=False, max_length=40)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class SweepItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SweepItem
        fields = ["sha256", "size", "name", "rule", "keep_until", "cases", "outcome", "kept_reason"]


class SweepSerializer(serializers.ModelSerializer):
    proposed_by = serializers.StringRelatedField()
    archivist_approval_by = serializers.StringRelatedField()
    leader_approval_by = serializers.StringRelatedField()
    certificate_seq = serializers.IntegerField(
        source="certificate.seq", default=None, read_only=True
    )

    class Meta:
        model = Sweep
        fields = [
            "id",
            "number",
            "state",
            "listed_at",
            "grace_until",
            "proposed_by",
            "archivist_approval_by",
            "archivist_approved_at",
            "leader_approval_by",
            "leader_approved_at",
            "executed_at",
            "deleted_count",
            "deleted_bytes",
            "kept_count",
            "certificate_seq",
        ]


class SweepDetailSerializer(SweepSerializer):
    items = SweepItemSerializer(many=True, read_only=True)

    class Meta(SweepSerializer.Meta):
        fields = [*SweepSerializer.Meta.fields, "items"]


class ExportSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    request_number = serializers.CharField(source="request.number", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = CaseExport
        fields = [
            "id",
            "case_number",
            "request_number",
            "state",
            "step",
            "percent",
            "done_bytes",
            "total_bytes",
            "started_at",
            "finished_at",
            "iso_sha256",
            "iso_size",
            "problem",
        ]


class StartExportSerializer(serializers.Serializer):
    case_number = serializers.CharField(max_length=40)
    request_number = serializers.CharField(max_length=30)
    iso = serializers.BooleanField(default=True)
