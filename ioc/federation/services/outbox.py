"""The outbox (R9.3): messages written in the transaction of the change they carry, one version per object.

`messages_enqueue` is called inside the caller's transaction: each (object key, payload) whose payload differs
from the one last sent for that object gets the next version; an unchanged one is skipped (running a collector
twice sends nothing twice). The sender is woken once the transaction commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record_bulk
from ioc.federation.models import Link, ObjectVersion, OutboxMessage

logger = logging.getLogger("ioc.federation")


def payload_digest(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def messages_enqueue(
    *, link: Link, flow: str, items: Sequence[tuple[str, dict[str, Any]]], solo: bool = False
) -> list[OutboxMessage]:
    """R9.3: outbox rows for the changed objects among `items`, next version each, in the caller's transaction.
    `solo` rows travel alone in their request (a report's .docx is too big to share a batch)."""
    if not items:
        return []
    with transaction.atomic(savepoint=False):
        keys = [key for key, _payload in items]
        known = {
            v.object_key: v
            for v in ObjectVersion.objects.select_for_update().filter(link=link, outgoing=True, object_key__in=keys)
        }
        rows: list[OutboxMessage] = []
        for key, payload in items:
            row = _next(link, flow, key, payload, known)
            if row is not None:
                row.solo = solo
                rows.append(row)
        touched = {row.object_key for row in rows}
        ObjectVersion.objects.bulk_create([v for v in known.values() if v.pk is None])
        ObjectVersion.objects.bulk_update(
            [v for v in known.values() if v.pk is not None and v.object_key in touched], ["version", "digest"]
        )
        OutboxMessage.objects.bulk_create(rows)
        if rows:
            _record(link, flow, rows)
            transaction.on_commit(wake_sender)
    return rows


def _next(
    link: Link, flow: str, key: str, payload: dict[str, Any], known: dict[str, ObjectVersion]
) -> OutboxMessage | None:
    digest = payload_digest(payload)
    current = known.get(key)
    if current is not None and current.digest == digest:
        return None
    if current is None:
        current = known[key] = ObjectVersion(link=link, outgoing=True, object_key=key, version=1, digest=digest)
    else:
        current.version, current.digest = current.version + 1, digest
    return OutboxMessage(link=link, flow=flow, object_key=key, version=current.version, payload=payload)


def _record(link: Link, flow: str, rows: list[OutboxMessage]) -> None:
    audit_record_bulk(
        actor=system_account(),
        action="federation_message.enqueue",
        object_type="federation.outboxmessage",
        rows=[(str(row.message_id), row.object_key, row.version) for row in rows],
        changes={"link": link.code, "flow": flow, "messages": len(rows)},
    )


WAKE_KEY = "federation:wake-pending"
WAKE_SECONDS = 10


def wake_sender() -> None:
    """Queue one wake-up of the sender (a burst of commits queues one task, not one each)."""
    from ioc.federation.tasks import wake_sender as task  # tasks import the services

    try:
        if cache.add(WAKE_KEY, 1, timeout=WAKE_SECONDS):
            task()
    except Exception:  # the periodic sender picks the rows up anyway
        logger.exception("could not wake the federation sender")
