from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Cause

from .models import MediaItem


class ClassificationForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    class Meta:
        model = MediaItem
        fields = [
            "org_unit",
            "device_number",
            "officer",
            "used_at",
            "party_name",
            "cause",
            "task_reference",
        ]
        widgets = {
            "used_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.all()
        self.fields["officer"].queryset = User.objects.filter(
            role_grants__role=Role.OFFICER
        ).distinct()
        self.fields["cause"].queryset = Cause.objects.all()
        self.fields["used_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class LinkForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=40)
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("The case's current stage"))]
        + [c for c in Stage.choices if c[0] != Stage.EXIT],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
