"""Audiovisual evidence (音像记录, 第七至九条、第十五条).

An original is a row here plus bytes in the evidence store, addressed by their
SHA-256. Neither ever changes: only the classification around them may be
corrected, with a logged reason. Derived files (posters, thumbnails, playable
copies) live apart and can be rebuilt at any time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.cases.choices import Stage

from .choices import (
    DerivativeKind,
    FixityStatus,
    MediaKind,
    PlaybackSource,
    ProbeStatus,
    UploadState,
)

IMMUTABLE_FIELDS = ("sha256", "size", "received_at", "original_name", "uploaded_by_id")


class OriginalIsImmutable(ValidationError):
    pass


class MediaItemQuerySet(models.QuerySet):
    """Bulk paths refuse what the model refuses: no bulk delete, no bulk rewrite of originals."""

    def delete(self):
        raise OriginalIsImmutable(
            _("Originals are deleted only by the approved retention sweep (第十八条第五项).")
        )

    def update(self, **kwargs):
        if set(kwargs) & {
            "sha256",
            "size",
            "received_at",
            "original_name",
            "uploaded_by",
            "uploaded_by_id",
        }:
            raise OriginalIsImmutable(_("An original's hash, size, name and receipt never change."))
        return super().update(**kwargs)


class RecordingSession(models.Model):
    """Consecutive segments from one device (第九条第三项: continuous recording)."""

    device_number = models.CharField(_("device number"), max_length=50, db_index=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    segment_count = models.PositiveIntegerField(_("segments"), default=0)
    interruption_count = models.PositiveIntegerField(_("interruptions"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("recording session")
        verbose_name_plural = _("recording sessions")
        indexes = [models.Index(fields=["device_number", "started_at"])]

    def __str__(self) -> str:
        return f"{self.device_number} {self.started_at:%Y-%m-%d %H:%M}"


class MediaItem(models.Model):
    # --- the original: set once at ingest, never changed
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    original_name = models.CharField(_("original file name"), max_length=255, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received from"),
    )

    # --- what analysis found (background task; may be re-run, never touches the bytes)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MediaKind.choices, default=MediaKind.OTHER
    )
    status = models.CharField(
        _("playback"),
        max_length=12,
        choices=ProbeStatus.choices,
        default=ProbeStatus.PENDING,
        db_index=True,
    )
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    device_recorded_at = models.DateTimeField(
        _("recording start (device clock)"),
        null=True,
        blank=True,
        help_text=_("As the device wrote it; compare with the receipt time for clock skew."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=30, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=30, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    metadata = models.JSONField(_("technical metadata"), default=dict, blank=True)

    # --- fixity (第十八条第二项): set by ``media.fixity``, never by hand. A failure keeps its
    # first-seen time until a later check passes again; both moves are in the audit log.
    fixity = models.CharField(
        _("fixity"),
        max_length=10,
        choices=FixityStatus.choices,
        default=FixityStatus.UNCHECKED,
        db_index=True,
    )
    fixity_checked_at = models.DateTimeField(_("fixity last checked"), null=True, blank=True)
    fixity_failed_at = models.DateTimeField(_("fixity failure found"), null=True, blank=True)

    # --- set while a lost derived file (poster, thumbnail, playable copy) is being made
    # again; cleared by the rebuild (media/derived.py)
    derived_requested_at = models.DateTimeField(_("derived files requested"), null=True, blank=True)

    # --- the six classification fields of 第十五条
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section"),
    )
    device_number = models.CharField(_("device number"), max_length=50, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_media",
        verbose_name=_("officer"),
    )
    used_at = models.DateTimeField(_("time of use"), default=timezone.now)
    party_name = models.CharField(_("case party"), max_length=200, blank=True)
    cause = models.ForeignKey(
        "cases.Cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case cause"),
    )

    # --- continuity and purpose (第九条第三项, 第十八条第四项)
    session = models.ForeignKey(
        RecordingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="segments",
        verbose_name=_("session"),
    )
    gap_before = models.FloatField(_("gap before this segment (s)"), null=True, blank=True)
    interrupted = models.BooleanField(_("interruption before"), default=False, db_index=True)
    task_reference = models.CharField(_("patrol task"), max_length=100, blank=True)
    unlinked = models.BooleanField(_("linked to no case or task"), default=True, db_index=True)

    # --- retention (第十二条、第十三条; the retention app will own these)
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    on_hold = models.BooleanField(_("long-term hold"), default=False)

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-used_at", "-id"]
        verbose_name = _("audiovisual record")
        verbose_name_plural = _("audiovisual records")
        # Keyset pagination runs on (used_at, id); each classification field leads an index
        # so a filter on it, alone or first of several, never scans the table.
        indexes = [
            models.Index(fields=["used_at", "id"], name="media_used_at"),
            models.Index(fields=["org_unit", "used_at", "id"], name="media_section"),
            models.Index(fields=["device_number", "used_at", "id"], name="media_device"),
            models.Index(fields=["officer", "used_at", "id"], name="media_officer"),
            # varchar_pattern_ops: "party starts with" (LIKE 'x%') can use it on PostgreSQL
            # whatever the database collation; other backends ignore opclasses.
            models.Index(
                fields=["party_name", "used_at", "id"],
                name="media_party",
                opclasses=["varchar_pattern_ops", "timestamptz_ops", "int8_ops"],
            ),
            models.Index(fields=["cause", "used_at", "id"], name="media_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    def save(self, *args, **kwargs) -> None:
        # 第十八条第二项: the record of the original cannot be rewritten by any path.
        if self.pk is not None:
            stored = MediaItem.objects.filter(pk=self.pk).values(*IMMUTABLE_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in IMMUTABLE_FIELDS):
                raise OriginalIsImmutable(
                    _("An original's hash, size, name and receipt never change.")
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("media:detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise OriginalIsImmutable(
            _("Originals are deleted only by the approved retention sweep (第十八条第五项).")
        )

    @property
    def fixity_failed(self) -> bool:
        return self.fixity in (FixityStatus.ALTERED, FixityStatus.MISSING)

    @property
    def has_thumbnail(self) -> bool:
        """Whether a thumbnail is there to show (use with ``prefetch_related("derivatives")``).

        One recorded but lost (after a restore that skipped ``derived/``) is queued to be
        made again and sets ``thumbnail_being_made``, so pages show a placeholder, not a
        broken image.
        """
        from .derived import thumbnail_on_disk

        return thumbnail_on_disk(self)

    @property
    def clock_skew(self) -> float | None:
        """Seconds between the device's stated start and the server's receipt."""
        if self.device_recorded_at is None:
            return None
        return (self.received_at - self.device_recorded_at).total_seconds()


class Derivative(models.Model):
    """A file made from an original: never evidence itself, always rebuildable."""

    item = models.ForeignKey(MediaItem, on_delete=models.PROTECT, related_name="derivatives")
    kind = models.CharField(max_length=10, choices=DerivativeKind.choices)
    path = models.CharField(max_length=200)  # relative to the derived-files directory
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "kind"], name="one_derivative_kind")]
        verbose_name = _("derived file")
        verbose_name_plural = _("derived files")

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class CaseMediaLink(models.Model):
    """An item used in a case, at a stage; one item may serve several cases."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="media_links", verbose_name=_("case")
    )
    item = models.ForeignKey(
        MediaItem,
        on_delete=models.PROTECT,
        related_name="case_links",
        verbose_name=_("audiovisual record"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["linked_at"]
        verbose_name = _("case evidence link")
        verbose_name_plural = _("case evidence links")
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="unique_case_item")]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.item_id}"


