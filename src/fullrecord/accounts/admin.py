from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from fullrecord.core.admin_audit import AuditedAdmin

from . import signin
from .forms import AdminSignInForm
from .models import LoginThrottle, OrgUnit, RoleGrant, User

# The admin's sign-in page counts failures and records sign-ins like ours (第十八条).
admin.site.login_form = AdminSignInForm


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin, admin.ModelAdmin):
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
class UserAdmin(AuditedAdmin, BaseUserAdmin):
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
            pgettext_lazy("user admin section", "Person"),
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


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Locks are set by failed sign-ins only; an administrator may lift one (recorded)."""

    list_display = ["username", "locked_until", "is_locked"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "locked_until"]
    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("locked"), boolean=True)
    def is_locked(self, obj: LoginThrottle) -> bool:
        return bool(obj.locked_until and obj.locked_until > timezone.now())

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset) -> None:
        count = sum(signin.unlock(t.username, actor=request.user) for t in queryset)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
