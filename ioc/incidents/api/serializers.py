"""Shapes of the incidents API (R4.1): an alert in, an alert out."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from ioc.common.plaintext import no_nul_json
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import UnitNotFoundError, UnitRefError, unit_get
from ioc.incidents.choices import DEDUP_KEY_MAX, TITLE_MAX
from ioc.incidents.models import Alert


class AlertInputSerializer(serializers.Serializer[dict[str, Any]]):
    """R4.1 (DESIGN "Contracts: Alerts"): what a source sends. `kind` is a code of the registry, `severity` 1–5;
    the place is a point (lat, lon) or a 2025 commune code (`unit`); both are optional."""

    # A field named like DRF's Field.source attribute (the contract's name): fine at run time, not for the stubs.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=40, help_text="sensors, cameras, indicators, service_checks, media, …"
    )
    dedup_key = serializers.CharField(max_length=DEDUP_KEY_MAX)
    kind = serializers.CharField(max_length=60, help_text="env.flood_level, camera.crowd, fire, …")
    severity = serializers.IntegerField(help_text="1 thông tin … 5 khẩn cấp")
    title = serializers.CharField(max_length=TITLE_MAX)
    occurred_at = serializers.DateTimeField(required=False, help_text="Mặc định: lúc nhận / Default: now")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, min_value=-180, max_value=180)
    unit = serializers.CharField(required=False, max_length=40, help_text="Mã xã, phường 2025 / 2025 commune code")
    payload = serializers.DictField(required=False, default=dict, validators=[no_nul_json])

    def validate_unit(self, value: str) -> AdminUnit:
        try:
            return unit_get(ref=value)
        except (UnitRefError, UnitNotFoundError) as error:
            raise serializers.ValidationError(_("Không có xã, phường này / Unknown commune")) from error

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("lat" in attrs) != ("lon" in attrs):
            raise serializers.ValidationError({"lon": [_("Cần cả lat và lon / Give both lat and lon")]})
        attrs.setdefault("occurred_at", timezone.now())
        return attrs

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        lat, lon = data.pop("lat", None), data.pop("lon", None)
        data["point"] = (lat, lon) if lat is not None and lon is not None else None
        return data


class AlertBatchItemSerializer(serializers.Serializer[dict[str, Any]]):
    """R4.1 (issue 12 "Speed"): the answer for one alert of a batch, by its index in the list."""

    row = serializers.IntegerField(help_text="Vị trí trong danh sách, từ 0 / Index in the list, from 0")
    result = serializers.CharField(help_text="created | updated | rejected")
    id = serializers.IntegerField(required=False, help_text="Cảnh báo / The alert (absent when rejected)")


class AlertBatchConflictSerializer(serializers.Serializer[dict[str, Any]]):
    row = serializers.IntegerField()
    field = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class AlertBatchAnswerSerializer(serializers.Serializer[dict[str, Any]]):
    """The import summary shape (DESIGN "Contracts: Import summaries") with one answer per alert."""

    status = serializers.CharField(help_text="accepted | partial | rejected")
    imported = serializers.IntegerField(help_text="Cảnh báo mới / New alerts")
    updated = serializers.IntegerField(help_text="Cảnh báo đang mở được cập nhật / Open alerts updated")
    ignored = serializers.IntegerField()
    rejected = serializers.IntegerField()
    conflicts = AlertBatchConflictSerializer(many=True)
    items = AlertBatchItemSerializer(many=True)


class AlertResolveSerializer(serializers.Serializer[dict[str, Any]]):
    source = serializers.CharField(max_length=40)  # type: ignore[assignment]
    dedup_key = serializers.CharField(max_length=DEDUP_KEY_MAX)
    resolved_at = serializers.DateTimeField(required=False)


class AlertSerializer(serializers.ModelSerializer[Alert]):
    unit: serializers.SlugRelatedField[AdminUnit] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    incident: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "source",
            "dedup_key",
            "kind",
            "severity",
            "title",
            "state",
            "count",
            "occurred_at",
            "first_seen_at",
            "last_seen_at",
            "lat",
            "lon",
            "unit",
            "incident",
        ]
