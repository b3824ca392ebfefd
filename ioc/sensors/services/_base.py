"""What the sensor services share (R5.5): the latest state kept on each Datastream, validated observation rows,
and publishing new observations after the commit."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction

from ioc.sensors.drafts import DraftError
from ioc.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Observation,
)
from ioc.sensors.publish import observations_publish

if TYPE_CHECKING:
    pass

SQLITE_PARAMS_MAX = 32_766  # SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 (Debian's build allows more)
POSTGRESQL_PARAMS_MAX = 65_535


def param_limit() -> int:
    """Bound parameters one statement may carry on this connection: SQLite's own limit (Django's features say 999,
    the limit of SQLite before 3.32), PostgreSQL's protocol limit."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return min(SQLITE_PARAMS_MAX, int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)))
    if connection.vendor == "postgresql":
        return POSTGRESQL_PARAMS_MAX
    return int(connection.features.max_query_params or 999)


def json_result(value: Any) -> str:
    """JSON text of a result; finite numbers (the common case) without the encoder."""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    return json.dumps(value)


def latest_update(observations: Sequence[Observation | Reading]) -> None:
    """R5.5: each Datastream's latest result, value and time, and its phenomenon time range, kept current: one
    statement, executed once per Datastream touched (`executemany`), whatever the number of observations; on
    PostgreSQL one statement for them all (`_latest_update_pg`). Every CASE reads the row as it was before the
    UPDATE (SQL semantics), so the latest fields move together."""
    by_stream: dict[int, list[Observation | Reading]] = defaultdict(list)
    for observation in observations:
        by_stream[observation.datastream_id].append(observation)
    if not by_stream:
        return
    adapt = connection.ops.adapt_datetimefield_value
    params: list[tuple[Any, ...]] = []
    for stream_id, rows in by_stream.items():
        newest = max(rows, key=lambda o: o.phenomenon_time)
        first = adapt(min(o.phenomenon_time for o in rows))
        last = adapt(max(o.phenomenon_time_end or o.phenomenon_time for o in rows))
        when = adapt(newest.phenomenon_time)
        result = None if newest.result is None else json.dumps(newest.result)
        params.append((first, first, last, last, when, result, when, newest.result_number, when, when, stream_id))
    if connection.vendor == "postgresql":
        _latest_update_pg(params)
        return
    with connection.cursor() as cursor:
        cursor.executemany(_latest_sql(), params)


def _latest_update_pg(params: list[tuple[Any, ...]]) -> None:
    """PostgreSQL (issue 14 "Speed": an MQTT batch over 10,000 Datastreams names ~1,000 of them): one UPDATE … FROM
    unnest(arrays), where the executemany ran one statement per Datastream — 1,000 UPDATEs cost ~30 ms of the
    bridge's CPU and ~60 ms of the server's a batch, one UPDATE over arrays ~13 ms and ~10 ms (docs/benchmarks.md).
    The rows are sorted by Datastream id, the same order in every batch."""
    rows = sorted(params, key=lambda row: row[-1])
    columns = [
        [row[-1] for row in rows],  # id
        [row[0] for row in rows],  # first phenomenon time
        [row[2] for row in rows],  # last phenomenon time
        [row[4] for row in rows],  # the newest reading's time
        [row[5] for row in rows],  # its result (JSON text)
        [None if row[7] is None else float(row[7]) for row in rows],  # its numeric value (psycopg: one type a list)
    ]
    with connection.cursor() as cursor:
        cursor.execute(_latest_sql_pg(), columns)


def _latest_sql() -> str:
    table = connection.ops.quote_name(Datastream._meta.db_table)
    json_slot = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    newer = "latest_time IS NULL OR latest_time <= %s"
    return (
        f"UPDATE {table} SET "  # noqa: S608 - the model's own table and columns
        "phenomenon_start = CASE WHEN phenomenon_start IS NULL OR phenomenon_start > %s THEN %s "
        "ELSE phenomenon_start END, "
        "phenomenon_end = CASE WHEN phenomenon_end IS NULL OR phenomenon_end < %s THEN %s ELSE phenomenon_end END, "
        f"latest_result = CASE WHEN {newer} THEN {json_slot} ELSE latest_result END, "
        f"latest_value = CASE WHEN {newer} THEN %s ELSE latest_value END, "
        f"latest_time = CASE WHEN {newer} THEN %s ELSE latest_time END "
        "WHERE id = %s"
    )


