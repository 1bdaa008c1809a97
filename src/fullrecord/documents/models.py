"""Written records of a case (文字记录, 第七、八条): the catalogue of types, documents and
their versions, approval steps, service records, the 文号 counters and bureau templates,
and the checklist of the papers a party submits (第十条第三项)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.cases.choices import Stage
from fullrecord.security.fields import SealedJSONField, SealedTextField

from .choices import PRESENT, PartyKindFilter, ServiceMethod, Source, Status, StepStatus


class DocumentType(models.Model):
    """文书种类: what the bureau's case file holds, per stage, edited by the administrator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    required = models.BooleanField(
        _("required"), default=False, help_text=_("The stage is incomplete without it.")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    numbered = models.BooleanField(
        _("numbered"), default=False, help_text=_("Issuing gives it a document number (文号).")
    )
    number_word = models.CharField(
        _("word in the document number"),
        max_length=4,
        blank=True,
        help_text=_("E.g. 罚 in 清国土资罚〔2026〕12号."),
    )
    fields = models.JSONField(
        _("parts"), default=list, blank=True, help_text=_("The parts the draft form asks for.")
    )
    two_officers = models.BooleanField(
        _("names two officers"),
        default=False,
        help_text=_("第十条: at least two officers with their certificate numbers."),
    )
    approval_roles = models.JSONField(
        _("approval chain"),
        default=list,
        blank=True,
        help_text=_("Roles that approve it, in order (section_head, legal, leader)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name

    @property
    def is_drafted(self) -> bool:
        return self.source == Source.DRAFTED


class Document(models.Model):
    """One version of one written record of a case. Issued or filed, it never changes:
    a correction is a new version (``previous``) with its reason."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="documents", verbose_name=_("case")
    )
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name=_("type")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # A 内部程序审批表 filed when a chain approved a document: the chain as it was then.
    approval_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_sheet",
        verbose_name=_("approval sheet of"),
    )
    # The parts quote the parties' names, addresses and ID numbers as the case knew them
    # (个人信息保护法, 密评): sealed whole with SM4, as the party's own fields are.
    content = SealedJSONField(_("content"), default=dict, blank=True)
    # What was issued, names and certificate numbers resolved: the PDF is made from this.
    frozen = SealedJSONField(_("issued content"), default=dict, blank=True, editable=False)
    number = models.CharField(_("document number"), max_length=60, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    file_item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stored file"),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    flagged = models.CharField(
        _("flag"),
        max_length=200,
        blank=True,
        help_text=_("E.g. a scan that is neither PDF nor image."),
    )
    # A party's paper (第十条第三项): the checklist item it was filed against, and whose it
    # is. A party removed from the case leaves its papers in the case file (the name stays
    # in ``content``).
    paper_item = models.ForeignKey(
        "PaperItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
        verbose_name=_("checklist item"),
    )
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
        verbose_name=_("party"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["case", "doc_type", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="unique_document_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The type's name; for a party's paper, what the checklist calls it."""
        if self.paper_item_id:
            return self.paper_item.name
        return self.doc_type.name

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT

    @property
    def is_locked(self) -> bool:
        """Issued, filed or under approval: the content may no longer be edited."""
        return self.status != Status.DRAFT


class NumberCounter(models.Model):
    """文号 per bureau, year and type; locked while a number is taken (no gap, no repeat)."""

    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "doc_type"], name="unique_document_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id}/{self.year}/{self.doc_type_id}: {self.last}"


class ApprovalStep(models.Model):
    """One step of a document's approval chain (内部程序审批), with its opinion."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="steps", verbose_name=_("document")
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    position = models.PositiveSmallIntegerField(_("position"))
    role = models.CharField(_("role"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        ordering = ["document", "round", "position"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.document} #{self.round}.{self.position} {self.role}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class Service(models.Model):
    """送达: how, when and to whom an issued document was served, with the signed 送达回证."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="services", verbose_name=_("document")
    )
    method = models.CharField(_("method"), max_length=12, choices=ServiceMethod.choices)
    served_on = models.DateField(_("served on"))
    recipient = models.CharField(_("recipient"), max_length=100)
    witnesses = models.CharField(_("witnesses"), max_length=200, blank=True)
    consent = models.TextField(_("the party's consent to electronic service"), blank=True)
    # Where the party was served is personal information (个人信息保护法): sealed with SM4
    # as the party's own address is.
    address = SealedTextField(_("address or channel"), max_length=300, blank=True)
    proof = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proof of service"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["served_on", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.document} · {self.get_method_display()} · {self.served_on}"


class BureauTemplate(models.Model):
    """A bureau's own Word template for a type, replacing the default layout."""

    org_unit = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau")
    )
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="templates", verbose_name=_("type")
    )
    name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("bureau template")
        verbose_name_plural = _("bureau templates")

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.doc_type} · {self.name}"


class PaperItem(models.Model):
    """One line of the checklist of what a party submits (当事人提交材料清单, 第十条第三项).

    A case's checklist is, for each of its parties, the active items of its cause (案由)
    and those for every cause, for that kind of party (a person or a unit) or for both.
    Edited by the administrator (admin: 当事人材料清单); retired, never deleted.
    """

    cause = models.ForeignKey(
        "cases.Cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cause"),
        help_text=_("Empty: the item is asked of the parties of every cause."),
    )
    party_kind = models.CharField(
        _("kind of party"),
        max_length=20,
        choices=PartyKindFilter.choices,
        blank=True,
        default="",
    )
    name = models.CharField(_("name"), max_length=100)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_(
            "The case is incomplete without it, unless an officer marks it not applicable."
        ),
    )
    note = models.CharField(
        _("when and what"),
        max_length=200,
        blank=True,
        help_text=_("E.g. only when the party is represented by an agent."),
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.INVESTIGATION,
        help_text=_("The stage whose completeness counts it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("party paper checklist item")
        verbose_name_plural = _("party paper checklist")

    def __str__(self) -> str:
        return self.name

    def applies_to(self, party) -> bool:
        return self.active and self.party_kind in ("", party.kind)


class PaperNotApplicable(models.Model):
    """不适用: an officer says why a party need not submit an item (e.g. the party came in
    person, so there is no 授权委托书). Never changed or deleted; audited."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    party = models.ForeignKey(
        "cases.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party"),
    )
    party_name = models.CharField(_("party"), max_length=200)
    item = models.ForeignKey(
        PaperItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist item")
    )
    reason = models.TextField(_("why it does not apply"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("paper marked not applicable")
        verbose_name_plural = _("papers marked not applicable")
        constraints = [
            models.UniqueConstraint(fields=["party", "item"], name="unique_paper_not_applicable")
        ]

    def __str__(self) -> str:
        return f"{self.party_name} · {self.item}"
