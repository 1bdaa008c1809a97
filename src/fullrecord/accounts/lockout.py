"""How django-axes counts failed sign-ins here, so our three settings keep their meaning.

Axes keeps one ``AccessAttempt`` row per (username, client address) in the database, so
every web process sees the same counts. A pair reaching ``FULLRECORD_LOGIN_MAX_FAILURES``
(each failure within ``FULLRECORD_LOGIN_WINDOW_MINUTES`` of the previous one) is locked for
``FULLRECORD_LOCKOUT_MINUTES`` from the failure that set the lock: the attacker's address
is stopped for that username, while its owner still signs in from their own. On top, an
address with ``FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS`` failures over any usernames is
stopped as a whole for the same time.

Axes by itself would keep counting across the lock (the first failure after it would
lock again at once) and splits rows by user agent (an attacker varying it would never
reach the limit); ``LockoutHandler`` closes both.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone


def username_key(request: HttpRequest | None, credentials: dict | None) -> str:
    """The username as counted: trimmed and case-folded, whether or not such a user exists
    (so a lock tells nobody which usernames are real)."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return (name or "").strip().casefold()[:150]


def failure_limit(request: HttpRequest | None = None, credentials: dict | None = None) -> int:
    """``AXES_FAILURE_LIMIT``: read when asked, so the setting can change under test."""
    return settings.FULLRECORD_LOGIN_MAX_FAILURES


def _limits() -> tuple[int, int, timedelta, timedelta]:
    return (
        settings.FULLRECORD_LOGIN_MAX_FAILURES,
        settings.FULLRECORD_LOGIN_MAX_FAILURES_PER_ADDRESS,
        timedelta(minutes=settings.FULLRECORD_LOGIN_WINDOW_MINUTES),
        timedelta(minutes=settings.FULLRECORD_LOCKOUT_MINUTES),
    )


def forget_stale(now: datetime | None = None) -> int:
    """Drop counts that no longer matter: a pair idle for the window without a lock, and
    a lock that has run out (so the next failure starts a fresh count)."""
    now = now or timezone.now()
    limit, _per_address, window, lockout = _limits()
    stale = Q(attempt_time__lte=now - window, failures_since_start__lt=limit) | Q(
        attempt_time__lte=now - lockout, failures_since_start__gte=limit
    )
    count, _ = AccessAttempt.objects.filter(stale).delete()
    return count


def pair_locked_until(username: str, ip_address: str | None) -> datetime | None:
    """When the lock on this username from this address ends, or None."""
    limit, _per_address, _window, lockout = _limits()
    last = (
        AccessAttempt.objects.filter(
            username=username_key(None, {"username": username}),
            ip_address=ip_address,
            failures_since_start__gte=limit,
            attempt_time__gt=timezone.now() - lockout,
        )
        .aggregate(last=Max("attempt_time"))
        .get("last")
    )
    return last + lockout if last else None


def address_locked_until(ip_address: str | None) -> datetime | None:
    """When the stop on this address (too many failures over any usernames) ends, or None."""
    _limit, per_address, window, lockout = _limits()
    now = timezone.now()
    totals = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gt=now - max(window, lockout)
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) >= per_address and totals["last"] > now - lockout:
        return totals["last"] + lockout
    return None


def account_locked_until(username: str) -> datetime | None:
    """When the last lock on this username, from whatever address, ends; or None.

    This is the lock that ends the account's sessions and stops its API tokens."""
    limit, _per_address, _window, lockout = _limits()
    last = (
        AccessAttempt.objects.filter(
            username=username_key(None, {"username": username}),
            failures_since_start__gte=limit,
            attempt_time__gt=timezone.now() - lockout,
        )
        .aggregate(last=Max("attempt_time"))
        .get("last")
    )
    return last + lockout if last else None


def account_lock_condition(username_key_sql: str, now: datetime) -> tuple[str, list]:
    """:func:`account_locked_until` as an SQL condition true while the account whose
    counted username (:func:`username_key`) is ``username_key_sql`` is locked: for a query
    that must decide in one round trip (a playback's every range, media/playback.py)."""
    limit, _per_address, _window, lockout = _limits()
    table = AccessAttempt._meta.db_table
    sql = (
        f"EXISTS (SELECT 1 FROM {table} a WHERE a.username = {username_key_sql} "  # noqa: S608
        "AND a.failures_since_start >= %s AND a.attempt_time > %s)"
    )
    return sql, [limit, now - lockout]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with our counting (see the module docstring)."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            # One row per (username, address): a changing User-Agent must not reset the count.
            request.axes_user_agent = ""
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        return forget_stale()

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The pair's count; the failure limit itself while the pair or the address is locked
        (axes compares this with ``AXES_FAILURE_LIMIT`` to refuse and to signal a lock)."""
        limit = settings.FULLRECORD_LOGIN_MAX_FAILURES
        username = username_key(request, credentials)
        ip_address = request.axes_ip_address
        if pair_locked_until(username, ip_address) or address_locked_until(ip_address):
            return limit
        window = timedelta(minutes=settings.FULLRECORD_LOGIN_WINDOW_MINUTES)
        return (
            AccessAttempt.objects.filter(
                username=username,
                ip_address=ip_address,
                attempt_time__gt=timezone.now() - window,
            ).aggregate(failures=Sum("failures_since_start"))["failures"]
            or 0
        )
