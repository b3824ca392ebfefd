"""The SensorThings MQTT extension's create path (R5.5): observations published on
`v1.1/Datastreams(<id>)/Observations` are stored in batches.

A `Bridge` takes messages from paho's network thread (`on_message` only queues them) and, on its own thread,
commits them in batches of at most `batch_max` messages or `batch_seconds`. With `manual_ack=True` each QoS 1
message is acknowledged only after its batch commits (`client.ack` queues the PUBACK, which paho's network
thread sends); a crash before the commit leaves the messages unacknowledged, and the broker delivers them
again. A garbled message, an unknown Datastream or a result of the wrong type is a counted, logged rejection,
acknowledged so that it is not redelivered forever; the bridge keeps running. A message redelivered after its
batch committed (the bridge died before its PUBACKs left) is recognised by its key and not stored twice
(`services/receipts.py`). Several bridges share the topics
through an MQTT 5 shared subscription (`$share/<group>/v1.1/+/Observations`), each message to one of them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError

from ioc.common.plaintext import JSON_NUL_MESSAGE, json_has_nul
from ioc.sensors.choices import OM
from ioc.sensors.drafts import Draft, DraftError, Ref, numeric_result, parse_draft, parse_time
from ioc.sensors.models import Datastream
from ioc.sensors.publish import is_server_echo
from ioc.sensors.services import ObservationRow, check_result, observations_ingest
from ioc.sensors.services.observations import generated_features

log = logging.getLogger("ioc.sensors.mqtt")

TOPIC = re.compile(r"v1\.1/Datastreams\((?P<id>\d+|'[^'/]+')\)/Observations")
# MQTT wildcards take a whole topic level, so `Datastreams(+)` is no valid filter: the bridge subscribes to
# `v1.1/+/Observations` and refuses any topic but `v1.1/Datastreams(<id>)/Observations` (a counted rejection).
SUBSCRIPTION = "v1.1/+/Observations"
PAYLOAD_MAX = 64 * 1024


def shared_subscription(group: str) -> str:
    return f"$share/{group}/{SUBSCRIPTION}" if group else SUBSCRIPTION


@dataclass
class Counters:
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0
    batches: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def reject(self, reason: str) -> None:
        self.rejected += 1
        key = reason.split(":", 1)[0][:60]
        self.reasons[key] = self.reasons.get(key, 0) + 1


def _stream_key(topic: str) -> int | str:
    match = TOPIC.fullmatch(topic)
    if match is None:
        raise DraftError(f"topic: không phải Datastreams(id)/Observations / not an Observations topic: {topic[:80]}")
    text = match["id"]
    return int(text) if text.isdigit() else text.strip("'")


def parse_message(topic: str, payload: bytes) -> tuple[int | str, ObservationRow]:
    """(the Datastream id, the validated row); DraftError for anything else."""
    key = _stream_key(topic)
    if len(payload) > PAYLOAD_MAX:
        raise DraftError(f"payload: quá lớn / too large (> {PAYLOAD_MAX} bytes)")
    if json_has_nul(payload):
        raise DraftError(f"payload: {JSON_NUL_MESSAGE}")
    try:
        body = json.loads(payload.decode("utf-8-sig"))  # strict: no UTF-16, no raw surrogate bytes
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        raise DraftError("payload: không phải JSON / not JSON") from None
    plain = _plain_row(body)
    if plain is not None:
        return key, plain
    draft = parse_draft("Observations", body, given_links=frozenset({"Datastream"}))
    if "Datastream" in draft.links:
        raise DraftError("Datastream: lấy từ chủ đề, không nêu trong nội dung / taken from the topic")
    return key, ObservationRow(draft.fields, _feature(draft))


_PLAIN = frozenset({"phenomenonTime", "result"})
_ZERO = dt.timedelta(0)


def _plain_row(body: Any) -> ObservationRow | None:
    """Issue 11 "Speed": the common message, `{"phenomenonTime": <an instant>, "result": <a value>}`, without the
    general parser: the same time check (`parse_time`), and the instant's UTC text as SQLite stores it, so the
    insert and the receipt key need no more formatting. None for anything else (the general parser judges it)."""
    if type(body) is not dict or body.keys() != _PLAIN:
        return None
    when, result = body["phenomenonTime"], body["result"]
    if type(when) is not str or "/" in when or result is None:
        return None
    at = parse_time(when, "phenomenonTime")
    utc = at if at.utcoffset() == _ZERO else at.astimezone(dt.UTC)
    fields = {
        "phenomenon_time": at,
        "phenomenon_time_end": None,
        "result": result,
        "result_number": numeric_result(result),
    }
    return ObservationRow(fields, None, utc.replace(tzinfo=None).isoformat(" "))


def _feature(draft: Draft) -> int | str | None:
    links = draft.links.get("FeatureOfInterest")
    if not links:
        return None
    if not isinstance(links[0], Ref):
        raise DraftError("FeatureOfInterest: qua MQTT chỉ nêu @iot.id / over MQTT by @iot.id only")
    return links[0].key


@dataclass
class StreamCache:
    """The Datastreams messages name (by numeric or string id) and each one's generated FeatureOfInterest, kept
    between batches for `ttl` seconds (a changed observationType or a new Location is seen after at most that),
    and dropped whole when a batch's insert fails (a Datastream or FeatureOfInterest deleted meanwhile)."""

    ttl: float = 60.0
    streams: dict[int | str, Datastream] = field(default_factory=dict)
    features: dict[int, int] = field(default_factory=dict)
    loaded_at: float = field(default_factory=time.monotonic)

    def clear(self) -> None:
        self.streams.clear()
        self.features.clear()
        self.loaded_at = time.monotonic()

    def lookup(self, keys: set[int | str]) -> dict[int | str, Datastream]:
        """The known Datastreams among `keys` (unknown ones are looked up again next time: one may be created)."""
        if time.monotonic() - self.loaded_at > self.ttl:
            self.clear()
        missing = keys - self.streams.keys()
        if missing:
            self.streams.update(_streams(missing))
            found = [self.streams[k] for k in missing if k in self.streams]
            self.features.update(generated_features(found))
        return {key: self.streams[key] for key in keys if key in self.streams}


