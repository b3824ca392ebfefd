"""The rules evaluated on each batch (R4.1, R5.5; DESIGN "Hot paths"): a per-process snapshot of the active rules
and, for each Datastream, the rules that watch it, kept in a `RefCache` dropped by every service that changes
rules or Datastreams. Read by `services.rule_eval` and by the selectors (bands, previews)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ioc.common.periods import LOCAL_TZ
from ioc.common.refcache import RefCache
from ioc.geo.selectors import area_from_unit, point_ids_in_area
from ioc.sensors.models import AlertRule, Datastream, Location
from ioc.sensors.rule_areas import area_of
from ioc.sensors.rules_catalogue import property_of

RULES: RefCache[RuleIndex] = RefCache("sensors.rules")


@dataclass(frozen=True)
class RuleSpec:
    """What evaluation needs of a rule (a frozen copy; never changed by callers)."""

    pk: int
    code: str
    name: str
    prop: str
    kind: str
    severity: int
    raise_op: str
    raise_value: float
    clear_op: str
    clear_value: float
    for_seconds: int
    repeat_count: int
    no_data_intervals: int
    expected_interval_seconds: int
    labels: dict[str, str]
    window_seconds: int = 0
    aggregate: str = "sum"

    @property
    def for_duration(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.for_seconds)

    @property
    def no_data_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.no_data_intervals * self.expected_interval_seconds)


@dataclass(frozen=True)
class Source:
    """A Datastream as a rule source: its Thing, owner agency and place."""

    pk: int
    name: str
    thing_id: int
    agency_id: int
    lat: float | None
    lon: float | None
    located: bool = False  # the Location lies in a 2025 commune (else the alert carries no point)


@dataclass
class RuleIndex:
    rules: dict[int, RuleSpec] = field(default_factory=dict)
    by_stream: dict[int, list[int]] = field(default_factory=dict)
    sources: dict[int, Source] = field(default_factory=dict)


def holds(op: str, value: float, threshold: float) -> bool:
    """Whether `value op threshold` holds."""
    if op == ">":
        return value > threshold
    if op == ">=":
        return value >= threshold
    if op == "<":
        return value < threshold
    return value <= threshold


def spec_of(rule: AlertRule) -> RuleSpec:
    return RuleSpec(
        rule.pk,
        rule.code,
        rule.name,
        rule.observed_property,
        rule.kind,
        rule.severity,
        rule.raise_op,
        rule.raise_value,
        rule.clear_op,
        rule.clear_value,
        rule.for_seconds,
        rule.repeat_count,
        rule.no_data_intervals,
        rule.expected_interval_seconds,
        {str(k): str(v) for k, v in (rule.labels or {}).items()},
        rule.window_seconds,
        rule.aggregate,
    )


def _stream_properties() -> dict[int, str]:
    """Each Datastream's property key (by its ObservedProperty's definition or name)."""
    found: dict[int, str] = {}
    for pk, definition, name in Datastream.objects.values_list(
        "pk", "observed_property__definition", "observed_property__name"
    ):
        key = property_of(definition=definition, name=name)
        if key is not None:
            found[pk] = key
    return found


def _in_area(rule: AlertRule, candidates: list[int]) -> list[int]:
    """The candidates whose Thing's Location lies in the rule's commune or its drawn or circular area."""
    area = area_from_unit(rule.unit) if rule.unit else area_of(rule.area)
    if area is None:
        return candidates
    locations = Location.objects.filter(things__datastreams__in=candidates, lat__isnull=False)
    inside = set(point_ids_in_area(locations, area))
    rows = Datastream.objects.filter(pk__in=candidates, thing__locations__in=inside).values_list("pk", flat=True)
    return sorted(set(rows))


def _load() -> RuleIndex:
    index = RuleIndex()
    properties = _stream_properties()
    by_stream: dict[int, list[int]] = defaultdict(list)
    rules = AlertRule.objects.filter(is_active=True).select_related("unit").prefetch_related("datastreams")
    for rule in rules.order_by("pk"):
        index.rules[rule.pk] = spec_of(rule)
        chosen = [s.pk for s in rule.datastreams.all()]
        streams = chosen or [pk for pk, prop in properties.items() if prop == rule.observed_property]
        if (rule.unit_id is not None or rule.area) and streams:
            streams = _in_area(rule, streams)
        for stream_id in streams:
            by_stream[stream_id].append(rule.pk)
    index.by_stream = dict(by_stream)
    for row in Datastream.objects.filter(pk__in=index.by_stream).values(
        "pk",
        "name",
        "thing_id",
        "thing__agency_id",
        "thing__locations__lat",
        "thing__locations__lon",
        "thing__locations__unit_id",
    ):
        index.sources.setdefault(
            row["pk"],
            Source(
                row["pk"],
                row["name"],
                row["thing_id"],
                row["thing__agency_id"],
                row["thing__locations__lat"],
                row["thing__locations__lon"],
                row["thing__locations__unit_id"] is not None,
            ),
        )
    return index


def rule_index() -> RuleIndex:
    """R4.1: the active rules and the Datastreams each watches (loaded once per process until a change)."""
    return RULES.get("index", _load)


def labels_of(spec: RuleSpec, source: Source) -> dict[str, str]:
    """The labels of a rule state: the built-in ones, then the rule's own."""
    builtin = {
        "rule": spec.code,
        "property": spec.prop,
        "severity": str(spec.severity),
        "kind": spec.kind,
        "thing": str(source.thing_id),
        "datastream": str(source.pk),
        "agency": str(source.agency_id),
    }
    return {**builtin, **spec.labels}


