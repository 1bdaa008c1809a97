"""Cases and what the workflow records about them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# 个人信息保护法, 密评: ID numbers, addresses and contacts are sealed with SM4 at rest
# (security.sm4 and security.fields are a leaf library: they import no app).
from fullrecord.security import sm4
from fullrecord.security.fields import SealedTextField

from .choices import (
    STAGE_OF_STATE,
    CaseState,
    ChangeState,
    DayCounting,
    DiscoverySource,
    IdType,
    LimitKind,
    PartyKind,
    RecordKind,
    Stage,
)
from .validators import validate_credit_code, validate_resident_id


class Cause(models.Model):
    """案由: the catalogue of violations, edited by the administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cause")
        verbose_name_plural = _("causes")

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=40, unique=True, editable=False)
    cause = models.ForeignKey(
        Cause, on_delete=models.PROTECT, related_name="cases", verbose_name=_("cause")
    )
    source = models.CharField(_("how it was found"), max_length=20, choices=DiscoverySource.choices)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("handling unit"),
    )
    state = models.CharField(
        _("state"),
        max_length=30,
        choices=CaseState.choices,
        default=CaseState.DISCOVERED,
        editable=False,
        db_index=True,
    )
    summary = models.TextField(_("summary of facts"), blank=True)
    address = models.CharField(_("location"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    discovered_on = models.DateField(_("discovered on"), default=timezone.localdate)
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CaseAssignment",
        related_name="assigned_cases",
        verbose_name=_("officers"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # 第十一条: what the stages reached lack, kept by cases.completeness.refresh in the
    # transaction that changes the records, so the list filters without looking at them.
    completeness_missing = models.PositiveIntegerField(
        _("records missing"), default=0, editable=False
    )
    completeness_missing_stages = models.CharField(
        _("stages with missing records"), max_length=200, blank=True, editable=False
    )
    completeness_checked_at = models.DateTimeField(
        _("records checked"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty until checked; `fullrecord recompute_completeness` checks them."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["org_unit", "state"]),
            models.Index(fields=["cause", "state"]),
            models.Index(fields=["discovered_on"]),
            # The list's "records missing" and "not yet checked" filters read a page of
            # these in the list's order, and count them, from the index alone.
            models.Index(
                fields=["-created_at", "-id"],
                name="case_records_missing",
                condition=models.Q(completeness_missing__gt=0),
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="case_records_unchecked",
                condition=models.Q(completeness_checked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.cause}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def stage(self) -> str:
        return STAGE_OF_STATE[self.state]

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)

    def party_names(self) -> str:
        return "、".join(p.name for p in self.parties.all())

    def clean(self) -> None:
        # Checked here so that the page, the API and update_case all refuse it.
        if self.discovered_on and self.discovered_on > timezone.localdate():
            raise ValidationError(
                {"discovered_on": _("The discovery date cannot be in the future.")}
            )


class CaseNumberCounter(models.Model):
    """Per unit and year; locked while a number is taken so numbers never repeat."""

    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.org_unit_id}/{self.year}: {self.last}"


class Party(models.Model):
    """当事人."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    name = models.CharField(pgettext_lazy("party", "name"), max_length=200)
    id_type = models.CharField(_("document type"), max_length=20, choices=IdType.choices)
    id_number = SealedTextField(_("document number"), max_length=40)
    # HMAC-SM3 of the number: finds a party by ID number without storing it in the clear.
    id_number_index = models.CharField(max_length=64, editable=False, db_index=True, default="")
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    address = SealedTextField(_("address"), max_length=300, blank=True)
    contact = SealedTextField(_("contact"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.id_number_index = sm4.blind_index(self.id_number)
        if kwargs.get("update_fields") is not None and "id_number" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_number_index"}
        super().save(*args, **kwargs)

    # Masked by default in lists, pages, exports and the API; in full only as a recorded
    # action (security.services.reveal_party_field).
    @property
    def masked_id_number(self) -> str:
        return sm4.mask(self.id_number)

    @property
    def masked_address(self) -> str:
        return sm4.mask_text(self.address)

    @property
    def masked_contact(self) -> str:
        return sm4.mask(self.contact)

    @property
    def masked_fields(self) -> list[tuple[str, str]]:
        return [
            ("id_number", self.masked_id_number),
            ("address", self.masked_address),
            ("contact", self.masked_contact),
        ]

    def keeps(self, name: str, submitted) -> bool:
        """Whether ``submitted`` is this party's own masked value sent back unchanged.

        A correction form (and an API client echoing what it read) is given masked values;
        sending one back means "leave it as it is", never "store the stars".
        """
        masked = dict(self.masked_fields).get(name)
        return bool(masked) and "*" in masked and submitted == masked

    def clean(self) -> None:
        self.id_number = (self.id_number or "").strip().upper()
        errors = {}
        if self.kind == PartyKind.PERSON and self.id_type == IdType.CREDIT_CODE:
            errors["id_type"] = _(
                "A person is identified by an ID card or passport, not a credit code."
            )
        if self.kind == PartyKind.ORGANISATION and self.id_type in (
            IdType.RESIDENT_ID,
            IdType.PASSPORT,
        ):
            errors["id_type"] = _(
                "An organisation is identified by its unified social credit code."
            )
        try:
            if self.id_type == IdType.RESIDENT_ID:
                validate_resident_id(self.id_number)
            elif self.id_type == IdType.CREDIT_CODE:
                validate_credit_code(self.id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
        if errors:
            raise ValidationError(errors)


class CaseAssignment(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("case")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_assignments",
        verbose_name=_("officer"),
    )
    is_lead = models.BooleanField(_("lead officer"), default=False)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-is_lead", "assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.officer}"


class CaseTransition(models.Model):
    """One move of a case, written in the same transaction as the move itself."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("case")
    )
    name = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, choices=CaseState.choices)
    to_state = models.CharField(_("to"), max_length=30, choices=CaseState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case transition")
        verbose_name_plural = _("case transitions")

    def __str__(self) -> str:
        return f"{self.case.number}: {self.from_state} → {self.to_state}"


class TimeLimitRule(models.Model):
    """A statutory time limit, as data the administrator can edit; each names its source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=LimitKind.choices)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    counting = models.CharField(_("counted in"), max_length=10, choices=DayCounting.choices)
    starts_at = models.CharField(
        _("starts when the case enters"), max_length=30, choices=CaseState.choices, blank=True
    )
    ends_at = models.JSONField(
        _("met when the case enters"),
        default=list,
        blank=True,
        help_text=_("List of states; reaching any of them meets the limit."),
    )
    starts_on_service_of = models.SlugField(
        _("starts on service of"),
        max_length=40,
        blank=True,
        help_text=_(
            "Code of a written-record type (e.g. penalty_notice): once that document is "
            "served, the limit counts from the date of service instead."
        ),
    )
    legal_source = models.CharField(_("legal source"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(CaseState.values)
        if not isinstance(self.ends_at, list) or not set(self.ends_at) <= valid:
            raise ValidationError({"ends_at": _("Give a list of case states.")})
        if self.kind != LimitKind.NOTICE and not self.starts_at:
            raise ValidationError({"starts_at": _("Say which state starts the clock.")})


class CaseDeadline(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("case")
    )
    rule = models.ForeignKey(
        TimeLimitRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("time limit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LimitKind.choices)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"), db_index=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Counted on weekdays only: the holiday calendar for that year is missing."),
    )
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    counted_from = models.CharField(
        _("counted from"),
        max_length=300,
        blank=True,
        help_text=_("The service the limit counts from; empty when it counts from the move."),
    )

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [models.Index(fields=["kind", "met_at", "cancelled", "due_on"])]

    def __str__(self) -> str:
        return f"{self.rule} · {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and not self.cancelled


class CompletenessException(models.Model):
    """缺失说明: why a required record of a stage could not be made, by the leader in charge.

    Never changed or deleted: the reason stays in the case file beside the gap.
    """

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="completeness_exceptions",
        verbose_name=_("case"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    record = models.CharField(_("record"), max_length=200)
    label = models.CharField(_("record"), max_length=200)
    reason = models.TextField(_("why it is missing"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("missing-record explanation")
        verbose_name_plural = _("missing-record explanations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage", "kind", "record"], name="unique_completeness_exception"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.stage} · {self.label}"


class CaseChange(models.Model):
    """A change of a case's facts or of a party's particulars, with its reason.

    After 立案 every change needs a reason; the facts the law fixes (案由, 发现日期,
    the party's identity) change only when the section head or the leader approves.
    ``changes`` maps a field to ``{"before", "after"}`` as shown to people and
    ``value``, what is written when the change takes effect.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="changes", verbose_name=_("case")
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("party"),
    )
    party_name = models.CharField(_("party"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("case change")
        verbose_name_plural = _("case changes")
        indexes = [models.Index(fields=["state", "case"])]

    def __str__(self) -> str:
        return f"{self.case.number}: {', '.join(self.changes)}"

    def summary(self) -> str:
        """“发现日期：2026-01-01 → 2026-01-05；地址：…”, in the reader's language."""
        model = Party if self.party_name else Case
        parts = []
        for name, item in self.changes.items():
            label = model._meta.get_field(name).verbose_name
            before, after = item.get("before") or "—", item.get("after") or "—"
            parts.append(f"{label}：{before} → {after}")
        prefix = f"{self.party_name}·" if self.party_name else ""
        return prefix + "；".join(parts)
