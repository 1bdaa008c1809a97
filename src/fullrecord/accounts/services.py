"""Accounts: tokens and the people of the organisation tree."""

from __future__ import annotations

from rest_framework.authtoken.models import Token

from fullrecord.audit.services import record

from .models import User


def issue_api_token(user: User, *, actor: User | None = None, rotate: bool = False) -> str:
    """The user's API token, created on first use; ``rotate`` replaces it."""
    if rotate:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record(
            "account.token_issued",
            actor=actor,
            obj=user,
            summary=f"API token issued for {user.username}",
        )
    return token.key
