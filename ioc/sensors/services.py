"""Every write of sensor data (R5.5): SensorThings creates (deep insert included), changes, deletes and the
`dataArray` bulk, each in one transaction with one audit entry per request (`audit_record_bulk` for bulks).

Rights: the writer acts for one agency (its information system's); it creates under that agency and changes only
that agency's rows (a Datastream or Observation: its Thing's agency). Sensors, ObservedProperties and
FeaturesOfInterest of any agency may be linked (a shared catalogue). Drafts are validated before the
transaction (drafts.py); the checks that need the database run inside it, and any refusal rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from ioc.audit.services import audit_record, audit_record_bulk
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
from ioc.sensors.publish import observations_publish
from ioc.sensors.selectors import ANONYMOUS, Viewer, owner_agency_id, visible
from ioc.sensors.sta.entities import ENTITY_SETS, Nav

if TYPE_CHECKING:
    from ioc.accounts.models import User


class NotFound(LookupError):
    """A referenced entity that does not exist (or that the writer may not see)."""


@dataclass
class _Context:
    actor: User
    agency_id: int
    viewer: Viewer
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    observations: list[Observation] = field(default_factory=list)


def _denied() -> PermissionDenied:
    return PermissionDenied("Chỉ sửa dữ liệu của cơ quan mình / Only your agency's data may be changed")


def _require_owner(ctx: _Context, obj: models.Model) -> None:
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


def _resolve(ctx: _Context, item: Draft | Ref, preset: dict[str, Any] | None = None) -> Any:
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


def _create(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Any:
    _check_ext_free(draft)
    creator = CREATORS[draft.entity]
    obj = creator(ctx, draft, preset)
    ctx.created[draft.entity] += 1
    return obj


def _create_thing(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Thing:
    thing = Thing.objects.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields)
    places = [_resolve(ctx, item) for item in draft.links.get("Locations", [])]
    if "locations" in preset:
        places.append(preset["locations"])
    for place in places:
        _require_owner(ctx, place)
    if places:
        thing.locations.set(places)
        _thing_moved(thing, places)
    for item in draft.links.get("Datastreams", []):
        _resolve(ctx, item, {"thing": thing})
    return thing


def _create_location(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Location:
    place = Location.objects.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields, **_place(draft.fields))
    things = [_resolve(ctx, item) for item in draft.links.get("Things", [])]
    if "things" in preset:
        things.append(preset["things"])
    for thing in things:
        _require_owner(ctx, thing)
        thing.locations.add(place)
        _thing_moved(thing, list(thing.locations.all()))
    return place


def _create_history(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> HistoricalLocation:
    thing = preset.get("thing") or _resolve(ctx, draft.links["Thing"][0])
    _require_owner(ctx, thing)
    history = HistoricalLocation.objects.create(thing=thing, **draft.fields)
    places = [_resolve(ctx, item) for item in draft.links.get("Locations", [])]
    if "locations" in preset:
        places.append(preset["locations"])
    history.locations.set(places)
    return history


def _create_plain(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Any:
    model = ENTITY_SETS[draft.entity].model
    return model._default_manager.create(agency_id=ctx.agency_id, **_ext(draft), **draft.fields)


def _create_datastream(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Datastream:
    related = {}
    for name, nav_field in (("Thing", "thing"), ("Sensor", "sensor"), ("ObservedProperty", "observed_property")):
        related[nav_field] = preset.get(nav_field) or _resolve(ctx, draft.links[name][0])
    _require_owner(ctx, related["thing"])
    stream = Datastream.objects.create(**_ext(draft), **draft.fields, **related)
    for item in draft.links.get("Observations", []):
        _resolve(ctx, item, {"datastream": stream})
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


def _create_observation(ctx: _Context, draft: Draft, preset: dict[str, Any]) -> Observation:
    stream = preset.get("datastream") or _resolve(ctx, draft.links["Datastream"][0])
    _require_owner(ctx, stream)
    check_result(stream, draft.fields.get("result"))
    links = draft.links.get("FeatureOfInterest")
    feature = preset.get("feature_of_interest") or (_resolve(ctx, links[0]) if links else feature_for(stream))
    fields = {"phenomenon_time": timezone.now(), **draft.fields}
    observation = Observation.objects.create(datastream=stream, feature_of_interest=feature, **fields)
    latest_update([observation])
    _publish_later(stream.pk, [observation.pk], [ObservationRow(fields)], fields["phenomenon_time"])
    return observation


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


def latest_update(observations: Sequence[Observation | Reading]) -> None:
    """R5.5: each Datastream's latest result, value and time, and its phenomenon/result time ranges, kept current
    (one UPDATE per Datastream touched, whatever the number of observations)."""
    by_stream: dict[int, list[Observation | Reading]] = defaultdict(list)
    for observation in observations:
        by_stream[observation.datastream_id].append(observation)
    for stream_id, rows in by_stream.items():
        newest = max(rows, key=lambda o: o.phenomenon_time)
        first = min(o.phenomenon_time for o in rows)
        last = max(o.phenomenon_time_end or o.phenomenon_time for o in rows)
        streams = Datastream.objects.filter(pk=stream_id)
        streams.update(
            phenomenon_start=Least(Coalesce("phenomenon_start", Value(first)), Value(first)),
            phenomenon_end=Greatest(Coalesce("phenomenon_end", Value(last)), Value(last)),
        )
        streams.filter(Q(latest_time__isnull=True) | Q(latest_time__lte=newest.phenomenon_time)).update(
            latest_result=newest.result, latest_value=newest.result_number, latest_time=newest.phenomenon_time
        )


@transaction.atomic
def entity_create(
    *, actor: User, agency_id: int, viewer: Viewer, draft: Draft, parent: tuple[Nav, Any] | None = None
) -> Any:
    """R5.5: create an entity with everything nested in it (deep insert), under `parent` when posted to a
    navigation path (`Datastreams(1)/Observations`). One audit entry names what was created."""
    ctx = _Context(actor, agency_id, viewer)
    preset = {parent[0].reverse: parent[1]} if parent else {}
    obj = _create(ctx, draft, preset)
    singular = ENTITY_SETS[draft.entity].singular.lower()
    audit_record(actor=actor, action=f"sensors.{singular}.create", obj=obj, changes={"created": dict(ctx.created)})
    return obj


def _apply_links(ctx: _Context, obj: Any, draft: Draft) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, items in draft.links.items():
        nav = ENTITY_SETS[draft.entity].nav(name)
        assert nav is not None
        targets = [_resolve(ctx, item) for item in items]
        if name == "Locations" and isinstance(obj, Thing):
            for place in targets:
                _require_owner(ctx, place)
            obj.locations.set(targets)
            _thing_moved(obj, targets)
        else:
            if name in ("Thing", "Datastream"):
                _require_owner(ctx, targets[0])
            setattr(obj, nav.forward, targets[0])
        changes[name] = [t.pk for t in targets]
    return changes


@transaction.atomic
def entity_update(*, actor: User, agency_id: int, viewer: Viewer, obj: Any, draft: Draft, replace: bool) -> Any:
    """R5.5: PATCH (the given properties) or PUT (`replace`: optional properties not given are cleared)."""
    ctx = _Context(actor, agency_id, viewer)
    _require_owner(ctx, obj)
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
    obj.save()
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
    obj.delete()
    if isinstance(obj, Observation):
        latest_refresh(datastream_id=obj.datastream_id)


def latest_refresh(*, datastream_id: int) -> None:
    """R5.5: the latest state read again from the newest observation (after one is changed or deleted); one
    indexed look-up."""
    newest = (
        Observation.objects.filter(datastream_id=datastream_id)
        .order_by("-phenomenon_time", "-pk")
        .values("result", "result_number", "phenomenon_time")
        .first()
    )
    Datastream.objects.filter(pk=datastream_id).update(
        latest_result=newest["result"] if newest else None,
        latest_value=newest["result_number"] if newest else None,
        latest_time=newest["phenomenon_time"] if newest else None,
    )


def _used_by_others(obj: Any, agency_id: int) -> bool:
    """A shared catalogue entry (Sensor, ObservedProperty, FeatureOfInterest) that another agency's Datastreams or
    Observations use: deleting it would cascade into their data."""
    if isinstance(obj, Sensor | ObservedProperty):
        return obj.datastreams.exclude(thing__agency_id=agency_id).exists()  # type: ignore[no-any-return]
    if isinstance(obj, FeatureOfInterest):
        return obj.observations.exclude(datastream__thing__agency_id=agency_id).exists()
    return False


@dataclass(frozen=True)
class ObservationRow:
    """One `dataArray` row, validated: its fields and the FeatureOfInterest id it names (if any)."""

    fields: dict[str, Any]
    feature: int | str | None = None


@transaction.atomic
def observations_create(
    *, actor: User, agency_id: int, viewer: Viewer, batches: list[tuple[int | str, list[ObservationRow]]]
) -> list[list[int]]:
    """R5.5 (`CreateObservations`, the dataArray extension): many observations of several Datastreams in one
    transaction, one executemany per Datastream; one `audit_record_bulk` entry for the request. Any bad row
    refuses the whole request (nothing partial is stored). Returns the new ids per batch."""
    ctx = _Context(actor, agency_id, viewer)
    now = timezone.now()
    created: list[list[int]] = []
    readings: list[Reading] = []
    audit_rows: list[tuple[int, int, int, int]] = []
    for key, rows in batches:
        stream = _resolve(ctx, Ref("Datastreams", key))
        _require_owner(ctx, stream)
        features = _features_of(ctx, stream, rows)
        for row in rows:
            check_result(stream, row.fields.get("result"))
        ids = _insert_rows(stream, features, rows, now)
        _publish_later(stream.pk, ids, rows, now)
        created.append(ids)
        if ids:
            audit_rows.append((stream.pk, ids[0], ids[-1], len(ids)))
            readings.extend(_extremes(stream.pk, rows, now))
    latest_update(readings)
    audit_record_bulk(
        actor=actor,
        action="sensors.observation.create_bulk",
        object_type="sensors.observation",
        rows=audit_rows,  # (datastream, first id, last id, count) per Datastream
        changes={"observations": sum(len(ids) for ids in created)},
    )
    return created


@transaction.atomic
def observations_ingest(*, actor: User, batches: list[tuple[Datastream, list[ObservationRow]]]) -> int:
    """R5.5 (the MQTT bridge): observations already validated against their Datastreams, in one transaction and
    one `audit_record_bulk` entry per batch. Who may publish to which Datastream is the broker's ACL
    (`mqtt_sync_acl`); the bridge acts as the system account. Returns how many were stored."""
    ctx = _Context(actor, 0, Viewer(True, None))
    now = timezone.now()
    readings: list[Reading] = []
    audit_rows: list[tuple[int, int, int, int]] = []
    for stream, rows in batches:
        ids = _insert_rows(stream, _features_of(ctx, stream, rows), rows, now)
        _publish_later(stream.pk, ids, rows, now)
        if ids:
            audit_rows.append((stream.pk, ids[0], ids[-1], len(ids)))
            readings.extend(_extremes(stream.pk, rows, now))
    latest_update(readings)
    total = sum(row[3] for row in audit_rows)
    audit_record_bulk(
        actor=actor,
        action="sensors.observation.mqtt_batch",
        object_type="sensors.observation",
        rows=audit_rows,
        changes={"observations": total},
    )
    return total


def _publish_later(stream_id: int, ids: list[int], rows: list[ObservationRow], now: dt.datetime) -> None:
    """R5.5: once committed, the new observations go out on their MQTT topics (`publish.py`; off by default)."""
    if not getattr(settings, "MQTT_PUBLISH", False):
        return
    items = [
        (stream_id, pk, row.fields.get("phenomenon_time", now).isoformat(), row.fields["result"])
        for pk, row in zip(ids, rows, strict=True)
    ]
    transaction.on_commit(lambda: observations_publish(items))


@dataclass(frozen=True)
class Reading:
    """What `latest_update` needs of a new observation."""

    datastream_id: int
    phenomenon_time: dt.datetime
    phenomenon_time_end: dt.datetime | None
    result: Any
    result_number: float | None


def _reading(stream_id: int, row: ObservationRow, now: dt.datetime) -> Reading:
    f = row.fields
    return Reading(
        stream_id, f.get("phenomenon_time", now), f.get("phenomenon_time_end"), f["result"], f.get("result_number")
    )


def _extremes(stream_id: int, rows: list[ObservationRow], now: dt.datetime) -> list[Reading]:
    """The rows `latest_update` needs: the earliest, the newest and the one ending last."""

    def start(row: ObservationRow) -> dt.datetime:
        return row.fields.get("phenomenon_time", now)  # type: ignore[no-any-return]

    def end(row: ObservationRow) -> dt.datetime:
        return row.fields.get("phenomenon_time_end") or start(row)  # type: ignore[no-any-return]

    return [_reading(stream_id, row, now) for row in (min(rows, key=start), max(rows, key=start), max(rows, key=end))]


def _features_of(ctx: _Context, stream: Datastream, rows: list[ObservationRow]) -> dict[int | str | None, int]:
    features: dict[int | str | None, int] = {}
    for key in {row.feature for row in rows}:
        found = feature_for(stream) if key is None else _resolve(ctx, Ref("FeaturesOfInterest", key))
        features[key] = found.pk
    return features


OBSERVATION_COLUMNS = (
    "datastream_id",
    "feature_of_interest_id",
    "phenomenon_time",
    "phenomenon_time_end",
    "result_time",
    "result",
    "result_number",
    "result_quality",
    "valid_start",
    "valid_end",
    "parameters",
)


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _json_result(value: Any) -> str:
    """JSON text of a result; finite numbers (the common case) without the encoder."""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    return json.dumps(value)


def _sqlite_time(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime (UTC, naive, ISO with a space)."""
    if value is None:
        return None
    if value.utcoffset() != _ZERO:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