def in_schedule(at: dt.datetime, weekdays: Any, start: dt.time | None, end: dt.time | None) -> bool:
    """R4.1: whether a recurring window's slot holds `at`: `start`–`end` in Asia/Ho_Chi_Minh wall time (no DST) on
    `weekdays` (Monday 0 … Sunday 6; empty: every day). An end at or before the start runs past midnight: the
    slot begins on a listed day and ends on the next. No daily times: the whole window."""
    if start is None or end is None:
        return True
    local = at.astimezone(LOCAL_TZ)
    days = {int(d) for d in weekdays} if weekdays else set(range(7))
    clock = local.time()
    if start < end:
        return local.weekday() in days and start <= clock < end
    if clock >= start:
        return local.weekday() in days
    return clock < end and (local.weekday() - 1) % 7 in days


def matches(matchers: Any, labels: dict[str, str]) -> bool:
    """A silence's matchers (label → value, all must be equal) against a state's labels."""
    if not isinstance(matchers, dict) or not matchers:
        return False
    return all(labels.get(str(k)) == str(v) for k, v in matchers.items())


def window_values(
    spec: RuleSpec, readings: list[tuple[dt.datetime, float]], at: list[dt.datetime]
) -> list[tuple[dt.datetime, float]]:
    """R4.1: a windowed rule's value at each instant of `at`: the aggregate (sum, mean, max) of the `readings` in
    (instant − window, instant] — the 24-hour rain total; an empty window is 0 (sum, max) or skipped (mean)."""
    ordered = sorted(readings)
    times = [t for t, _v in ordered]
    values = [v for _t, v in ordered]
    prefix = [0.0]
    for value in values:
        prefix.append(prefix[-1] + value)
    window = dt.timedelta(seconds=spec.window_seconds)
    found: list[tuple[dt.datetime, float]] = []
    for instant in at:
        lo, hi = bisect.bisect_right(times, instant - window), bisect.bisect_right(times, instant)
        if spec.aggregate == "max":
            found.append((instant, max(values[lo:hi], default=0.0)))
        elif spec.aggregate == "mean":
            if hi > lo:
                found.append((instant, (prefix[hi] - prefix[lo]) / (hi - lo)))
        else:
            found.append((instant, prefix[hi] - prefix[lo]))
    return found


def replay(spec: RuleSpec, samples: list[tuple[dt.datetime, float]]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """R4.1 (the rules page's preview): when the rule would have fired and cleared over past readings, with the
    same *for* duration, repeat count, window and hysteresis as the live evaluation; nothing is written."""
    if spec.window_seconds:
        samples = window_values(spec, samples, sorted({at for at, _v in samples}))
    episodes: list[tuple[dt.datetime, dt.datetime | None]] = []
    started: dt.datetime | None = None
    count = 0
    fired: dt.datetime | None = None
    for at, value in sorted(samples):
        if fired is not None:
            if holds(spec.clear_op, value, spec.clear_value):
                episodes.append((fired, at))
                fired, started, count = None, None, 0
            continue
        if not holds(spec.raise_op, value, spec.raise_value):
            started, count = None, 0
            continue
        started, count = started or at, count + 1
        if count >= spec.repeat_count and at - started >= spec.for_duration:
            fired = at
    if fired is not None:
        episodes.append((fired, None))
    return episodes
