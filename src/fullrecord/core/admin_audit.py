"""Administrators are logged like everyone else: every admin add, change and delete of a
catalogue row (causes, time limits, calendar, units, users, roles) goes into the audit
log in the same transaction as the change."""

from __future__ import annotations

from fullrecord.audit.services import record


class AuditedAdmin:
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        changed = list(form.changed_data) if form is not None else []
        record(
            "admin.change" if change else "admin.add",
            actor=request.user,
            obj=obj,
            summary=f"{obj._meta.verbose_name}: {obj}"[:500],
            data={
                "fields": {
                    name: str(form.cleaned_data.get(name))[:200]
                    for name in changed
                    if name not in ("password", "password1", "password2")
                }
            },
        )

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _ in formset.changed_objects]:
            record(
                "admin.change",
                actor=request.user,
                obj=obj,
                summary=f"{obj._meta.verbose_name}: {obj}"[:500],
            )
        for obj in formset.deleted_objects:
            record(
                "admin.delete",
                actor=request.user,
                obj=obj,
                summary=f"{obj._meta.verbose_name}: {obj}"[:500],
            )

    def delete_model(self, request, obj) -> None:
        record(
            "admin.delete",
            actor=request.user,
            obj=obj,
            summary=f"{obj._meta.verbose_name}: {obj}"[:500],
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            record(
                "admin.delete",
                actor=request.user,
                obj=obj,
                summary=f"{obj._meta.verbose_name}: {obj}"[:500],
            )
        super().delete_queryset(request, queryset)
