from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from fullrecord.core.admin_audit import AuditedAdmin

from . import services, signin
from .forms import AdminSignInForm
from .models import OrgUnit, RoleGrant, User

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


class RoleGrantFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        # 三员分立: no account holds two administrator roles (security/roles.py).
        from fullrecord.security.roles import conflict

        roles = [
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        ]
        message = conflict(roles)
        if message:
            raise forms.ValidationError(message)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    formset = RoleGrantFormSet
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


class AuthTokenAddForm(forms.ModelForm):
    class Meta:
        model = AuthToken
        fields = ["user"]


# knox's own admin shows each token's digest and saves unrecorded; ours shows the first
# characters only, issues through the service (recorded, key shown once) and records deletes.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["token_key", "user", "created", "expiry"]
    search_fields = ["token_key", "user__username", "user__full_name"]
    fields = ["user"]
    readonly_fields = ["token_key", "user", "created", "expiry"]
    raw_id_fields = ["user"]
    form = AuthTokenAddForm

    def get_fields(self, request, obj=None):
        return ["user"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        token, key = services.create_api_token(obj.user, actor=request.user, via="admin")
        obj.pk, obj.token_key, obj.created, obj.expiry = (
            token.pk,
            token.token_key,
            token.created,
            token.expiry,
        )
        obj._state.adding = False
        obj._state.db = token._state.db
        self.message_user(
            request,
            gettext("The new token, shown this once (only its digest is kept): %(key)s")
            % {"key": key},
            messages.WARNING,
        )

    def delete_model(self, request, obj) -> None:
        services.revoke_api_tokens(
            obj.user, actor=request.user, token_key=obj.token_key, via="admin"
        )

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            self.delete_model(request, token)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    """Failed sign-ins as django-axes counts them, one row per (username, address). Rows
    are made by failed sign-ins only; an administrator may lift a lock (recorded)."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "is_locked"]
    search_fields = ["username", "ip_address"]
    fields = readonly_fields = ["username", "ip_address", "failures_since_start", "attempt_time"]
    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("locked"), boolean=True)
    def is_locked(self, obj: AccessAttempt) -> bool:
        from .lockout import pair_locked_until

        return pair_locked_until(obj.username, obj.ip_address) is not None

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset) -> None:
        names = set(queryset.values_list("username", flat=True))
        count = sum(signin.unlock(name, actor=request.user) for name in names)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
