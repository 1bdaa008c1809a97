from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ..services import WorkCalendar


@extend_schema(
    parameters=[
        OpenApiParameter("start", date, required=True),
        OpenApiParameter("days", int, required=True),
    ],
    responses=inline_serializer(
        "WorkingDays",
        {
            "start": serializers.DateField(),
            "days": serializers.IntegerField(),
            "due": serializers.DateField(),
            "provisional": serializers.BooleanField(),
        },
    ),
)
@api_view(["GET"])
def working_days(request: Request) -> Response:
    """The date ``days`` working days after ``start`` on the bureau's calendar."""
    try:
        start = date.fromisoformat(request.query_params.get("start", ""))
        days = int(request.query_params.get("days", ""))
    except ValueError:
        raise ValidationError({"detail": _("start=YYYY-MM-DD and days=N are required.")}) from None
    if not 0 <= days <= 3650:
        raise ValidationError({"days": _("days must be between 0 and 3650.")})
    try:
        result = WorkCalendar().add_working_days(start, days)
    except OverflowError:
        raise ValidationError({"start": _("The result would fall after the year 9999.")}) from None
    return Response(
        {"start": start, "days": days, "due": result.date, "provisional": result.provisional}
    )
