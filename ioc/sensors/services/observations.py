"""Bulk writes of observations (R5.5): `CreateObservations` (dataArray), the MQTT bridge's batches and the
documented history load, one executemany per Datastream and one `audit_record_bulk` entry per request."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ioc.audit.services import audit_record_bulk
from ioc.sensors.choices import OM
from ioc.sensors.drafts import Ref
from ioc.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Observation,
    Thing,
)
from ioc.sensors.selectors import Viewer
from ioc.sensors.services._base import (
    ObservationRow,
    Reading,
    extremes,
    json_result,
    latest_update,
    param_limit,
    publish_later,
)
from ioc.sensors.services.entities import WriteContext, check_result, feature_for, require_owner, resolve
from ioc.sensors.services.receipts import receipts_claim
from ioc.sensors.services.rule_eval import Sample, rule_samples, rules_evaluate

if TYPE_CHECKING:
    from ioc.accounts.models import User

MEASUREMENT = OM + "OM_Measurement"


@transaction.atomic
def observations_create(
    *, actor: User, agency_id: int, viewer: Viewer, batches: list[tuple[int | str, list[ObservationRow]]]
) -> list[list[int]]:
    """R5.5 (`CreateObservations`, the dataArray extension): many observations of several Datastreams in one
    transaction, one executemany per Datastream; one `audit_record_bulk` entry for the request. Any bad row
    refuses the whole request (nothing partial is stored). Returns the new ids per batch."""
    ctx = WriteContext(actor, agency_id, viewer)
    now = timezone.now()
    created: list[list[int]] = []
    readings: list[Reading] = []
    samples: dict[int, list[Sample]] = {}
    audit_rows: list[tuple[int, int, int, int]] = []
    for key, rows in batches:
        stream = resolve(ctx, Ref("Datastreams", key))
        require_owner(ctx, stream)
        features = _features_of(ctx, stream, rows)
        _check_results(stream, rows)
        ids = _insert_rows(stream, features, rows, now)
        publish_later(stream.pk, ids, rows, now)
        created.append(ids)
        if ids:
            audit_rows.append((stream.pk, ids[0], ids[-1], len(ids)))
            readings.extend(extremes(stream.pk, rows, now))
            rule_samples(stream.pk, rows, now, samples)
    latest_update(readings)
    rules_evaluate(samples=samples, now=now)
    audit_record_bulk(
        actor=actor,
        action="sensors.observation.create_bulk",
        object_type="sensors.observation",
        rows=audit_rows,  # (datastream, first id, last id, count) per Datastream
        changes={"observations": sum(len(ids) for ids in created)},
    )
    return created


@transaction.atomic
def observations_ingest(
    *,
    actor: User,
    batches: list[tuple[Datastream, list[ObservationRow]]],
    features: Mapping[int, int] | None = None,
) -> int:
    """R5.5 (the MQTT bridge): observations already validated against their Datastreams, in one transaction and
    one `audit_record_bulk` entry per batch. Who may publish to which Datastream is the broker's ACL
    (`mqtt_sync_acl`); the bridge acts as the system account. Rows already stored from an earlier delivery of
    the same message are left out (`receipts_claim`: exactly-once under redelivery). `features` is the caller's
    map of each Datastream to its generated FeatureOfInterest (`generated_features`, which the bridge keeps
    between batches); a Datastream missing from it gets `feature_for`. Every row of the batch goes in by as few
    multi-row INSERTs as the parameter limit allows (issue 11 "Speed"). Returns how many were stored."""
    ctx = WriteContext(actor, 0, Viewer(True, None))
    now = timezone.now()
    batches = receipts_claim(batches, now)
    if features is None:
        features = generated_features([stream for stream, _rows in batches])
    planned = [(stream, rows, _features_of(ctx, stream, rows, features.get(stream.pk))) for stream, rows in batches]
    readings: list[Reading] = []
    samples: dict[int, list[Sample]] = {}
    audit_rows: list[tuple[int, int, int, int]] = []
    for (stream, rows, _features), ids in zip(planned, _insert_many(planned, now), strict=True):
        publish_later(stream.pk, ids, rows, now)
        if ids:
            audit_rows.append((stream.pk, ids[0], ids[-1], len(ids)))
            readings.extend(extremes(stream.pk, rows, now))
            rule_samples(stream.pk, rows, now, samples)
    latest_update(readings)
    rules_evaluate(samples=samples, now=now)
    total = sum(row[3] for row in audit_rows)
    audit_record_bulk(
        actor=actor,
        action="sensors.observation.mqtt_batch",
        object_type="sensors.observation",
        rows=audit_rows,
        changes={"observations": total},
    )
    return total


def _check_results(stream: Datastream, rows: list[ObservationRow]) -> None:
    """`check_result` for each row; a Measurement's rows that all have a finite numeric value need no more."""
    if stream.observation_type == MEASUREMENT and all(row.fields.get("result_number") is not None for row in rows):
        return
    for row in rows:
        check_result(stream, row.fields.get("result"))


