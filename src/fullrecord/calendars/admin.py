from django.contrib import admin
from django.utils.translation import gettext as _

from fullrecord.core.admin_audit import AuditedAdmin

from .models import CalendarDay, CalendarYear


class RecountsDeadlines:
    """Provisional deadlines are recounted as soon as the calendar they waited for changes."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        from fullrecord.cases.deadlines import recompute_provisional

        changed = recompute_provisional()
        if changed:
            self.message_user(
                request, _("%(n)s provisional deadline(s) recounted.") % {"n": changed}
            )


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin, RecountsDeadlines, admin.ModelAdmin):
    list_display = ["year", "published", "source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin, RecountsDeadlines, admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "date"]
    date_hierarchy = "date"
    search_fields = ["name"]
