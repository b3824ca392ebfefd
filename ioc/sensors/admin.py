"""Read-only admin of sensor data (DESIGN: the admin never writes behind the services' back; writes go through
the SensorThings API and `ioc.sensors.services`). Observations are not listed: there are millions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.sensors.models import (
    AlertRule,
    BrokerCredential,
    Camera,
    CameraEvent,
    Datastream,
    Location,
    ObservedProperty,
    RuleState,
    Sensor,
    Silence,
    Thing,
)

if TYPE_CHECKING:  # Django's admin is not subscriptable at run time
    ThingAdminBase = admin.ModelAdmin[Thing]
    LocationAdminBase = admin.ModelAdmin[Location]
    SensorAdminBase = admin.ModelAdmin[Sensor]
    ObservedPropertyAdminBase = admin.ModelAdmin[ObservedProperty]
    DatastreamAdminBase = admin.ModelAdmin[Datastream]
else:
    ThingAdminBase = LocationAdminBase = SensorAdminBase = admin.ModelAdmin
    ObservedPropertyAdminBase = DatastreamAdminBase = admin.ModelAdmin


@admin.register(Thing)
class ThingAdmin(ReadOnlyAdminMixin, ThingAdminBase):
    list_display = ["name", "ext_id", "agency", "sensitivity"]
    list_select_related = ["agency"]
    list_filter = ["sensitivity"]
    search_fields = ["name", "ext_id"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdminMixin, LocationAdminBase):
    list_display = ["name", "lat", "lon", "unit", "grid_cell"]
    list_select_related = ["unit"]
    search_fields = ["name"]


@admin.register(Sensor)
class SensorAdmin(ReadOnlyAdminMixin, SensorAdminBase):
    list_display = ["name", "encoding_type", "agency"]
    list_select_related = ["agency"]


@admin.register(ObservedProperty)
class ObservedPropertyAdmin(ReadOnlyAdminMixin, ObservedPropertyAdminBase):
    list_display = ["name", "definition"]


@admin.register(Datastream)
class DatastreamAdmin(ReadOnlyAdminMixin, DatastreamAdminBase):
    list_display = ["name", "thing", "observed_property", "latest_value", "latest_time"]
    list_select_related = ["thing", "observed_property"]
    search_fields = ["name"]


if TYPE_CHECKING:
    BrokerCredentialAdminBase = admin.ModelAdmin[BrokerCredential]
else:
    BrokerCredentialAdminBase = admin.ModelAdmin


@admin.register(BrokerCredential)
class BrokerCredentialAdmin(ReadOnlyAdminMixin, BrokerCredentialAdminBase):
    """Issued by `./manage.py mqtt_credential_issue` (the service); the hash is not shown."""

    list_display = ["system", "issued_at", "issued_by"]
    list_select_related = ["system", "issued_by"]
    exclude = ["password_hash"]


if TYPE_CHECKING:
    AlertRuleAdminBase = admin.ModelAdmin[AlertRule]
    RuleStateAdminBase = admin.ModelAdmin[RuleState]
    SilenceAdminBase = admin.ModelAdmin[Silence]
    CameraAdminBase = admin.ModelAdmin[Camera]
    CameraEventAdminBase = admin.ModelAdmin[CameraEvent]
else:
    AlertRuleAdminBase = RuleStateAdminBase = SilenceAdminBase = admin.ModelAdmin
    CameraAdminBase = CameraEventAdminBase = admin.ModelAdmin


@admin.register(AlertRule)
class AlertRuleAdmin(ReadOnlyAdminMixin, AlertRuleAdminBase):
    list_display = ["code", "name", "observed_property", "kind", "severity", "is_active"]
    list_filter = ["observed_property", "is_active"]
    search_fields = ["code", "name"]


@admin.register(RuleState)
class RuleStateAdmin(ReadOnlyAdminMixin, RuleStateAdminBase):
    list_display = ["rule", "datastream", "state", "reason", "started_at", "fired_at", "resolved_at"]
    list_select_related = ["rule", "datastream"]
    list_filter = ["state", "reason"]


@admin.register(Silence)
class SilenceAdmin(ReadOnlyAdminMixin, SilenceAdminBase):
    list_display = ["kind", "starts_at", "ends_at", "author", "reason"]
    list_select_related = ["author"]


@admin.register(Camera)
class CameraAdmin(ReadOnlyAdminMixin, CameraAdminBase):
    list_display = ["code", "name", "agency", "unit", "status", "sensitivity", "last_seen_at", "silent_since"]
    list_select_related = ["agency", "unit"]
    search_fields = ["code", "name"]


@admin.register(CameraEvent)
class CameraEventAdmin(ReadOnlyAdminMixin, CameraEventAdminBase):
    list_display = ["camera", "event_type", "first_at", "last_at", "count", "confidence", "alert_raised"]
    list_select_related = ["camera"]
