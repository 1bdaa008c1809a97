from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.calendars.services import WorkCalendar

from ..choices import STAGE_OF_STATE, DiscoverySource
from ..deadlines import status_of
from ..models import (
    Case,
    CaseChange,
    CaseDeadline,
    CaseTransition,
    Cause,
    Party,
    TimeLimitRule,
)
from ..workflow import TRANSITIONS


class CauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cause
        fields = ["id", "code", "name", "legal_basis", "active"]


class TimeLimitRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeLimitRule
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "days",
            "counting",
            "starts_at",
            "ends_at",
            "starts_on_service_of",
            "legal_source",
            "active",
        ]


class OfficerSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "certificate_number"]


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "id",
            "kind",
            "name",
            "id_type",
            "id_number",
            "legal_representative",
            "address",
            "contact",
        ]

    def to_representation(self, instance):
        # 个人信息保护法: masked on the way out; POST /api/parties/<id>/reveal/ shows one
        # field in full, recorded.
        data = super().to_representation(instance)
        data["id_number"] = instance.masked_id_number
        data["address"] = instance.masked_address
        data["contact"] = instance.masked_contact
        return data


class DeadlineSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="rule.name")
    legal_source = serializers.CharField(source="rule.legal_source")
    status = serializers.SerializerMethodField()

    class Meta:
        model = CaseDeadline
        fields = [
            "id",
            "name",
            "kind",
            "started_on",
            "due_on",
            "provisional",
            "met_at",
            "cancelled",
            "status",
            "legal_source",
            "counted_from",
        ]

    @extend_schema_field(serializers.CharField())
    def get_status(self, obj: CaseDeadline) -> str:
        calendar = self.context.setdefault("calendar", WorkCalendar())
        return status_of(
            obj, timezone.localdate(), calendar, settings.FULLRECORD_DUE_SOON_WORKING_DAYS
        ).code


class CaseSerializer(serializers.ModelSerializer):
    stage = serializers.SerializerMethodField()
    cause = serializers.PrimaryKeyRelatedField(queryset=Cause.objects.filter(active=True))
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    parties = PartySerializer(many=True, required=False)
    officers = serializers.SerializerMethodField()
    officer_ids = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role_grants__role=Role.OFFICER).distinct(),
        many=True,
        write_only=True,
        required=False,
    )
    source = serializers.ChoiceField(choices=DiscoverySource.choices)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "state",
            "stage",
            "cause",
            "source",
            "org_unit",
            "address",
            "latitude",
            "longitude",
            "summary",
            "discovered_on",
            "filed_on",
            "closed_on",
            "parties",
            "officers",
            "officer_ids",
            "created_at",
            "updated_at",
            "completeness_missing",
            "completeness_checked_at",
        ]
        read_only_fields = [
            "number",
            "state",
            "filed_on",
            "closed_on",
            "created_at",
            "updated_at",
            "completeness_missing",
            "completeness_checked_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_stage(self, obj: Case) -> str:
        return STAGE_OF_STATE[obj.state]

    @extend_schema_field(OfficerSerializer(many=True))
    def get_officers(self, obj: Case) -> list[dict]:
        return OfficerSerializer([a.officer for a in obj.assignments.all()], many=True).data


class CaseUpdateSerializer(serializers.ModelSerializer):
    cause = serializers.PrimaryKeyRelatedField(queryset=Cause.objects.filter(active=True))
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Why the facts change: required once the case is filed (立案).",
    )

    class Meta:
        model = Case
        fields = [
            "cause",
            "source",
            "address",
            "latitude",
            "longitude",
            "summary",
            "discovered_on",
            "reason",
        ]


class ChangeItemSerializer(serializers.Serializer):
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)


class CaseChangeSerializer(serializers.ModelSerializer):
    """A change of the case's facts or a party's particulars (案件信息变更)."""

    changes = serializers.SerializerMethodField()
    summary = serializers.CharField()
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = CaseChange
        fields = [
            "id",
            "party",
            "party_name",
            "changes",
            "summary",
            "reason",
            "needs_approval",
            "state",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]

    @extend_schema_field(serializers.DictField(child=ChangeItemSerializer()))
    def get_changes(self, obj: CaseChange) -> dict:
        return {
            name: {"before": item["before"], "after": item["after"]}
            for name, item in obj.changes.items()
        }


class ChangeRequestSerializer(serializers.Serializer):
    """Ask for a change: the new values of the case (or of ``party``), and why."""

    party = serializers.IntegerField(required=False, help_text="A party of this case to correct.")
    values = serializers.DictField(help_text="Field name → new value.")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ChangeDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Required when rejecting.",
    )


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    hearing_date = serializers.DateField(required=False)


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField(source="transition.name")
    label = serializers.CharField(source="transition.label")
    target = serializers.CharField(source="transition.target")
    reason_required = serializers.BooleanField(source="transition.reason_required")
    fields = serializers.ListField(source="transition.fields", child=serializers.CharField())
    allowed = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())


class CaseTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = CaseTransition
        fields = ["id", "name", "from_state", "to_state", "actor", "at", "reason", "data"]


class TimelineItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    stage = serializers.CharField()
    detail = serializers.CharField()
    actor = serializers.CharField()
    status = serializers.CharField()
    link = serializers.CharField()
    extra = serializers.DictField()


class AssignSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role_grants__role=Role.OFFICER).distinct()
    )
    lead = serializers.BooleanField(default=False)
