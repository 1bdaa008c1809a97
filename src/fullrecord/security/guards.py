"""Guards below every write path: no account with two administrator roles, and no Django
superuser in production (a single all-powerful account defeats 三员分立)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from fullrecord.accounts.models import RoleGrant, User

from .roles import conflict


class RoleConflict(ValidationError):
    pass


class SuperuserRefused(ValidationError):
    pass


def refuse_second_admin_role(sender, instance: RoleGrant, **kwargs) -> None:
    others = RoleGrant.objects.filter(user_id=instance.user_id).exclude(pk=instance.pk)
    message = conflict([*others.values_list("role", flat=True), instance.role])
    if message:
        raise RoleConflict(message)


def refuse_superuser(sender, instance: User, **kwargs) -> None:
    if instance.is_superuser and settings.FULLRECORD_PRODUCTION:
        raise SuperuserRefused(
            _(
                "No superuser in production: create the system, security and audit "
                "administrators with `fullrecord createadmins`."
            )
        )


def connect() -> None:
    pre_save.connect(refuse_second_admin_role, sender=RoleGrant, dispatch_uid="security.roles")
    pre_save.connect(refuse_superuser, sender=User, dispatch_uid="security.superuser")
