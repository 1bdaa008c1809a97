"""Our own error pages (400, 403, 404, 500, CSRF failure): in the site's layout, in the
user's language, each with a way on; never Django's raw pages or a hint to set DEBUG."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from . import refusals

_MEDIA_PAGE = re.compile(r"^/media/(\d+)/")
# What a CSRF failure page never echoes back.
_SECRET = re.compile(r"pass|token|csrf|secret|otp", re.IGNORECASE)


def _render(request: HttpRequest | None, template: str, status: int, **context) -> HttpResponse:
    body = loader.get_template(template).render(context, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _render(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _render(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """Missing and forbidden look the same (ids cannot be probed); the way on is an
    access request (第十七条), for the record named in the address when it is one."""
    match = _MEDIA_PAGE.match(request.path)
    return _render(
        request,
        "errors/404.html",
        404,
        item_id=match.group(1) if match else "",
        on_a_record=bool(match) or request.path.startswith("/cases/"),
    )


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    # No request context: whatever broke must not break the error page too.
    return _render(None, "errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page went stale: what was typed is shown back to copy."""
    refusals.note(request, refusals.CsrfFailed(reason))
    typed = []
    if request.method == "POST":  # files are not in request.POST; text fields are
        for name, values in request.POST.lists():
            if _SECRET.search(name):
                continue
            text = "\n".join(v for v in values if v.strip())
            if text:
                typed.append((name, text[:5000]))
    return _render(
        request,
        "errors/403_csrf.html",
        403,
        typed=typed,
        back=request.META.get("HTTP_REFERER", "") if _same_site(request) else "",
        reason_text=_(
            "The form's security check failed: the page was open too long or cookies are blocked."
        ),
    )


def _same_site(request: HttpRequest) -> bool:
    referer = request.META.get("HTTP_REFERER", "")
    return referer.startswith(f"{request.scheme}://{request.get_host()}/")
