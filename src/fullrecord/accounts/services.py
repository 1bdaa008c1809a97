"""Accounts: API tokens, and the accounts and units the system administrator keeps.

Only a digest of each token is stored (django-rest-knox); the key is shown once, when it is
made, and every issue, rotation and revocation is recorded. Accounts and units change only
here, each change with its audit entry in the same transaction (the pages, the API and the
admin's fallback all come through); roles are not granted here but by the security
administrator (三员分立, ``security.services.grant_role``).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from fullrecord.audit.services import record

from . import access, signin
from .choices import Role
from .models import OrgUnit, User


def _token_data(token: AuthToken, via: str) -> dict:
    return {
        "token": token.token_key,  # the first characters only, to tell tokens apart
        "expires": token.expiry.isoformat() if token.expiry else None,
        "via": via,
    }


def issue_api_token(user: User, **kwargs) -> str:
    """The key of a new API token for ``user`` (see ``create_api_token``)."""
    return create_api_token(user, **kwargs)[1]


@transaction.atomic
def create_api_token(
    user: User,
    *,
    actor: User | None = None,
    rotate: bool = False,
    expiry: timedelta | None = None,
    via: str = "command",
) -> tuple[AuthToken, str]:
    """A new API token for ``user``, expiring after ``expiry`` (default ``REST_KNOX
    TOKEN_TTL``); returns it with its key, which nothing keeps. ``rotate`` revokes the user's
    other tokens in the same transaction."""
    revoked = 0
    if rotate:
        revoked, _deleted = AuthToken.objects.filter(user=user).delete()
    token, key = AuthToken.objects.create(user=user, expiry=expiry or knox_settings.TOKEN_TTL)
    record(
        "account.token_rotated" if rotate else "account.token_issued",
        actor=actor,
        obj=user,
        summary=(
            _("API token rotated for %(username)s")
            if rotate
            else _("API token issued for %(username)s")
        )
        % {"username": user.username},
        data={**_token_data(token, via), **({"revoked": revoked} if rotate else {})},
    )
    return token, key


@transaction.atomic
def revoke_api_tokens(
    user: User, *, actor: User | None = None, token_key: str | None = None, via: str = "command"
) -> int:
    """Delete the user's tokens (or the one whose key begins ``token_key``); recorded."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key:
        tokens = tokens.filter(token_key=token_key)
    revoked = list(tokens)
    for token in revoked:
        record(
            "account.token_revoked",
            actor=actor,
            obj=user,
            summary=_("API token revoked for %(username)s") % {"username": user.username},
            data=_token_data(token, via),
        )
    tokens.delete()
    return len(revoked)


@transaction.atomic
def set_email_notifications(user: User, on: bool, *, actor: User) -> bool:
    """Turn the e-mail copy of one's notifications on or off (recorded); returns the new value."""
    if user.email_notifications == on:
        return on
    user.email_notifications = on
    user.save(update_fields=["email_notifications"])
    record(
        "account.email_notifications",
        actor=actor,
        obj=user,
        summary=(
            _("Notifications by e-mail turned on for %(username)s")
            if on
            else _("Notifications by e-mail turned off for %(username)s")
        )
        % {"username": user.username},
        data={"on": on},
    )
    return on


# --- accounts and units (系统管理员) ----------------------------------------------------


class AccountError(ValidationError):
    """A refused change of an account or a unit; ``messages`` in the user's language."""


ACCOUNT_FIELDS = ("username", "full_name", "org_unit", "email", "phone", "certificate_number")
UNIT_FIELDS = ("name", "kind", "parent", "code", "number_prefix")


def _require_administrator(actor: User) -> None:
    if not access.can_administer(actor):
        raise AccountError(_("Only the system administrator keeps accounts and units."))


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _apply(obj: models.Model, values: dict, allowed: tuple[str, ...]) -> dict[str, dict]:
    """Set ``values`` on ``obj``; the changes as readable before → after for the log."""
    changed = {}
    for name, value in values.items():
        if name not in allowed:
            raise AccountError(_("This field cannot be changed here: %(name)s") % {"name": name})
        if isinstance(value, str):
            value = value.strip()
        before = getattr(obj, name)
        if before != value:
            changed[name] = {"from": _shown(before), "to": _shown(value)}
            setattr(obj, name, value)
    return changed


def _validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise AccountError(exc.messages) from None


def _check_unit(unit: OrgUnit | None) -> None:
    if unit is not None and not OrgUnit.objects.filter(pk=unit.pk, active=True).exists():
        raise AccountError(_("This unit is closed: choose an open one."))


