"""Accounts: API tokens. Only a digest of each token is stored (django-rest-knox); the key
is shown once, when it is made, and every issue, rotation and revocation is recorded."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from fullrecord.audit.services import record

from .models import User


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