def _latest_sql_pg() -> str:
    """`_latest_sql`'s CASEs over one row of arrays per Datastream (v)."""
    table = connection.ops.quote_name(Datastream._meta.db_table)
    newer = "d.latest_time IS NULL OR d.latest_time <= v.at"
    return (
        f"UPDATE {table} AS d SET "  # noqa: S608 - the model's own table and columns
        "phenomenon_start = CASE WHEN d.phenomenon_start IS NULL OR d.phenomenon_start > v.first THEN v.first "
        "ELSE d.phenomenon_start END, "
        "phenomenon_end = CASE WHEN d.phenomenon_end IS NULL OR d.phenomenon_end < v.last THEN v.last "
        "ELSE d.phenomenon_end END, "
        f"latest_result = CASE WHEN {newer} THEN v.result ELSE d.latest_result END, "
        f"latest_value = CASE WHEN {newer} THEN v.number ELSE d.latest_value END, "
        f"latest_time = CASE WHEN {newer} THEN v.at ELSE d.latest_time END "
        "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::jsonb[], "
        "%s::float8[]) AS v(id, first, last, at, result, number) WHERE d.id = v.id"
    )


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


PARENTS_MARK = "/* observation parents */"


def observation_parents_missing(*, datastreams: Collection[int], features: Collection[int]) -> list[str]:
    """R5.5, docs/decisions/0014: an observation's Datastream and FeatureOfInterest are checked here, not by
    database foreign keys (a trigger per inserted row, a third of a `CreateObservations` row's CPU on PostgreSQL).
    Called inside the write transaction, once per request or batch: one statement per table reads which of the
    ids still exist and, on PostgreSQL, holds them `FOR KEY SHARE` until the commit. A deletion locks its rows
    first (`entity_delete`), so it either waits for this transaction and then deletes its new rows with the rest,
    or this one waits for it and finds them gone (SQLite has one writer: what is read is what is there at the
    commit). Returns what is missing, named (`Datastream(7)`), ascending; empty when all are there."""
    missing: list[str] = []
    for model, label, ids in (
        (Datastream, "Datastream", datastreams),
        (FeatureOfInterest, "FeatureOfInterest", features),
    ):
        wanted = sorted(set(ids))
        if wanted:
            found = _held_ids(model, wanted)
            missing.extend(f"{label}({pk})" for pk in wanted if pk not in found)
    return missing


def require_observation_parents(*, datastreams: Collection[int], features: Collection[int]) -> None:
    """`observation_parents_missing`, refused as a write naming an entity that does not exist is (400, by name)."""
    missing = ", ".join(observation_parents_missing(datastreams=datastreams, features=features))
    if missing:
        raise DraftError(f"Không tìm thấy {missing} / Not found: {missing}")


def _held_ids(model: type[Any], ids: list[int]) -> set[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # ascending: every writer takes the locks in one order
            held = f"SELECT id FROM {table} WHERE id = ANY(%s::bigint[]) ORDER BY id FOR KEY SHARE"  # noqa: S608
            cursor.execute(f"{held} {PARENTS_MARK}", [ids])
            return {pk for (pk,) in cursor.fetchall()}
        found: set[int] = set()
        step = param_limit()
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            slots = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT id FROM {table} WHERE id IN ({slots}) {PARENTS_MARK}", chunk)  # noqa: S608
            found.update(pk for (pk,) in cursor.fetchall())
        return found


@dataclass(frozen=True)
class ObservationRow:
    """One `dataArray` row, validated: its fields and the FeatureOfInterest id it names (if any). `time_text`,
    when the parser has it, is the phenomenon time as SQLite stores it (UTC, `YYYY-MM-DD HH:MM:SS`)."""

    fields: dict[str, Any]
    feature: int | str | None = None
    time_text: str | None = None


def publish_later(stream_id: int, ids: list[int], rows: list[ObservationRow], now: dt.datetime) -> None:
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


def extremes(stream_id: int, rows: list[ObservationRow], now: dt.datetime) -> list[Reading]:
    """The rows `latest_update` needs: the earliest, the newest and the one ending last."""
    if all(row.time_text is not None for row in rows):  # plain rows: instants whose UTC texts sort as times
        by_text = attrgetter("time_text")
        first, newest = min(rows, key=by_text), max(rows, key=by_text)
        return [_reading(stream_id, row, now) for row in (first, newest, newest)]

    def start(row: ObservationRow) -> dt.datetime:
        return row.fields.get("phenomenon_time", now)  # type: ignore[no-any-return]

    def end(row: ObservationRow) -> dt.datetime:
        return row.fields.get("phenomenon_time_end") or start(row)  # type: ignore[no-any-return]

    return [_reading(stream_id, row, now) for row in (min(rows, key=start), max(rows, key=start), max(rows, key=end))]
