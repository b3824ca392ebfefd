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

import json
import logging
import queue
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError

from ioc.sensors.drafts import Draft, DraftError, Ref, parse_draft
from ioc.sensors.models import Datastream
from ioc.sensors.publish import is_server_echo
from ioc.sensors.services import ObservationRow, check_result, observations_ingest

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
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        raise DraftError("payload: không phải JSON / not JSON") from None
    draft = parse_draft("Observations", body, given_links=frozenset({"Datastream"}))
    if "Datastream" in draft.links:
        raise DraftError("Datastream: lấy từ chủ đề, không nêu trong nội dung / taken from the topic")
    return key, ObservationRow(draft.fields, _feature(draft))


def _feature(draft: Draft) -> int | str | None:
    links = draft.links.get("FeatureOfInterest")
    if not links:
        return None
    if not isinstance(links[0], Ref):
        raise DraftError("FeatureOfInterest: qua MQTT chỉ nêu @iot.id / over MQTT by @iot.id only")
    return links[0].key


class Bridge:
    """Batches, commits and acknowledges (see the module docstring)."""

    def __init__(self, *, actor: Any, batch_max: int = 1000, batch_seconds: float = 0.2) -> None:
        self.actor = actor
        self.batch_max = batch_max
        self.batch_seconds = batch_seconds
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.counters = Counters()

    def on_message(self, client: Any, userdata: Any, message: Any) -> None:
        """paho's network thread: queue only."""
        self.inbox.put((client, message))

    def _collect(self, wait: float) -> list[tuple[Any, Any]]:
        try:
            batch = [self.inbox.get(timeout=wait)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.batch_seconds
        while len(batch) < self.batch_max and (left := deadline - time.monotonic()) > 0:
            try:
                batch.append(self.inbox.get(timeout=left))
            except queue.Empty:
                break
        return batch

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
        duplicates, not stored again (`receipts_claim`). A concurrent bridge claiming the same keys first makes
        the transaction fail once: it is retried, and then finds their receipts."""
        grouped = self._validate(batch)
        if grouped:
            submitted = sum(len(rows) for _stream, rows in grouped.values())
            try:
                stored = observations_ingest(actor=self.actor, batches=list(grouped.values()))
            except IntegrityError:
                stored = observations_ingest(actor=self.actor, batches=list(grouped.values()))
            self.counters.stored += stored
            self.counters.duplicates += submitted - stored
        self.counters.batches += 1

    @staticmethod
    def acknowledge(batch: list[tuple[Any, Any]]) -> None:
        """After the commit: a crash before this leaves the messages unacknowledged (redelivered, then deduplicated)."""
        for client, message in batch:
            if getattr(message, "qos", 0) > 0:
                client.ack(message.mid, message.qos)

    def _validate(self, batch: list[tuple[Any, Any]]) -> dict[int, tuple[Datastream, list[ObservationRow]]]:
        parsed: list[tuple[int | str, ObservationRow]] = []
        for _client, message in batch:
            if is_server_echo(message):
                continue  # an observation this server published back: acknowledged, not stored again
            try:
                parsed.append(parse_message(message.topic, message.payload))
            except DraftError as exc:
                self._rejected(message.topic, str(exc))
        streams = self._streams({key for key, _row in parsed})
        grouped: dict[int, tuple[Datastream, list[ObservationRow]]] = {}
        for key, row in parsed:
            stream = streams.get(key)
            try:
                if stream is None:
                    raise DraftError(f"Datastream: không tồn tại / unknown Datastream {key}")
                check_result(stream, row.fields.get("result"))
            except DraftError as exc:
                self._rejected(f"Datastreams({key})", str(exc))
                continue
            grouped.setdefault(stream.pk, (stream, []))[1].append(row)
        return grouped

    @staticmethod
    def _streams(keys: set[int | str]) -> dict[int | str, Datastream]:
        numbers = [k for k in keys if isinstance(k, int)]
        names = [k for k in keys if isinstance(k, str)]
        found: dict[int | str, Datastream] = {}
        streams = Datastream.objects.select_related("thing")  # `feature_for` reads the Thing
        for stream in streams.filter(pk__in=numbers):
            found[stream.pk] = stream
        for stream in streams.filter(ext_id__in=names):
            found[str(stream.ext_id)] = stream
        return found

    def _rejected(self, topic: str, reason: str) -> None:
        self.counters.reject(reason)
        log.warning("mqtt_bridge: rejected a message on %s: %s", topic[:120], reason)
