"""The organisation tree and its people (第五条: "各级国土部门")."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OrgUnitKind, Role


class OrgUnit(models.Model):
    """A bureau, detachment or section. ``path`` makes "this unit and below" one query."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short code used in case numbers, e.g. QH"),
    )
    number_prefix = models.CharField(
        _("issuing-body abbreviation (机关代字)"),
        max_length=10,
        blank=True,
        help_text=_(
            "Opens the bureau's document numbers, e.g. 清 in 清国土资罚〔2026〕12号; "
            "when empty, the bureau's name without 国土资源局 is used."
        ),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    # Units are closed, never deleted: cases, users and document numbers keep naming them.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        constraints = [
            # Two bureaus with one abbreviation would issue the same 文号.
            models.UniqueConstraint(
                fields=["number_prefix"],
                condition=~models.Q(number_prefix=""),
                name="unique_number_prefix",
                violation_error_message=_(
                    "Another bureau already uses this abbreviation: "
                    "their document numbers would be the same."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.save()

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            ancestor = ancestor.parent

    @property
    def issuing_abbreviation(self) -> str:
        """What opens this bureau's 文号: its 机关代字, or its name less the common suffix."""
        if self.number_prefix:
            return self.number_prefix
        name = self.name
        for suffix in ("国土资源局", "自然资源局", "自然资源和规划局", "局"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[OrgUnit]:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=ids)}
        return [units[pk] for pk in ids if pk in units]

    def bureau(self) -> OrgUnit:
        """The nearest bureau above (or at) this unit: the body that issues decisions."""
        for unit in [self, *reversed(self.ancestors())]:
            if unit.kind in (OrgUnitKind.COUNTY_BUREAU, OrgUnitKind.CITY_BUREAU):
                return unit
        return self


class User(AbstractUser):
    """A person of the bureau. Officers carry their enforcement certificate number."""

    full_name = models.CharField(_("full name"), max_length=50)
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation unit"),
    )
    certificate_number = models.CharField(
        _("enforcement certificate number"),
        max_length=30,
        blank=True,
        help_text=_("执法证号; required before the officer may be assigned to an investigation."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Notifications go out by e-mail too (when the operator named a mail server) unless
    # the person turns it off on their profile page.
    email_notifications = models.BooleanField(_("notifications by e-mail"), default=True)

    class Meta:
        ordering = ["org_unit__path", "full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="unique_certificate_number",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sorted_roles(self) -> list[str]:
        return sorted(self.roles)

    def role_labels(self) -> list[str]:
        return [str(label) for value, label in Role.choices if value in self.roles]


class RoleGrant(models.Model):
    """One role held by one user. A user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class SignedInSession(models.Model):
    """The sessions a user signed in with, so a lock can end them (Django's session table
    cannot be searched by user). Written at sign-in, removed at sign-out and by the lock."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="signed_in_sessions", verbose_name=_("user")
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created = models.DateTimeField(_("signed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"
