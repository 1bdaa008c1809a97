"""The inspection team's records: plans, reproducible samples, reviews, rectification orders.

第十九条: the inspection team checks regularly, points out problems and orders correction.
第二十条: sampled case-file reviews (1), and playback of body-camera (2) and fixed-camera (3)
footage. Rows written by ``services.py`` only; timestamps set once; foreign keys PROTECT.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.cases.choices import Stage

from .choices import (
    Answer,
    CaseStrata,
    FootageStrata,
    MachineCheck,
    PlanState,
    RectificationEvent,
    RectificationState,
    ReviewState,
    SampleKind,
)

# The fields that fix a plan's seed: never changed once the plan has started.
SEED_FIELDS = ("seed_tree_size", "seed_root_hash", "seed")


class SeedIsImmutable(ValidationError):
    pass


class InspectionPlan(models.Model):
    """检查计划: a period, a scope, sample sizes per stratum, and the seed of its draw."""

    title = models.CharField(_("title"), max_length=200)
    bureau = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bureau inspected"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    sections = models.ManyToManyField(
        "accounts.OrgUnit",
        blank=True,
        related_name="+",
        verbose_name=_("sections"),
        help_text=_("Empty: every section of the bureau."),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("officers"),
        help_text=_("Empty: every officer."),
    )
    causes = models.ManyToManyField(
        "cases.Cause",
        blank=True,
        related_name="+",
        verbose_name=_("case types"),
        help_text=_("Empty: every cause."),
    )
    stages = models.JSONField(
        _("case stages"), default=list, blank=True, help_text=_("Empty: every stage.")
    )
    media_kinds = models.JSONField(_("kinds of footage"), default=list, blank=True)
    device_numbers = models.JSONField(
        _("footage sources (device numbers)"),
        default=list,
        blank=True,
        help_text=_("Body cameras and fixed cameras by number; empty: every device."),
    )
    # How each kind is stratified, and the size per stratum: ``stratum_sizes`` lists sizes
    # for named strata ({"case": {"<stratum>": n}, "footage": {...}}); every stratum not
    # listed takes ``cases_per_stratum`` / ``footage_per_stratum`` (plans of the previous
    # release: by section, nothing listed, the one size for every section).
    case_strata = models.CharField(
        _("case files stratified"),
        max_length=10,
        choices=CaseStrata.choices,
        default=CaseStrata.SECTION,
    )
    footage_strata = models.CharField(
        _("footage stratified"),
        max_length=10,
        choices=FootageStrata.choices,
        default=FootageStrata.SECTION,
    )
    stratum_sizes = models.JSONField(_("sample size per stratum"), default=dict, blank=True)
    cases_per_stratum = models.PositiveIntegerField(
        _("case files per stratum not listed"), default=0
    )
    footage_per_stratum = models.PositiveIntegerField(
        _("footage items per stratum not listed"), default=0
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # The seed: fixed when the plan starts, from the latest signed tree head; nobody chooses
    # it. Plans of the previous release had it fixed at their first draw and keep it.
    seed_tree_size = models.PositiveBigIntegerField(_("seed tree size"), null=True, blank=True)
    seed_root_hash = models.CharField(_("seed root hash"), max_length=64, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    seeded_at = models.DateTimeField(_("seed fixed"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The seed is immutable once drawn, whichever path tries to change it.
        if self.pk:
            stored = InspectionPlan.objects.filter(pk=self.pk).values(*SEED_FIELDS).first() or {}
            if stored.get("seed") and any(
                stored[name] != getattr(self, name) for name in SEED_FIELDS
            ):
                raise SeedIsImmutable(_("The seed of a drawn plan cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("supervision:plan", args=[self.pk])

    def stage_labels(self) -> list[str]:
        return [str(Stage(s).label) for s in self.stages if s in Stage.values]

    @property
    def current_draw(self) -> SampleDraw | None:
        return self.draws.order_by("-number").first()


class SampleDraw(models.Model):
    """One draw of a plan's sample: the population it saw and what it chose, as recorded."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="draws", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("draw"))
    drawn_at = models.DateTimeField(_("drawn"), default=timezone.now, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    reason = models.TextField(_("reason for drawing again"), blank=True)
    # The scope and sizes the draw used, so it can be re-drawn after the plan changes.
    scope = models.JSONField(_("scope"), default=dict)
    # {"case": {"<stratum>": [ids ascending]}, "footage": {...}}; stratum = section id, 0 = none.
    population = models.JSONField(_("population"), default=dict)
    sample = models.JSONField(_("sample"), default=dict)
    # Strata whose population was smaller than the sample size: all were taken.
    all_taken = models.JSONField(_("strata taken whole"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("sample draw")
        verbose_name_plural = _("sample draws")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_draw_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class SampleEntry(models.Model):
    """One case file or footage item of a draw, in the order the algorithm chose it."""

    draw = models.ForeignKey(
        SampleDraw, on_delete=models.PROTECT, related_name="entries", verbose_name=_("draw")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SampleKind.choices)
    # The stratum as the algorithm writes it: a section's or a cause's id in decimal, or a
    # device number (previous release: always a section id, carried over as its text).
    stratum = models.CharField(_("stratum"), max_length=60)
    rank = models.PositiveIntegerField(_("rank"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("footage"),
    )

    class Meta:
        ordering = ["kind", "stratum", "rank"]
        verbose_name = _("sampled record")
        verbose_name_plural = _("sampled records")

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id or self.item_id}"

    @property
    def subject(self):
        return self.case if self.kind == SampleKind.CASE else self.item


class RubricItem(models.Model):
    """One line of the scoring rubric, edited by the inspection team."""

    kind = models.CharField(_("applies to"), max_length=10, choices=SampleKind.choices)
    label = models.CharField(_("criterion"), max_length=200)
    guidance = models.CharField(_("guidance"), max_length=500, blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), validators=[MinValueValidator(1)]
    )
    # A checklist question is answered yes / no / not applicable (第二十条第二、三项).
    is_check = models.BooleanField(_("yes/no question"), default=False)
    machine_check = models.CharField(
        _("pre-filled from"), max_length=20, choices=MachineCheck.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "order", "id"]
        verbose_name = _("rubric item")
        verbose_name_plural = _("rubric items")

    def __str__(self) -> str:
        return self.label


class Review(models.Model):
    """案卷评查 or footage review of one sampled record."""

    entry = models.OneToOneField(
        SampleEntry, on_delete=models.PROTECT, related_name="review", verbose_name=_("record")
    )
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SampleKind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    comment = models.TextField(_("overall comment"), blank=True)
    # What the machine found when the review was opened (a snapshot: the data may change).
    machine_findings = models.JSONField(_("machine checks"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entry}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:review", args=[self.pk])


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    item = models.ForeignKey(
        RubricItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    prefilled = models.BooleanField(_("pre-filled by the machine"), default=False)

    class Meta:
        ordering = ["item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_score_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.points}"


class FootageMark(models.Model):
    """A moment the reviewer marked while playing the footage."""

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="marks", verbose_name=_("review")
    )
    at_seconds = models.FloatField(_("at (seconds)"), validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at_seconds", "id"]

    def __str__(self) -> str:
        return f"{self.at_seconds:.1f}s {self.note}"


class RectificationCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Rectification(models.Model):
    """责令改正 (第十九条): a finding, assigned to an officer or a section, with a deadline."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    bureau = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau")
    )
    finding = models.TextField(_("finding"))
    requirement = models.TextField(_("what must be corrected"), blank=True)
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("plan"),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("review"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("footage"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("assigned officer"),
    )
    assignee_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("assigned section"),
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
        db_index=True,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    answer = models.TextField(_("what was corrected"), blank=True)
    evidence = models.ManyToManyField(
        "media.MediaItem", blank=True, related_name="+", verbose_name=_("evidence")
    )
    evidence_note = models.CharField(_("other evidence"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:rectification", args=[self.pk])

    @property
    def assigned_to(self) -> str:
        return str(self.assignee or self.assignee_unit or "")

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state != RectificationState.CLOSED and self.deadline < today


class RectificationStep(models.Model):
    """Each step of an order: issued, answered, accepted, reopened, escalated."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT, related_name="steps")
    event = models.CharField(_("step"), max_length=10, choices=RectificationEvent.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification} {self.event}"


class DashboardFigure(models.Model):
    """Counts per month, section and officer, refreshed in the background.

    The dashboard sums these rows instead of the cases and footage themselves, so it
    answers as fast at a million records as at ten thousand. A row with ``officer``
    empty counts the section; one with an officer counts that officer (a case with two
    officers counts for each), so sections are summed from the section rows only.
    """

    month = models.DateField(_("month"))
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.CASCADE, null=True, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    metric = models.CharField(max_length=30)
    numerator = models.FloatField(default=0)
    denominator = models.FloatField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "metric"])]

    def __str__(self) -> str:
        return f"{self.month} {self.metric} {self.numerator}/{self.denominator}"


class DashboardRefresh(models.Model):
    """When the figures were last computed (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(self.refreshed_at)
