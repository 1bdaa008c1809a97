"""The append-only audit log (第十八条). Each entry carries the hash of the one before."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing that happened. Never updated, never deleted; ``seq`` has no gaps."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True, db_index=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False, unique=True)
    # RFC 9162 leaf hash of the same canonical bytes: the entry's place in the Merkle tree.
    leaf_hash = models.CharField(max_length=64, editable=False, default="")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The chain's current end, one row; locking it serialises appends across processes.

    ``frontier`` holds the roots of the perfect subtrees covering the log, so the
    Merkle root of the whole log is known after every append at O(log n) cost.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)
    frontier = models.JSONField(default=list)
    signed_at = models.DateTimeField(null=True, blank=True)  # of the latest signed tree head

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"


class SignedTreeHead(models.Model):
    """The Merkle root over the first ``tree_size`` entries, signed with the bureau's key."""

    tree_size = models.PositiveBigIntegerField(_("tree size"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now, editable=False)
    key_id = models.CharField(_("key id"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        ordering = ["tree_size"]
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")

    def __str__(self) -> str:
        return f"STH {self.tree_size} {self.root_hash[:12]}"


class SigningKey(models.Model):
    """A public key that has signed tree heads, kept after the key is retired.

    Nothing here is trusted because the database says so: ``fullrecord verify`` trusts the
    key it signs with now (from its file), keys given to it out of band, and a retired key
    only when the key that replaced it signed ``successor_signature`` at the rotation, so
    a database owner cannot slip a key of their own in.
    """

    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    public_key = models.CharField(_("public key"), max_length=64)  # raw Ed25519, hex
    created_at = models.DateTimeField(_("first used"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    successor_key_id = models.CharField(_("replaced by"), max_length=64, blank=True)
    successor_signature = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("audit signing key")
        verbose_name_plural = _("audit signing keys")

    def __str__(self) -> str:
        return self.key_id[:16]


class HeadSinkState(models.Model):
    """How far the signed heads have been delivered to one place outside the machine.

    Heads are delivered in order of size, so one number per sink says what is left; a
    failed delivery leaves it where it was and the next run tries again from there.
    """

    sink = models.CharField(_("destination"), max_length=300, unique=True)
    delivered_size = models.PositiveBigIntegerField(_("delivered up to tree size"), default=0)
    delivered_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tree-head destination")
        verbose_name_plural = _("tree-head destinations")

    def __str__(self) -> str:
        return f"{self.sink} @ {self.delivered_size}"
