"""Originals are read-only in the admin for everyone, superusers included (第十八条第二项)."""

from django.contrib import admin

from .models import CaseMediaLink, MediaItem, RecordingSession


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MediaItem)
class MediaItemAdmin(ReadOnly):
    list_display = ["id", "original_name", "kind", "status", "device_number", "officer", "used_at"]
    list_filter = ["kind", "status", "interrupted", "unlinked"]
    search_fields = ["sha256", "original_name", "device_number", "party_name"]
    show_full_result_count = False  # no COUNT(*) over a million rows


@admin.register(CaseMediaLink)
class CaseMediaLinkAdmin(ReadOnly):
    list_display = ["case", "item", "stage", "linked_by", "linked_at"]


@admin.register(RecordingSession)
class RecordingSessionAdmin(ReadOnly):
    list_display = [
        "device_number",
        "officer",
        "started_at",
        "ended_at",
        "segment_count",
        "interruption_count",
    ]
