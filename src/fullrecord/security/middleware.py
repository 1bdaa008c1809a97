"""The sign-in policy on every request (GB/T 22239-2019 8.1.4.1):

- idle timeout: a session untouched for ``idle_timeout_minutes`` is signed out;
- second factor: a user whose role needs one and whose session has not been verified
  with a one-time code is sent to enrol or to enter a code (django-otp);
- expired or must-change password: sent to the own-password page.

API requests with a token are not sessions: a token user whose password expired or who
needs a second factor without an enrolled device is refused (``authentication`` below).

And every request the server refuses is recorded (8.1.4.3): ``RefusedRequestMiddleware``.
"""

from __future__ import annotations

import logging
import re
import time

from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fullrecord.audit.services import record
from fullrecord.core import refusals

from .models import SecurityPolicy

logger = logging.getLogger("fullrecord.security")

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


class RefusedRequestMiddleware:
    """Each request the server refuses to someone it knows is an audit entry
    (GB/T 22239-2019 8.1.4.3: failed and refused actions are recorded as well as successful
    ones): ``security.request_refused`` with the actor, method and path, HTTP status, why,
    and the request id.

    Refused means a 403 (``PermissionDenied``, a DRF permission, a CSRF failure), a 401 of
    the API, or a 404 a view raised: an access helper's for a record missing or out of reach
    (``core.refusals.Unreachable``), or a view's own ``Http404`` for a page the user's role
    may not open or a record outside its case — missing and forbidden are recorded alike, so
    neither the answer nor its time tells them apart. A 404 of an address no view answers
    (a mistyped one) is not a refusal. Known means signed in (a session or an API
    token), or a token presented: a genuine token whose user is refused names that user,
    an unknown or expired one is recorded with its first characters only (what the
    token lists show; never the key). Anonymous visitors' refusals are not recorded here:
    failed sign-ins are (``account.login_failed``).

    The entry is written after the view has returned, in a transaction of its own, so it
    stays when the view's transaction rolled back; a refusal a service already recorded
    (``services.record_refusal``) gets no second entry. Recording never breaks the
    answer: a failure to record is logged instead.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .services import REFUSAL_RECORDED

        # The session's user as signed in: DRF puts an anonymous user in its place when
        # it refuses the session (its CSRF check), and that refusal is the user's too.
        session_user = getattr(request, "user", None)
        mark = REFUSAL_RECORDED.set(False)
        try:
            response = self.get_response(request)
            recorded = REFUSAL_RECORDED.get()
        finally:
            REFUSAL_RECORDED.reset(mark)
        if not recorded and response.status_code in (401, 403, 404):
            try:
                _record_refusal(request, response, session_user)
            except Exception:
                logger.exception(
                    "refused request not recorded: %s %s %s",
                    request.method,
                    _shown_path(request.path),
                    response.status_code,
                )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        refusals.note(request, exception)


def _record_refusal(request: HttpRequest, response: HttpResponse, session_user) -> None:
    exc = refusals.noted(request)
    status = response.status_code
    if status == 404 and not _raised_by_a_view(exc):
        return  # a mistyped address, not a refusal
    actor = next(
        (
            user
            for user in (getattr(request, "user", None), session_user)
            if user is not None and user.is_authenticated
        ),
        refusals.user_refused(exc),
    )
    presented = _presented_token(request)
    if actor is None and presented is None:
        return
    data = {
        "method": request.method,
        "path": _shown_path(request.path),
        "http_status": status,
        "reason": _reason(status, exc, actor, presented),
        "request_id": getattr(request, "request_id", ""),
    }
    used = getattr(getattr(request, "auth", None), "token_key", "") or presented
    if used:
        data["token"] = used
    with transaction.atomic():
        record(
            "security.request_refused",
            actor=actor,
            summary=_("Refused: %(method)s %(path)s (%(status)d)")
            % {"method": request.method, "path": data["path"], "status": status},
            data=data,
        )


def _raised_by_a_view(exc) -> bool:
    """A 404 a view (or the API's ``get_object``) raised; the URL resolver's ``Resolver404``
    never reaches ``process_exception``, and is excluded all the same."""
    from django.http import Http404
    from django.urls import Resolver404
    from rest_framework.exceptions import NotFound

    return isinstance(exc, Http404 | NotFound) and not isinstance(exc, Resolver404)


def _reason(status: int, exc, actor, presented) -> str:
    if status == 404 and _raised_by_a_view(exc):
        return _("no such record, or out of the user's reach")
    if isinstance(exc, refusals.CsrfFailed) or str(exc).startswith("CSRF Failed"):
        return _("the form's security check (CSRF) failed")
    if status == 401 and actor is None:
        return _("unknown or expired API token") if presented else _("not an API token")
    message = str(exc) if exc is not None else ""
    return message[:300] or _("refused by the server")


# A capability in an address (a playback signature) is not kept whole in the log.
_LONG_HEX = re.compile(r"\b([0-9a-fA-F]{8})[0-9a-fA-F]{24,}\b")


def _shown_path(path: str) -> str:
    return _LONG_HEX.sub(r"\1…", path)[:300]


def _presented_token(request: HttpRequest) -> str | None:
    """The first characters of an API token presented in ``Authorization`` (knox keeps
    them in plain text to find the token: they are not the secret), "" for something
    presented that is not shaped like a token (nothing of it is kept), None for none."""
    from knox.settings import CONSTANTS, knox_settings

    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != knox_settings.AUTH_HEADER_PREFIX.lower():
        return None
    value = value.strip()
    body = value.removeprefix(knox_settings.TOKEN_PREFIX)
    length = knox_settings.AUTH_TOKEN_CHARACTER_LENGTH
    if len(body) == length and re.fullmatch(r"[0-9a-f]+", body):
        return value[: CONSTANTS.TOKEN_KEY_LENGTH]
    return ""
