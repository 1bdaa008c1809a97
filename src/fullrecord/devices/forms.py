from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User

from .choices import (
    STATIONARY_KINDS,
    CheckItem,
    DeviceKind,
    FaultKind,
    FaultState,
    MarkKind,
    TaskKind,
)
from .models import MAX_INTERVAL_DAYS, DeviceModel, Patrol

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
    )


def _percent(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class RegisterForm(forms.Form):
    number = forms.CharField(label=_("Device number"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    model = forms.CharField(
        label=_("Model"),
        max_length=100,
        help_text=_("A new model is added with 90 days' maintenance."),
    )
    org_unit = forms.ModelChoiceField(label=_("Owning section"), queryset=OrgUnit.objects.none())
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("For fixed cameras and docking stations, e.g. interview room 1."),
    )
    storage_gb = forms.IntegerField(label=_("Storage (GB)"), min_value=0, required=False)
    firmware = forms.CharField(label=_("Firmware"), max_length=50, required=False)

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()

    def model_object(self) -> DeviceModel:
        model, _created = DeviceModel.objects.get_or_create(
            name=self.cleaned_data["model"].strip(), defaults={"kind": self.cleaned_data["kind"]}
        )
        return model


class EditDeviceForm(forms.Form):
    """A device's registry entry; the number and kind stay as registered."""

    model = forms.ModelChoiceField(label=_("Model"), queryset=DeviceModel.objects.none())
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    org_unit = forms.ModelChoiceField(label=_("Owning section"), queryset=OrgUnit.objects.none())
    storage_gb = forms.IntegerField(label=_("Storage (GB)"), min_value=0, required=False)
    firmware = forms.CharField(label=_("Firmware"), max_length=50, required=False)
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("For fixed cameras and docking stations, e.g. interview room 1."),
    )

    def __init__(self, *args, device, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = DeviceModel.objects.filter(kind=device.kind)
        # The current section stays a choice even when it lies outside the user's reach.
        self.fields["org_unit"].queryset = (
            units | OrgUnit.objects.filter(pk=device.org_unit_id)
        ).order_by("path")
        if device.kind not in STATIONARY_KINDS:
            del self.fields["location"]


class IntervalForm(forms.Form):
    maintenance_days = forms.IntegerField(
        label=_("Maintenance interval (days)"),
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        widget=forms.NumberInput(
            attrs={
                "inputmode": "numeric",
                "class": "interval-input",
                "aria-label": _("Maintenance interval (days)"),
            }
        ),
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for retiring"),
        max_length=300,
        help_text=_("Damaged beyond repair, worn out, lost …"),
    )


class FootageLostForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the footage will not come"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckoutForm(forms.Form):
    task_kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    case_number = forms.CharField(
        label=_("Case number"), max_length=40, required=False, help_text=_("For work on a case.")
    )
    patrol = forms.ModelChoiceField(
        label=_("Patrol task"), queryset=Patrol.objects.none(), required=False
    )
    task_note = forms.CharField(label=_("Task note"), max_length=200, required=False)
    device_clock = forms.DateTimeField(
        label=_("Time the device shows"),
        input_formats=DATETIME_FORMATS,
        widget=_datetime_widget(),
        help_text=_("Read it off the device; an offset is kept and applied to its footage."),
    )
    battery = _percent(_("Battery (%)"))
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, patrols=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if patrols is not None:
            self.fields["patrol"].queryset = patrols
        for item in CheckItem:
            self.fields[f"check_{item.value}"] = forms.TypedChoiceField(
                label=item.label,
                choices=[("1", _("Works")), ("0", _("Fails"))],
                coerce=lambda v: v == "1",
                widget=forms.RadioSelect(attrs={"class": "check"}),
            )
        self.initial.setdefault(
            "device_clock", timezone.localtime().replace(microsecond=0, tzinfo=None)
        )

    def checklist(self) -> dict[str, bool]:
        return {item.value: self.cleaned_data[f"check_{item.value}"] for item in CheckItem}

    def check_fields(self):
        return [self[f"check_{item.value}"] for item in CheckItem]

    def task_fields(self):
        return [self[n] for n in ("task_kind", "case_number", "patrol", "task_note")]


class CheckinForm(forms.Form):
    battery = _percent(_("Battery (%)"))
    storage_free = _percent(_("Free storage (%)"))


class CorrectionForm(forms.Form):
    out_at = forms.DateTimeField(
        label=_("Checked out"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    in_at = forms.DateTimeField(
        label=_("Checked in"),
        input_formats=DATETIME_FORMATS,
        widget=_datetime_widget(),
        required=False,
    )
    officer = forms.ModelChoiceField(label=_("Holder"), queryset=User.objects.none())
    clock_offset = forms.FloatField(
        label=_("Device clock offset (s)"),
        help_text=_("Seconds the device clock was ahead of the bureau's (negative: behind)."),
    )
    task_kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    case_number = forms.CharField(
        label=_("Case number"), max_length=40, required=False, help_text=_("For work on a case.")
    )
    patrol = forms.ModelChoiceField(
        label=_("Patrol task"), queryset=Patrol.objects.none(), required=False
    )
    task_note = forms.CharField(label=_("Task note"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)

    def __init__(self, *args, checkout=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        officers = User.objects.filter(role_grants__role=Role.OFFICER, is_active=True).distinct()
        if checkout is not None:
            bureau = checkout.device.org_unit.bureau()
            officers = officers.filter(org_unit__path__startswith=bureau.path)
            self.fields["patrol"].queryset = Patrol.objects.filter(
                org_unit__path__startswith=bureau.path
            ).order_by("-starts_at")
        self.fields["officer"].queryset = officers


class FaultForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is wrong"), choices=FaultKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Description"), max_length=500, required=False)


class FaultMoveForm(forms.Form):
    to_state = forms.ChoiceField(
        label=_("Move to"),
        choices=[(s, label) for s, label in FaultState.choices if s != FaultState.REPORTED],
    )
    note = forms.CharField(label=_("Note or reason"), max_length=500, required=False)


class MaintenanceForm(forms.Form):
    battery_test = forms.BooleanField(label=_("Battery tested"), required=False)
    storage_check = forms.BooleanField(label=_("Storage checked"), required=False)
    clock_sync = forms.BooleanField(label=_("Clock synchronised"), required=False)
    firmware = forms.CharField(label=_("Firmware after"), max_length=50, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PatrolForm(forms.Form):
    area = forms.CharField(label=_("Area"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("Section"), queryset=OrgUnit.objects.none())
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, units=None, officers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["team"].queryset = officers if officers is not None else User.objects.none()


class BookingForm(forms.Form):
    """A fixed camera booked for a task and a time (an interview room, a site)."""

    task_kind = forms.ChoiceField(label=_("Task"), choices=TaskKind.choices)
    case_number = forms.CharField(
        label=_("Case number"), max_length=40, required=False, help_text=_("For work on a case.")
    )
    patrol = forms.ModelChoiceField(
        label=_("Patrol task"), queryset=Patrol.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    officer = forms.ModelChoiceField(
        label=_("Officer conducting"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Empty: you."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    device_clock = forms.DateTimeField(
        label=_("Time the camera shows"),
        input_formats=DATETIME_FORMATS,
        widget=_datetime_widget(),
        required=False,
        help_text=_(
            "If you are at the camera: read its clock; an offset beyond the tolerance is "
            "kept and applied to the booking's footage."
        ),
    )

    def __init__(self, *args, patrols=None, device=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if patrols is not None:
            self.fields["patrol"].queryset = patrols
        if device is not None:
            bureau = device.org_unit.bureau()
            self.fields["officer"].queryset = User.objects.filter(
                role_grants__role=Role.OFFICER,
                is_active=True,
                org_unit__path__startswith=bureau.path,
            ).distinct()


class BookingCorrectionForm(forms.Form):
    """A booking's window or the camera clock put right afterwards, with the reason."""

    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=DATETIME_FORMATS, widget=_datetime_widget()
    )
    clock_offset = forms.FloatField(
        label=_("Device clock offset (s)"),
        help_text=_("Seconds the device clock was ahead of the bureau's (negative: behind)."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class BookingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        # On the booking's page beside the correction form, whose reason is ``id_reason``.
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)


class MapNumberForm(forms.Form):
    number = forms.CharField(label=_("Device number in footage"), max_length=50)
    device = forms.CharField(label=_("Registered device number"), max_length=50)


class MarkForm(forms.Form):
    at_seconds = forms.FloatField(label=_("At (seconds)"), min_value=0)
    kind = forms.ChoiceField(label=_("Kind"), choices=MarkKind.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ClipForm(forms.Form):
    start = forms.FloatField(label=_("From (s)"), min_value=0)
    end = forms.FloatField(label=_("To (s)"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=500)
