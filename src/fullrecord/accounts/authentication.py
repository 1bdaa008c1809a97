"""API authentication: django-rest-knox tokens (only a digest is stored), which stop
working while their user is locked out or inactive."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from . import signin


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; knox refuses unknown, expired and inactive-user
    tokens, this adds the sign-in lock (``signin.locked_until``)."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if signin.locked_until(user) is not None:
            raise exceptions.AuthenticationFailed(
                _("This account is locked after repeated failed sign-ins.")
            )
        return user, token
