"""Bulk writes of observations (R5.5): `CreateObservations` (dataArray), the MQTT bridge's batches and the
documented history load, one insert for all their rows (`_insert_many`: multi-row INSERTs on SQLite, COPY on
PostgreSQL) and one `audit_record_bulk` entry per request."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from ioc.audit.services import audit_record_bulk
from ioc.sensors.choices import OM
from ioc.sensors.drafts import DraftError, Ref
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
    observation_parents_missing,
    param_limit,
    publish_later,
    require_observation_parents,
)
from ioc.sensors.services.entities import (
    WriteContext,
    check_result,
    feature_for,
    require_owner,
    resolve,
)
from ioc.sensors.services.receipts import receipts_claim
from ioc.sensors.services.rule_eval import Sample, rule_samples, rules_evaluate

if TYPE_CHECKING:
    from ioc.accounts.models import User

MEASUREMENT = OM + "OM_Measurement"


def observations_create(
    *, actor: User, agency_id: int, viewer: Viewer, batches: list[tuple[int | str, list[ObservationRow]]]
) -> list[list[int]]:
    """R5.5 (`CreateObservations`, the dataArray extension): many observations of several Datastreams in one
    transaction and one `audit_record_bulk` entry for the request. Everything that only reads (each Datastream, its
    owner, the named FeaturesOfInterest and the generated ones already made, the results' types) is checked before
    the write transaction (issue 11, docs/decisions/0004: SQLite's one write lock); any bad row refuses the whole
    request (nothing partial is stored). The rows of every Datastream go in by one insert (`_insert_many`, shared
    with the MQTT bridge). Returns the new ids per batch."""
    ctx = WriteContext(actor, agency_id, viewer)
    streams = [resolve(ctx, Ref("Datastreams", key)) for key, _rows in batches]
    for stream, (_key, rows) in zip(streams, batches, strict=True):
        require_owner(ctx, stream)
        _check_results(stream, rows)
    generated = generated_features([s for s, (_k, rows) in zip(streams, batches, strict=True) if _unnamed(rows)])
    planned = [
        (stream, rows, _features_of(ctx, stream, rows, generated.get(stream.pk), make=False))
        for stream, (_key, rows) in zip(streams, batches, strict=True)
    ]
    return _store_created(actor, planned)


@transaction.atomic
def _store_created(actor: User, planned: list[PlannedBatch]) -> list[list[int]]:
    """The write transaction of `observations_create`: the generated FeaturesOfInterest still to be made, the
    rows, the latest state, the rules and the audit entry."""
    now = timezone.now()
    for stream, rows, features in planned:
        if None not in features and _unnamed(rows):
            features[None] = feature_for(stream).pk
    missing = ", ".join(_parents_missing(planned))
    if missing:  # deleted since the checks before the transaction: refused as an unknown one is by `resolve`
        raise DraftError(f"Không tìm thấy {missing} / Not found: {missing}")
    created = _insert_many(planned, now)
    readings: list[Reading] = []
    samples: dict[int, list[Sample]] = {}
    audit_rows: list[tuple[int, int, int, int]] = []
    for (stream, rows, _features), ids in zip(planned, created, strict=True):
        publish_later(stream.pk, ids, rows, now)
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


def _parents_missing(planned: list[PlannedBatch]) -> list[str]:
    """The Datastreams and FeaturesOfInterest of the batches' rows that no longer exist, checked and held in one
    statement per table for the whole request or batch (docs/decisions/0014: no foreign key trigger per row)."""
    filled = [(stream, features) for stream, rows, features in planned if rows]
    return observation_parents_missing(
        datastreams=[stream.pk for stream, _features in filled],
        features={pk for _stream, features in filled for pk in features.values()},
    )


def _unnamed(rows: list[ObservationRow]) -> bool:
    """Whether some row names no FeatureOfInterest (it gets the one generated from the Thing's Location)."""
    return any(row.feature is None for row in rows)


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
    between batches); a Datastream missing from it gets `feature_for`. Every row of the batch goes in by one insert
    (`_insert_many`, issue 11 "Speed"). Returns how many were stored."""
    ctx = WriteContext(actor, 0, Viewer(True, None))
    now = timezone.now()
    batches = receipts_claim(batches, now)
    if features is None:
        features = generated_features([stream for stream, _rows in batches])
    planned = [(stream, rows, _features_of(ctx, stream, rows, features.get(stream.pk))) for stream, rows in batches]
    missing = _parents_missing(planned)
    if missing:  # the bridge's cache is older than a deletion: it drops the cache and tries again
        raise IntegrityError(f"observations: {', '.join(missing)} no longer exist")
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
    ctx: WriteContext,
    stream: Datastream,
    rows: list[ObservationRow],
    generated: int | None = None,
    *,
    make: bool = True,
) -> dict[int | str | None, int]:
    """Each FeatureOfInterest the rows name, resolved (visible to the caller), and the generated one for the rows
    naming none. With `make=False` (before the write transaction) a generated one not yet made is left out."""
    features: dict[int | str | None, int] = {}
    for key in {row.feature for row in rows}:
        if key is None and generated is not None:
            features[key] = generated
        elif key is not None:
            features[key] = resolve(ctx, Ref("FeaturesOfInterest", key)).pk
        elif make:
            features[key] = feature_for(stream).pk
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
PLAIN_COLUMNS = ("datastream_id", "feature_of_interest_id", "phenomenon_time", "result", "result_number")


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
TimeOf = Callable[[dt.datetime | None], Any]


def _row_params(
    stream_id: int, feature_id: int, row: ObservationRow, now: dt.datetime, time: TimeOf
) -> tuple[Any, ...]:
    """One row's values in `OBSERVATION_COLUMNS` order; `time` writes a datetime as the database binds it."""
    f = row.fields
    if f.keys() == _COMMON_ROW:  # the common row: phenomenonTime and a result
        end = f["phenomenon_time_end"]
        return (
            stream_id,
            feature_id,
            time(f["phenomenon_time"]),
            None if end is None else time(end),
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
        time(get("phenomenon_time", now)),
        time(get("phenomenon_time_end")),
        time(get("result_time")),
        json_result(f["result"]),
        get("result_number"),
        _json_or_none(get("result_quality")),
        time(get("valid_start")),
        time(get("valid_end")),
        _json_or_none(get("parameters")),
    )


PlannedBatch = tuple[Datastream, list[ObservationRow], dict[int | str | None, int]]


def _insert_many(planned: list[PlannedBatch], now: dt.datetime) -> list[list[int]]:
    """R5.5, issue 11 "Speed": the one insert of new observations (`CreateObservations` and the MQTT bridge's
    batches). On PostgreSQL every row of every Datastream goes in by one COPY (`_pg_copy`); on SQLite by multi-row
    INSERTs, one per `param_limit()` values (usually one for a whole request or batch): each executemany row is a
    statement step of its own there (and each step lets paho's network thread take the GIL). Plain rows (sta/bulk.py:
    an instant, no FeatureOfInterest, nothing but a result) bind five columns, as a raw insert would. Returns the
    new ids per Datastream, in row order."""
    counts = [len(rows) for _stream, rows, _features in planned]
    if not any(counts):
        return [[] for _item in planned]
    new = _pg_copy(planned, now) if connection.vendor == "postgresql" else _sqlite_insert(planned, now)
    ids: list[list[int]] = []
    start = 0
    for count in counts:
        ids.append(new[start : start + count])
        start += count
    return ids


def _sqlite_insert(planned: list[PlannedBatch], now: dt.datetime) -> list[int]:
    """The rows' parameters for SQLite (times as its UTC text), inserted by `_multi_insert`."""
    plain = all(row.time_text is not None and row.feature is None for _s, rows, _f in planned for row in rows)
    params: list[Any] = []
    extend = params.extend
    for stream, rows, features in planned:
        pk = stream.pk
        if plain:
            feature = features[None]
            for row in rows:
                f = row.fields
                extend((pk, feature, row.time_text, json_result(f["result"]), f["result_number"]))
        else:
            for row in rows:
                extend(_row_params(pk, features[row.feature], row, now, _sqlite_time))
    return _multi_insert(PLAIN_COLUMNS if plain else OBSERVATION_COLUMNS, params)


COPY_NULL = "\\N"
# The table's sequence, named once per statement by the subquery.
_SEQUENCE = "(SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) AS q"
SEQUENCE_NEXT = f"SELECT nextval(q.seq) FROM {_SEQUENCE}"  # noqa: S608 - no user input
SEQUENCE_CURRENT = f"SELECT currval(q.seq) FROM {_SEQUENCE}"  # noqa: S608
RESERVE_IDS = f"SELECT nextval(q.seq) FROM {_SEQUENCE}, generate_series(1, %s)"  # noqa: S608


class _Interleaved(Exception):
    """Another session took ids of the sequence while the COPY took its own."""


def _copy_field(value: Any) -> str:
    """One value in COPY's text format. The only free text is JSON (`json.dumps` escapes control characters, so
    no tab or newline comes through raw): its backslashes are doubled."""
    if value is None:
        return COPY_NULL
    if type(value) is str:
        return value.replace("\\", "\\\\") if "\\" in value else value
    return str(value)


def _copy_time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _pg_copy(planned: list[PlannedBatch], now: dt.datetime) -> list[int]:
    """PostgreSQL (issue 11 "Speed"): every row by one COPY in text format, where `INSERT … SELECT FROM unnest(…)
    RETURNING id` had psycopg dump one array per column and the server return each id. The ids come from the
    sequence as the COPY's column default: one `nextval` before and `currval` after; when they are exactly the
    rows apart no other session took an id in between, and the ids are that range, ascending in row order. Else
    (another writer of observations at the same instant) the COPY is rolled back to its savepoint and made again
    with ids reserved first, one `nextval` a row. Reserving first always costs 2.5 µs of server CPU more an
    observation (docs/benchmarks.md)."""
    total = sum(len(rows) for _s, rows, _f in planned)
    name = Observation._meta.db_table
    plain = all(row.feature is None and row.fields.keys() == _COMMON_ROW for _s, rows, _f in planned for row in rows)
    plain = plain and all(row.fields["phenomenon_time_end"] is None for _s, rows, _f in planned for row in rows)
    columns = PLAIN_COLUMNS if plain else OBSERVATION_COLUMNS
    lines = _copy_lines(planned, now, plain=plain)
    with connection.cursor() as cursor:
        cursor.execute(SEQUENCE_NEXT, [name])
        (before,) = cursor.fetchone()
        try:
            with transaction.atomic():
                _copy(cursor, columns, "".join(lines))
                cursor.execute(SEQUENCE_CURRENT, [name])
                (last,) = cursor.fetchone()
                if last - before != total:
                    raise _Interleaved
            return list(range(before + 1, last + 1))
        except _Interleaved:
            pass
        cursor.execute(RESERVE_IDS, [name, total])
        ids = sorted(pk for (pk,) in cursor.fetchall())
        _copy(cursor, ("id", *columns), "".join([f"{pk}\t{line}" for pk, line in zip(ids, lines, strict=True)]))
    return ids


def _copy(cursor: Any, columns: tuple[str, ...], text: str) -> None:
    table = connection.ops.quote_name(Observation._meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(text)


def _copy_lines(planned: list[PlannedBatch], now: dt.datetime, *, plain: bool) -> list[str]:
    """Each row as a line of COPY's text format, without its id. Plain rows are written from the parser's UTC text
    (`time_text`), the others from their parsed values."""
    lines: list[str] = []
    append = lines.append
    for stream, rows, features in planned:
        if plain:
            head = f"{stream.pk}\t{features[None]}\t"
            for row in rows:
                f = row.fields
                at = f"{row.time_text}+00" if row.time_text is not None else f["phenomenon_time"].isoformat()
                number = f["result_number"]
                result = _copy_field(json_result(f["result"]))
                append(f"{head}{at}\t{result}\t{COPY_NULL if number is None else number!r}\n")
        else:
            for row in rows:
                values = _row_params(stream.pk, features[row.feature], row, now, _copy_time)
                append("\t".join(map(_copy_field, values)) + "\n")
    return lines


def _multi_insert(columns: tuple[str, ...], params: list[Any]) -> list[int]:
    """SQLite: INSERT the flat `params` as rows of `columns`; the new ids in row order: max+1 in VALUES order
    inside the transaction holding the only write lock, checked after the insert."""
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
        raise RuntimeError("observations: the new ids are not consecutive")
    return list(range(first, first + rows))


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
    require_observation_parents(datastreams=[datastream.pk], features=[feature.pk])
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
