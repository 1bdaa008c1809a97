"""Every change the security app makes, each with its audit entry in the same transaction.

Refusals are recorded too (GB/T 22239-2019 8.1.4.3: failed and refused actions are audit
events): :func:`record_refusal` writes its entry in a transaction of its own, after the
refused change was rolled back, so the refusal stays when the change does not.
"""

from __future__ import annotations

import secrets
import string
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import RoleGrant, User
from fullrecord.audit.services import record

from . import access, sm4
from .models import PasswordHistory, PasswordState, SecurityPolicy
from .roles import conflict


class SecurityError(Exception):
    """A refused change, with a message in the user's language."""


# True once this request's refusal is on record: the record of refused requests
# (middleware.RefusedRequestMiddleware) then adds no second entry for its 403.
REFUSAL_RECORDED: ContextVar[bool] = ContextVar("refusal_recorded", default=False)


def record_refusal(actor, action: str, reason: str, *, obj=None, data: dict | None = None):
    """The refused action's entry; committed whatever happens to the caller's transaction."""
    REFUSAL_RECORDED.set(True)
    with transaction.atomic():
        return record(
            "security.refused",
            actor=actor,
            obj=obj,
            summary=_("Refused: %(action)s — %(reason)s") % {"action": action, "reason": reason},
            data={"attempted": action, "reason": reason, **(data or {})},
        )


def _require_manager(actor, action: str, obj=None) -> None:
    if not access.can_manage(actor):
        reason = _("only the security administrator may do this")
        record_refusal(actor, action, reason, obj=obj)
        raise SecurityError(reason)


# --- roles -----------------------------------------------------------------------------


def grant_role(user: User, role: str, *, actor: User) -> RoleGrant:
    _require_manager(actor, "security.role_granted", user)
    if role not in Role.values:
        raise SecurityError(_("Unknown role."))
    message = conflict([*user.roles, role])
    if message:
        record_refusal(actor, "security.role_granted", message, obj=user, data={"role": role})
        raise SecurityError(message)
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role)
        if created:
            record(
                "security.role_granted",
                actor=actor,
                obj=user,
                summary=_("Role %(role)s granted to %(user)s")
                % {"role": Role(role).label, "user": user},
                data={"role": role},
            )
    user.__dict__.pop("roles", None)
    return grant


def revoke_role(user: User, role: str, *, actor: User) -> bool:
    _require_manager(actor, "security.role_revoked", user)
    if user.pk == actor.pk and role == Role.SECURITY_ADMIN:
        reason = _("The security administrator cannot take the role from themselves.")
        record_refusal(actor, "security.role_revoked", reason, obj=user, data={"role": role})
        raise SecurityError(reason)
    with transaction.atomic():
        deleted, _count = RoleGrant.objects.filter(user=user, role=role).delete()
        if deleted:
            record(
                "security.role_revoked",
                actor=actor,
                obj=user,
                summary=_("Role %(role)s taken from %(user)s")
                % {"role": Role(role).label, "user": user},
                data={"role": role},
            )
    user.__dict__.pop("roles", None)
    return bool(deleted)


# --- policy ----------------------------------------------------------------------------

POLICY_FIELDS = (
    "password_min_length",
    "password_min_classes",
    "password_history",
    "password_max_age_days",
    "idle_timeout_minutes",
    "two_factor_roles",
    "two_factor_everyone",
)


def set_policy(*, actor: User, **values: Any) -> SecurityPolicy:
    _require_manager(actor, "security.policy_changed")
    with transaction.atomic():
        policy = SecurityPolicy.objects.select_for_update().filter(pk=1).first()
        policy = policy or SecurityPolicy(pk=1)
        changed = {}
        for name, value in values.items():
            if name not in POLICY_FIELDS:
                raise SecurityError(_("Unknown policy setting: %(name)s") % {"name": name})
            if getattr(policy, name) != value:
                changed[name] = {"from": getattr(policy, name), "to": value}
                setattr(policy, name, value)
        if not changed:
            return policy
        unknown = set(policy.two_factor_roles) - set(Role.values)
        if unknown:
            raise SecurityError(_("Unknown role in the two-factor list."))
        policy.full_clean()
        policy.updated_at = timezone.now()
        policy.updated_by = actor
        policy.save()
        record(
            "security.policy_changed",
            actor=actor,
            obj=policy,
            summary=_("Security policy changed: %(fields)s") % {"fields": ", ".join(changed)},
            data={"changed": changed},
        )
    return policy


