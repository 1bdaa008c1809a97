"""Sign-in, failed sign-in, lockout and sign-out, each appended to the audit log (第十八条).

A username that fails ``FULLRECORD_LOGIN_MAX_FAILURES`` times within
``FULLRECORD_LOGIN_WINDOW_MINUTES`` is locked for ``FULLRECORD_LOCKOUT_MINUTES``.
The count lives in the database (``LoginThrottle``), so every web process sees the
same lock; the row is locked while a failure is counted, so two failures at the
same moment are both counted.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.audit.services import record

from .models import LoginThrottle, User


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


def _key(username: str) -> str:
    return (username or "").strip().casefold()[:150]


def _user(username: str) -> User | None:
    return User.objects.filter(username=(username or "").strip()).first()


def _details(username: str, request: HttpRequest | None, **extra) -> dict:
    data = {"username": (username or "")[:150], "ip": client_ip(request)}
    if request is not None:
        agent = request.META.get("HTTP_USER_AGENT", "")
        if agent:
            data["user_agent"] = agent[:200]
    return {**data, **extra}


def locked_until(username: str) -> datetime | None:
    """When the lock on this username ends, or None when it is not locked."""
    return (
        LoginThrottle.objects.filter(username=_key(username), locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )


def refuse_locked(username: str, request: HttpRequest | None) -> datetime | None:
    """Record and refuse an attempt on a locked username; None when it may try."""
    until = locked_until(username)
    if until is not None:
        record(
            "account.login_failed",
            obj=_user(username),
            summary=_("Sign-in refused, account locked: %(username)s") % {"username": username},
            data=_details(username, request, reason="locked", locked_until=until.isoformat()),
        )
    return until


@transaction.atomic
def failed(
    username: str, request: HttpRequest | None, *, reason: str = "invalid"
) -> datetime | None:
    """Count and record a failed sign-in; returns the lock's end when this one locks it."""
    now = timezone.now()
    key = _key(username)
    LoginThrottle.objects.get_or_create(username=key)
    throttle = LoginThrottle.objects.select_for_update().get(username=key)
    window_start = now - timedelta(minutes=settings.FULLRECORD_LOGIN_WINDOW_MINUTES)
    recent = [
        stamp for stamp in throttle.failures if datetime.fromisoformat(stamp) > window_start
    ] + [now.isoformat()]
    user = _user(username)
    record(
        "account.login_failed",
        obj=user,
        summary=_("Failed sign-in: %(username)s") % {"username": username},
        data=_details(username, request, reason=reason, failures=len(recent)),
    )
    if len(recent) < settings.FULLRECORD_LOGIN_MAX_FAILURES:
        throttle.failures = recent
        throttle.save(update_fields=["failures"])
        return None
    throttle.failures = []
    throttle.locked_until = now + timedelta(minutes=settings.FULLRECORD_LOCKOUT_MINUTES)
    throttle.save(update_fields=["failures", "locked_until"])
    record(
        "account.locked",
        obj=user,
        summary=_("Account locked after %(count)s failed sign-ins: %(username)s")
        % {"count": len(recent), "username": username},
        data=_details(
            username,
            request,
            failures=len(recent),
            window_minutes=settings.FULLRECORD_LOGIN_WINDOW_MINUTES,
            locked_until=throttle.locked_until.isoformat(),
        ),
    )
    return throttle.locked_until


@transaction.atomic
def succeeded(user: User, request: HttpRequest | None) -> None:
    """Record a sign-in and forget the username's earlier failures."""
    LoginThrottle.objects.filter(username=_key(user.get_username())).exclude(
        locked_until__gt=timezone.now()
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


@transaction.atomic
def unlock(username: str, *, actor: User | None = None) -> bool:
    """Lift a lock before it ends (an administrator, after checking with the person)."""
    changed = LoginThrottle.objects.filter(
        username=_key(username), locked_until__gt=timezone.now()
    ).update(locked_until=None, failures=[])
    if changed:
        record(
            "account.unlocked",
            actor=actor,
            obj=_user(username),
            summary=_("Account unlocked: %(username)s") % {"username": username},
            data={"username": username[:150]},
        )
    return bool(changed)
