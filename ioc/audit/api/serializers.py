"""Serializers of the audit API (R7.3)."""

from __future__ import annotations

from rest_framework import serializers

from ioc.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    """R7.3: one entry as operators see it; `position` and `link` are null/empty until sealed."""

    actor = serializers.IntegerField(source="actor_id", allow_null=True, read_only=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "address",
            "request_id",
            "row_count",
            "digest",
            "position",
            "link",
        ]
        read_only_fields = fields
