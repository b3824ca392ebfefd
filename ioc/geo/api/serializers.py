"""Serializers of the geo API (R6.1): units, succession, GeoJSON and the query parameters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ioc.geo.choices import Hierarchy, Level
from ioc.geo.models import AdminUnit

_NUMBER = _("Phải là một số / A valid number is required")


def parent_ref(unit: AdminUnit) -> str | None:
    """The parent's reference, read from the materialised path (no join)."""
    parts = unit.path.split("/")
    if len(parts) < 2:
        return None
    return parts[-2] if unit.hierarchy == Hierarchy.CURRENT else f"legacy:{parts[-2]}"


def unit_bbox(unit: AdminUnit) -> list[float] | None:
    """GeoJSON order: [west, south, east, north]."""
    if unit.min_lon is None or unit.min_lat is None or unit.max_lon is None or unit.max_lat is None:
        return None
    return [unit.min_lon, unit.min_lat, unit.max_lon, unit.max_lat]


class UnitSerializer(serializers.ModelSerializer[AdminUnit]):
    """One administrative unit; `ref` is its public identity ("25270" or "legacy:25270")."""

    ref = serializers.CharField(source="qualified_code", read_only=True)
    # Plain strings, not enums, so their schema names never collide with other apps' fields.
    hierarchy = serializers.CharField(read_only=True, help_text=_("2025 hoặc legacy"))
    level = serializers.CharField(read_only=True, help_text=_("province, district hoặc commune"))
    type = serializers.CharField(source="unit_type", read_only=True, help_text=_("tỉnh, thành phố, xã, phường, …"))
    parent = serializers.SerializerMethodField()  # type: ignore[assignment]  # a field named like Field.parent
    bbox = serializers.SerializerMethodField()

    class Meta:
        model = AdminUnit
        fields = [
            "ref",
            "hierarchy",
            "code",
            "name",
            "full_name",
            "name_en",
            "level",
            "type",
            "parent",
            "path",
            "lat",
            "lon",
            "area_km2",
            "valid_from",
            "valid_to",
            "bbox",
        ]
        read_only_fields = fields

    def get_parent(self, unit: AdminUnit) -> str | None:
        return parent_ref(unit)

    def get_bbox(self, unit: AdminUnit) -> list[float] | None:
        return unit_bbox(unit)


class SuccessionSerializer(serializers.Serializer[Any]):
    """A predecessor or successor with the kind of the passage (whole unit or part of it)."""

    unit = UnitSerializer()
    kind = serializers.CharField(help_text=_("full (toàn bộ) hoặc partial (một phần)"))


class PointMatchSerializer(serializers.Serializer[Any]):
    """The 2025 commune of a point; `inside` false means the nearest commune within 1 km."""

    unit = UnitSerializer()
    inside = serializers.BooleanField()
    distance_m = serializers.FloatField()
    grid_cell = serializers.CharField()


class UnitListQuerySerializer(serializers.Serializer[Any]):
    hierarchy = serializers.ChoiceField(choices=Hierarchy.choices, required=False, default=Hierarchy.CURRENT.value)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    parent = serializers.RegexField(  # type: ignore[assignment]  # a field named like Field.parent
        r"^(legacy:)?[0-9]{2,5}$",
        required=False,
        max_length=20,
        help_text=_("25270 hoặc legacy:25270"),
        error_messages={
            "invalid": _("Mã đơn vị không hợp lệ (dạng 25270 hoặc legacy:25270) / Malformed unit reference")
        },
    )
    q = serializers.CharField(required=False, max_length=100, help_text=_("Tìm theo tên, không phân biệt dấu"))


class PointQuerySerializer(serializers.Serializer[Any]):
    lat = serializers.FloatField(
        min_value=-90,
        max_value=90,
        error_messages={
            "invalid": _NUMBER,
            "required": _("Thiếu vĩ độ lat / lat is required"),
            "min_value": _("Vĩ độ phải trong khoảng [-90, 90] / lat must be in [-90, 90]"),
            "max_value": _("Vĩ độ phải trong khoảng [-90, 90] / lat must be in [-90, 90]"),
        },
    )
    lon = serializers.FloatField(
        min_value=-180,
        max_value=180,
        error_messages={
            "invalid": _NUMBER,
            "required": _("Thiếu kinh độ lon / lon is required"),
            "min_value": _("Kinh độ phải trong khoảng [-180, 180] / lon must be in [-180, 180]"),
            "max_value": _("Kinh độ phải trong khoảng [-180, 180] / lon must be in [-180, 180]"),
        },
    )


class GeoJSONFeatureSerializer(serializers.Serializer[Any]):
    """A GeoJSON Feature (RFC 7946) of a unit's boundary (documentation of the response)."""

    type = serializers.CharField(help_text="Feature")
    id = serializers.CharField()
    bbox = serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4)
    properties = serializers.DictField()
    geometry = serializers.DictField()


class GeoJSONFeatureCollectionSerializer(serializers.Serializer[Any]):
    """A GeoJSON FeatureCollection (RFC 7946) of boundaries (documentation of the response)."""

    type = serializers.CharField(help_text="FeatureCollection")
    features = GeoJSONFeatureSerializer(many=True)
