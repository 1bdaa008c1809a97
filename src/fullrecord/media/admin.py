"""Originals are read-only in the admin for everyone, superusers included (第十八条第二项)."""

from django.contrib import admin

from fullrecord.core.admin import ReadOnlyAdmin

from .models import CaseMediaLink, MediaItem, RecordingSession


@admin.register(MediaItem)
class MediaItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "original_name", "kind", "status", "device_number", "officer", "used_at"]
    list_filter = ["kind", "status", "interrupted", "unlinked"]
    search_fields = ["sha256", "original_name", "device_number", "party_name"]
    show_full_result_count = False  # no COUNT(*) over a million rows


@admin.register(CaseMediaLink)
class CaseMediaLinkAdmin(ReadOnlyAdmin):
    list_display = ["case", "item", "stage", "linked_by", "linked_at"]


@admin.register(RecordingSession)
class RecordingSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "device_number",
        "officer",
        "started_at",
        "ended_at",
        "segment_count",
        "interruption_count",
    ]
