"""The sign-in forms: lockout and the audit trail of every password sign-in."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import signin
from .choices import OrgUnitKind
from .models import OrgUnit, User


class SignInForm(AuthenticationForm):
    """Django's LoginView signs in whoever this form accepts, so this is the one place that
    sees every password sign-in: on our page and, as ``AdminSignInForm``, on the admin's."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-ins: this account is locked until %(until)s. "
            "Try again then, or ask an administrator to unlock it."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        if until := signin.refuse_locked(username, self.request):
            raise self._locked_error(until)
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            if until := signin.failed(username, self.request):
                raise self._locked_error(until)
            raise self.get_invalid_login_error()
        try:
            self.confirm_login_allowed(self.user_cache)
        except forms.ValidationError:
            signin.failed(username, self.request, reason="not_allowed")
            raise
        signin.succeeded(self.user_cache, self.request)
        return self.cleaned_data

    def _locked_error(self, until) -> forms.ValidationError:
        when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"until": when}
        )


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's sign-in: staff only, counted and recorded like ours."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": SignInForm.error_messages["locked"],
    }


# --- the system administrator's forms (accounts/administration.py) ---------------------


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so the select shows the tree."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "　" * max(obj.depth, 0) + obj.name


class AccountForm(forms.ModelForm):
    """An account's particulars. Validation only: the service saves (and records)."""

    org_unit = UnitChoiceField(
        label=_("organisation unit"),
        queryset=OrgUnit.objects.none(),
        empty_label=_("Please choose"),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "org_unit", "email", "phone", "certificate_number"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.org_unit_id
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(
            models.Q(active=True) | models.Q(pk=current)
        )
        self.fields["full_name"].required = True
        for name in ("username", "full_name", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.input_type = "tel"


class UnitForm(forms.ModelForm):
    parent = UnitChoiceField(
        label=_("parent unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("None (top of the tree)"),
    )

    class Meta:
        model = OrgUnit
        fields = ["name", "kind", "parent", "code", "number_prefix"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(models.Q(active=True) | models.Q(pk=self.instance.parent_id))
        if self.instance.pk:
            # Not under itself or anything below it.
            units = units.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = units
        self.fields["kind"].choices = [("", _("Please choose")), *OrgUnitKind.choices]
        # The example is data, shown as code (the pages show no Latin words outside data).
        self.fields["code"].help_text = format_html(
            str(_("Short code used in case numbers, e.g. {example}")),
            example=format_html("<code>{}</code>", "QH"),
        )
