"""Recording equipment and the officer's day in the field (第九条、第十四条、第十八条第四项).

Every row here is written by ``devices.services`` with its audit entry in the same
transaction. Times are the bureau's (server) clock; what a device's own clock said is
kept beside them (``Checkout.clock_offset``) and never overwritten.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import (
    DeviceKind,
    DeviceStatus,
    FaultKind,
    FaultState,
    MarkKind,
    TaskKind,
)

# Ten years: beyond that an interval is a typing slip, not a maintenance plan.
MAX_INTERVAL_DAYS = 3650


class DeviceModel(models.Model):
    """A make and model; maintenance is planned per model (第十四条)."""

    name = models.CharField(_("model"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    maintenance_days = models.PositiveIntegerField(
        _("maintenance interval (days)"),
        default=90,
        help_text=_("Days between two maintenances of a device of this model."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("device model")
        verbose_name_plural = _("device models")

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    number = models.CharField(_("device number"), max_length=50, unique=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    model = models.ForeignKey(
        DeviceModel, on_delete=models.PROTECT, related_name="devices", verbose_name=_("model")
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owning section"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeviceStatus.choices,
        default=DeviceStatus.AVAILABLE,
        db_index=True,
    )
    location = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        help_text=_("Where a fixed camera or docking station is, e.g. interview room 1."),
    )
    storage_gb = models.PositiveIntegerField(_("storage (GB)"), null=True, blank=True)
    firmware = models.CharField(_("firmware"), max_length=50, blank=True)
    maintained_at = models.DateTimeField(_("last maintained"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    retired_reason = models.CharField(_("reason for retiring"), max_length=300, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retired by"),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("recording device")
        verbose_name_plural = _("recording devices")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("devices:detail", args=[self.pk])

    @property
    def maintenance_due(self):
        """When the next maintenance is due: the interval after the last one (or the
        registration, for a device never maintained)."""
        base = self.maintained_at or self.registered_at
        return base + timedelta(days=self.model.maintenance_days)

    def maintenance_overdue(self, now=None) -> bool:
        return self.maintenance_due < (now or timezone.now())


class DeviceAlias(models.Model):
    """Another number footage arrives under for a device (a station's own naming)."""

    number = models.CharField(_("number in footage"), max_length=50, unique=True)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="aliases", verbose_name=_("device")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("device number mapping")
        verbose_name_plural = _("device number mappings")

    def __str__(self) -> str:
        return f"{self.number} → {self.device}"


class UnknownNumber(models.Model):
    """A device number footage arrived under that no device or mapping knows: kept and
    listed until an administrator registers the device or maps the number."""

    number = models.CharField(_("device number"), max_length=50, unique=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now, editable=False)
    last_item_id = models.PositiveBigIntegerField(_("last record"), null=True, blank=True)
    seen = models.PositiveIntegerField(_("records"), default=0)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-first_seen"]
        verbose_name = _("unknown device number")
        verbose_name_plural = _("unknown device numbers")

    def __str__(self) -> str:
        return self.number


class Patrol(models.Model):
    """A patrol task (执法巡查): footage linked to one is not non-enforcement use (18(4))."""

    number = models.CharField(_("patrol number"), max_length=30, unique=True, editable=False)
    area = models.CharField(_("area"), max_length=200)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("section")
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="patrols", verbose_name=_("team")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("patrol task")
        verbose_name_plural = _("patrol tasks")

    def __str__(self) -> str:
        return f"{self.number} {self.area}"

    def get_absolute_url(self) -> str:
        return reverse("devices:patrol", args=[self.pk])


class Checkout(models.Model):
    """One device in one officer's hands (领取 … 归还), with the function check of 9(1)."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="checkouts", verbose_name=_("device")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="device_checkouts",
        verbose_name=_("officer"),
    )
    task_kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    patrol = models.ForeignKey(
        Patrol,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
        verbose_name=_("patrol task"),
    )
    task_note = models.CharField(_("task note"), max_length=200, blank=True)
    out_at = models.DateTimeField(_("checked out"))
    in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checklist = models.JSONField(_("function check"), default=dict)
    # Seconds the device's clock was ahead of the server's at checkout (negative: behind).
    clock_offset = models.FloatField(_("device clock offset (s)"), default=0)
    clock_flagged = models.BooleanField(_("clock off beyond tolerance"), default=False)
    battery_out = models.PositiveSmallIntegerField(_("battery at checkout (%)"), null=True)
    battery_in = models.PositiveSmallIntegerField(_("battery at check-in (%)"), null=True)
    storage_free_in = models.PositiveSmallIntegerField(_("free storage at check-in (%)"), null=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    # 第十四条: a device overdue for maintenance goes out only on a section head's word.
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("maintenance override by"),
    )
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    # 第九条第六项: the spare taken when this device failed its check or in the field.
    replaces = models.ForeignKey(
        "Fault",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spares",
        verbose_name=_("spare for fault"),
    )
    # 第十八条第五项: the window's footage will not come; the section head said so.
    footage_lost = models.ForeignKey(
        "FootageLoss",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
        verbose_name=_("footage declared lost"),
    )

    class Meta:
        ordering = ["-out_at", "-id"]
        verbose_name = _("device checkout")
        verbose_name_plural = _("device checkouts")
        constraints = [
            # Two checkouts of one device at once: the database lets only one in.
            models.UniqueConstraint(
                fields=["device"], condition=Q(in_at=None), name="one_open_checkout_per_device"
            )
        ]
        indexes = [models.Index(fields=["device", "out_at"], name="checkout_window")]

    def __str__(self) -> str:
        return f"{self.device} · {self.officer}"

    def get_absolute_url(self) -> str:
        return reverse("devices:checkout", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.in_at is None

    @property
    def task_label(self) -> str:
        parts = [str(self.get_task_kind_display())]
        if self.case_id:
            parts.append(self.case.number)
        if self.patrol_id:
            parts.append(self.patrol.number)
        if self.task_note:
            parts.append(self.task_note)
        return " · ".join(parts)

    @property
    def task_reference(self) -> str:
        """What footage of this window carries as its task (第十八条第四项)."""
        if self.patrol_id:
            return self.patrol.number
        if self.case_id:
            return ""
        return f"{self.get_task_kind_display()} #{self.pk}"

    @property
    def applied_offset(self) -> float:
        """The offset applied to this window's footage: within the tolerance the officer's
        reading of the device clock is no better than the clock, so none."""
        return self.clock_offset if self.clock_flagged else 0.0

    def hours(self, now=None) -> float:
        end = self.in_at or now or timezone.now()
        return max((end - self.out_at).total_seconds(), 0) / 3600


class CheckoutCorrection(models.Model):
    """A checkout's window, holder or task put right afterwards, with the reason."""

    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("checkout")
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=500)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["at"]
        verbose_name = _("checkout correction")
        verbose_name_plural = _("checkout corrections")

    def __str__(self) -> str:
        return f"{self.checkout_id} {self.at:%Y-%m-%d %H:%M}"


