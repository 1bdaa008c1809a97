"""Sign-in and sign-out, whichever view did them (ours, the admin's): the session index
that lets a lock end sessions, and the audit entry of every sign-out (第十八条)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import signin


@receiver(user_logged_in, dispatch_uid="fullrecord.accounts.remember_session")
def remember_session(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    signin.remember_session(user, getattr(session, "session_key", None))


@receiver(user_logged_out, dispatch_uid="fullrecord.accounts.record_sign_out")
def record_sign_out(sender, request, user, **kwargs) -> None:
    """Django's ``logout()`` sends this from our sign-out view and the admin's alike, once,
    and only when someone was signed in."""
    if user is None:
        return
    session = getattr(request, "session", None)
    signin.forget_session(getattr(session, "session_key", None))
    signin.signed_out(user, request)
