"""Catalogues are edited here; cases are shown read-only — they move only through the
workflow service (the case page, the API or ``fullrecord case_transition``)."""

from django.contrib import admin

from fullrecord.core.admin import ReadOnlyAdmin
from fullrecord.core.admin_audit import AuditedAdmin

from .models import Case, CaseTransition, Cause, TimeLimitRule


@admin.register(Cause)
class CauseAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "active", "order", "legal_basis"]
    list_editable = ["active", "order"]
    search_fields = ["name", "code"]


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "days",
        "counting",
        "starts_at",
        "starts_on_service_of",
        "legal_source",
        "active",
    ]
    list_filter = ["kind", "counting", "active"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "cause", "state", "org_unit", "discovered_on"]
    list_filter = ["state", "cause", "org_unit"]
    search_fields = ["number", "address", "parties__name"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["case", "name", "from_state", "to_state", "actor", "at"]
    list_filter = ["name"]
