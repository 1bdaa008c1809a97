"""The security API: the compliance report, the policy, and showing a masked field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fullrecord.audit.services import record

from .. import access, compliance, services
from ..models import SecurityPolicy


class ControlResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    standard = serializers.CharField()
    clause = serializers.CharField()
    title = serializers.CharField()
    result = serializers.ChoiceField(choices=["pass", "fail", "n/a"])
    evidence = serializers.CharField()


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = SecurityPolicy
        fields = list(services.POLICY_FIELDS) + ["updated_at"]
        read_only_fields = ["updated_at"]


class RevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(services.REVEALABLE))


class RevealedSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class ComplianceView(APIView):
    @extend_schema(responses=ControlResultSerializer(many=True), summary="等保/密评 self-check")
    def get(self, request):
        access.require_read(request.user)
        results = compliance.run()
        with transaction.atomic():
            record(
                "security.compliance_viewed",
                actor=request.user,
                summary=_("Compliance self-check read"),
                data={r.control.code: r.result for r in results},
            )
        return Response(
            [
                {
                    "code": r.control.code,
                    "standard": r.control.standard,
                    "clause": r.control.clause,
                    "title": str(r.control.title),
                    "result": r.result,
                    "evidence": r.evidence,
                }
                for r in results
            ]
        )


class PolicyView(APIView):
    @extend_schema(responses=PolicySerializer)
    def get(self, request):
        access.require_read(request.user)
        return Response(PolicySerializer(SecurityPolicy.current()).data)

    @extend_schema(request=PolicySerializer, responses=PolicySerializer)
    def patch(self, request):
        access.require_read(request.user)
        serializer = PolicySerializer(SecurityPolicy.current(), data=request.data, partial=True)
        if not access.can_manage(request.user):
            services.record_refusal(
                request.user,
                "security.policy_changed",
                _("only the security administrator may do this"),
            )
            return Response({"detail": _("Only the security administrator may do this.")}, 403)
        serializer.is_valid(raise_exception=True)
        try:
            policy = services.set_policy(actor=request.user, **serializer.validated_data)
        except services.SecurityError as exc:
            return Response({"detail": str(exc)}, 400)
        except ValidationError as exc:
            return Response({"detail": exc.message_dict}, 400)
        return Response(PolicySerializer(policy).data)


class RevealView(APIView):
    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    def post(self, request, pk: int):
        from fullrecord.cases.models import Party

        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party = Party.objects.filter(pk=pk).select_related("case").first()
        if party is None:
            raise Http404
        field = serializer.validated_data["field"]
        try:
            value = services.reveal_party_field(party, field, actor=request.user)
        except services.SecurityError:
            raise Http404 from None
        return Response({"field": field, "value": value})
