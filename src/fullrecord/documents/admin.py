"""The document catalogue (文书种类) is edited here by the administrator: which types a
stage holds and requires, their parts and their approval chains. Types are retired
(inactive), never deleted: issued documents keep naming theirs. Every change is audited
and marks the cases' completeness summaries for recomputation."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.cases import completeness
from fullrecord.core.admin_audit import AuditedAdmin

from .choices import Field
from .models import DocumentType, PaperItem

APPROVERS = (Role.SECTION_HEAD, Role.LEGAL, Role.LEADER)


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = [
            "code",
            "name",
            "stage",
            "required",
            "source",
            "numbered",
            "number_word",
            "fields",
            "two_officers",
            "approval_roles",
            "order",
            "active",
        ]

    def clean_approval_roles(self) -> list[str]:
        roles = self.cleaned_data.get("approval_roles") or []
        if not isinstance(roles, list) or any(r not in APPROVERS for r in roles):
            raise forms.ValidationError(
                _("List the approvers in order, from: %(roles)s.")
                % {"roles": "、".join(f"{r.value}（{r.label}）" for r in APPROVERS)}
            )
        return roles

    def clean_fields(self) -> list[str]:
        parts = self.cleaned_data.get("fields") or []
        unknown = (
            [p for p in parts if p not in Field.values] if isinstance(parts, list) else [parts]
        )
        if unknown:
            raise forms.ValidationError(
                _("Unknown parts: %(parts)s. Known parts: %(known)s.")
                % {"parts": "、".join(map(str, unknown)), "known": "、".join(Field.values)}
            )
        return parts


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin, admin.ModelAdmin):
    form = DocumentTypeForm
    list_display = ["name", "stage", "required", "source", "numbered", "active", "order"]
    list_editable = ["required", "active", "order"]
    list_filter = ["stage", "source", "required", "active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        completeness.mark_all_stale()


@admin.register(PaperItem)
class PaperItemAdmin(AuditedAdmin, admin.ModelAdmin):
    """当事人材料清单 (第十条第三项): what a party of each cause submits. Items are retired,
    never deleted (filed papers name theirs); a change marks the cases' completeness for
    recomputation, as the catalogue's does."""

    fields = ["cause", "party_kind", "name", "required", "note", "stage", "order", "active"]
    list_display = ["name", "cause", "party_kind", "required", "note", "active", "order"]
    list_editable = ["required", "active", "order"]
    list_filter = ["cause", "party_kind", "required", "active"]
    search_fields = ["name", "note"]
    list_select_related = ["cause"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        completeness.mark_all_stale()