_ZERO = dt.timedelta(0)
_COMMON_ROW = frozenset({"phenomenon_time", "phenomenon_time_end", "result", "result_number"})


def _row_params(stream_id: int, feature_id: int, f: dict[str, Any], now: dt.datetime) -> tuple[Any, ...]:
    if f.keys() == _COMMON_ROW:  # the common row: phenomenonTime and a result
        end = f["phenomenon_time_end"]
        return (
            stream_id,
            feature_id,
            _sqlite_time(f["phenomenon_time"]),
            None if end is None else _sqlite_time(end),
            None,
            _json_result(f["result"]),
            f["result_number"],
            None,
            None,
            None,
            None,
        )
    get = f.get
    return (
        stream_id,
        feature_id,
        _sqlite_time(get("phenomenon_time", now)),
        _sqlite_time(get("phenomenon_time_end")),
        _sqlite_time(get("result_time")),
        _json_result(f["result"]),
        get("result_number"),
        _json_or_none(get("result_quality")),
        _sqlite_time(get("valid_start")),
        _sqlite_time(get("valid_end")),
        _json_or_none(get("parameters")),
    )


def _insert_rows(
    stream: Datastream, features: dict[int | str | None, int], rows: list[ObservationRow], now: dt.datetime
) -> list[int]:
    """One executemany; on SQLite the new ids are the next ones (the transaction holds the only write lock and
    INTEGER PRIMARY KEY takes max+1), checked after the insert; elsewhere `bulk_create` returns them."""
    if connection.vendor != "sqlite":
        objs = [
            Observation(
                datastream=stream, feature_of_interest_id=features[r.feature], **{"phenomenon_time": now, **r.fields}
            )
            for r in rows
        ]
        Observation.objects.bulk_create(objs, batch_size=2000)
        return [o.pk for o in objs]
    params = [_row_params(stream.pk, features[row.feature], row.fields, now) for row in rows]
    table = connection.ops.quote_name(Observation._meta.db_table)
    slots = ", ".join(["%s"] * len(OBSERVATION_COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(OBSERVATION_COLUMNS)}) VALUES ({slots})"  # noqa: S608 - own table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - the model's own table
        before = int(cursor.fetchone()[0])
        cursor.executemany(sql, params)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0), COUNT(*) FROM {table} WHERE id > %s", [before])  # noqa: S608
        last, count = cursor.fetchone()
    if count != len(params) or last != before + len(params):
        raise RuntimeError("observations_create: the new ids are not consecutive")
    return list(range(before + 1, before + len(params) + 1))


