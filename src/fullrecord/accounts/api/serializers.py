from rest_framework import serializers

from ..models import OrgUnit, User


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "code", "parent"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), source="sorted_roles")
    org_unit = OrgUnitSerializer()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "certificate_number", "org_unit", "roles"]
