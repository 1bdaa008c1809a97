"""The sign-in policy on every request (GB/T 22239-2019 8.1.4.1):

- idle timeout: a session untouched for ``idle_timeout_minutes`` is signed out;
- second factor: a user whose role needs one and whose session has not been verified
  with a one-time code is sent to enrol or to enter a code (django-otp);
- expired or must-change password: sent to the own-password page.

API requests with a token are not sessions: a token user whose password expired or who
needs a second factor without an enrolled device is refused (``authentication`` below).
"""

from __future__ import annotations

import time

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from .models import SecurityPolicy

LAST_SEEN = "security.last_seen"
# False only inside the test suite, for tests about something else (conftest.py turns it
# off unless a test is marked ``signin_policy``); never read from the environment.
ENFORCED = True
# Reachable while a second factor or a password change is pending.
OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/healthz", "/i18n/", "/administration/me/")


class SignInPolicyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not ENFORCED or user is None or not user.is_authenticated:
            return self.get_response(request)
        policy = SecurityPolicy.current()
        now = time.time()
        last = request.session.get(LAST_SEEN)
        if last is not None and now - last > policy.idle_timeout_minutes * 60:
            from django.db import transaction

            with transaction.atomic():
                record(
                    "security.idle_signout",
                    actor=user,
                    obj=user,
                    summary=_("%(user)s signed out after %(minutes)d idle minutes")
                    % {"user": user, "minutes": policy.idle_timeout_minutes},
                )
            logout(request)
            return self._away(request, reverse("accounts:login") + "?idle=1")
        request.session[LAST_SEEN] = now
        if request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if policy.needs_two_factor(user) and not user.is_verified():
            return self._away(request, reverse("security:two_factor"))
        from .services import password_expired

        if password_expired(user, policy):
            return self._away(request, reverse("security:own_password"))
        return self.get_response(request)

    def _away(self, request: HttpRequest, to: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Sign in again.")}, status=401)
        return redirect(to)


def token_refusal(user) -> str | None:
    """Why an API token of ``user`` may not be used now, or None: an expired password, or
    a role that needs a second factor without an enrolled device."""
    if not ENFORCED:
        return None
    from django_otp import user_has_device

    from .services import password_expired

    policy = SecurityPolicy.current()
    if password_expired(user, policy):
        return _("The password of this account has expired; sign in and change it first.")
    if policy.needs_two_factor(user) and not user_has_device(user, confirmed=True):
        return _("This account must enrol a one-time-code device before using API tokens.")
    return None
