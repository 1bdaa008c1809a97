from __future__ import annotations

from datetime import UTC

from rest_framework import serializers

from fullrecord.accounts.models import User

from ..models import AuditEntry, SignedTreeHead
from ..services import sth_message


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = ActorSerializer(allow_null=True)
    case_number = serializers.CharField(help_text="The case's number, when the entry has a case")

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "case_id",
            "case_number",
            "summary",
            "data",
            "prev_hash",
            "entry_hash",
            "leaf_hash",
        ]


class SignedTreeHeadSerializer(serializers.ModelSerializer):
    signed_at = serializers.SerializerMethodField(
        help_text="UTC, to the microsecond, exactly as in the signed message"
    )
    message = serializers.SerializerMethodField(help_text="The exact text the signature covers")

    class Meta:
        model = SignedTreeHead
        fields = ["tree_size", "root_hash", "signed_at", "key_id", "signature", "message"]

    def get_signed_at(self, head: SignedTreeHead) -> str:
        return head.signed_at.astimezone(UTC).isoformat(timespec="microseconds")

    def get_message(self, head: SignedTreeHead) -> str:
        return sth_message(head).decode()


class InclusionProofSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    leaf_index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.CharField()
    root_hash = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    tree_head = SignedTreeHeadSerializer()
    verified = serializers.BooleanField(
        help_text="The path leads from the entry to the signed head's root"
    )


class ConsistencyProofSerializer(serializers.Serializer):
    old_size = serializers.IntegerField()
    new_size = serializers.IntegerField()
    old_root = serializers.CharField()
    new_root = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    old_head = SignedTreeHeadSerializer()
    new_head = SignedTreeHeadSerializer()
    verified = serializers.BooleanField(help_text="The proof links the two signed roots")
