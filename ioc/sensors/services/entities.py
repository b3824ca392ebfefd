"""Writes of SensorThings entities (R5.5): creates (deep insert included), changes and deletes, each in one
transaction with one audit entry.

Rights: the writer acts for one agency (its information system's); it creates under that agency and changes only
that agency's rows (a Datastream or Observation: its Thing's agency). Sensors, ObservedProperties and
FeaturesOfInterest of any agency may be linked (a shared catalogue). Drafts are validated before the
transaction (drafts.py); the checks that need the database run inside it, and any refusal rolls everything back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from ioc.audit.services import audit_record
from ioc.geo.selectors import PointOutsideError, grid_cell, point_locate
from ioc.sensors.choices import RESULT_TYPES
from ioc.sensors.drafts import Draft, DraftError, Ref
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
from ioc.sensors.rules_index import RULES
from ioc.sensors.selectors import ANONYMOUS, Viewer, owner_agency_id, visible
from ioc.sensors.services._base import (
    ObservationRow,
    latest_refresh,
    latest_update,
    publish_later,
    require_observation_parents,
)
from ioc.sensors.services.rule_eval import Sample, rule_samples, rules_evaluate
from ioc.sensors.sta.entities import ENTITY_SETS, Nav

if TYPE_CHECKING:
    from ioc.accounts.models import User


class NotFound(LookupError):
    """A referenced entity that does not exist (or that the writer may not see)."""


@dataclass
class WriteContext:
    actor: User
    agency_id: int
    viewer: Viewer
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    observations: list[Observation] = field(default_factory=list)


def _denied() -> PermissionDenied:
    return PermissionDenied("Chỉ sửa dữ liệu của cơ quan mình / Only your agency's data may be changed")


def require_owner(ctx: WriteContext, obj: models.Model) -> None:
    if owner_agency_id(obj) != ctx.agency_id:
        raise _denied()


def entity_lookup(*, entity: str, key: int | str, viewer: Viewer = ANONYMOUS) -> Any:
    """One visible entity by its numeric or string id; NotFound otherwise."""
    model = ENTITY_SETS[entity].model
    lookup = {"pk": key} if isinstance(key, int) else {"ext_id": key}
    if isinstance(key, str) and not ENTITY_SETS[entity].string_ids:
        raise NotFound(f"{ENTITY_SETS[entity].singular}('{key}')")
    found = visible(model, viewer).filter(**lookup).first()
    if found is None:
        shown = key if isinstance(key, int) else f"'{key}'"
        raise NotFound(f"{ENTITY_SETS[entity].singular}({shown})")
    return found


def resolve(ctx: WriteContext, item: Draft | Ref, preset: dict[str, Any] | None = None) -> Any:
    if isinstance(item, Ref):
        try:
            return entity_lookup(entity=item.entity, key=item.key, viewer=ctx.viewer)
        except NotFound as exc:
            raise DraftError(f"Không tìm thấy {exc} / Not found: {exc}") from None
    return _create(ctx, item, preset or {})


def _ext(draft: Draft) -> dict[str, Any]:
    return {"ext_id": draft.ext_id} if draft.ext_id else {}


def _check_ext_free(draft: Draft) -> None:
    model = ENTITY_SETS[draft.entity].model
    if draft.ext_id and model._default_manager.filter(ext_id=draft.ext_id).exists():
        raise DraftError(f"@iot.id '{draft.ext_id}' đã được dùng / is already in use")


def _place(fields: dict[str, Any]) -> dict[str, Any]:
    """R6.1: a Location's 2025 commune and grid cell (none when the point lies outside every commune)."""
    lat, lon = fields["lat"], fields["lon"]
    try:
        unit = point_locate(lat=lat, lon=lon).unit
    except PointOutsideError:
        unit = None
    return {"unit": unit, "grid_cell": grid_cell(lat, lon)}


def _thing_moved(thing: Thing, locations: list[Location]) -> None:
    history = HistoricalLocation.objects.create(thing=thing, time=timezone.now())
    history.locations.set(locations)


