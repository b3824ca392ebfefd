"""Serializers of the agencies API (R1.1)."""

from __future__ import annotations

from rest_framework import serializers

from ioc.agencies.models import Agency, AgencyActRole
from ioc.geo.models import AdminUnit


class ActRoleSerializer(serializers.ModelSerializer[AgencyActRole]):
    class Meta:
        model = AgencyActRole
        fields = ["role", "source"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    # `parent` also names DRF's Field.parent; the serializer metaclass takes declared fields off the class.
    parent: serializers.SlugRelatedField[Agency] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True
    )
    unit: serializers.SlugRelatedField[AdminUnit] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    act_roles = ActRoleSerializer(many=True, read_only=True)
    system_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "unit",
            "works_24x7",
            "act_roles",
            "system_count",
        ]