class Upload(models.Model):
    """A tus resumable upload in progress (the bytes are spooled under the data dir)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=12, choices=UploadState.choices, default=UploadState.RECEIVING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(db_index=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    item = models.ForeignKey(
        MediaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set, durably, once every byte is in the spool file and before the store sees it:
    # from then on the bytes are evidence being finished, never expired or dropped, and
    # a crash anywhere in the finish is resumed from the spool file or the stored blob.
    sha256 = models.CharField(_("SHA-256 of the received bytes"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return f"{self.filename} {self.offset}/{self.length}"


class DeletionPermit(models.Model):
    """Written by the retention sweep in the same transaction as the deletion it permits.

    A database trigger refuses to delete a media row without a permit for its hash, so
    not even a database shell can remove evidence quietly (第十八条第五项).
    """

    sha256 = models.CharField(max_length=64, unique=True)
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.sha256


class IngestSource(models.Model):
    """A file already taken in by ``fullrecord ingest``, so a second run skips it."""

    path_hash = models.CharField(max_length=64, unique=True)  # sha256 of path|size|mtime
    path = models.TextField()
    item = models.ForeignKey(MediaItem, on_delete=models.PROTECT, related_name="+")
    ingested_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.path


class PlaybackGrant(models.Model):
    """One playback (or read) of an item by one person through one credential.

    Made when playback starts, in the same transaction as its audit entry, so every
    byte it lets out is covered by that entry. A signed URL names the grant; each range
    asked through it is checked against this row and what authenticated it (the
    session row, the API token), the user's state and the access request — one indexed
    query — so sign-out, deactivation and revocation stop it at the next request, on
    every process and machine alike (``media/playback.py``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    item = models.ForeignKey(
        MediaItem,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("audiovisual record"),
    )
    source = models.CharField(_("source"), max_length=10, choices=PlaybackSource.choices)
    # The playable copy it sends; a rebuilt copy is a new row, so the grant ends with it.
    derivative = models.ForeignKey(
        Derivative, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A watermarked rendition: its file, relative to the data directory, and its type.
    rendition_path = models.CharField(max_length=300, blank=True)
    rendition_type = models.CharField(max_length=100, blank=True)
    # What authenticated the request that started it: SHA-256 of the session key, or the
    # API token's knox digest (SHA-512); never the credential itself. Both empty: usable
    # by no signed URL.
    session_hash = models.CharField(max_length=64, blank=True)
    token_hash = models.CharField(max_length=128, blank=True)
    # The user's name as sign-in throttling counts it (accounts.lockout.username_key): a
    # token-started playback stops while the account is locked, decided in the same query.
    lock_key = models.CharField(max_length=150, blank=True)
    # The access request it was reached through (第十七条). A plain id: the access app,
    # above media, registers the check that the request is still in force.
    access_request_id = models.PositiveBigIntegerField(null=True, blank=True)
    entry = models.ForeignKey(
        "audit.AuditEntry", on_delete=models.PROTECT, related_name="+", verbose_name=_("entry")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("playback grant")
        verbose_name_plural = _("playback grants")
        indexes = [
            models.Index(fields=["user", "item", "source", "expires_at"], name="playback_live"),
            models.Index(fields=["expires_at"], name="playback_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.item_id} {self.source}"
