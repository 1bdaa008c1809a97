from __future__ import annotations

from rest_framework import serializers

from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Cause

from ..models import CaseMediaLink, MediaItem


class CaseLinkSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseMediaLink
        fields = ["case", "case_number", "stage", "note", "linked_at"]


class MediaItemSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.full_name", default="", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", default="", read_only=True)
    cause_name = serializers.CharField(source="cause.name", default="", read_only=True)
    clock_skew = serializers.FloatField(read_only=True)
    content_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = MediaItem
        fields = [
            "id",
            "sha256",
            "size",
            "original_name",
            "received_at",
            "kind",
            "status",
            "problem",
            "content_type",
            "duration",
            "device_recorded_at",
            "clock_skew",
            "width",
            "height",
            "video_codec",
            "audio_codec",
            "latitude",
            "longitude",
            "org_unit",
            "org_unit_name",
            "device_number",
            "officer",
            "officer_name",
            "used_at",
            "party_name",
            "cause",
            "cause_name",
            "task_reference",
            "session",
            "gap_before",
            "interrupted",
            "unlinked",
            "keep_until",
            "on_hold",
            "fixity",
            "fixity_checked_at",
            "fixity_failed_at",
            "content_url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    def get_content_url(self, obj: MediaItem) -> str:
        return f"/api/media/{obj.pk}/content"

    def get_thumbnail_url(self, obj: MediaItem) -> str:
        return f"/api/media/{obj.pk}/thumbnail"


class MediaDetailSerializer(MediaItemSerializer):
    case_links = CaseLinkSerializer(many=True, read_only=True)

    class Meta(MediaItemSerializer.Meta):
        fields = [*MediaItemSerializer.Meta.fields, "metadata", "case_links"]
        read_only_fields = fields


class ClassificationSerializer(serializers.Serializer):
    """Corrections to the six fields of 第十五条; ``reason`` is required and logged."""

    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    device_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    used_at = serializers.DateTimeField(required=False)
    party_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cause = serializers.PrimaryKeyRelatedField(
        queryset=Cause.objects.all(), required=False, allow_null=True
    )
    task_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=500)


class LinkSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    stage = serializers.ChoiceField(
        choices=[c for c in Stage.choices if c[0] != Stage.EXIT], required=False
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CustodyEntrySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default="")
    action = serializers.CharField()
    summary = serializers.CharField()
    data = serializers.DictField()
