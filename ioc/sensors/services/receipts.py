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
from ioc.sensors.services._base import ObservationRow, json_result, param_limit

if TYPE_CHECKING:
    from ioc.accounts.models import User

# Longer than the bridge's MQTT session expiry (a day, `mqtt_bridge.SESSION_EXPIRY_S`): after it the broker has
# dropped whatever it still held for a dead bridge, so no redelivery can be older than this.
RECEIPT_DAYS = 3


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()  # the same instant in any offset is the same key
    return str(value)


def row_key(stream_id: int, row: ObservationRow) -> str | None:
    """The row's idempotence key (32 hex digits), or None for a row without a `phenomenonTime`. A plain row (an
    instant already as its UTC text, a result and nothing else: the common MQTT message) is keyed by that text and
    the result's JSON without the general encoder."""
    if row.time_text is not None and row.feature is None and row.fields.keys() == _PLAIN_FIELDS:
        text = f"{stream_id}\x1f{row.time_text}\x1f{json_result(row.fields['result'])}"
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    if row.fields.get("phenomenon_time") is None:
        return None
    text = json.dumps([stream_id, row.fields, row.feature], sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_PLAIN_FIELDS = frozenset({"phenomenon_time", "phenomenon_time_end", "result", "result_number"})


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
    seen = _existing(keys)
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


def _existing(keys: list[str]) -> set[str]:
    """The keys that have a receipt: one `IN (…)` per `param_limit()` keys, in raw SQL (the ORM's compile of a
    1,000-value IN cost more than the query)."""
    table = connection.ops.quote_name(ObservationReceipt._meta.db_table)
    found: set[str] = set()
    step = param_limit()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), step):
            chunk = keys[start : start + step]
            slots = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT key FROM {table} WHERE key IN ({slots})", chunk)  # noqa: S608 - own table
            found.update(key for (key,) in cursor.fetchall())
    return found


def _insert(keys: list[str], now: dt.datetime) -> None:
    """Multi-row INSERTs, as few as the backend's parameter limit allows (a `bulk_create` of 1,000 receipts cost as
    much as the observations' own insert; an executemany, one statement step per row)."""
    if not keys:
        return
    table = connection.ops.quote_name(ObservationReceipt._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(now)
    step = param_limit() // 2
    with connection.cursor() as cursor:
        for start in range(0, len(keys), step):
            chunk = keys[start : start + step]
            slots = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for key in chunk for value in (key, when)]
            cursor.execute(f"INSERT INTO {table} (key, received_at) VALUES {slots}", params)  # noqa: S608 - own table


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
