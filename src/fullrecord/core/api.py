"""API plumbing shared by every app."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, routers
from rest_framework.views import exception_handler as drf_exception_handler

from . import refusals


def exception_handler(exc, context):
    """Service-layer ``ValidationError`` becomes a 400 with its messages, never a 500.

    The exception is noted on the request first, for the record of refused requests
    (``core/refusals.py``): an access helper's 404 still reads as a refusal there."""
    if context.get("request") is not None:
        refusals.note(context["request"], exc)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in errs] for field, errs in exc.message_dict.items()}
        else:
            detail = {"detail": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class Pagination(pagination.LimitOffsetPagination):
    """``?limit=`` is clamped to ``max_limit`` (as the audit and media lists do) and
    ``?offset=`` to the row count: a number past what the database's LIMIT/OFFSET take
    (``?offset=10**30``) would otherwise overflow it and answer 500."""

    max_limit = 500

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), self.count)


class Router(routers.DefaultRouter):
    """DRF's router without the ``.json``/``.api`` format-suffix twins of every route: the
    API answers JSON by its ``Accept`` header, and the twins passed a ``format`` argument
    that custom actions (``/api/media/<id>/content.json``) did not take, answering 500."""

    include_format_suffixes = False
