"""Alert rules at work (R4.1, R5.5): evaluation on each committed batch of observations (in the batch's own
transaction: HTTP dataArray, POST Observations and MQTT batches alike), and the sweep of durable work selected
by due time: pending *for* timers, no-data rules, states whose silence has ended. Firing hands the alert to the
incidents inbox (`alert_raise`), clearing resolves it (`alert_resolve`); rule state is written by conditional
updates, so running the sweep twice (or being killed at any line, the transaction rolls back) is safe."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.common.bulk import insert_returning, preparers
from ioc.incidents import services as incidents
from ioc.incidents.choices import AlertSource
from ioc.sensors.choices import FIRING, NO_DATA, PENDING, RESOLVED, RULE_OPEN_STATES, THRESHOLD
from ioc.sensors.models import Datastream, Observation, RuleState, Silence
from ioc.sensors.rules_index import (
    RuleIndex,
    RuleSpec,
    Source,
    holds,
    in_schedule,
    labels_of,
    matches,
    rule_index,
    window_values,
)

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.sensors.services._base import ObservationRow

Sample = tuple[dt.datetime, float]
NO_DATA_KIND = "sensor.no_data"


def rule_samples(
    stream_id: int, rows: Iterable[ObservationRow], now: dt.datetime, into: dict[int, list[Sample]]
) -> None:
    """The numeric readings of a batch's rows for a Datastream that some rule watches (nothing otherwise)."""
    if stream_id not in rule_index().by_stream:
        return
    found = into.setdefault(stream_id, [])
    for row in rows:
        value = row.fields.get("result_number")
        if value is not None:
            found.append((row.fields.get("phenomenon_time") or now, float(value)))


def dedup_key(spec: RuleSpec, source: Source, reason: str = THRESHOLD) -> str:
    suffix = ":no_data" if reason == NO_DATA else ""
    return f"rule:{spec.code}:ds:{source.pk}{suffix}"


def _silenced(spec: RuleSpec, source: Source, at: dt.datetime) -> bool:
    labels = labels_of(spec, source)
    batch = _BATCH.get()
    if batch is not None and batch.silences is None:
        batch.silences = list(_active_silences(at))  # one read per batch (every hand-off of a batch has one `at`)
    active = batch.silences if batch is not None and batch.silences is not None else _active_silences(at)
    return any(matches(m, labels) and in_schedule(at, days, start, end) for m, days, start, end in active)


