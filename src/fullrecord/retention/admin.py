from django.contrib import admin

from fullrecord.core.admin_audit import AuditedAdmin

from .models import CaseFileTerm


@admin.register(CaseFileTerm)
class CaseFileTermAdmin(AuditedAdmin, admin.ModelAdmin):
    """Case-file terms are the administrator's to edit; every change is in the audit log.
    Keep-until dates follow at the next daily listing (or `fullrecord retention_recompute`)."""

    list_display = ("name", "outcome", "years", "active")
    list_filter = ("outcome", "active")
    filter_horizontal = ("causes",)