def _create(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Any:
    _check_ext_free(draft)
    creator = CREATORS[draft.entity]
    obj = creator(ctx, draft, preset)
    ctx.created[draft.entity] += 1
    return obj


def _create_thing(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Thing:
    thing = Thing.objects.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields)
    places = [resolve(ctx, item) for item in draft.links.get("Locations", [])]
    if "locations" in preset:
        places.append(preset["locations"])
    for place in places:
        require_owner(ctx, place)
    if places:
        thing.locations.set(places)
        _thing_moved(thing, places)
    for item in draft.links.get("Datastreams", []):
        resolve(ctx, item, {"thing": thing})
    return thing


def _create_location(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Location:
    place = Location.objects.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields, **_place(draft.fields))
    things = [resolve(ctx, item) for item in draft.links.get("Things", [])]
    if "things" in preset:
        things.append(preset["things"])
    for thing in things:
        require_owner(ctx, thing)
        thing.locations.add(place)
        _thing_moved(thing, list(thing.locations.all()))
    return place


def _create_history(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> HistoricalLocation:
    thing = preset.get("thing") or resolve(ctx, draft.links["Thing"][0])
    require_owner(ctx, thing)
    history = HistoricalLocation.objects.create(thing=thing, **draft.fields)
    places = [resolve(ctx, item) for item in draft.links.get("Locations", [])]
    if "locations" in preset:
        places.append(preset["locations"])
    history.locations.set(places)
    return history


def _create_plain(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Any:
    model = ENTITY_SETS[draft.entity].model
    return model._default_manager.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields)


def _create_datastream(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Datastream:
    related = {}
    for name, nav_field in (("Thing", "thing"), ("Sensor", "sensor"), ("ObservedProperty", "observed_property")):
        related[nav_field] = preset.get(nav_field) or resolve(ctx, draft.links[name][0])
    require_owner(ctx, related["thing"])
    stream = Datastream.objects.create(**_ext(draft), **draft.fields, **related)
    for item in draft.links.get("Observations", []):
        resolve(ctx, item, {"datastream": stream})
    return stream


def check_result(stream: Datastream, result: Any) -> None:
    """R5.5: a result of the type the Datastream's observationType announces."""
    expected = RESULT_TYPES.get(stream.observation_type)
    if result is None:
        raise DraftError("result: bắt buộc / result is mandatory")
    if expected is not None and not expected(result):
        raise DraftError(
            f"result: sai kiểu cho {stream.observation_type.rsplit('/', 1)[-1]} / wrong type for the observationType"
        )


def feature_for(stream: Datastream) -> FeatureOfInterest:
    """R5.5: the FeatureOfInterest generated from the Thing's (latest) Location, reused for its next readings."""
    place = stream.thing.locations.order_by("-pk").first()
    if place is None:
        raise DraftError(
            "FeatureOfInterest: Thing chưa có Location, cần nêu FeatureOfInterest / "
            "the Thing has no Location: name a FeatureOfInterest"
        )
    found = FeatureOfInterest.objects.filter(source_location=place).order_by("pk").first()
    if found is not None:
        return found
    return FeatureOfInterest.objects.create(
        agency_id=stream.thing.agency_id,
        name=place.name,
        description=place.description,
        encoding_type=place.encoding_type,
        feature=place.location,
        lat=place.lat,
        lon=place.lon,
        source_location=place,
    )


def _create_observation(ctx: WriteContext, draft: Draft, preset: dict[str, Any]) -> Observation:
    stream = preset.get("datastream") or resolve(ctx, draft.links["Datastream"][0])
    require_owner(ctx, stream)
    check_result(stream, draft.fields.get("result"))
    links = draft.links.get("FeatureOfInterest")
    feature = preset.get("feature_of_interest") or (resolve(ctx, links[0]) if links else feature_for(stream))
    fields = {"phenomenon_time": timezone.now(), **draft.fields}
    require_observation_parents(datastreams=[stream.pk], features=[feature.pk])  # decision 0014: held to the commit
    observation = Observation.objects.create(datastream=stream, feature_of_interest=feature, **fields)
    latest_update([observation])
    publish_later(stream.pk, [observation.pk], [ObservationRow(fields)], fields["phenomenon_time"])
    samples: dict[int, list[Sample]] = {}
    rule_samples(stream.pk, [ObservationRow(fields)], fields["phenomenon_time"], samples)
    rules_evaluate(samples=samples)
    return observation


def _rules_changed(obj: Any) -> None:
    """R4.1: a change of what a rule may watch (Datastreams, their Things, Locations, properties) drops the rule
    index of every process (`rules_index.RULES`)."""
    if not isinstance(obj, Observation | HistoricalLocation):
        RULES.changed()


CREATORS = {
    "Things": _create_thing,
    "Locations": _create_location,
    "HistoricalLocations": _create_history,
    "Sensors": _create_plain,
    "ObservedProperties": _create_plain,
    "Datastreams": _create_datastream,
    "Observations": _create_observation,
    "FeaturesOfInterest": _create_plain,
}


@transaction.atomic
def entity_create(
    *, actor: User, agency_id: int, viewer: Viewer, draft: Draft, parent: tuple[Nav, Any] | None = None
) -> Any:
    """R5.5: create an entity with everything nested in it (deep insert), under `parent` when posted to a
    navigation path (`Datastreams(1)/Observations`). One audit entry names what was created."""
    ctx = WriteContext(actor, agency_id, viewer)
    preset = {parent[0].reverse: parent[1]} if parent else {}
    obj = _create(ctx, draft, preset)
    _rules_changed(obj)
    singular = ENTITY_SETS[draft.entity].singular.lower()
    audit_record(actor=actor, action=f"sensors.{singular}.create", obj=obj, changes={"created": dict(ctx.created)})
    return obj


def _apply_links(ctx: WriteContext, obj: Any, draft: Draft) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, items in draft.links.items():
        nav = ENTITY_SETS[draft.entity].nav(name)
        assert nav is not None
        targets = [resolve(ctx, item) for item in items]
        if name == "Locations" and isinstance(obj, Thing):
            for place in targets:
                require_owner(ctx, place)
            obj.locations.set(targets)
            _thing_moved(obj, targets)
        else:
            if name in ("Thing", "Datastream"):
                require_owner(ctx, targets[0])
            setattr(obj, nav.forward, targets[0])
        changes[name] = [t.pk for t in targets]
    return changes


@transaction.atomic
def entity_update(*, actor: User, agency_id: int, viewer: Viewer, obj: Any, draft: Draft, replace: bool) -> Any:
    """R5.5: PATCH (the given properties) or PUT (`replace`: optional properties not given are cleared)."""
    ctx = WriteContext(actor, agency_id, viewer)
    require_owner(ctx, obj)
    fields = dict(draft.fields)
    if replace:
        for prop in ENTITY_SETS[draft.entity].props:
            if prop.field not in fields and not prop.required and prop.kind in ("json", "text"):
                fields[prop.field] = "" if prop.kind == "text" else None
    if isinstance(obj, Thing) and "properties" in fields and "sensitivity" not in fields:
        fields["sensitivity"] = ""
    if isinstance(obj, Location) and "lat" in fields:
        fields.update(_place(fields))
    if isinstance(obj, Observation) and "result" in fields:
        check_result(obj.datastream, fields["result"])
    for name, value in fields.items():
        setattr(obj, name, value)
    changes = _apply_links(ctx, obj, draft)
    if isinstance(obj, Observation):
        require_observation_parents(datastreams=[obj.datastream_id], features=[obj.feature_of_interest_id])
    obj.save()
    _rules_changed(obj)
    if isinstance(obj, Observation):
        latest_update([obj])
        latest_refresh(datastream_id=obj.datastream_id)
    singular = ENTITY_SETS[draft.entity].singular.lower()
    audit_record(
        actor=actor, action=f"sensors.{singular}.update", obj=obj, changes={"fields": sorted(fields), **changes}
    )
    return obj


@transaction.atomic
def entity_delete(*, actor: User, agency_id: int, entity: str, obj: Any) -> None:
    """R5.5: delete an entity and, as SensorThings says, what depends on it (a Thing's Datastreams and their
    Observations, a Sensor's Datastreams…)."""
    if owner_agency_id(obj) != agency_id:
        raise _denied()
    if _used_by_others(obj, agency_id):
        raise PermissionDenied(
            "Đang được cơ quan khác dùng, không xóa được / In use by another agency's data, cannot be deleted"
        )
    singular = ENTITY_SETS[entity].singular.lower()
    audit_record(actor=actor, action=f"sensors.{singular}.delete", obj=obj, changes={})
    _lock_observation_parents(obj)
    obj.delete()
    _rules_changed(obj)
    if isinstance(obj, Observation):
        latest_refresh(datastream_id=obj.datastream_id)


def _lock_observation_parents(obj: Any) -> None:
    """docs/decisions/0014: before a deletion that removes observations (Django's cascade, in Python: the
    database has no foreign key from observations), the Datastreams or FeatureOfInterest they hang from are
    locked `FOR UPDATE`, ascending. A writer holding them (`observation_parents_missing`, `FOR KEY SHARE`) commits
    first and its rows are deleted with the rest; a writer coming later waits, then finds them gone."""
    rows: Any = None
    if isinstance(obj, Thing):
        rows = Datastream.objects.filter(thing=obj)
    elif isinstance(obj, Sensor):
        rows = Datastream.objects.filter(sensor=obj)
    elif isinstance(obj, ObservedProperty):
        rows = Datastream.objects.filter(observed_property=obj)
    elif isinstance(obj, Datastream | FeatureOfInterest):
        rows = type(obj).objects.filter(pk=obj.pk)
    if rows is not None:
        list(rows.order_by("pk").select_for_update().values_list("pk", flat=True))


def _used_by_others(obj: Any, agency_id: int) -> bool:
    """A shared catalogue entry (Sensor, ObservedProperty, FeatureOfInterest) that another agency's Datastreams or
    Observations use: deleting it would cascade into their data."""
    if isinstance(obj, Sensor | ObservedProperty):
        return obj.datastreams.exclude(thing__agency_id=agency_id).exists()  # type: ignore[no-any-return]
    if isinstance(obj, FeatureOfInterest):
        return obj.observations.exclude(datastream__thing__agency_id=agency_id).exists()
    return False
