from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role

from .models import SecurityPolicy


class PolicyForm(forms.ModelForm):
    two_factor_roles = forms.MultipleChoiceField(
        label=_("roles that sign in with a one-time code"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SecurityPolicy
        fields = [
            "password_min_length",
            "password_min_classes",
            "password_history",
            "password_max_age_days",
            "idle_timeout_minutes",
            "two_factor_roles",
            "two_factor_everyone",
        ]


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label=_("current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("new password"),
        widget=forms.PasswordInput,
        help_text=password_validation.password_validators_help_text_html,
    )
    new_password2 = forms.CharField(label=_("new password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("one-time code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class RoleForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
