from __future__ import annotations

from rest_framework import serializers

from .. import access, masking
from ..choices import ServiceMethod
from ..models import ApprovalStep, Document, PaperNotApplicable, Service


class ApprovalStepSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = ApprovalStep
        fields = ["round", "position", "role", "status", "decided_by", "decided_at", "opinion"]


class ServiceSerializer(serializers.ModelSerializer):
    proof = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "method",
            "served_on",
            "recipient",
            "witnesses",
            "address",
            "proof",
            "recorded_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="doc_type.code", read_only=True)
    type_name = serializers.CharField(source="doc_type.name", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    previous = serializers.IntegerField(source="previous_id", read_only=True, allow_null=True)
    approval_of = serializers.IntegerField(
        source="approval_of_id",
        read_only=True,
        allow_null=True,
        help_text="For a filed 内部程序审批表: the document whose approval chain it records.",
    )
    paper_item = serializers.IntegerField(
        source="paper_item_id",
        read_only=True,
        allow_null=True,
        help_text="For a party's paper: the checklist item it was filed against.",
    )
    party = serializers.IntegerField(
        source="party_id", read_only=True, allow_null=True, help_text="Whose paper it is."
    )
    steps = ApprovalStepSerializer(many=True, read_only=True)
    services = ServiceSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "type",
            "type_name",
            "stage",
            "status",
            "number",
            "version",
            "previous",
            "approval_of",
            "correction_reason",
            "sha256",
            "flagged",
            "paper_item",
            "party",
            "content",
            "created_at",
            "issued_at",
            "steps",
            "services",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Document) -> dict:
        """The parts in full for whoever may draft the document (they write them); for
        other readers with the parties' personal data masked (``documents.masking``). A
        serializer without a request answers a write of the drafter's own."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not data.get("content"):
            return data
        seen = self.context.setdefault("_masking", {})
        key = (instance.case_id, instance.doc_type_id)
        if key not in seen:
            may_draft = access.can_draft(request.user, instance.case, instance.doc_type)
            seen[key] = [] if may_draft else self._pairs(instance)
        data["content"] = masking.masked_content(data["content"], seen[key])
        return data

    def _pairs(self, instance: Document) -> list[tuple[str, str]]:
        by_case = self.context.setdefault("_pairs", {})
        if instance.case_id not in by_case:
            by_case[instance.case_id] = masking.replacements(instance)
        return by_case[instance.case_id]


class DraftRequestSerializer(serializers.Serializer):
    type = serializers.SlugField(help_text="Code of the document type, e.g. interview_record.")


class ScanRequestSerializer(serializers.Serializer):
    type = serializers.SlugField()
    file = serializers.FileField()


class ContentSerializer(serializers.Serializer):
    content = serializers.DictField(help_text="The type's parts; officers as a list of user ids.")


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ServiceRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ServiceMethod.choices)
    served_on = serializers.DateField()
    recipient = serializers.CharField(max_length=100)
    witnesses = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    consent = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    proof = serializers.FileField(required=False)


# ---------------------------------------------------------------- the party's papers


class PaperSerializer(serializers.ModelSerializer):
    """One scan filed against a checklist item."""

    class Meta:
        model = Document
        fields = ["id", "sha256", "flagged", "issued_at"]
        read_only_fields = fields


class NotApplicableSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = PaperNotApplicable
        fields = ["id", "party", "party_name", "item", "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ChecklistLineSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.name")
    note = serializers.CharField(source="item.note")
    required = serializers.BooleanField(source="item.required")
    stage = serializers.CharField(source="item.stage")
    status = serializers.ChoiceField(choices=["filed", "not_applicable", "missing", "optional"])
    papers = PaperSerializer(many=True)
    not_applicable = NotApplicableSerializer(allow_null=True)


class PartyChecklistSerializer(serializers.Serializer):
    party = serializers.IntegerField(source="party.pk")
    name = serializers.CharField(source="party.name")
    kind = serializers.CharField(source="party.kind")
    complete = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField(), source="missing_names")
    lines = ChecklistLineSerializer(many=True)


class PaperRequestSerializer(serializers.Serializer):
    party = serializers.IntegerField(help_text="A party of the case.")
    item = serializers.IntegerField(help_text="An item of that party's checklist.")
    file = serializers.FileField()


class NotApplicableRequestSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    item = serializers.IntegerField()
    reason = serializers.CharField(min_length=4)