def _insert_plain(rows: list[tuple[Any, ...]]) -> None:
    """One executemany of (datastream, feature, phenomenon time, result JSON, numeric result) rows."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    json_slot = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {table} (datastream_id, feature_of_interest_id, phenomenon_time, result, result_number) "  # noqa: S608 - the model's own table
        f"VALUES (%s, %s, %s, {json_slot}, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def observations_load_history(
    *, actor: User, datastream: Datastream, feature: FeatureOfInterest, readings: list[tuple[dt.datetime, float]]
) -> int:
    """R5.5 (demo history, benchmarks): the documented bulk load of one Datastream's numeric readings: one
    executemany, one audit entry (`audit_record_bulk`, the rows' digest) and the latest state updated once."""
    if not readings:
        return 0
    adapt = connection.ops.adapt_datetimefield_value
    _insert_plain([(datastream.pk, feature.pk, adapt(t), json.dumps(v), v) for t, v in readings])
    first, newest = min(readings), max(readings)
    latest_update(
        [Observation(datastream=datastream, phenomenon_time=t, result=v, result_number=v) for t, v in (first, newest)]
    )
    audit_record_bulk(
        actor=actor,
        action="sensors.observation.load_history",
        object_type="sensors.observation",
        rows=[(t.isoformat(), v) for t, v in readings],
        changes={"datastream": datastream.pk},
    )
    return len(readings)
