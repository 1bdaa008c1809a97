from django.contrib import admin

from fullrecord.core.admin import ReadOnlyAdmin

from .models import AuditEntry, HeadSinkState, SigningKey


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only for everyone, superusers included: the log is append-only."""

    list_display = ["seq", "at", "actor", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "object_id"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """Every key that signed tree heads; rotation is `fullrecord audit_key rotate`."""

    list_display = ["key_id", "created_at", "retired_at", "successor_key_id"]
    readonly_fields = [f.name for f in SigningKey._meta.fields]


@admin.register(HeadSinkState)
class HeadSinkStateAdmin(ReadOnlyAdmin):
    """How far signed heads reached each destination outside the machine, and the last error."""

    list_display = ["sink", "delivered_size", "delivered_at", "failures", "last_error"]
    readonly_fields = [f.name for f in HeadSinkState._meta.fields]