def _features_of(
    ctx: WriteContext, stream: Datastream, rows: list[ObservationRow], generated: int | None = None
) -> dict[int | str | None, int]:
    features: dict[int | str | None, int] = {}
    for key in {row.feature for row in rows}:
        if key is None and generated is not None:
            features[key] = generated
            continue
        found = feature_for(stream) if key is None else resolve(ctx, Ref("FeaturesOfInterest", key))
        features[key] = found.pk
    return features


def generated_features(streams: list[Datastream]) -> dict[int, int]:
    """Each Datastream's generated FeatureOfInterest (`feature_for`: the one made from its Thing's latest
    Location) in two queries for a whole MQTT batch, where `feature_for` takes two per Datastream; the Datastreams
    whose feature is still to be made are left out (`feature_for` makes it)."""
    through = Thing.locations.through
    things = {stream.thing_id for stream in streams}
    newest = through.objects.filter(thing_id__in=things).values("thing_id").annotate(newest=Max("location_id"))
    latest: dict[int, int] = {row["thing_id"]: row["newest"] for row in newest}
    made: dict[int, int] = {}
    features = FeatureOfInterest.objects.filter(source_location_id__in=set(latest.values())).order_by("-pk")
    for location, pk in features.values_list("source_location_id", "pk"):
        made[location] = pk  # descending: the lowest id wins, as in `feature_for`
    found: dict[int, int] = {}
    for stream in streams:
        feature = made.get(latest.get(stream.thing_id, 0))
        if feature is not None:
            found[stream.pk] = feature
    return found


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


def _sqlite_time(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime (UTC, naive, ISO with a space)."""
    if value is None:
        return None
    if value.utcoffset() != _ZERO:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ")


_ZERO = dt.timedelta(0)
_COMMON_ROW = frozenset({"phenomenon_time", "phenomenon_time_end", "result", "result_number"})


def _row_params(stream_id: int, feature_id: int, row: ObservationRow, now: dt.datetime) -> tuple[Any, ...]:
    f = row.fields
    if f.keys() == _COMMON_ROW:  # the common row: phenomenonTime and a result
        end = f["phenomenon_time_end"]
        return (
            stream_id,
            feature_id,
            _sqlite_time(f["phenomenon_time"]),
            None if end is None else _sqlite_time(end),
            None,
            json_result(f["result"]),
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
        json_result(f["result"]),
        get("result_number"),
        _json_or_none(get("result_quality")),
        _sqlite_time(get("valid_start")),
        _sqlite_time(get("valid_end")),
        _json_or_none(get("parameters")),
    )


PLAIN_COLUMNS = ("datastream_id", "feature_of_interest_id", "phenomenon_time", "result", "result_number")


def _params(
    stream_id: int, features: dict[int | str | None, int], rows: list[ObservationRow], now: dt.datetime
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The columns and the rows' values. Plain dataArray rows (sta/bulk.py: the phenomenon time already as SQLite's
    text, no FeatureOfInterest, nothing but a result) bind five columns, as a raw insert would."""
    if all(row.time_text is not None for row in rows):
        feature_id = features[None]
        return PLAIN_COLUMNS, [
            (stream_id, feature_id, row.time_text, json_result(row.fields["result"]), row.fields["result_number"])
            for row in rows
        ]
    return OBSERVATION_COLUMNS, [_row_params(stream_id, features[row.feature], row, now) for row in rows]


def _insert_rows(
    stream: Datastream, features: dict[int | str | None, int], rows: list[ObservationRow], now: dt.datetime
) -> list[int]:
    """One executemany; on SQLite the new ids are the next ones (the transaction holds the only write lock and
    INTEGER PRIMARY KEY takes max+1), checked after the insert; elsewhere `bulk_create` returns them."""
    if not rows:
        return []  # an empty dataArray stores nothing (it once fell into the plain path and raised a KeyError)
    if connection.vendor != "sqlite":
        objs = [
            Observation(
                datastream=stream, feature_of_interest_id=features[r.feature], **{"phenomenon_time": now, **r.fields}
            )
            for r in rows
        ]
        Observation.objects.bulk_create(objs, batch_size=2000)
        return [o.pk for o in objs]
    columns, params = _params(stream.pk, features, rows, now)
    table = connection.ops.quote_name(Observation._meta.db_table)
    slots = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({slots})"  # noqa: S608 - own table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - the model's own table
        before = int(cursor.fetchone()[0])
        cursor.executemany(sql, params)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0), COUNT(*) FROM {table} WHERE id > %s", [before])  # noqa: S608
        last, count = cursor.fetchone()
    if count != len(params) or last != before + len(params):
        raise RuntimeError("observations_create: the new ids are not consecutive")
    return list(range(before + 1, before + len(params) + 1))


