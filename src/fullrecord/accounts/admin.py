from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit, RoleGrant, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj: OrgUnit) -> str:
        return "　" * obj.depth + obj.name


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "org_unit",
        "certificate_number",
        "roles_display",
        "is_active",
    ]
    list_filter = ["org_unit", "role_grants__role", "is_active"]
    search_fields = ["username", "full_name", "certificate_number"]
    inlines = [RoleGrantInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Person"),
            {"fields": ["full_name", "org_unit", "certificate_number", "phone", "email"]},
        ),
        (
            _("Status"),
            {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "full_name",
                    "org_unit",
                    "certificate_number",
                    "password1",
                    "password2",
                ]
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("roles"))
    def roles_display(self, obj: User) -> str:
        return "、".join(obj.role_labels())
