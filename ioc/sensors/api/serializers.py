"""Shapes of the sensors API (R4.1, R5.2): a rule, a silence, a camera event in; what was written out.
Serializers only parse types; every rule of content (known property, reachable clear condition, http(s) URLs,
the camera's agency, no future events) is the services' and comes back in the shared error body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ioc.common.plaintext import no_nul_json
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import UnitNotFoundError, UnitRefError, unit_get
from ioc.sensors.models import AlertRule, CameraEvent, Silence


class RuleInputSerializer(serializers.Serializer[dict[str, Any]]):
    """R4.1: an alert rule. `observed_property`: pm25, pm10, aqi, water_level, rainfall, temperature, humidity,
    noise; conditions `raise_op raise_value` and `clear_op clear_value` (>, >=, <, <=) must point opposite ways;
    with `window_seconds` they judge the window's `aggregate` (the 24-hour rain total) instead of each reading."""

    code = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    observed_property = serializers.CharField(max_length=40)
    kind = serializers.CharField(max_length=60, help_text="env.air_quality, env.flood_level, env.heat, …")
    severity = serializers.IntegerField(help_text="1 thông tin … 5 khẩn cấp")
    raise_op = serializers.CharField(max_length=2)
    raise_value = serializers.FloatField()
    clear_op = serializers.CharField(max_length=2)
    clear_value = serializers.FloatField()
    for_seconds = serializers.IntegerField(required=False, default=0)
    repeat_count = serializers.IntegerField(required=False, default=1)
    no_data_intervals = serializers.IntegerField(required=False, default=0)
    expected_interval_seconds = serializers.IntegerField(required=False, default=900)
    window_seconds = serializers.IntegerField(
        required=False, default=0, help_text="> 0: judge the rolling aggregate of this window (86400: a 24-hour total)"
    )
    aggregate = serializers.CharField(required=False, default="sum", max_length=4, help_text="sum, mean, max")
    labels = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False, default=dict, validators=[no_nul_json]
    )
    datastreams = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    unit = serializers.CharField(required=False, max_length=40, help_text="Mã đơn vị 2025 / 2025 unit code")
    area = serializers.DictField(
        required=False,
        validators=[no_nul_json],
        help_text=(
            'Vùng theo dõi thay cho mã đơn vị / A watched area instead of a unit: {"point": [lat, lon], "radius_m": '
            'n} (n ≤ 50000) or {"geometry": GeoJSON Polygon}, as the map selection takes it'
        ),
    )

    def validate_unit(self, value: str) -> AdminUnit:
        try:
            return unit_get(ref=value, with_geometry=True)
        except (UnitRefError, UnitNotFoundError) as error:
            raise serializers.ValidationError(_("Không có đơn vị này / Unknown unit")) from error


class RuleSerializer(serializers.ModelSerializer[AlertRule]):
    class Meta:
        model = AlertRule
        fields = [
            "id",
            "code",
            "name",
            "observed_property",
            "kind",
            "severity",
            "raise_op",
            "raise_value",
            "clear_op",
            "clear_value",
            "for_seconds",
            "repeat_count",
            "no_data_intervals",
            "expected_interval_seconds",
            "window_seconds",
            "aggregate",
            "labels",
            "area",
            "is_active",
        ]


class SilenceInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.CharField(max_length=12, default="silence", help_text="silence, maintenance")
    matchers = serializers.DictField(child=serializers.CharField(max_length=100), validators=[no_nul_json])
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=1000)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        default=list,
        help_text="Recurring: 0 Monday … 6 Sunday; empty: every day",
    )
    daily_start = serializers.TimeField(
        required=False, allow_null=True, default=None, help_text="Recurring daily from, Asia/Ho_Chi_Minh (HH:MM)"
    )
    daily_end = serializers.TimeField(
        required=False, allow_null=True, default=None, help_text="until (at or before the start: past midnight)"
    )


class SilenceSerializer(serializers.ModelSerializer[Silence]):
    class Meta:
        model = Silence
        fields = ["id", "kind", "matchers", "starts_at", "ends_at", "weekdays", "daily_start", "daily_end", "reason"]


class CameraEventInputSerializer(serializers.Serializer[dict[str, Any]]):
    """R5.2: an analytics engine's event: crowd, accident, wrong_way, fire_smoke, illegal_parking, intrusion
    (or `heartbeat`), its time, confidence 0–1 and snapshot URL (http or https)."""

    camera = serializers.CharField(max_length=60)
    type = serializers.CharField(max_length=30)
    time = serializers.DateTimeField()
    confidence = serializers.FloatField(required=False, allow_null=True, default=None)
    snapshot_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CameraEventSerializer(serializers.ModelSerializer[CameraEvent]):
    camera: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CameraEvent
        fields = ["id", "camera", "event_type", "first_at", "last_at", "confidence", "count", "alert_raised"]
