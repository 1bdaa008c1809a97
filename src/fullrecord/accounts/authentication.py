"""API authentication: django-rest-knox tokens (only a digest is stored), which stop
working while their user is locked out or inactive."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions

from fullrecord.core.refusals import refused_user

from . import signin


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; knox refuses unknown, expired and inactive-user
    tokens, this adds the sign-in lock (``signin.locked_until``)."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        # The token was genuine: a refusal from here on names its user in the record of
        # refused requests (GB/T 22239-2019 8.1.4.3, security/middleware.py).
        if signin.locked_until(user) is not None:
            raise refused_user(
                exceptions.AuthenticationFailed(
                    _("This account is locked after repeated failed sign-ins.")
                ),
                user,
            )
        # 等保 8.1.4.1: a token is bound to its user's sign-in policy (security/middleware.py).
        from fullrecord.security.middleware import token_refusal

        refusal = token_refusal(user)
        if refusal:
            raise refused_user(exceptions.AuthenticationFailed(refusal), user)
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI description of the scheme above (drf-spectacular's knox extension
    matches knox's own class only, not subclasses)."""

    target_class = "fullrecord.accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
