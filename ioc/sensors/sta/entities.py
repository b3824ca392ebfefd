"""The eight SensorThings 1.1 entity sets (R5.5): their properties (the STA name, the model field, its kind) and
navigation properties (the forward lookup from this model, the reverse lookup from the target back to it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from ioc.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)

# Kinds: "text", "json" (any JSON, object paths allowed), "time" (an instant), "interval" (start/end fields),
# "geo" (GeoJSON with lat/lon columns), "result" (JSON with a numeric shadow column).


@dataclass(frozen=True)
class Prop:
    name: str
    field: str
    kind: str
    required: bool = False
    end_field: str = ""  # intervals: the field of the end


@dataclass(frozen=True)
class Nav:
    name: str
    target: str  # entity set name
    many: bool
    forward: str  # lookup from this model
    reverse: str  # lookup from the target model back to this one


@dataclass(frozen=True)
class EntitySet:
    name: str  # "Things"
    singular: str  # "Thing"
    model: type[models.Model]
    props: tuple[Prop, ...]
    navs: tuple[Nav, ...]
    string_ids: bool = True

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def nav(self, name: str) -> Nav | None:
        return next((n for n in self.navs if n.name == name), None)


def _p(name: str, field: str, kind: str = "text", required: bool = False, end: str = "") -> Prop:
    return Prop(name, field, kind, required, end)


NAME = _p("name", "name", required=True)
DESCRIPTION = _p("description", "description", required=True)
PROPERTIES = _p("properties", "properties", "json")
ENCODING = _p("encodingType", "encoding_type", required=True)

ENTITY_SETS: dict[str, EntitySet] = {
    e.name: e
    for e in (
        EntitySet(
            "Things",
            "Thing",
            Thing,
            (NAME, DESCRIPTION, PROPERTIES),
            (
                Nav("Locations", "Locations", True, "locations", "things"),
                Nav("HistoricalLocations", "HistoricalLocations", True, "historical_locations", "thing"),
                Nav("Datastreams", "Datastreams", True, "datastreams", "thing"),
            ),
        ),
        EntitySet(
            "Locations",
            "Location",
            Location,
            (NAME, DESCRIPTION, ENCODING, _p("location", "location", "geo", True), PROPERTIES),
            (
                Nav("Things", "Things", True, "things", "locations"),
                Nav("HistoricalLocations", "HistoricalLocations", True, "historical_locations", "locations"),
            ),
        ),
        EntitySet(
            "HistoricalLocations",
            "HistoricalLocation",
            HistoricalLocation,
            (_p("time", "time", "time", True),),
            (
                Nav("Thing", "Things", False, "thing", "historical_locations"),
                Nav("Locations", "Locations", True, "locations", "historical_locations"),
            ),
            string_ids=False,
        ),
        EntitySet(
            "Sensors",
            "Sensor",
            Sensor,
            (NAME, DESCRIPTION, ENCODING, _p("metadata", "metadata", required=True), PROPERTIES),
            (Nav("Datastreams", "Datastreams", True, "datastreams", "sensor"),),
        ),
        EntitySet(
            "ObservedProperties",
            "ObservedProperty",
            ObservedProperty,
            (NAME, _p("definition", "definition", required=True), DESCRIPTION, PROPERTIES),
            (Nav("Datastreams", "Datastreams", True, "datastreams", "observed_property"),),
        ),
        EntitySet(
            "Datastreams",
            "Datastream",
            Datastream,
            (
                NAME,
                DESCRIPTION,
                _p("unitOfMeasurement", "unit_of_measurement", "json", True),
                _p("observationType", "observation_type", required=True),
                _p("phenomenonTime", "phenomenon_start", "interval", end="phenomenon_end"),
                _p("resultTime", "result_start", "interval", end="result_end"),
                PROPERTIES,
            ),
            (
                Nav("Thing", "Things", False, "thing", "datastreams"),
                Nav("Sensor", "Sensors", False, "sensor", "datastreams"),
                Nav("ObservedProperty", "ObservedProperties", False, "observed_property", "datastreams"),
                Nav("Observations", "Observations", True, "observations", "datastream"),
            ),
        ),
        EntitySet(
            "Observations",
            "Observation",
            Observation,
            (
                _p("phenomenonTime", "phenomenon_time", "interval", end="phenomenon_time_end"),
                _p("result", "result", "result", True),
                _p("resultTime", "result_time", "time"),
                _p("resultQuality", "result_quality", "json"),
                _p("validTime", "valid_start", "interval", end="valid_end"),
                _p("parameters", "parameters", "json"),
            ),
            (
                Nav("Datastream", "Datastreams", False, "datastream", "observations"),
                Nav("FeatureOfInterest", "FeaturesOfInterest", False, "feature_of_interest", "observations"),
            ),
            string_ids=False,
        ),
        EntitySet(
            "FeaturesOfInterest",
            "FeatureOfInterest",
            FeatureOfInterest,
            (NAME, DESCRIPTION, ENCODING, _p("feature", "feature", "geo", True), PROPERTIES),
            (Nav("Observations", "Observations", True, "observations", "feature_of_interest"),),
        ),
    )
}

BY_MODEL: dict[type[models.Model], EntitySet] = {e.model: e for e in ENTITY_SETS.values()}
