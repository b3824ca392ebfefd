"""Read-only admin of sensor data (DESIGN: the admin never writes behind the services' back; writes go through
the SensorThings API and `ioc.sensors.services`). Observations are not listed: there are millions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from ioc.common.admin import ReadOnlyAdminMixin
from ioc.sensors.models import BrokerCredential, Datastream, Location, ObservedProperty, Sensor, Thing

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