def _streams(keys: set[int | str]) -> dict[int | str, Datastream]:
    numbers = [k for k in keys if isinstance(k, int)]
    names = [k for k in keys if isinstance(k, str)]
    found: dict[int | str, Datastream] = {}
    streams = Datastream.objects.select_related("thing").only(
        "pk", "ext_id", "thing_id", "observation_type", "thing__agency_id"
    )  # `feature_for` reads the Thing
    if numbers:
        for stream in streams.filter(pk__in=numbers):
            found[stream.pk] = stream
    if names:
        for stream in streams.filter(ext_id__in=names):
            found[str(stream.ext_id)] = stream
    return found


Grouped = dict[int, tuple[Datastream, list[tuple[Any, ObservationRow]]]]


class Bridge:
    """Batches, commits and acknowledges (see the module docstring)."""

    def __init__(self, *, actor: Any, batch_max: int = 1000, batch_seconds: float = 0.2) -> None:
        self.actor = actor
        self.batch_max = batch_max
        self.batch_seconds = batch_seconds
        self.inbox: deque[tuple[Any, Any]] = deque()
        self.arrived = threading.Event()
        self.counters = Counters()
        self.cache = StreamCache()
        self._failed = 0  # messages of the batch in progress rejected by the store (`_store`)

    def on_message(self, client: Any, userdata: Any, message: Any) -> None:
        """paho's network thread: queue only; wake the batch thread for the first message and a full batch."""
        self.inbox.append((client, message))
        size = len(self.inbox)
        if size == 1 or size >= self.batch_max:
            self.arrived.set()

    def _wait(self, seconds: float) -> None:
        self.arrived.clear()
        if not self.inbox or len(self.inbox) >= self.batch_max:
            return  # nothing to wait for: empty (the caller waits for the first) or full
        self.arrived.wait(seconds)

    def _collect(self, wait: float) -> list[tuple[Any, Any]]:
        """A batch: wait up to `wait` for a first message, then up to `batch_seconds` more or until `batch_max`;
        woken only for those two events, not for each message."""
        if not self.inbox:
            self.arrived.clear()
            if not self.inbox and not self.arrived.wait(wait):
                return []
        deadline = time.monotonic() + self.batch_seconds
        while len(self.inbox) < self.batch_max and (left := deadline - time.monotonic()) > 0:
            self._wait(left)
        take = min(len(self.inbox), self.batch_max)
        return [self.inbox.popleft() for _ in range(take)]

    def run_once(self, wait: float = 0.5) -> int:
        """One batch: parse, check, commit, then acknowledge every message of it. Returns messages handled."""
        batch = self.take(wait)
        if batch:
            self.commit(batch)
            self.acknowledge(batch)
        return len(batch)

    def take(self, wait: float = 0.5) -> list[tuple[Any, Any]]:
        """The next batch from the inbox (empty after `wait` seconds without a message)."""
        return self._collect(wait)

    def commit(self, batch: list[tuple[Any, Any]]) -> None:
        """Validate and store a batch in one transaction. Messages stored by an earlier delivery are counted as
        duplicates, not stored again (`receipts_claim`). A failed insert (a concurrent bridge claiming the same
        keys first, a Datastream deleted since it was cached) drops the cache and is retried once. A batch that
        still fails on its content (a FeatureOfInterest that does not exist, a Thing without a Location) is
        stored Datastream by Datastream, then row by row, and only the failing messages are rejected."""
        grouped = self._validate(batch)
        if grouped:
            submitted = sum(len(rows) for _stream, rows in grouped.values())
            stored = self._store(grouped)
            self.counters.stored += stored
            self.counters.duplicates += submitted - stored - self._failed
        self.counters.batches += 1

    def _store(self, grouped: Grouped) -> int:
        self._failed = 0
        try:
            return self._ingest(list(grouped.values()))
        except IntegrityError:  # a concurrent bridge's receipts, or a Datastream or feature deleted since cached
            self.cache.clear()
            grouped = self._refresh(grouped)
        except DraftError:
            return self._store_each(grouped)
        try:
            return self._ingest(list(grouped.values()))
        except DraftError:
            return self._store_each(grouped)

    def _refresh(self, grouped: Grouped) -> Grouped:
        """The batch with its Datastreams read again; the messages of one that is gone are rejected."""
        fresh = self.cache.lookup(set(grouped))
        kept: Grouped = {}
        for pk, (_stream, pairs) in grouped.items():
            if pk in fresh:
                kept[pk] = (fresh[pk], pairs)
                continue
            for key, _row in pairs:
                self._failed += 1
                self._rejected(f"Datastreams({key})", f"Datastream: không tồn tại / unknown Datastream {key}")
        return kept

    def _store_each(self, grouped: Grouped) -> int:
        """Datastream by Datastream, then row by row within one that fails: only failing messages are rejected."""
        stored = 0
        for stream, pairs in grouped.values():
            try:
                stored += self._ingest([(stream, pairs)])
                continue
            except DraftError:
                pass
            for pair in pairs:
                try:
                    stored += self._ingest([(stream, [pair])])
                except DraftError as exc:
                    self._failed += 1
                    self._rejected(f"Datastreams({pair[0]})", str(exc))
        return stored

    def _ingest(self, groups: list[tuple[Datastream, list[tuple[Any, ObservationRow]]]]) -> int:
        batches = [(stream, [row for _key, row in pairs]) for stream, pairs in groups]
        stored = observations_ingest(actor=self.actor, batches=batches, features=self.cache.features)
        made = [stream for stream, _rows in batches if stream.pk not in self.cache.features]
        if made:  # `feature_for` made their FeatureOfInterest in this batch: the next ones reuse it
            self.cache.features.update(generated_features(made))
        return stored

    @staticmethod
    def acknowledge(batch: list[tuple[Any, Any]]) -> None:
        """After the commit: a crash before this leaves the messages unacknowledged (redelivered, then deduplicated)."""
        for client, message in batch:
            if getattr(message, "qos", 0) > 0:
                client.ack(message.mid, message.qos)

    def _validate(self, batch: list[tuple[Any, Any]]) -> Grouped:
        parsed: list[tuple[int | str, ObservationRow]] = []
        for _client, message in batch:
            if message.properties is not None and is_server_echo(message):
                continue  # an observation this server published back: acknowledged, not stored again
            try:
                parsed.append(parse_message(message.topic, message.payload))
            except DraftError as exc:
                self._rejected(message.topic, str(exc))
        streams = self.cache.lookup({key for key, _row in parsed})
        grouped: Grouped = {}
        checked: dict[int, bool] = {}
        for key, row in parsed:
            stream = streams.get(key)
            try:
                if stream is None:
                    raise DraftError(f"Datastream: không tồn tại / unknown Datastream {key}")
                _check(stream, row, checked)
            except DraftError as exc:
                self._rejected(f"Datastreams({key})", str(exc))
                continue
            grouped.setdefault(stream.pk, (stream, []))[1].append((key, row))
        return grouped

    def _rejected(self, topic: str, reason: str) -> None:
        self.counters.reject(reason)
        log.warning("mqtt_bridge: rejected a message on %s: %s", topic[:120], reason)


MEASUREMENT = OM + "OM_Measurement"


def _check(stream: Datastream, row: ObservationRow, measurement: dict[int, bool]) -> None:
    """`check_result`; a finite number on a Measurement Datastream needs no more."""
    if stream.pk not in measurement:
        measurement[stream.pk] = stream.observation_type == MEASUREMENT
    if measurement[stream.pk] and row.fields.get("result_number") is not None:
        return
    check_result(stream, row.fields.get("result"))
