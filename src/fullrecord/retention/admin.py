from django.contrib import admin

from fullrecord.core.admin_audit import AuditedAdmin

from . import terms
from .models import CaseFileTerm


def _recompute_on_commit(request) -> None:
    # The same task the administrator's page queues (``terms.queue_recompute``).
    terms.queue_recompute(request.user)


@admin.register(CaseFileTerm)
class CaseFileTermAdmin(AuditedAdmin, admin.ModelAdmin):
    """Case-file terms are the administrator's to edit; every change is in the audit log,
    and the keep-until dates of the evidence of cases are recomputed by the worker right
    after (``tasks.recompute_after_term_change``, its own audit entry)."""

    list_display = ("name", "outcome", "years", "active")
    list_filter = ("outcome", "active")
    filter_horizontal = ("causes",)

    def save_related(self, request, form, formsets, change) -> None:
        # After the causes are saved: the recomputation reads them.
        super().save_related(request, form, formsets, change)
        _recompute_on_commit(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        _recompute_on_commit(request)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        _recompute_on_commit(request)
