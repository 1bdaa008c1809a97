from rest_framework import serializers

from ..choices import Purpose
from ..models import AccessRequest, Copy


class CopySerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Copy
        fields = [
            "id",
            "request",
            "item",
            "kind",
            "state",
            "problem",
            "filename",
            "sha256",
            "size",
            "watermark",
            "clip_start",
            "clip_end",
            "made_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Copy) -> str | None:
        return f"/api/copies/{obj.pk}/content" if obj.state == "ready" else None


class AccessRequestSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.username", read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "number",
            "requester",
            "purpose",
            "reason",
            "case",
            "case_number",
            "items",
            "state",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "expires_at",
            "revoked_at",
            "revoke_reason",
            "clip_start",
            "clip_end",
            "active",
        ]
        read_only_fields = fields

    def get_active(self, obj: AccessRequest) -> bool:
        return obj.is_active()


class FileRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.VIEW)
    reason = serializers.CharField(max_length=2000)
    case_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    items = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list
    )
    clip_start = serializers.FloatField(
        required=False, allow_null=True, help_text="A clip of the one record named: from (s)."
    )
    clip_end = serializers.FloatField(
        required=False, allow_null=True, help_text="A clip of the one record named: to (s)."
    )


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(min_value=1, required=False)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CopyRequestSerializer(serializers.Serializer):
    item = serializers.IntegerField()
