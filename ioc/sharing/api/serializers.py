"""Schemas of the sharing read API (R1.6), for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class RecordPageSerializer(serializers.Serializer[Any]):
    dataset = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    next = serializers.URLField(allow_null=True)
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text="Mỗi dòng: `_id`, `_period`, `_unit`, `_commune` và các trường được chia sẻ.",
    )