PlannedBatch = tuple[Datastream, list[ObservationRow], dict[int | str | None, int]]


def _insert_many(planned: list[PlannedBatch], now: dt.datetime) -> list[list[int]]:
    """Every Datastream's rows in multi-row INSERTs (one per `param_limit()` values, usually one for a whole MQTT
    batch): on SQLite each executemany row is a statement step of its own, and each step lets paho's network thread
    take the GIL. The new ids: SQLite gives max+1 in VALUES order inside the transaction holding the only write lock
    (checked after the insert, as `_insert_rows` checks); elsewhere one `bulk_create` of every Datastream's rows
    (INSERT … RETURNING in VALUES order): one per Datastream cost a round trip each, 1,000 a batch when a batch's
    1,000 messages name 1,000 Datastreams (issue 14's bench: 3 ms a message on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return _insert_many_returning(planned, now)
    if not any(rows for _stream, rows, _features in planned):
        return [[] for _item in planned]
    plain = all(row.time_text is not None and row.feature is None for _s, rows, _f in planned for row in rows)
    columns = PLAIN_COLUMNS if plain else OBSERVATION_COLUMNS
    params: list[Any] = []
    counts: list[int] = []
    for stream, rows, features in planned:
        counts.append(len(rows))
        for row in rows:
            params.extend(
                _plain_params(stream.pk, features, row)
                if plain
                else _row_params(stream.pk, features[row.feature], row, now)
            )
    before = _multi_insert(columns, params)
    ids: list[list[int]] = []
    for count in counts:
        ids.append(list(range(before + 1, before + count + 1)))
        before += count
    return ids


def _insert_many_returning(planned: list[PlannedBatch], now: dt.datetime) -> list[list[int]]:
    """PostgreSQL: the batch's rows of every Datastream in one `bulk_create` (its ids from RETURNING)."""
    per_stream = [
        [
            Observation(
                datastream=stream, feature_of_interest_id=features[r.feature], **{"phenomenon_time": now, **r.fields}
            )
            for r in rows
        ]
        for stream, rows, features in planned
    ]
    Observation.objects.bulk_create([obj for objs in per_stream for obj in objs], batch_size=2000)
    return [[obj.pk for obj in objs] for objs in per_stream]


def _plain_params(stream_id: int, features: dict[int | str | None, int], row: ObservationRow) -> tuple[Any, ...]:
    return stream_id, features[None], row.time_text, json_result(row.fields["result"]), row.fields["result_number"]


def _multi_insert(columns: tuple[str, ...], params: list[Any]) -> int:
    """INSERT the flat `params` as rows of `columns`; returns the id before the first new one (SQLite)."""
    table = connection.ops.quote_name(Observation._meta.db_table)
    width = len(columns)
    rows = len(params) // width
    step = max(1, param_limit() // width)
    slot = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - the model's own table
        before = int(cursor.fetchone()[0])
        for start in range(0, rows, step):
            count = min(step, rows - start)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([slot] * count)}"  # noqa: S608
            cursor.execute(sql, params[start * width : (start + count) * width])
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608 - the model's own table
        first = int(cursor.fetchone()[0]) - rows + 1  # AUTOINCREMENT: after the largest id ever used, maybe deleted
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE id >= %s", [first])  # noqa: S608
        (count,) = cursor.fetchone()
    if count != rows or first <= before:
        raise RuntimeError("observations_ingest: the new ids are not consecutive")
    return first - 1


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