# --- passwords -------------------------------------------------------------------------


def character_classes(password: str) -> int:
    return sum(
        (
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        )
    )


def reused(user: User, password: str, policy: SecurityPolicy | None = None) -> bool:
    policy = policy or SecurityPolicy.current()
    if not user.pk or policy.password_history == 0:
        return False
    if user.password and check_password(password, user.password):
        return True
    earlier = PasswordHistory.objects.filter(user=user)[: policy.password_history]
    return any(check_password(password, row.password) for row in earlier)


def note_password_set(user: User, *, must_change: bool) -> None:
    """After a password was set (in the caller's transaction). The history row and the
    date are written by ``passwords.PolicyValidator.password_changed`` on every path."""
    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": must_change}
    )


def change_own_password(user: User, old: str, new: str) -> None:
    if not user.check_password(old):
        reason = _("The current password is wrong.")
        record_refusal(user, "security.password_changed", reason, obj=user)
        raise SecurityError(reason)
    try:
        password_validation.validate_password(new, user)
    except ValidationError as exc:
        record_refusal(user, "security.password_changed", " ".join(exc.messages), obj=user)
        raise
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        note_password_set(user, must_change=False)
        record(
            "security.password_changed",
            actor=user,
            obj=user,
            summary=_("%(user)s changed their password") % {"user": user},
        )


def temporary_password() -> str:
    """Meets every policy the security administrator may set (four classes, 16 long)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(12))
    return core + secrets.choice("ABCDEFGHJK") + secrets.choice("abcdefghjk") + "7#"


def reset_password(user: User, *, actor: User) -> str:
    """A temporary password the user must change at their next sign-in; shown once."""
    _require_manager(actor, "security.password_reset", user)
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        note_password_set(user, must_change=True)
        record(
            "security.password_reset",
            actor=actor,
            obj=user,
            summary=_("Password of %(user)s reset; to be changed at the next sign-in")
            % {"user": user},
        )
    return password


def password_expired(user: User, policy: SecurityPolicy | None = None) -> bool:
    policy = policy or SecurityPolicy.current()
    state = PasswordState.objects.filter(user=user).first()
    if state is not None and state.must_change:
        return True
    if policy.password_max_age_days == 0:
        return False
    # Accounts of the release before have no state yet: their age counts from joining.
    changed_at = state.changed_at if state is not None else user.date_joined
    return (timezone.now() - changed_at).days >= policy.password_max_age_days


# --- one-time codes --------------------------------------------------------------------


def reset_two_factor(user: User, *, actor: User) -> int:
    """Remove the user's one-time-code devices: they enrol again at their next sign-in."""
    from django_otp import devices_for_user

    _require_manager(actor, "security.otp_reset", user)
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        record(
            "security.otp_reset",
            actor=actor,
            obj=user,
            summary=_("One-time-code devices of %(user)s removed") % {"user": user},
            data={"devices": len(devices)},
        )
    return len(devices)


# --- personal data ---------------------------------------------------------------------

REVEALABLE = ("id_number", "address", "contact")


def reveal_party_field(party, field: str, *, actor: User) -> str:
    """The full value of a masked field of a party, for someone who reaches its case."""
    if field not in REVEALABLE:
        raise SecurityError(_("This field is not masked."))
    if not access.can_reveal(actor, party.case):
        record_refusal(
            actor,
            "security.personal_data_shown",
            _("no reach to the case"),
            obj=party,
            data={"field": field},
        )
        raise SecurityError(_("Not found."))
    with transaction.atomic():
        record(
            "security.personal_data_shown",
            actor=actor,
            obj=party,
            case_id=party.case_id,
            summary=_("%(field)s of party %(party)s shown in full")
            % {"field": party._meta.get_field(field).verbose_name, "party": party.name},
            data={"field": field, "shown": sm4.mask(getattr(party, field))},
        )
    return getattr(party, field)