class HandOffs:
    """A batch's hand-offs to the inbox (R4.1; issue 14 "Speed"), in waves: the first hand-off of every alert key,
    then the second, …; in each wave the raises go to `alert_raise_many` together (one read of the open alerts,
    new alerts in one INSERT, repeats written once), then the resolves to `alert_resolve_many` together (one read,
    one UPDATE). Hand-offs of one key keep their order (a pair that fires and clears within one batch raises
    before it resolves); those of different keys are independent. The active silences are read once per batch."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, Any]] = []  # (what, dedup key, arguments)
        self.silences: list[tuple[Any, ...]] | None = None
        self._actor: User | None = None

    @property
    def actor(self) -> User:
        """The system account, one copy per batch (each copy reads its roles once, when the inbox checks them)."""
        if self._actor is None:
            self._actor = system_account()
        return self._actor

    def flush(self) -> None:
        waves: list[list[tuple[str, Any]]] = []
        depth: dict[str, int] = {}
        for what, key, item in self.items:
            wave = depth.get(key, 0)
            depth[key] = wave + 1
            if wave == len(waves):
                waves.append([])
            waves[wave].append((what, item))
        for wave_items in waves:
            self._raise([item for what, item in wave_items if what == "raise"])
            resolves = [incidents.ResolveInput(**item) for what, item in wave_items if what == "resolve"]
            if resolves:
                incidents.alert_resolve_many(items=resolves, actor=self.actor)
        self.items = []

    def _raise(self, items: list[incidents.AlertInput]) -> None:
        if not items:
            return
        for result in incidents.alert_raise_many(alerts=items, actor=self.actor):
            if isinstance(result, Exception):
                raise result  # a rule's alert the inbox refuses: the batch's transaction rolls back, as before


_BATCH: contextvars.ContextVar[HandOffs | None] = contextvars.ContextVar("sensors_rule_handoffs", default=None)


@contextlib.contextmanager
def _batched() -> Iterator[HandOffs]:
    handoffs = HandOffs()
    token = _BATCH.set(handoffs)
    try:
        yield handoffs
    finally:
        _BATCH.reset(token)
    handoffs.flush()


def _alert_raise(item: incidents.AlertInput) -> None:
    batch = _BATCH.get()
    if batch is not None:
        batch.items.append(("raise", item.dedup_key, item))
        return
    fields = {name: getattr(item, name) for name in item.__dataclass_fields__}
    incidents.alert_raise(**fields, actor=system_account())


def _alert_resolve(**item: Any) -> None:
    batch = _BATCH.get()
    if batch is not None:
        batch.items.append(("resolve", item["dedup_key"], item))
        return
    incidents.alert_resolve(**item, actor=system_account())


def _active_silences(at: dt.datetime) -> Iterable[tuple[Any, ...]]:
    return Silence.objects.filter(starts_at__lte=at, ends_at__gt=at).values_list(
        "matchers", "weekdays", "daily_start", "daily_end"
    )


def _hand_off(state: RuleState, spec: RuleSpec, source: Source, now: dt.datetime) -> None:
    """R4.1: a firing state goes to the inbox unless a silence or maintenance window matches it now."""
    if _silenced(spec, source, now):
        state.silenced = True
        return
    no_data = state.reason == NO_DATA
    what = _("Mất số liệu") if no_data else spec.name
    title = _("%(what)s: %(source)s") % {"what": what, "source": source.name}
    point = (source.lat, source.lon) if source.located and source.lat is not None and source.lon is not None else None
    _alert_raise(
        incidents.AlertInput(
            source=AlertSource.SENSORS,
            dedup_key=dedup_key(spec, source, state.reason),
            kind=NO_DATA_KIND if no_data else spec.kind,
            severity=2 if no_data else spec.severity,
            title=title[:200],
            occurred_at=state.fired_at or now,
            point=point,
            payload={"rule": spec.code, "datastream": source.pk, "value": state.last_value, "labels": spec.labels},
        )
    )
    state.silenced, state.alert_raised = False, True


def _fire(state: RuleState, spec: RuleSpec, source: Source, at: dt.datetime, now: dt.datetime) -> None:
    state.state, state.fired_at, state.due_at = FIRING, at, None
    _hand_off(state, spec, source, now)


def _resolve(state: RuleState, spec: RuleSpec, source: Source, at: dt.datetime) -> None:
    state.state, state.resolved_at, state.due_at = RESOLVED, at, None
    if state.alert_raised:
        _alert_resolve(source=AlertSource.SENSORS, dedup_key=dedup_key(spec, source, state.reason), resolved_at=at)


def _ready(state: RuleState, spec: RuleSpec, at: dt.datetime) -> bool:
    return state.matches >= spec.repeat_count and at - state.started_at >= spec.for_duration


# What the batch path writes of a state (all but its keys): compared before and after judging.
_STATE_FIELDS = frozenset(
    {"state", "reason", "started_at", "matches", "last_value", "last_time", "due_at", "fired_at", "resolved_at"}
    | {"silenced", "alert_raised"}
)
_OPEN_CHUNK = 500  # Datastream ids per read of the open states (under every backend's parameter limit)


def _snapshot(state: RuleState) -> tuple[Any, ...]:
    return tuple(state.__dict__.get(f.attname) for f in _state_fields())


@functools.cache
def _state_fields() -> tuple[Any, ...]:
    return tuple(f for f in RuleState._meta.concrete_fields if f.name in _STATE_FIELDS)


class Judged:
    """A batch's rule states (issue 14 "Speed"): the open ones on its watched Datastreams, read once and locked,
    and the ones opened while judging. Written once, at the end of the judgement: the open ones that changed by
    one executemany UPDATE, then the new ones by multi-row INSERTs — in that order, so a pair that clears and
    raises again within the batch has its old state resolved before its successor is stored (one open state per
    pair). States that nothing moved are not written."""

    def __init__(self, open_states: dict[tuple[int, int], RuleState]) -> None:
        self.open = open_states
        self.before = {state.pk: _snapshot(state) for state in open_states.values()}
        self.new: list[RuleState] = []

    def write(self) -> None:
        _states_update([state for state in self.open.values() if _snapshot(state) != self.before[state.pk]])
        insert_returning(self.new)


def _states_update(states: list[RuleState]) -> None:
    if not states:
        return
    meta, fields = RuleState._meta, _state_fields()
    connection = connections[router.db_for_write(RuleState) or "default"]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    where = quote(str(meta.pk.column)) if meta.pk is not None else "id"
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {where} = %s"  # noqa: S608 - the model's own table
    prepare = preparers(fields, connection)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[p(state) for p in prepare] + [state.pk] for state in states])


def _open_states(stream_ids: list[int]) -> dict[tuple[int, int], RuleState]:
    """The open states on these Datastreams, locked for the batch's transaction where the database can (FOR
    UPDATE). Raw SQL: the ORM's compiling of an IN of a thousand ids cost more than the rest of the rules' work
    on a batch of 1,000 MQTT messages (issue 14 "Speed"). On PostgreSQL the ids go as one array (`= ANY(%s)`):
    psycopg splits a query with a thousand placeholders and quotes each value on every call (no statement cache
    past 50 parameters), where one array is one parameter."""
    meta = RuleState._meta
    connection = connections[router.db_for_read(RuleState) or "default"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in meta.concrete_fields)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    head = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE state IN (%s, %s) AND datastream_id"  # noqa: S608
    found: dict[tuple[int, int], RuleState] = {}
    queries: list[tuple[str, list[Any]]]
    if connection.vendor == "postgresql":
        queries = [(f"{head} = ANY(%s){lock}", [PENDING, FIRING, stream_ids])]
    else:
        chunks = [stream_ids[start : start + _OPEN_CHUNK] for start in range(0, len(stream_ids), _OPEN_CHUNK)]
        queries = [
            (f"{head} IN ({', '.join(['%s'] * len(chunk))}){lock}", [PENDING, FIRING, *chunk]) for chunk in chunks
        ]
    for sql, params in queries:
        for state in RuleState.objects.raw(sql, params):
            found[(state.rule_id, state.datastream_id)] = state
    return found


def _step(
    state: RuleState | None, spec: RuleSpec, source: Source, sample: Sample, now: dt.datetime, judged: Judged
) -> RuleState | None:
    """One reading through the state machine; returns the open state after it (None: none open). Writes
    nothing: a state it opens joins `judged.new`, and `judged.write()` stores the batch's states."""
    at, value = sample
    if state is not None and state.last_time is not None and at < state.last_time:
        return state  # an older reading than one already judged
    if state is not None and state.reason == NO_DATA:
        _resolve(state, spec, source, at)
        state = None
    if state is None:
        if not holds(spec.raise_op, value, spec.raise_value):
            return None
        state = RuleState(rule_id=spec.pk, datastream_id=source.pk, state=PENDING, started_at=at, matches=0)
        if spec.for_seconds:
            state.due_at = at + spec.for_duration
        judged.new.append(state)
    state.last_value, state.last_time = value, at
    if state.state == PENDING:
        if holds(spec.raise_op, value, spec.raise_value):
            state.matches += 1
            if _ready(state, spec, at):
                _fire(state, spec, source, at, now)
        else:
            _resolve(state, spec, source, at)
    elif holds(spec.clear_op, value, spec.clear_value):
        _resolve(state, spec, source, at)
    return state if state.state in RULE_OPEN_STATES else None


