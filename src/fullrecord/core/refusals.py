"""Refusals noted where they happen, so that the security app can record each refused
request (GB/T 22239-2019 8.1.4.3: failed and refused actions are audited as well as
successful ones) without ``core`` or the access helpers knowing the audit log.

- The access helpers raise :class:`Unreachable` for a record that is missing or out of the
  user's reach: it answers exactly as ``Http404`` (ids cannot be probed). The record of
  refusals counts every 404 a view raised (``Unreachable`` or a plain ``Http404``) and
  leaves out only the URL resolver's, a mistyped address; ``Unreachable`` names the access
  helpers' refusals for readers of the code and for tests.
- The CSRF failure page notes :class:`CsrfFailed`.
- The page handler (``security.middleware.RefusedRequestMiddleware.process_exception``) and
  the API's exception handler (``core.api.exception_handler``) note the exception that
  ended a request on the request itself; the middleware reads it back with :func:`noted`.
- Authentication that proved who presented a token and still refused it (a locked
  account, an expired password) names that user with :func:`refused_user`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

_NOTE = "_fullrecord_refusal"
_USER = "fullrecord_refused_user"


class Unreachable(Http404):
    """A record that is missing or out of the user's reach: the same 404 either way."""


class CsrfFailed(PermissionDenied):
    """Noted by the CSRF failure page (``core/errors.csrf_failure``)."""


def note(request, exc: BaseException) -> None:
    """Keep the exception that ended ``request`` (a DRF request or Django's own); the first
    one noted stands."""
    request = getattr(request, "_request", request)
    if isinstance(request, HttpRequest) and getattr(request, _NOTE, None) is None:
        setattr(request, _NOTE, exc)


def noted(request: HttpRequest) -> BaseException | None:
    return getattr(request, _NOTE, None)


def refused_user(exc: BaseException, user) -> BaseException:
    """Name the user whose credentials were proven but who was refused; returns ``exc``."""
    setattr(exc, _USER, user)
    return exc


def user_refused(exc: BaseException | None):
    return getattr(exc, _USER, None)
