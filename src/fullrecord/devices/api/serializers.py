from __future__ import annotations

from rest_framework import serializers

from ..choices import CheckItem, DeviceKind, FaultKind, FaultState, MarkKind, TaskKind
from ..models import (
    MAX_INTERVAL_DAYS,
    BookingCorrection,
    CameraBooking,
    Checkout,
    CheckoutCorrection,
    Device,
    DeviceModel,
    Fault,
    FaultStep,
    FootageLoss,
    Maintenance,
    MaintenanceOverride,
    Mark,
    Patrol,
)


class DeviceSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="model.name", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    maintenance_due = serializers.DateTimeField(read_only=True)
    maintenance_overdue = serializers.SerializerMethodField()
    holder = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = [
            "id",
            "number",
            "serial",
            "kind",
            "model",
            "org_unit",
            "org_unit_name",
            "status",
            "location",
            "storage_gb",
            "firmware",
            "maintained_at",
            "maintenance_due",
            "maintenance_overdue",
            "registered_at",
            "holder",
            "retired_at",
            "retired_by",
            "retired_reason",
        ]
        read_only_fields = fields

    retired_by = serializers.CharField(source="retired_by.username", default=None, read_only=True)

    def get_maintenance_overdue(self, obj: Device) -> bool:
        return obj.maintenance_overdue()

    def get_holder(self, obj: Device) -> str | None:
        open_checkout = obj.checkouts.filter(in_at=None).select_related("officer").first()
        return open_checkout.officer.username if open_checkout else None


class RegisterDeviceSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50)
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    model = serializers.CharField(max_length=100, help_text="Model name; created if new.")
    org_unit = serializers.IntegerField(help_text="Owning unit (id).")
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    storage_gb = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    firmware = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class EditDeviceSerializer(serializers.Serializer):
    """The registry fields that may change; send only those that do."""

    model = serializers.CharField(
        max_length=100, required=False, help_text="Name of a registered model of the same kind."
    )
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    org_unit = serializers.IntegerField(required=False, help_text="Owning unit (id).")
    storage_gb = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    firmware = serializers.CharField(max_length=50, required=False, allow_blank=True)
    location = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Fixed cameras and docking stations only.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class FootageLostRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text="Why the footage of the waiting checkouts will not come."
    )


class FootageLossSerializer(serializers.ModelSerializer):
    declared_by = serializers.CharField(source="declared_by.username", read_only=True)
    checkouts = serializers.SerializerMethodField()

    class Meta:
        model = FootageLoss
        fields = ["id", "device", "declared_by", "declared_at", "reason", "checkouts"]
        read_only_fields = fields

    def get_checkouts(self, obj: FootageLoss) -> list[int]:
        return list(obj.checkouts.values_list("pk", flat=True))


class MaintenanceSerializer(serializers.ModelSerializer):
    done_by = serializers.CharField(source="done_by.username", read_only=True)

    class Meta:
        model = Maintenance
        fields = [
            "id",
            "device",
            "done_by",
            "done_at",
            "battery_test",
            "storage_check",
            "clock_sync",
            "firmware",
            "note",
        ]
        read_only_fields = fields


class LogMaintenanceSerializer(serializers.Serializer):
    battery_test = serializers.BooleanField(required=False, default=False)
    storage_check = serializers.BooleanField(required=False, default=False)
    clock_sync = serializers.BooleanField(required=False, default=False)
    firmware = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="Firmware after."
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OverrideSerializer(serializers.ModelSerializer):
    granted_by = serializers.CharField(source="granted_by.username", read_only=True)

    class Meta:
        model = MaintenanceOverride
        fields = ["id", "device", "granted_by", "granted_at", "reason", "checkout"]
        read_only_fields = fields


class BookingCorrectionRecordSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = BookingCorrection
        fields = ["id", "at", "actor", "reason", "before", "after"]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    officer = serializers.CharField(source="officer.username", read_only=True)
    booked_by = serializers.CharField(source="booked_by.username", read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    patrol_number = serializers.CharField(source="patrol.number", default=None, read_only=True)
    footage = serializers.SerializerMethodField(help_text="Records bound to this booking.")
    cancelled_by = serializers.CharField(
        source="cancelled_by.username", default=None, read_only=True
    )
    corrections = BookingCorrectionRecordSerializer(many=True, read_only=True)

    class Meta:
        model = CameraBooking
        fields = [
            "id",
            "device",
            "officer",
            "task_kind",
            "case_number",
            "patrol_number",
            "starts_at",
            "ends_at",
            "note",
            "booked_by",
            "booked_at",
            "clock_offset",
            "clock_flagged",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "corrections",
            "footage",
        ]
        read_only_fields = fields

    def get_footage(self, obj: CameraBooking) -> list[int]:
        return [binding.item_id for binding in obj.bindings.all()]


class BookSerializer(serializers.Serializer):
    task_kind = serializers.ChoiceField(choices=TaskKind.choices)
    case_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    patrol = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="The patrol's number."
    )
    officer = serializers.CharField(
        max_length=150, required=False, help_text="Who conducts the task (username); you."
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    device_clock = serializers.DateTimeField(
        required=False,
        help_text="The time the camera shows now, read at the camera; an offset past the "
        "tolerance is kept, flagged and applied to the booking's footage.",
    )


class BookingCorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    clock_offset = serializers.FloatField(
        required=False, help_text="Seconds the camera clock was ahead of the server's."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DeviceModelSerializer(serializers.ModelSerializer):
    devices = serializers.IntegerField(
        source="device_count", read_only=True, help_text="Devices of this model you see."
    )

    class Meta:
        model = DeviceModel
        fields = ["id", "name", "kind", "maintenance_days", "devices"]
        read_only_fields = fields


class IntervalSerializer(serializers.Serializer):
    maintenance_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        help_text="Days between two maintenances of a device of this model (Article 14).",
    )


class CheckoutSerializer(serializers.ModelSerializer):
    device_number = serializers.CharField(source="device.number", read_only=True)
    officer = serializers.CharField(source="officer.username", read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    patrol_number = serializers.CharField(source="patrol.number", default=None, read_only=True)
    footage = serializers.SerializerMethodField()

    class Meta:
        model = Checkout
        fields = [
            "id",
            "device",
            "device_number",
            "officer",
            "task_kind",
            "case",
            "case_number",
            "patrol",
            "patrol_number",
            "task_note",
            "out_at",
            "in_at",
            "checklist",
            "clock_offset",
            "clock_flagged",
            "battery_out",
            "battery_in",
            "storage_free_in",
            "override_reason",
            "replaces",
            "footage_lost",
            "footage",
        ]
        read_only_fields = fields

    def get_footage(self, obj: Checkout) -> list[int]:
        return list(obj.bindings.values_list("item_id", flat=True))


class CheckoutRequestSerializer(serializers.Serializer):
    task_kind = serializers.ChoiceField(choices=TaskKind.choices)
    case = serializers.IntegerField(required=False, allow_null=True)
    patrol = serializers.IntegerField(required=False, allow_null=True)
    task_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    checklist = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Every item of the function check: " + ", ".join(CheckItem.values),
    )
    device_clock = serializers.DateTimeField(
        required=False, allow_null=True, help_text="The time the device shows."
    )
    battery = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    replaces = serializers.IntegerField(
        required=False, allow_null=True, help_text="The fault this spare replaces (its id)."
    )


class BlockedCheckoutSerializer(serializers.Serializer):
    detail = serializers.CharField()
    fault = serializers.IntegerField()
    spares = serializers.ListField(child=serializers.CharField())


class CheckinSerializer(serializers.Serializer):
    battery = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    storage_free = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    out_at = serializers.DateTimeField(required=False)
    in_at = serializers.DateTimeField(required=False)
    officer = serializers.CharField(
        required=False, max_length=150, help_text="The holder's username."
    )
    clock_offset = serializers.FloatField(
        required=False, help_text="Seconds the device clock was ahead of the server's."
    )
    task_kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)
    case_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Empty: no case."
    )
    patrol = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text="The patrol's number; empty: none.",
    )
    task_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CorrectionRecordSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = CheckoutCorrection
        fields = ["id", "at", "actor", "reason", "before", "after"]
        read_only_fields = fields


class FaultStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = FaultStep
        fields = ["from_state", "to_state", "actor", "at", "note"]
        read_only_fields = fields


class FaultSerializer(serializers.ModelSerializer):
    device_number = serializers.CharField(source="device.number", read_only=True)
    reported_by = serializers.CharField(source="reported_by.username", read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    steps = FaultStepSerializer(many=True, read_only=True)

    class Meta:
        model = Fault
        fields = [
            "id",
            "device",
            "device_number",
            "kind",
            "note",
            "state",
            "reported_by",
            "reported_at",
            "case",
            "case_number",
            "checkout",
            "closed_at",
            "steps",
        ]
        read_only_fields = fields


class ReportFaultSerializer(serializers.Serializer):
    device = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FaultKind.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    case = serializers.IntegerField(required=False, allow_null=True)


class FaultMoveSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(
        choices=[(s, label) for s, label in FaultState.choices if s != FaultState.REPORTED]
    )
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="The reason, required for a write-off. A write-off is refused while a "
        "checkout of the device waits for footage: ingest its card or declare the footage "
        "lost first (POST /api/devices/{id}/footage-lost).",
    )


class PatrolSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id",
            "number",
            "area",
            "org_unit",
            "org_unit_name",
            "team",
            "starts_at",
            "ends_at",
            "note",
        ]
        read_only_fields = fields


class PlanPatrolSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=200)
    org_unit = serializers.IntegerField()
    team = serializers.ListField(child=serializers.CharField(max_length=150), min_length=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MarkSerializer(serializers.ModelSerializer):
    made_by = serializers.CharField(source="made_by.username", read_only=True)

    class Meta:
        model = Mark
        fields = ["id", "item", "at_seconds", "kind", "note", "made_by", "made_at"]
        read_only_fields = fields


class AddMarkSerializer(serializers.Serializer):
    at_seconds = serializers.FloatField(min_value=0)
    kind = serializers.ChoiceField(choices=MarkKind.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StatisticsSerializer(serializers.Serializer):
    devices = serializers.ListField(child=serializers.DictField())
    officers = serializers.ListField(child=serializers.DictField())
    sections = serializers.ListField(child=serializers.DictField())
    models = serializers.ListField(child=serializers.DictField())
    idle = serializers.ListField(child=serializers.CharField())
    overdue = serializers.ListField(child=serializers.CharField())
    devices_total = serializers.IntegerField(help_text="Devices in service (not retired).")
    without_notice = serializers.ListField(child=serializers.DictField())
    days = serializers.IntegerField()