class Fault(models.Model):
    """A fault (第九条第六项) and its repair: reported → in repair → back or written off."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="faults", verbose_name=_("device")
    )
    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("during checkout"),
    )
    kind = models.CharField(_("fault"), max_length=20, choices=FaultKind.choices)
    note = models.CharField(_("description"), max_length=500, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=FaultState.choices,
        default=FaultState.REPORTED,
        db_index=True,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("device fault")
        verbose_name_plural = _("device faults")

    def __str__(self) -> str:
        return f"{self.device} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("devices:fault", args=[self.pk])


class FaultStep(models.Model):
    """One move of a repair, kept as its history."""

    fault = models.ForeignKey(Fault, on_delete=models.PROTECT, related_name="steps")
    from_state = models.CharField(max_length=20, choices=FaultState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=FaultState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("repair step")
        verbose_name_plural = _("repair steps")

    def __str__(self) -> str:
        return f"{self.fault_id} {self.from_state}→{self.to_state}"


class Maintenance(models.Model):
    """One maintenance of a device (第十四条), as logged by who did it."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="maintenances", verbose_name=_("device")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), default=timezone.now, editable=False)
    battery_test = models.BooleanField(_("battery tested"), default=False)
    storage_check = models.BooleanField(_("storage checked"), default=False)
    clock_sync = models.BooleanField(_("clock synchronised"), default=False)
    firmware = models.CharField(_("firmware after"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-done_at", "-id"]
        verbose_name = _("maintenance")
        verbose_name_plural = _("maintenances")

    def __str__(self) -> str:
        return f"{self.device} {self.done_at:%Y-%m-%d}"


class FootageBinding(models.Model):
    """Footage recorded by a device during a checkout window: whose, for what task, and
    its time on the bureau's clock (the device's own time less the checkout's offset)."""

    item = models.OneToOneField(
        "media.MediaItem",
        on_delete=models.PROTECT,
        related_name="device_binding",
        verbose_name=_("audiovisual record"),
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="bindings", verbose_name=_("device")
    )
    checkout = models.ForeignKey(
        Checkout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bindings",
        verbose_name=_("checkout"),
    )
    booking = models.ForeignKey(
        "CameraBooking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bindings",
        verbose_name=_("booking of a fixed camera"),
    )
    device_time = models.DateTimeField(_("device clock time"))
    bureau_time = models.DateTimeField(_("bureau time"), db_index=True)
    bound_at = models.DateTimeField(default=timezone.now)
    # What this binding filled in on the record (and only that is taken back when the
    # window is corrected and the record falls out): an officer, a task, a case link.
    applied_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_task = models.CharField(max_length=100, blank=True)
    applied_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("footage binding")
        verbose_name_plural = _("footage bindings")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.checkout_id}"


class Mark(models.Model):
    """A marked moment in footage (告知, arrival, questioning, free)."""

    item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.PROTECT,
        related_name="marks",
        verbose_name=_("audiovisual record"),
    )
    at_seconds = models.FloatField(_("at (seconds into the record)"))
    kind = models.CharField(_("kind"), max_length=20, choices=MarkKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["item", "at_seconds", "id"]
        verbose_name = _("marked moment")
        verbose_name_plural = _("marked moments")

    def __str__(self) -> str:
        return f"{self.item_id}@{self.at_seconds:.1f} {self.kind}"


class ClipRequest(models.Model):
    """A clip (from–to) of a record asked for as a copy, through an access request."""

    item = models.ForeignKey("media.MediaItem", on_delete=models.PROTECT, related_name="+")
    start_seconds = models.FloatField(_("from (s)"))
    end_seconds = models.FloatField(_("to (s)"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    access_request_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("clip request")
        verbose_name_plural = _("clip requests")

    def __str__(self) -> str:
        return f"{self.item_id} {self.start_seconds}-{self.end_seconds}"


class CameraBooking(models.Model):
    """A fixed camera (an interview room, a site) booked for a task and a time: its footage
    of that window is bound to the task, the case and the officer who conducts it. Footage
    of a fixed camera outside every booking stays unlinked (第十八条第四项)."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("device")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer conducting"),
    )
    task_kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    patrol = models.ForeignKey(
        "Patrol",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patrol task"),
    )
    starts_at = models.DateTimeField(pgettext_lazy("booking", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("booking", "until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now, editable=False)
    # Seconds the camera's clock was ahead of the server's (negative: behind), as read at
    # the camera when booking or put right afterwards; applied past the tolerance only.
    clock_offset = models.FloatField(_("device clock offset (s)"), default=0)
    clock_flagged = models.BooleanField(_("clock off beyond tolerance"), default=False)
    # A cancelled booking binds nothing and is kept, with who cancelled it and why.
    cancelled_at = models.DateTimeField(_("time cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("camera booking")
        verbose_name_plural = _("camera bookings")

    def __str__(self) -> str:
        return f"{self.device} {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("devices:booking", args=[self.pk])

    @property
    def task_reference(self) -> str:
        """What footage of this booking carries as its task (第十八条第四项)."""
        if self.patrol_id:
            return self.patrol.number
        if self.case_id:
            return ""
        return f"{self.get_task_kind_display()} #B{self.pk}"

    @property
    def applied_offset(self) -> float:
        """As a checkout's: within the tolerance the reading is no better than the clock."""
        return self.clock_offset if self.clock_flagged else 0.0


class BookingCorrection(models.Model):
    """A booking's times or camera clock put right afterwards, with the reason."""

    booking = models.ForeignKey(
        CameraBooking,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("camera booking"),
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=500)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("booking correction")
        verbose_name_plural = _("booking corrections")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.at:%Y-%m-%d %H:%M}"


class PatrolCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class MaintenanceOverride(models.Model):
    """A section head's leave for one checkout of a device overdue for maintenance
    (第十四条), used by the next checkout of that device."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("device")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=300)
    checkout = models.OneToOneField(
        Checkout, on_delete=models.PROTECT, null=True, blank=True, related_name="override"
    )

    class Meta:
        verbose_name = _("maintenance override")
        verbose_name_plural = _("maintenance overrides")

    def __str__(self) -> str:
        return f"{self.device} · {self.granted_by}"


class FootageLoss(models.Model):
    """The footage of a device's storage card declared lost by its section head, with the
    reason (第十八条第五项): the checkout windows still waiting for footage then stop
    waiting, and the device may be written off. Shown to the inspection team."""

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="footage_losses", verbose_name=_("device")
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("footage declared lost")
        verbose_name_plural = _("footage declared lost")

    def __str__(self) -> str:
        return f"{self.device} {self.declared_at:%Y-%m-%d}"
