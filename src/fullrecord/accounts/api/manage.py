"""The system administrator's API (系统管理员, 三员分立): accounts and units, and the base
the catalogue endpoints of cases and documents share. Everyone else gets the same 404 as
for a missing record (``access.require_administer``); every change goes through the
services, which record it. Roles are not here: the security administrator grants them."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import access, services
from ..models import OrgUnit, User


class AdministeredViewSet(viewsets.GenericViewSet):
    """Read and change, never delete: open to the system administrator only."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        access.require_administer(request.user)


class AccountSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "org_unit",
            "email",
            "phone",
            "certificate_number",
            "is_active",
            "roles",
        ]
        read_only_fields = ["is_active"]
        extra_kwargs = {"full_name": {"required": True, "allow_blank": False}}

    def get_roles(self, obj: User) -> list[str]:
        # From the prefetch in the list: one query for the page, not one per row.
        return sorted(g.role for g in obj.role_grants.all())


class CreatedAccountSerializer(AccountSerializer):
    temporary_password = serializers.CharField(read_only=True)

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "temporary_password"]


REASON = inline_serializer("Reason", {"reason": serializers.CharField()})


class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet):
    """Accounts: list (``?q=`` searches user name, name, unit, phone, e-mail), create
    (the temporary password is in this answer only and must be changed at the first
    sign-in), change, deactivate and reactivate."""

    serializer_class = AccountSerializer
    filterset_fields = ["is_active", "org_unit"]

    def get_queryset(self):
        people = User.objects.select_related("org_unit").prefetch_related("role_grants")
        q = self.request.query_params.get("q", "").strip()
        if q:
            people = people.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(phone__icontains=q)
                | Q(email__icontains=q)
                | Q(org_unit__name__icontains=q)
            )
        return people.order_by("username")

    @extend_schema(request=AccountSerializer, responses={201: CreatedAccountSerializer})
    def create(self, request):
        serializer = AccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, password = services.create_account(actor=request.user, **serializer.validated_data)
        user.temporary_password = password
        return Response(CreatedAccountSerializer(user).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        user = self.get_object()
        serializer = AccountSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_account(user, actor=request.user, **serializer.validated_data)
        return Response(AccountSerializer(User.objects.get(pk=user.pk)).data)

    @extend_schema(request=REASON, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = self.get_object()
        services.set_account_active(
            user, False, actor=request.user, reason=str(request.data.get("reason", ""))
        )
        return Response(AccountSerializer(User.objects.get(pk=user.pk)).data)

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        user = self.get_object()
        services.set_account_active(user, True, actor=request.user)
        return Response(AccountSerializer(User.objects.get(pk=user.pk)).data)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "parent", "code", "number_prefix", "active", "path"]
        read_only_fields = ["active", "path"]


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdministeredViewSet):
    """The organisation tree, in tree order: create, change (moving a unit moves its
    subtree), close and reopen. Units are never deleted."""

    serializer_class = UnitSerializer
    queryset = OrgUnit.objects.all()
    filterset_fields = ["kind", "parent", "active"]

    def create(self, request):
        serializer = UnitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.create_unit(actor=request.user, **serializer.validated_data)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        unit = self.get_object()
        serializer = UnitSerializer(unit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_unit(unit, actor=request.user, **serializer.validated_data)
        return Response(UnitSerializer(OrgUnit.objects.get(pk=unit.pk)).data)

    @extend_schema(request=None, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        unit = self.get_object()
        services.set_unit_active(unit, False, actor=request.user)
        return Response(UnitSerializer(OrgUnit.objects.get(pk=unit.pk)).data)

    @extend_schema(request=None, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        unit = self.get_object()
        services.set_unit_active(unit, True, actor=request.user)
        return Response(UnitSerializer(OrgUnit.objects.get(pk=unit.pk)).data)