@transaction.atomic
def create_account(*, actor: User, **values) -> tuple[User, str]:
    """A new account with a temporary password, shown once, that its holder must change at
    the first sign-in (as after a reset, GB/T 22239-2019 8.1.4.1). No role: the security
    administrator grants roles."""
    from fullrecord.security.services import note_password_set, temporary_password

    _require_administrator(actor)
    user = User()
    _apply(user, values, ACCOUNT_FIELDS)
    _check_unit(user.org_unit)
    password = temporary_password()
    user.set_password(password)
    _validate(user)
    user.save()
    note_password_set(user, must_change=True)
    record(
        "account.created",
        actor=actor,
        obj=user,
        summary=_(
            "Account %(username)s (%(name)s) created; the password is to be changed at "
            "the first sign-in"
        )
        % {"username": user.username, "name": user.full_name},
        data={name: _shown(getattr(user, name)) for name in ACCOUNT_FIELDS},
    )
    return user, password


@transaction.atomic
def update_account(user: User, *, actor: User, **values) -> dict[str, dict]:
    """Change an account's particulars; returns what changed (before → after)."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = _apply(user, values, ACCOUNT_FIELDS)
    if not changed:
        return changed
    if "org_unit" in changed:
        _check_unit(user.org_unit)
    _validate(user, exclude=["password"])
    user.save(update_fields=list(changed))
    record(
        "account.changed",
        actor=actor,
        obj=user,
        summary=_("Account %(username)s changed: %(fields)s")
        % {
            "username": user.username,
            "fields": "、".join(str(User._meta.get_field(n).verbose_name) for n in changed),
        },
        data={"changed": changed},
    )
    return changed


@transaction.atomic
def set_account_active(user: User, active: bool, *, actor: User, reason: str = "") -> bool:
    """Deactivate (or reactivate) an account. Accounts are never deleted: the log, cases and
    custody records keep naming their people. A deactivated account's sessions end at once."""
    _require_administrator(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return False
    if not active:
        if user.pk == actor.pk:
            raise AccountError(_("You cannot deactivate your own account."))
        if user.has_role(Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
            # 三员分立: one administrator must not be able to shut another out.
            raise AccountError(
                _("The security and audit administrators' accounts cannot be deactivated here.")
            )
        if not (reason or "").strip():
            raise AccountError(_("Say why the account is deactivated."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        "account.activated" if active else "account.deactivated",
        actor=actor,
        obj=user,
        summary=(
            _("Account %(username)s reactivated")
            if active
            else _("Account %(username)s deactivated")
        )
        % {"username": user.username},
        data={"reason": reason.strip()} if reason else {},
    )
    if not active:
        signin.end_sessions(user, reason="deactivated", actor=actor)
        revoke_api_tokens(user, actor=actor, via="deactivated")
    return True


@transaction.atomic
def create_unit(*, actor: User, **values) -> OrgUnit:
    """A new bureau, detachment or section, under an open unit."""
    _require_administrator(actor)
    unit = OrgUnit()
    _apply(unit, values, UNIT_FIELDS)
    _check_unit(unit.parent)
    _validate(unit, exclude=["path"])
    unit.save()
    record(
        "account.unit_created",
        actor=actor,
        obj=unit,
        summary=_("Unit %(name)s created") % {"name": unit.name},
        data={name: _shown(getattr(unit, name)) for name in UNIT_FIELDS},
    )
    return unit


@transaction.atomic
def update_unit(unit: OrgUnit, *, actor: User, **values) -> dict[str, dict]:
    """Rename, recode or move a unit (its subtree moves with it)."""
    _require_administrator(actor)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    changed = _apply(unit, values, UNIT_FIELDS)
    if not changed:
        return changed
    if "parent" in changed:
        _check_unit(unit.parent)
    _validate(unit, exclude=["path"])
    unit.save()
    record(
        "account.unit_changed",
        actor=actor,
        obj=unit,
        summary=_("Unit %(name)s changed: %(fields)s")
        % {
            "name": unit.name,
            "fields": "、".join(str(OrgUnit._meta.get_field(n).verbose_name) for n in changed),
        },
        data={"changed": changed},
    )
    return changed


@transaction.atomic
def set_unit_active(unit: OrgUnit, active: bool, *, actor: User) -> bool:
    """Close (or reopen) a unit. A unit with open units below it or active people in it
    stays open: they would be left in a unit nobody can choose."""
    _require_administrator(actor)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.active == active:
        return False
    if active:
        _check_unit(unit.parent)
    else:
        if unit.children.filter(active=True).exists():
            raise AccountError(_("Close the units below it first."))
        if unit.members.filter(is_active=True).exists():
            raise AccountError(
                _("Active accounts still belong to this unit: move or deactivate them first.")
            )
    unit.active = active
    unit.save(update_fields=["active"])
    record(
        "account.unit_reopened" if active else "account.unit_closed",
        actor=actor,
        obj=unit,
        summary=(_("Unit %(name)s reopened") if active else _("Unit %(name)s closed"))
        % {"name": unit.name},
    )
    return True