def _may_raise(spec: RuleSpec, high: float, low: float) -> bool:
    """Whether any of a batch's readings (their highest and lowest) meets the rule's raise condition."""
    return holds(spec.raise_op, high if spec.raise_op in (">", ">=") else low, spec.raise_value)


def _judge_stream(
    index: RuleIndex,
    stream_id: int,
    found: list[Sample],
    judged: Judged,
    windowed: dict[tuple[int, int], list[Sample]],
    now: dt.datetime,
) -> None:
    """A Datastream's new readings through each rule that watches it. A rule with no open state here whose raise
    condition no reading meets is skipped: the state machine would open nothing and write nothing (a windowed
    rule's aggregate is not a reading, so it is always judged)."""
    values = [value for _at, value in found]
    high, low = max(values), min(values)
    source, ordered = index.sources[stream_id], None
    for rule_id in index.by_stream[stream_id]:
        spec, state = index.rules[rule_id], judged.open.get((rule_id, stream_id))
        if state is None and not spec.window_seconds and not _may_raise(spec, high, low):
            continue
        ordered = ordered or sorted(found)
        series = _windowed(spec, stream_id, ordered, windowed) if spec.window_seconds else ordered
        for sample in series:
            state = _step(state, spec, source, sample, now, judged)


def rules_evaluate(*, samples: dict[int, list[Sample]], now: dt.datetime | None = None) -> int:
    """R4.1: each watched Datastream's new readings, in time order, through each of its rules; called inside the
    transaction that stores the batch. The open states of the batch's Datastreams are read in one go, the
    streams with none whose readings stay clear of every raise level are passed over, and only the states that
    changed are written, together, before the batch's hand-offs reach the inbox (issue 14 "Speed"). Returns how
    many (rule, source) pairs the batch's readings concerned."""
    if not samples:
        return 0
    now = now or timezone.now()
    index = rule_index()
    watched = [sid for sid, found in samples.items() if found and sid in index.by_stream]
    if not watched:
        return 0
    judged = Judged(_open_states(watched))
    windowed: dict[tuple[int, int], list[Sample]] = {}
    with _batched():  # the batch's alerts reach the inbox together, in order, after its states are written
        for stream_id in watched:
            _judge_stream(index, stream_id, samples[stream_id], judged, windowed, now)
        judged.write()
    return sum(len(index.by_stream[sid]) for sid in watched)


