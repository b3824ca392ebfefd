"""Serializers of the accounts API (R7.1)."""

from __future__ import annotations

from rest_framework import serializers


class AgencyBriefSerializer(serializers.Serializer[dict[str, object]]):
    code = serializers.CharField()
    name = serializers.CharField()


class ScopeSummarySerializer(serializers.Serializer[dict[str, object]]):
    everything = serializers.BooleanField(help_text="Sees the whole territory / Thấy toàn địa bàn")
    agencies = serializers.ListField(child=serializers.CharField(), help_text="Agency codes in scope")
    units = serializers.ListField(child=serializers.CharField(), help_text="Administrative subtrees (unit paths)")


class MeSerializer(serializers.Serializer[dict[str, object]]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    agency = AgencyBriefSerializer(allow_null=True)
    scope = ScopeSummarySerializer()
    token_scopes = serializers.ListField(
        child=serializers.CharField(), help_text="Scopes of the bearer token used, empty for a session"
    )
