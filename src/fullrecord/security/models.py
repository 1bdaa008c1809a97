"""What the security administrator sets, and what 密评 asks the system to keep."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from fullrecord.accounts.choices import Role


def validate_seed(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raw = b""
    if len(raw) < 16:
        raise ValidationError(_("Give the seed as at least 32 hex digits (16 bytes)."))


def default_two_factor_roles() -> list[str]:
    # 等保 8.1.4.1 d: administrators and the leader who approves access sign in with two factors.
    return [Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.LEADER]


class SecurityPolicy(models.Model):
    """The sign-in and password policy, one row, changed only by the security administrator."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    password_min_length = models.PositiveSmallIntegerField(
        _("minimum password length"),
        default=10,
        validators=[MinValueValidator(8), MaxValueValidator(128)],
    )
    password_min_classes = models.PositiveSmallIntegerField(
        _("character classes required"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Of: lower-case letters, capitals, digits, other characters."),
    )
    password_history = models.PositiveSmallIntegerField(
        _("earlier passwords that may not be reused"),
        default=5,
        validators=[MaxValueValidator(24)],
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("password expires after (days)"),
        default=90,
        validators=[MaxValueValidator(365)],
        help_text=_("0: passwords never expire."),
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("sign out after idle (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    two_factor_roles = models.JSONField(
        _("roles that sign in with a one-time code"), default=default_two_factor_roles
    )
    two_factor_everyone = models.BooleanField(
        _("every account signs in with a one-time code"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy = cls.objects.filter(pk=1).first()
        return policy or cls(pk=1)

    def needs_two_factor(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return self.two_factor_everyone or user.has_role(*self.two_factor_roles)


class PasswordState(models.Model):
    """When a user's password was last set, and whether they must change it now."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_state",
        verbose_name=_("user"),
    )
    changed_at = models.DateTimeField(_("password set"), default=timezone.now)
    must_change = models.BooleanField(_("must change at next sign-in"), default=False)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self) -> str:
        return f"{self.user} · {self.changed_at:%Y-%m-%d}"


class PasswordHistory(models.Model):
    """Hashes of earlier passwords (Argon2, as Django stores them), so none is reused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("user"),
    )
    password = models.CharField(_("password hash"), max_length=128)
    set_at = models.DateTimeField(_("set"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")

    def __str__(self) -> str:
        return f"{self.user} · {self.set_at:%Y-%m-%d}"


class DigestStatus(models.TextChoices):
    INTACT = "intact", _("Intact")
    ALTERED = "altered", _("Altered")
    MISSING = "missing", _("Missing")


class OriginalDigest(models.Model):
    """The SM3 digest of one original, named by its SHA-256 (the store's key)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    sm3 = models.CharField(_("SM3"), max_length=64, editable=False)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now, editable=False)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DigestStatus.choices, default=DigestStatus.INTACT
    )

    class Meta:
        verbose_name = _("SM3 digest of an original")
        verbose_name_plural = _("SM3 digests of originals")

    def __str__(self) -> str:
        return f"{self.sha256[:12]} SM3 {self.sm3[:12]}"


class SM2TreeHead(models.Model):
    """The SM2 signature of one signed tree head (the Ed25519 one is in ``audit``)."""

    tree_size = models.PositiveBigIntegerField(_("tree size"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    signed_at = models.CharField(_("signed at (as signed)"), max_length=40)
    key_id = models.CharField(_("SM2 key id"), max_length=64)
    public_key = models.CharField(_("SM2 public key"), max_length=128)
    signature = models.CharField(_("SM2 signature"), max_length=128)

    class Meta:
        ordering = ["tree_size"]
        verbose_name = _("SM2-signed tree head")
        verbose_name_plural = _("SM2-signed tree heads")

    def __str__(self) -> str:
        return f"SM2 STH {self.tree_size}"


class SM3TokenDevice(TimestampMixin, ThrottlingMixin, Device):
    """A hardware one-time-code token computing GM/T 0021 codes with SM3 (``otp.py``);
    its seed is entered from the vendor's seed file when the token is handed out."""

    key = models.CharField(
        _("seed (hex)"),
        max_length=128,
        validators=[validate_seed],
        help_text=_("At least 16 bytes, as hex digits."),
    )
    step = models.PositiveSmallIntegerField(_("time step (seconds)"), default=60)
    digits = models.PositiveSmallIntegerField(_("digits"), default=6)
    tolerance = models.PositiveSmallIntegerField(_("steps of clock drift accepted"), default=1)
    last_step = models.BigIntegerField(_("last step used"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("SM3 token")
        verbose_name_plural = _("SM3 tokens")

    def verify_token(self, token) -> bool:
        from . import otp

        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        step = otp.verify(
            bytes.fromhex(self.key),
            token,
            step=self.step,
            digits=self.digits,
            tolerance=self.tolerance,
            after=self.last_step,
        )
        if step is None:
            self.throttle_increment(commit=True)
            return False
        self.last_step = step
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return 1
