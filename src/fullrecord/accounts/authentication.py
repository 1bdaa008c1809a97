"""API authentication: a token stops working while its user is locked out or inactive."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import signin


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; DRF already refuses inactive users, this adds the lock."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if signin.locked_until(user.get_username()) is not None:
            raise exceptions.AuthenticationFailed(
                _("This account is locked after repeated failed sign-ins.")
            )
        return user, token
