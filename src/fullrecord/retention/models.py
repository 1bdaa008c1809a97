"""Retention (第十二条), long-term holds (第十三条), the approved deletion sweep (第十八条第五项),
the paced fixity sweep and the case file on disc (第十三条、第十六条).

Every row here is written by ``retention/services.py`` (exports by ``retention/export.py``)
in the same transaction as its audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import HoldReason, HoldState, Outcome, Rule, SweepState


class CaseFileTerm(models.Model):
    """How long a case file is kept, per kind of case (永久 / 30 年 / 10 年), counted from the
    day the case file was closed for good (archived, or ended early). Edited by the
    administrator; the evidence of a case inherits the longest term that applies."""

    name = models.CharField(_("name"), max_length=100)
    outcome = models.CharField(_("applies to"), max_length=20, choices=Outcome.choices)
    years = models.PositiveSmallIntegerField(
        _("years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for permanent (永久)."),
    )
    causes = models.ManyToManyField(
        "cases.Cause",
        blank=True,
        related_name="+",
        verbose_name=_("only for these causes"),
        help_text=_("Empty: every cause."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["outcome", "name"]
        verbose_name = _("case-file term")
        verbose_name_plural = _("case-file terms")

    def __str__(self) -> str:
        return self.name

    @property
    def permanent(self) -> bool:
        return self.years is None


class ItemRetention(models.Model):
    """An item's keep-until date and why: the rule, the case and the term that gave it.

    Recomputed whenever the item is linked or unlinked, a case of its is archived or
    ended, a hold is placed or released, and again by the sweep before anything is listed
    or deleted. ``MediaItem.keep_until`` and ``on_hold`` carry the same answer.
    """

    item = models.OneToOneField(
        "media.MediaItem", on_delete=models.CASCADE, related_name="retention"
    )
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    forever = models.BooleanField(_("never falls due"), default=False)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    term = models.ForeignKey(
        CaseFileTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counted_from = models.DateField(_("counted from"), null=True, blank=True)
    held = models.BooleanField(_("on hold"), default=False)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("keep-until date")
        verbose_name_plural = _("keep-until dates")
        indexes = [models.Index(fields=["keep_until", "held", "forever"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.keep_until or '∞'}"


class Hold(models.Model):
    """第十三条: long-term preservation of an item, a recording session or a whole case."""

    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    note = models.TextField(_("explanation"), blank=True)
    item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audiovisual record"),
    )
    session = models.ForeignKey(
        "media.RecordingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recording session"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    label = models.CharField(_("held"), max_length=300)
    state = models.CharField(
        _("state"), max_length=20, choices=HoldState.choices, default=HoldState.ACTIVE
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now, editable=False)
    release_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("release asked by"),
    )
    release_asked_at = models.DateTimeField(_("release asked"), null=True, blank=True)
    release_note = models.TextField(_("why release"), blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("long-term hold")
        verbose_name_plural = _("long-term holds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(item__isnull=False, session__isnull=True, case__isnull=True)
                    | models.Q(item__isnull=True, session__isnull=False, case__isnull=True)
                    | models.Q(item__isnull=True, session__isnull=True, case__isnull=False)
                    | models.Q(state="released")
                ),
                name="hold_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("retention:hold", args=[self.pk])

    @property
    def in_force(self) -> bool:
        return self.state != HoldState.RELEASED


class Sweep(models.Model):
    """One deletion round: what fell due, shown for the grace period, deleted only after an
    archivist and a leader in charge — two different people — approved (第十八条第五项)."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    # The bureau whose originals it lists; its archivist and leader approve it.
    bureau = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bureau"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SweepState.choices, default=SweepState.LISTED
    )
    listed_at = models.DateTimeField(_("listed"), default=timezone.now, editable=False)
    grace_until = models.DateField(_("not before"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    archivist_approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the archivist"),
    )
    archivist_approved_at = models.DateTimeField(null=True, blank=True)
    leader_approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the leader in charge"),
    )
    leader_approved_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_count = models.PositiveIntegerField(_("deleted"), default=0)
    deleted_bytes = models.PositiveBigIntegerField(_("bytes deleted"), default=0)
    kept_count = models.PositiveIntegerField(_("kept after all"), default=0)
    certificate = models.ForeignKey(
        "audit.AuditEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deletion certificate"),
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)

    class Meta:
        ordering = ["-listed_at", "-id"]
        verbose_name = _("deletion sweep")
        verbose_name_plural = _("deletion sweeps")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("retention:sweep", args=[self.pk])

    @property
    def open(self) -> bool:
        return self.state in (SweepState.LISTED, SweepState.APPROVED)


class SweepItem(models.Model):
    """One original in a sweep, described as it was listed (the row outlives the item)."""

    PENDING, DELETED, KEPT = "pending", "deleted", "kept"
    OUTCOMES = [(PENDING, _("Pending")), (DELETED, _("Deleted")), (KEPT, _("Kept after all"))]

    sweep = models.ForeignKey(Sweep, on_delete=models.PROTECT, related_name="items")
    item = models.ForeignKey(
        "media.MediaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    name = models.CharField(_("original file name"), max_length=255)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    keep_until = models.DateField(_("keep until"))
    cases = models.CharField(_("cases"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=OUTCOMES, default=PENDING)
    kept_reason = models.CharField(_("why kept"), max_length=300, blank=True)
    # Set once the store no longer holds the bytes (after the commit that deleted the row).
    bytes_removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["keep_until", "id"]
        verbose_name = _("original in a sweep")
        verbose_name_plural = _("originals in a sweep")
        constraints = [models.UniqueConstraint(fields=["sweep", "sha256"], name="sweep_item_once")]

    def __str__(self) -> str:
        return f"{self.sweep_id}: {self.name}"


class FixityRun(models.Model):
    """One pass of the paced fixity sweep; ``cursor`` is the last item checked, committed as
    it goes, so a restarted worker continues where the last one stopped."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    touched_at = models.DateTimeField(_("last progress"), default=timezone.now)
    cursor = models.PositiveBigIntegerField(default=0)
    total = models.PositiveIntegerField(_("originals"), default=0)
    checked = models.PositiveIntegerField(_("checked"), default=0)
    bytes_checked = models.PositiveBigIntegerField(_("bytes checked"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    resumed = models.PositiveIntegerField(_("times resumed"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("fixity sweep")
        verbose_name_plural = _("fixity sweeps")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.checked}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.checked / self.total))


class CaseExport(models.Model):
    """The case file on disc: a BagIt package (and an ISO image) of one case (第十三条、第十六条)."""

    RUNNING, DONE, FAILED = "running", "done", "failed"
    STATES = [(RUNNING, _("Being made")), (DONE, _("Verified and ready")), (FAILED, _("Failed"))]

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    request = models.ForeignKey(
        "access.AccessRequest",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("access request"),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=RUNNING)
    step = models.CharField(_("step"), max_length=100, blank=True)
    done_bytes = models.PositiveBigIntegerField(default=0)
    total_bytes = models.PositiveBigIntegerField(default=0)
    directory = models.CharField(max_length=500, blank=True)
    iso_path = models.CharField(max_length=500, blank=True)
    iso_sha256 = models.CharField(max_length=64, blank=True)
    iso_size = models.PositiveBigIntegerField(default=0)
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("case file export")
        verbose_name_plural = _("case file exports")

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("retention:export", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.DONE:
            return 100
        return 0 if not self.total_bytes else min(99, 100 * self.done_bytes // self.total_bytes)
