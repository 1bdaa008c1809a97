from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fullrecord.cases.models import Cause

from ..choices import HoldReason, Outcome, SweepState
from ..models import CaseExport, CaseFileTerm, Hold, Sweep, SweepItem


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


class SweepProgressSerializer(serializers.Serializer):
    """Where a sweep stands: its approvals, its grace period, what was deleted or kept."""

    step = serializers.CharField(help_text="the sweep's state, as ``state``")
    approvals = serializers.IntegerField(help_text="approvals given, of the two needed")
    awaiting = serializers.ListField(
        child=serializers.ChoiceField(choices=["archivist", "leader"]),
        help_text="the approvals still awaited",
    )
    not_before = serializers.DateField(help_text="nothing is deleted before this day")
    listed = serializers.IntegerField()
    listed_bytes = serializers.IntegerField()
    pending = serializers.IntegerField()
    deleted = serializers.IntegerField()
    kept = serializers.IntegerField()
    bytes_removed = serializers.IntegerField(help_text="deleted originals gone from the store")
    percent = serializers.IntegerField(help_text="originals settled (deleted or kept), in %")


class SweepDetailSerializer(SweepSerializer):
    progress = serializers.SerializerMethodField()
    items = SweepItemSerializer(many=True, read_only=True)

    class Meta(SweepSerializer.Meta):
        fields = [*SweepSerializer.Meta.fields, "progress", "items"]

    @extend_schema_field(SweepProgressSerializer)
    def get_progress(self, sweep: Sweep) -> dict:
        counts = sweep.items.aggregate(
            listed=Count("pk"),
            listed_bytes=Coalesce(Sum("size"), 0),
            pending=Count("pk", filter=Q(outcome=SweepItem.PENDING)),
            deleted=Count("pk", filter=Q(outcome=SweepItem.DELETED)),
            kept=Count("pk", filter=Q(outcome=SweepItem.KEPT)),
            bytes_removed=Count("pk", filter=Q(outcome=SweepItem.DELETED, bytes_removed=True)),
        )
        awaiting = [
            slot
            for slot, by in (
                ("archivist", sweep.archivist_approval_by_id),
                ("leader", sweep.leader_approval_by_id),
            )
            if by is None
        ]
        settled = counts["deleted"] + counts["kept"]
        return {
            "step": sweep.state,
            "approvals": 2 - len(awaiting),
            "awaiting": awaiting if sweep.state == SweepState.LISTED else [],
            "not_before": sweep.grace_until,
            **counts,
            "percent": 100 * settled // counts["listed"] if counts["listed"] else 100,
        }


class CaseFileTermSerializer(serializers.ModelSerializer):
    permanent = serializers.BooleanField(read_only=True)
    causes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = CaseFileTerm
        fields = ["id", "name", "outcome", "years", "permanent", "causes", "active"]


class CaseFileTermWriteSerializer(serializers.Serializer):
    """A new term, or the fields of one that change (PATCH: only those given), and why."""

    name = serializers.CharField(max_length=100)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    years = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="empty (null) for permanent (永久)"
    )
    causes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Cause.objects.all(), required=False
    )
    reason = serializers.CharField(max_length=2000, help_text="why, for the audit log")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


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
