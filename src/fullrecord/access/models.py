"""Access requests (查阅申请, 第十七条) and the copies handed out under them (第十八条第三项)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Purpose, RequestState


class AccessRequest(models.Model):
    number = models.CharField(_("request number"), max_length=30, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_requests",
        verbose_name=_("requester"),
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.VIEW
    )
    reason = models.TextField(_("reason"))
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name=_("case"),
    )
    bureau = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("bureau deciding"),
        help_text=_("The bureau that holds the records; its leader in charge decides."),
    )
    items = models.ManyToManyField(
        "media.MediaItem",
        blank=True,
        related_name="access_requests",
        verbose_name=_("audiovisual records"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RequestState.choices,
        default=RequestState.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True, db_index=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    # A clip (from–to, seconds into the one record asked for): copies are cut to it.
    clip_start = models.FloatField(_("clip from (s)"), null=True, blank=True)
    clip_end = models.FloatField(_("clip to (s)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("access:detail", args=[self.pk])

    @property
    def is_clip(self) -> bool:
        return self.clip_start is not None and self.clip_end is not None

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == RequestState.APPROVED
            and self.expires_at is not None
            and self.expires_at > now
        )

    @property
    def allows_copies(self) -> bool:
        return self.purpose in (Purpose.COPY, Purpose.EXPORT)


class RequestCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Copy(models.Model):
    """A file handed out: a watermarked copy or an export package, with its own hash."""

    request = models.ForeignKey(
        AccessRequest,
        on_delete=models.PROTECT,
        related_name="copies",
        verbose_name=_("access request"),
    )
    item = models.ForeignKey(
        "media.MediaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("audiovisual record"),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)
    kind = models.CharField(_("kind"), max_length=20)  # watermarked, export
    state = models.CharField(_("state"), max_length=10, default="pending")  # pending/ready/failed
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)  # under the data dir's copies/ folder
    content_type = models.CharField(max_length=100, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the copy"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    watermark = models.CharField(_("watermark text"), max_length=300, blank=True)
    # The stretch of the record the copy holds, when the request was for a clip.
    clip_start = models.FloatField(_("clip from (s)"), null=True, blank=True)
    clip_end = models.FloatField(_("clip to (s)"), null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("copy handed out")
        verbose_name_plural = _("copies handed out")

    def __str__(self) -> str:
        return f"{self.request.number} {self.filename}"
