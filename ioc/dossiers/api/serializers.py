"""Shapes of the dossiers API (R5.3): events in, the shared import summary out; the citizens' lookup."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ioc.common.plaintext import NO_NUL
from ioc.dossiers.choices import Channel, EventKind


class EventSerializer(serializers.Serializer[dict[str, Any]]):
    """One event of the one-stop shop (documentation of the shape; rows are checked by `payloads.event_parse`)."""

    event_id = serializers.CharField(max_length=60, help_text="Mã sự kiện của nguồn (khóa chống trùng)")
    dossier = serializers.CharField(max_length=60, help_text="Mã hồ sơ")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    occurred_at = serializers.DateTimeField()
    procedure = serializers.CharField(required=False, help_text="Mã thủ tục quốc gia (tiếp nhận)")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="Kênh (tiếp nhận)")
    documents = serializers.ListField(child=serializers.CharField(), required=False)
    phone = serializers.CharField(required=False, help_text="Số điện thoại (chỉ lưu chỉ mục mù)")
    id_number = serializers.CharField(required=False, help_text="Số định danh (chỉ lưu chỉ mục mù)")
    unit = serializers.CharField(required=False, help_text="Mã xã, phường 2025")
    step = serializers.CharField(required=False)
    account = serializers.CharField(required=False)
    assignee = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    new_due = serializers.DateTimeField(required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=0, required=False)
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
    digitised = serializers.BooleanField(required=False)


class EventBatchSerializer(serializers.Serializer[dict[str, Any]]):
    events = EventSerializer(many=True)


class DossierConflictSerializer(serializers.Serializer[dict[str, Any]]):
    row = serializers.IntegerField()
    field = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class DossierSummarySerializer(serializers.Serializer[dict[str, Any]]):
    """The shared import summary (`ioc.common.imports`)."""

    status = serializers.CharField(help_text="accepted, partial, rejected")
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField(help_text="Sự kiện gửi lại / Events sent again")
    rejected = serializers.IntegerField()
    conflicts = DossierConflictSerializer(many=True)


class LookupInputSerializer(serializers.Serializer[dict[str, Any]]):
    # Not trimmed here: a code or number of blanks is looked up (and not found, the one 404) rather than refused
    # with a 400 that the documented schema (minLength 1) does not announce.
    code = serializers.CharField(max_length=60, trim_whitespace=False, validators=[NO_NUL], help_text="Mã hồ sơ")
    contact = serializers.CharField(
        max_length=40,
        trim_whitespace=False,
        validators=[NO_NUL],  # documented as the schema's pattern: a NUL is a 400 the schema announces
        help_text="Số điện thoại hoặc số định danh đã khai khi nộp",
    )


class LookupStepSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    done_at = serializers.DateTimeField(allow_null=True)


class LookupSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    procedure = serializers.CharField()
    agency = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    expected_at = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)
    steps = LookupStepSerializer(many=True)
