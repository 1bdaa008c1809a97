"""The devices API: the same access helper and services as the pages.

An action the caller may not take on an object they see is not offered at all (404),
as on the pages; a refusal by the rules (a retired device, a failed check) is a 400
with the reason, and a checkout blocked by the function check is a 409 naming the
fault it opened and the spares the officer may take instead.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fullrecord.accounts.models import OrgUnit
from fullrecord.cases.access import get_case, visible_cases
from fullrecord.media.access import get_item

from .. import access, bookings, services, statistics
from ..models import Checkout, DeviceModel
from .serializers import (
    AddMarkSerializer,
    BlockedCheckoutSerializer,
    BookingCorrectionSerializer,
    BookingSerializer,
    BookSerializer,
    CheckinSerializer,
    CheckoutRequestSerializer,
    CheckoutSerializer,
    CorrectionRecordSerializer,
    CorrectionSerializer,
    DeviceModelSerializer,
    DeviceSerializer,
    EditDeviceSerializer,
    FaultMoveSerializer,
    FaultSerializer,
    FootageLossSerializer,
    FootageLostRequestSerializer,
    IntervalSerializer,
    LogMaintenanceSerializer,
    MaintenanceSerializer,
    MarkSerializer,
    OverrideSerializer,
    PatrolSerializer,
    PlanPatrolSerializer,
    ReasonSerializer,
    RegisterDeviceSerializer,
    ReportFaultSerializer,
    StatisticsSerializer,
)


def spares_for(user, device) -> list:
    """Available devices of the same kind the officer may take instead."""
    candidates = (
        access.visible_devices(user)
        .filter(kind=device.kind, status="available")
        .exclude(pk=device.pk)
        .select_related("model", "org_unit")
    )
    return [d for d in candidates if access.can_checkout(user, d)]


def _case_or_400(user, pk):
    if pk in (None, ""):
        return None
    try:
        return get_case(user, pk)
    except Http404:
        raise ValidationError({"case": _("No such case.")}) from None


class DeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recording devices (执法记录仪 and others): registry, checkout (领取), check-in (归还)."""

    serializer_class = DeviceSerializer

    def get_queryset(self):
        return access.visible_devices(self.request.user).select_related("model", "org_unit")

    def get_object(self):
        return access.get_device(self.request.user, self.kwargs["pk"])

    @extend_schema(request=RegisterDeviceSerializer, responses={201: DeviceSerializer})
    def create(self, request: Request) -> Response:
        """Register a device (the system administrator, for a unit of their bureau)."""
        if not access.can_register(request.user):
            raise Http404
        serializer = RegisterDeviceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = OrgUnit.objects.filter(pk=data["org_unit"]).first()
        if unit is None:
            raise ValidationError({"org_unit": _("No such unit.")})
        model, _created = DeviceModel.objects.get_or_create(
            name=data["model"], defaults={"kind": data["kind"]}
        )
        device = services.register_device(
            actor=request.user,
            number=data["number"],
            kind=data["kind"],
            model=model,
            org_unit=unit,
            serial=data["serial"],
            location=data["location"],
            storage_gb=data.get("storage_gb"),
            firmware=data["firmware"],
        )
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CheckoutRequestSerializer,
        responses={201: CheckoutSerializer, 409: BlockedCheckoutSerializer},
    )
    @action(detail=True, methods=["post"])
    def checkout(self, request: Request, pk=None) -> Response:
        """Check the device out to yourself after the function check (第九条第一项)."""
        device = self.get_object()
        if not access.can_checkout(request.user, device):
            raise Http404
        serializer = CheckoutRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        patrol = None
        if data.get("patrol"):
            try:
                patrol = access.get_patrol(request.user, data["patrol"])
            except Http404:
                raise ValidationError({"patrol": _("No such patrol task.")}) from None
        replaces = None
        if data.get("replaces"):
            replaces = access.visible_faults(request.user).filter(pk=data["replaces"]).first()
            if replaces is None:
                raise ValidationError({"replaces": _("No such fault.")})
        result = services.checkout_device(
            device,
            actor=request.user,
            task_kind=data["task_kind"],
            checklist=data["checklist"],
            case=_case_or_400(request.user, data.get("case")),
            patrol=patrol,
            task_note=data["task_note"],
            device_clock=data.get("device_clock"),
            battery=data.get("battery"),
            replaces=replaces,
        )
        if result.blocked:
            return Response(
                {
                    "detail": _("The function check failed: a fault was opened; take a spare."),
                    "fault": result.fault.pk,
                    "spares": [d.number for d in spares_for(request.user, device)],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(CheckoutSerializer(result.checkout).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckinSerializer, responses=CheckoutSerializer)
    @action(detail=True, methods=["post"])
    def checkin(self, request: Request, pk=None) -> Response:
        """Check the device in (归还): its holder or a section head over it."""
        device = self.get_object()
        checkout = device.checkouts.filter(in_at=None).first()
        if checkout is None:
            raise ValidationError({"detail": _("This device is not checked out.")})
        if not access.can_checkin(request.user, checkout):
            raise Http404
        serializer = CheckinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkout = services.checkin_device(
            checkout,
            actor=request.user,
            battery=serializer.validated_data.get("battery"),
            storage_free=serializer.validated_data.get("storage_free"),
        )
        return Response(CheckoutSerializer(checkout).data)

    @extend_schema(request=EditDeviceSerializer, responses=DeviceSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        """Change the registry entry (model, serial, owning unit, storage, firmware, location
        of a fixed camera or station): the administrator or the section head over it. The
        old and new values go into the audit log."""
        device = self.get_object()
        if not access.can_edit(request.user, device):
            raise Http404
        serializer = EditDeviceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "model" in changes:
            model = DeviceModel.objects.filter(name=changes["model"].strip()).first()
            if model is None:
                raise ValidationError({"model": _("No such model.")})
            changes["model"] = model
        if "org_unit" in changes:
            unit = OrgUnit.objects.filter(pk=changes["org_unit"]).first()
            if unit is None:
                raise ValidationError({"org_unit": _("No such unit.")})
            changes["org_unit"] = unit
        changes = {k: v for k, v in changes.items() if getattr(device, k) != v}
        device = services.edit_device(device, actor=request.user, changes=changes)
        return Response(DeviceSerializer(device).data)

    @extend_schema(request=ReasonSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk=None) -> Response:
        """Retire or write off the device: its section head, with a reason, once no checkout
        of it waits for footage (ingested, or declared lost: ``footage-lost``)."""
        device = self.get_object()
        if not access.can_write_off(request.user, device):
            raise Http404
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.retire_device(
            device, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(DeviceSerializer(device).data)

    @extend_schema(methods=["GET"], responses=FootageLossSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=FootageLostRequestSerializer,
        responses={201: FootageLossSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="footage-lost")
    def footage_lost(self, request: Request, pk=None) -> Response:
        """GET: the declarations that footage of this device's storage card is lost. POST
        (its section head): declare the footage of the checkouts still waiting for it lost,
        with the reason (第十八条第五项)."""
        device = self.get_object()
        if request.method == "GET":
            losses = device.footage_losses.select_related("declared_by")
            return Response(FootageLossSerializer(losses, many=True).data)
        if not access.can_declare_footage_lost(request.user, device):
            raise Http404
        serializer = FootageLostRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        loss = services.declare_footage_lost(
            device, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(FootageLossSerializer(loss).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=MaintenanceSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=LogMaintenanceSerializer, responses={201: MaintenanceSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def maintenance(self, request: Request, pk=None) -> Response:
        """GET: the device's maintenance log. POST (the section head or administrator): log a
        maintenance — battery test, storage check, clock sync, firmware (第十四条)."""
        device = self.get_object()
        if request.method == "GET":
            entries = device.maintenances.select_related("done_by")
            return Response(MaintenanceSerializer(entries, many=True).data)
        if not access.can_maintain(request.user, device):
            raise Http404
        serializer = LogMaintenanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.log_maintenance(device, actor=request.user, **serializer.validated_data)
        return Response(MaintenanceSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=BookingSerializer(many=True))
    @extend_schema(methods=["POST"], request=BookSerializer, responses={201: BookingSerializer})
    @action(detail=True, methods=["get", "post"])
    def bookings(self, request: Request, pk=None) -> Response:
        """GET: a fixed camera's bookings. POST (officers of its pool, its section head, the
        leader): book it for a task and a time; its footage of that time is bound to the
        task, case and officer, footage outside every booking stays unlinked."""
        device = self.get_object()
        if request.method == "GET":
            rows = device.bookings.select_related(
                "officer", "booked_by", "case", "patrol", "cancelled_by"
            ).prefetch_related("bindings", "corrections__actor")
            return Response(BookingSerializer(rows, many=True).data)
        if not access.can_book(request.user, device):
            raise Http404
        serializer = BookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        number = data.pop("case_number", "").strip()
        data["case"] = visible_cases(request.user).filter(number=number).first() if number else None
        if number and data["case"] is None:
            raise ValidationError({"case_number": _("No case with this number is open to you.")})
        patrol = data.pop("patrol", "").strip()
        data["patrol"] = (
            access.visible_patrols(request.user).filter(number=patrol).first() if patrol else None
        )
        if patrol and data["patrol"] is None:
            raise ValidationError({"patrol": _("No such patrol task.")})
        if "officer" in data:
            data["officer"] = get_user_model().objects.filter(username=data["officer"]).first()
            if data["officer"] is None:
                raise ValidationError({"officer": _("No such user.")})
        booking = services.book_camera(device, actor=request.user, **data)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses={201: OverrideSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request: Request, pk=None) -> Response:
        """Let a device overdue for maintenance go out once (its section head or the leader),
        with the reason; the next checkout uses it."""
        device = self.get_object()
        if not access.can_override(request.user, device):
            raise Http404
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        override = services.grant_override(
            device, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(OverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class DeviceModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Device models and their maintenance interval (第十四条): the models of the devices
    the caller sees."""

    serializer_class = DeviceModelSerializer

    def get_queryset(self):
        seen = access.visible_devices(self.request.user).order_by().values("pk")
        return access.visible_models(self.request.user).annotate(
            device_count=Count("devices", filter=Q(devices__pk__in=seen))
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (DeviceModel.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None

    @extend_schema(request=IntervalSerializer, responses=DeviceModelSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        """Set the maintenance interval: the administrator, or a section head with devices
        of the model. Due and overdue follow at once."""
        model = self.get_object()
        if not access.can_set_interval(request.user, model):
            raise Http404
        serializer = IntervalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_maintenance_interval(
            model, actor=request.user, days=serializer.validated_data["maintenance_days"]
        )
        return Response(DeviceModelSerializer(self.get_object()).data)


class CheckoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Checkouts: the caller's own, and those of the devices they oversee."""

    serializer_class = CheckoutSerializer

    def get_queryset(self):
        return access.visible_checkouts(self.request.user).select_related(
            "device", "officer", "case", "patrol"
        )

    def get_object(self) -> Checkout:
        return access.get_checkout(self.request.user, self.kwargs["pk"])

    @extend_schema(request=CorrectionSerializer, responses=CheckoutSerializer)
    @action(detail=True, methods=["post"])
    def correction(self, request: Request, pk=None) -> Response:
        """Correct a checkout's window, holder, clock offset or note, with a reason; its
        footage is bound again."""
        checkout = self.get_object()
        if not access.can_correct(request.user, checkout):
            raise Http404
        serializer = CorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        if "officer" in changes:
            officer = get_user_model().objects.filter(username=changes["officer"]).first()
            if officer is None:
                raise ValidationError({"officer": _("No such user.")})
            changes["officer"] = officer
        if "case_number" in changes:
            number = changes.pop("case_number").strip()
            changes["case"] = visible_cases(request.user).filter(number=number).first()
            if number and changes["case"] is None:
                raise ValidationError(
                    {"case_number": _("No case with this number is open to you.")}
                )
        if "patrol" in changes:
            number = changes["patrol"].strip()
            changes["patrol"] = access.visible_patrols(request.user).filter(number=number).first()
            if number and changes["patrol"] is None:
                raise ValidationError({"patrol": _("No such patrol task.")})
        checkout = services.correct_checkout(
            checkout, actor=request.user, reason=reason, changes=changes
        )
        return Response(CheckoutSerializer(checkout).data)

    @extend_schema(responses=CorrectionRecordSerializer(many=True))
    @action(detail=True, methods=["get"])
    def corrections(self, request: Request, pk=None) -> Response:
        checkout = self.get_object()
        return Response(CorrectionRecordSerializer(checkout.corrections.all(), many=True).data)


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings of fixed cameras the caller sees; corrected or cancelled by who booked one
    or the section head over the camera."""

    serializer_class = BookingSerializer

    def get_queryset(self):
        return (
            access.visible_bookings(self.request.user)
            .select_related("device", "officer", "booked_by", "case", "patrol", "cancelled_by")
            .prefetch_related("bindings", "corrections__actor")
        )

    def get_object(self):
        return access.get_booking(self.request.user, self.kwargs["pk"])

    def _changeable(self, request: Request):
        booking = self.get_object()
        if not access.can_change_booking(request.user, booking):
            raise Http404
        return booking

    @extend_schema(request=BookingCorrectionSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def correction(self, request: Request, pk=None) -> Response:
        """Correct a booking's window, the camera clock's offset or its note, with a reason;
        the camera's footage is bound again."""
        booking = self._changeable(request)
        serializer = BookingCorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        booking = bookings.correct_booking(
            booking, actor=request.user, reason=reason, changes=changes
        )
        return Response(BookingSerializer(self.get_object()).data)

    @extend_schema(request=ReasonSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        """Cancel a booking with a reason: it is kept and binds nothing any more."""
        booking = self._changeable(request)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bookings.cancel_booking(
            booking, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(BookingSerializer(self.get_object()).data)


class FaultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Device faults (第九条第六项) and their repair."""

    serializer_class = FaultSerializer

    def get_queryset(self):
        return (
            access.visible_faults(self.request.user)
            .select_related("device", "reported_by", "case")
            .prefetch_related("steps__actor")
        )

    def get_object(self):
        return access.get_fault(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ReportFaultSerializer, responses={201: FaultSerializer})
    def create(self, request: Request) -> Response:
        """Report a fault in one step; the section head is told at once."""
        serializer = ReportFaultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            device = access.get_device(request.user, data["device"])
        except Http404:
            raise ValidationError({"device": _("No such device.")}) from None
        if not access.can_report_fault(request.user, device):
            raise ValidationError({"device": _("No such device.")})
        fault = services.report_fault(
            device,
            actor=request.user,
            kind=data["kind"],
            note=data["note"],
            case=_case_or_400(request.user, data.get("case")),
        )
        return Response(FaultSerializer(fault).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FaultMoveSerializer, responses=FaultSerializer)
    @action(detail=True, methods=["post"])
    def moves(self, request: Request, pk=None) -> Response:
        """Move the repair: in repair, back in service, or written off (section head)."""
        fault = self.get_object()
        if not access.can_repair(request.user, fault):
            raise Http404
        serializer = FaultMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fault = services.move_fault(fault, actor=request.user, **serializer.validated_data)
        return Response(FaultSerializer(fault).data)


class PatrolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Patrol tasks (执法巡查): footage linked to one is enforcement use (第十八条第四项)."""

    serializer_class = PatrolSerializer

    def get_queryset(self):
        return access.visible_patrols(self.request.user).select_related("org_unit")

    def get_object(self):
        return access.get_patrol(self.request.user, self.kwargs["pk"])

    @extend_schema(request=PlanPatrolSerializer, responses={201: PatrolSerializer})
    def create(self, request: Request) -> Response:
        if not access.can_plan_patrol(request.user):
            raise Http404
        serializer = PlanPatrolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = OrgUnit.objects.filter(pk=data["org_unit"]).first()
        if unit is None:
            raise ValidationError({"org_unit": _("No such unit.")})
        users = list(get_user_model().objects.filter(username__in=data["team"], is_active=True))
        if len(users) != len(set(data["team"])):
            raise ValidationError({"team": _("No such user.")})
        patrol = services.plan_patrol(
            actor=request.user,
            area=data["area"],
            org_unit=unit,
            team=users,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            note=data["note"],
        )
        return Response(PatrolSerializer(patrol).data, status=status.HTTP_201_CREATED)


class MarkListView(APIView):
    """Marked moments of a record: read by whoever sees it, added by its officer, their
    section head or the leader."""

    @extend_schema(responses=MarkSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        item = get_item(request.user, pk)
        return Response(MarkSerializer(item.marks.select_related("made_by"), many=True).data)

    @extend_schema(request=AddMarkSerializer, responses={201: MarkSerializer})
    def post(self, request: Request, pk: int) -> Response:
        item = get_item(request.user, pk)
        if not access.can_mark(request.user, item):
            raise Http404
        serializer = AddMarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mark = services.add_mark(item, actor=request.user, **serializer.validated_data)
        return Response(MarkSerializer(mark).data, status=status.HTTP_201_CREATED)


class StatisticsView(APIView):
    """The numbers behind the statistics page, over the devices the caller oversees."""

    @extend_schema(
        responses=StatisticsSerializer,
        parameters=[OpenApiParameter("days", int, description="Window in days (default 90).")],
    )
    def get(self, request: Request) -> Response:
        if not access.can_see_statistics(request.user):
            raise Http404
        try:
            days = min(max(int(request.query_params.get("days", 90)), 1), 3660)
        except ValueError:
            raise ValidationError({"days": _("Give a number of days.")}) from None
        return Response(statistics.compute(request.user, days=days))