def _history(stream_id: int, since: dt.datetime, until: dt.datetime) -> list[Sample]:
    """The stored numeric readings of a Datastream in (since, until] (the batch's own rows are already stored)."""
    rows = Observation.objects.filter(
        datastream_id=stream_id, phenomenon_time__gt=since, phenomenon_time__lte=until, result_number__isnull=False
    ).values_list("phenomenon_time", "result_number")
    return [(at, float(value)) for at, value in rows if value is not None]


def _windowed(
    spec: RuleSpec, stream_id: int, samples: list[Sample], cache: dict[tuple[int, int], list[Sample]]
) -> list[Sample]:
    """A windowed rule judges, at each new reading's time, the aggregate of the window ending there (R4.1: the
    24-hour rain total), from the stored readings; one query per Datastream and window length."""
    if not samples:
        return []
    key = (stream_id, spec.window_seconds)
    if key not in cache:
        since = samples[0][0] - dt.timedelta(seconds=spec.window_seconds)
        cache[key] = _history(stream_id, since, samples[-1][0])
    return window_values(spec, cache[key], [at for at, _v in samples])


# --- the sweep: durable work by due time ---------------------------------------------------------------------


def _due_timers(index: RuleIndex, now: dt.datetime) -> int:
    fired = 0
    due = RuleState.objects.select_for_update().filter(state=PENDING, due_at__lte=now).order_by("due_at")
    for state in due:
        spec, source = index.rules.get(state.rule_id), index.sources.get(state.datastream_id)
        if spec is None or source is None or state.matches < spec.repeat_count:
            continue
        _fire(state, spec, source, state.due_at or now, now)
        state.save()
        fired += 1
    return fired


