"""Sign-in, failed sign-in, lockout and sign-out, each appended to the audit log (第十八条).

django-axes counts failures per (username, client address) in the database, so every web
process sees the same lock and nobody can lock someone else out from their own machine;
``fullrecord.accounts.lockout`` explains the counting and its settings. When a username
is locked from some address its open sessions end and its API tokens stop until the lock
runs out (``locked_until``), so a guesser who got in somewhere is thrown out too.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from importlib import import_module

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from . import lockout
from .models import SignedInSession, User


def client_ip(request: HttpRequest | None) -> str:
    """REMOTE_ADDR; behind the reverse proxy (SECURE_PROXY_SSL_HEADER set), the address the
    proxy appended last to X-Forwarded-For: earlier hops are whatever the client claimed."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops and hops[-1]:
            try:
                return str(ipaddress.ip_address(hops[-1]))
            except ValueError:
                pass
    return remote


def axes_client_ip(request: HttpRequest | None) -> str | None:
    """``client_ip`` for django-axes, which stores the address in an IP column (None, not "")."""
    return client_ip(request) or None


def _user(username: str) -> User | None:
    """The user a typed username names: exactly, else regardless of case (locks are counted
    case-folded, so a lock typed as "OFFICER" is officer's and ends officer's sessions)."""
    name = (username or "").strip()
    return (
        User.objects.filter(username=name).first()
        or User.objects.filter(username__iexact=name).order_by("pk").first()
    )


def _details(username: str, request: HttpRequest | None, **extra) -> dict:
    data = {"username": (username or "")[:150], "ip": client_ip(request)}
    if request is not None:
        agent = request.META.get("HTTP_USER_AGENT", "")
        if agent:
            data["user_agent"] = agent[:200]
    return {**data, **extra}


def locked_until(user_or_username: User | str) -> datetime | None:
    """When the lock on this account ends, or None when it is not locked now.

    The question every credential check asks ("is this user locked now"): API tokens are
    refused while it answers a time. A lock from any address counts: the guesser may have
    the password by then."""
    username = getattr(user_or_username, "username", user_or_username)
    return lockout.account_locked_until(username)


def is_locked(user: User) -> bool:
    return locked_until(user) is not None


def refuse_locked(username: str, request: HttpRequest) -> datetime | None:
    """Record and refuse an attempt while this username is locked from this address, or this
    address is stopped; None when it may try."""
    AxesProxyHandler.update_request(request)
    if AxesProxyHandler.is_allowed(request, get_credentials(username)):
        return None
    ip = request.axes_ip_address
    until = lockout.pair_locked_until(username, ip) or lockout.address_locked_until(ip)
    if until is None:
        return None
    record(
        "account.login_failed",
        obj=_user(username),
        summary=_("Sign-in refused, account locked: %(username)s") % {"username": username},
        data=_details(username, request, reason="locked", locked_until=until.isoformat()),
    )
    return until


@transaction.atomic
def failed(username: str, request: HttpRequest, *, reason: str = "invalid") -> datetime | None:
    """Record a failed sign-in, which axes has just counted (Django's ``user_login_failed``
    signal); returns the lock's end when this failure set a lock."""
    user = _user(username)
    ip = getattr(request, "axes_ip_address", None)
    failures = (
        AccessAttempt.objects.filter(
            username=lockout.username_key(None, {"username": username}), ip_address=ip
        )
        .values_list("failures_since_start", flat=True)
        .first()
        or 0
    )
    record(
        "account.login_failed",
        obj=user,
        summary=_("Failed sign-in: %(username)s") % {"username": username},
        data=_details(username, request, reason=reason, failures=failures),
    )
    if not getattr(request, "axes_locked_out", False):
        return None
    if until := lockout.pair_locked_until(username, ip):
        record(
            "account.locked",
            obj=user,
            summary=_("Account locked after %(count)s failed sign-ins: %(username)s")
            % {"count": failures, "username": username},
            data=_details(
                username,
                request,
                failures=failures,
                window_minutes=settings.FULLRECORD_LOGIN_WINDOW_MINUTES,
                locked_until=until.isoformat(),
            ),
        )
        if user is not None:
            end_sessions(user, reason="locked")
        return until
    until = lockout.address_locked_until(ip)
    record(
        "account.address_locked",
        summary=_("Address %(ip)s stopped after failed sign-ins") % {"ip": ip or "-"},
        data=_details(
            username,
            request,
            limit=settings.FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS,
            locked_until=until.isoformat() if until else None,
        ),
    )
    return until


@transaction.atomic
def succeeded(user: User, request: HttpRequest | None) -> None:
    """Record a sign-in and forget this address's earlier failures for this username. The
    failures counted from other addresses stay: the owner signing in must not clear a
    guesser's count, nor a guesser signing in to their own account their address's."""
    ip = getattr(request, "axes_ip_address", None) if request is not None else None
    AccessAttempt.objects.filter(
        username=lockout.username_key(None, {"username": user.get_username()}),
        ip_address=ip,
        failures_since_start__lt=settings.FULLRECORD_LOGIN_MAX_FAILURES,
    ).delete()
    record(
        "account.login",
        actor=user,
        obj=user,
        summary=_("Signed in: %(username)s") % {"username": user.get_username()},
        data=_details(user.get_username(), request),
    )


def signed_out(user: User, request: HttpRequest | None) -> None:
    record(
        "account.logout",
        actor=user,
        obj=user,
        summary=_("Signed out: %(username)s") % {"username": user.get_username()},
        data=_details(user.get_username(), request),
    )


def remember_session(user: User, session_key: str | None) -> None:
    """Index a signed-in session under its user, so a lock can end it; the user's rows of
    sessions that have since expired or been cleared (``clearsessions``) go."""
    if not session_key:
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    gone = [
        key
        for key in SignedInSession.objects.filter(user=user).values_list("session_key", flat=True)
        if not store.exists(key)
    ]
    SignedInSession.objects.filter(session_key__in=gone).delete()
    SignedInSession.objects.get_or_create(user=user, session_key=session_key)


def forget_session(session_key: str | None) -> None:
    if session_key:
        SignedInSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def end_sessions(user: User, *, reason: str, actor: User | None = None) -> int:
    """End every open session of ``user`` (its session rows are deleted) and record it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    SignedInSession.objects.filter(user=user).delete()
    if keys:
        record(
            "account.sessions_ended",
            actor=actor,
            obj=user,
            summary=_("%(count)s open sessions of %(username)s ended")
            % {"count": len(keys), "username": user.get_username()},
            data={"username": user.get_username(), "sessions": len(keys), "reason": reason},
        )
    return len(keys)


@transaction.atomic
def unlock(username: str, *, actor: User | None = None) -> bool:
    """Lift every lock on this username before it ends (an administrator, after checking with
    the person); recorded as ``account.unlocked``."""
    key = lockout.username_key(None, {"username": username})
    was_locked = lockout.account_locked_until(username) is not None
    AccessAttempt.objects.filter(username=key).delete()
    if was_locked:
        record(
            "account.unlocked",
            actor=actor,
            obj=_user(username),
            summary=_("Account unlocked: %(username)s") % {"username": username},
            data={"username": username[:150]},
        )
    return was_locked
