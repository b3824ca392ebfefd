"""Exactly-once storage of MQTT observations (R5.5; docs/decisions/0007 "Duplicate window").

The bridge acknowledges a batch's messages after its commit; a bridge killed between the two gets them
redelivered. Each MQTT row with a `phenomenonTime` has a key, a digest of its Datastream and all its fields; the
batch's transaction stores the keys (`ObservationReceipt`) with the observations and leaves out rows whose key is
already there or earlier in the same batch. A row published without a `phenomenonTime` is stamped with the
server's time on arrival: it has no key (at-least-once, as before), since two such messages with the same result
are indistinguishable from one message delivered twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from ioc.audit.services import audit_record
from ioc.sensors.models import Datastream, ObservationReceipt
from ioc.sensors.services._base import ObservationRow

if TYPE_CHECKING:
    from ioc.accounts.models import User

# Longer than the bridge's MQTT session expiry (a day, `mqtt_bridge.SESSION_EXPIRY_S`): after it the broker has
# dropped whatever it still held for a dead bridge, so no redelivery can be older than this.
RECEIPT_DAYS = 3
_CHUNK = 500  # keys per IN (…) query, under every backend's parameter limit


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()  # the same instant in any offset is the same key
    return str(value)


def row_key(stream_id: int, row: ObservationRow) -> str | None:
    """The row's idempotence key (32 hex digits), or None for a row without a `phenomenonTime`."""
    if row.fields.get("phenomenon_time") is None:
        return None
    text = json.dumps([stream_id, row.fields, row.feature], sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def receipts_claim(
    batches: list[tuple[Datastream, list[ObservationRow]]], now: dt.datetime
) -> list[tuple[Datastream, list[ObservationRow]]]:
    """Inside the caller's transaction: the batches without the rows already stored (their key has a receipt)
    or repeated within the batch; the new keys' receipts are written. A concurrent bridge that claimed the same
    key first makes the insert fail (primary key): the caller's transaction rolls back, nothing is acknowledged,
    and the retry finds the receipt."""
    keyed: list[tuple[Datastream, list[tuple[str | None, ObservationRow]]]] = [
        (stream, [(row_key(stream.pk, row), row) for row in rows]) for stream, rows in batches
    ]
    keys = [key for _stream, pairs in keyed for key, _row in pairs if key is not None]
    seen: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        seen.update(ObservationReceipt.objects.filter(key__in=chunk).values_list("key", flat=True))
    kept: list[tuple[Datastream, list[ObservationRow]]] = []
    fresh: list[str] = []
    for stream, pairs in keyed:
        rows: list[ObservationRow] = []
        for key, row in pairs:
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
                fresh.append(key)
            rows.append(row)
        if rows:
            kept.append((stream, rows))
    _insert(fresh, now)
    return kept


def _insert(keys: list[str], now: dt.datetime) -> None:
    """One executemany (a `bulk_create` of 1,000 receipts cost as much as the observations' own insert)."""
    if not keys:
        return
    table = connection.ops.quote_name(ObservationReceipt._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (key, received_at) VALUES (%s, %s)", [(k, when) for k in keys])  # noqa: S608 - own table


@transaction.atomic
def observation_receipts_prune(*, actor: User, now: dt.datetime | None = None) -> int:
    """R5.5: drop the receipts older than `RECEIPT_DAYS` (no redelivery can be that old); one audit entry when
    any went. Returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=RECEIPT_DAYS)
    deleted, _by_model = ObservationReceipt.objects.filter(received_at__lt=cutoff).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="sensors.observation_receipt.prune",
            object_type="sensors.observationreceipt",
            row_count=deleted,
            changes={"before": cutoff.isoformat()},
        )
    return deleted