def _unsilenced(index: RuleIndex, now: dt.datetime) -> int:
    raised = 0
    for state in RuleState.objects.select_for_update().filter(state=FIRING, alert_raised=False):
        spec, source = index.rules.get(state.rule_id), index.sources.get(state.datastream_id)
        if spec is None or source is None:
            continue
        _hand_off(state, spec, source, now)
        state.save(update_fields=["silenced", "alert_raised"])
        raised += int(state.alert_raised)
    return raised


def _no_data(index: RuleIndex, now: dt.datetime) -> int:
    """No data for N × the expected interval: the due time is the Datastream's latest time plus that window."""
    found = 0
    for spec in index.rules.values():
        if not spec.no_data_intervals:
            continue
        streams = [sid for sid, rules in index.by_stream.items() if spec.pk in rules]
        opened = RuleState.objects.filter(rule_id=spec.pk, datastream=OuterRef("pk"), state__in=RULE_OPEN_STATES)
        silent = Datastream.objects.filter(latest_time__lt=now - spec.no_data_after, pk__in=streams).exclude(
            Exists(opened)
        )
        for stream_id, latest in silent.values_list("pk", "latest_time"):
            state = RuleState(
                rule_id=spec.pk, datastream_id=stream_id, state=PENDING, reason=NO_DATA, started_at=latest or now
            )
            _fire(state, spec, index.sources[stream_id], now, now)
            state.save()
            found += 1
    return found


def _windows(index: RuleIndex, now: dt.datetime) -> int:
    """Windowed rules move with the clock as old readings leave the window: an open state whose window total at
    `now` meets the clear condition (firing) or no longer meets the raise condition (pending) resolves."""
    ended = 0
    windowed = [spec.pk for spec in index.rules.values() if spec.window_seconds]
    states = RuleState.objects.select_for_update().filter(
        state__in=RULE_OPEN_STATES, reason=THRESHOLD, rule_id__in=windowed
    )
    for state in states.order_by("pk"):
        spec, source = index.rules[state.rule_id], index.sources.get(state.datastream_id)
        if source is None:
            continue
        since = now - dt.timedelta(seconds=spec.window_seconds)
        found = window_values(spec, _history(source.pk, since, now), [now])
        if not found or (state.last_time is not None and state.last_time >= now):
            continue
        value = found[0][1]
        cleared = holds(spec.clear_op, value, spec.clear_value)
        if cleared if state.state == FIRING else not holds(spec.raise_op, value, spec.raise_value):
            state.last_value = value
            _resolve(state, spec, source, now)
            state.save()
            ended += 1
    return ended


@transaction.atomic
def rules_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """R4.1 (DESIGN "Durable work"): pending *for* timers whose due time has come fire; rules whose sources sent
    nothing for N × their expected interval fire as "no data"; firing states whose silence has ended reach the
    inbox; windowed rules (the 24-hour rain total) are judged again at `now`, first, so a total that fell back
    ends its episode. Selected by state and due time; safe to run twice."""
    now = now or timezone.now()
    index = rule_index()
    windows = _windows(index, now)
    return {
        "windows": windows,
        "timers": _due_timers(index, now),
        "no_data": _no_data(index, now),
        "unsilenced": _unsilenced(index, now),
    }


def state_payload(state: RuleState) -> dict[str, Any]:
    return {"rule": state.rule_id, "datastream": state.datastream_id, "state": state.state, "value": state.last_value}
