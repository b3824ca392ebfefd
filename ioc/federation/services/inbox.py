"""The receiving side (R9.1, R9.3): a signed batch of messages from another center, checked whole before any
write, then applied once per message id in one transaction, a later version never overwritten by an earlier one.

Refusals (nothing written): unsigned, badly signed or stale (±5 min) → 401; a delivery id already seen → 409;
over the size limit → 413 (the view, before reading); an unknown link, a flow not agreed on the link, an unknown
indicator, unit or agency → 422 naming the field; malformed JSON → 400.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record_bulk
from ioc.common.plaintext import NO_NUL, json_nul_path
from ioc.federation import signing
from ioc.federation.choices import SKEW_SECONDS, InState
from ioc.federation.models import InboxMessage, Link, ObjectVersion, SeenDelivery
from ioc.federation.services.flows import HANDLERS, PayloadError, apply_record, records_apply
from ioc.federation.signing import Refused

MAX_MESSAGES = 1000


@dataclass(frozen=True)
class Incoming:
    message_id: uuid.UUID
    flow: str
    object_key: str
    version: int
    payload: Any
    prepared: Any


def link_for(signed: signing.Signed) -> Link:
    link = Link.objects.filter(key_id=signed.key_id, is_active=True).exclude(secret_sealed="").first()
    if link is None:
        raise Refused(
            422,
            "unknown_link",
            "Liên kết không tồn tại / Unknown link",
            {signing.KEY_HEADER: [f"Không có liên kết với mã khóa này / No link with key id {signed.key_id[:60]!r}"]},
        )
    return link


def authenticate(signed: signing.Signed, *, method: str, path: str, body: bytes) -> Link:
    """The link a request comes from, or a refusal (401 signature or skew, 409 replay, 422 unknown link)."""
    signing.check_headers(signed)
    link = link_for(signed)
    secret = signing.unseal(link.secret_sealed)
    signing.verify(signed, secret=secret, method=method, path=path, body=body, skew=SKEW_SECONDS, now=time.time())
    if SeenDelivery.objects.filter(delivery_id=signed.delivery_id).exists():
        raise _replayed(signed)
    return link


def _replayed(signed: signing.Signed) -> Refused:
    return Refused(
        409,
        "replayed",
        "Lần gửi này đã được nhận, yêu cầu bị phát lại / This delivery id was already received (replay)",
        {signing.DELIVERY_HEADER: [signed.delivery_id]},
    )


def parse(link: Link, body: bytes) -> list[Incoming]:
    """Every message checked and mapped; a 400 or 422 naming `messages[i].<field>` refuses the whole batch."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "malformed", "JSON không đọc được / Malformed JSON", {"body": ["json"]}) from None
    # PostgreSQL stores no NUL in the jsonb payload: a 400 naming the place, not a 500 (issue 16)
    if (place := json_nul_path(data, brackets=True)) is not None:
        raise Refused(400, "malformed", str(NO_NUL.message), {place or "body": ["null_characters"]})
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list) or not 0 < len(messages) <= MAX_MESSAGES:
        raise _invalid({"messages": [f"1–{MAX_MESSAGES} thư / 1–{MAX_MESSAGES} messages"]})
    return [_one(link, n, item) for n, item in enumerate(messages)]


def _invalid(fields: dict[str, list[str]]) -> Refused:
    return Refused(422, "invalid", "Thư không hợp lệ / Invalid message", fields)


def _one(link: Link, n: int, item: Any) -> Incoming:
    where = f"messages[{n}]"
    if not isinstance(item, dict):
        raise _invalid({where: ["object"]})
    try:
        message_id = uuid.UUID(str(item.get("message_id")))
    except ValueError:
        raise _invalid({f"{where}.message_id": ["uuid"]}) from None
    flow, key, version = item.get("flow"), item.get("object_key"), item.get("version")
    if flow not in HANDLERS or flow not in link.flows:
        raise _invalid({f"{where}.flow": [f"Luồng chưa thỏa thuận trên liên kết / Flow not agreed: {str(flow)[:40]}"]})
    if not isinstance(key, str) or not 0 < len(key) <= 200:
        raise _invalid({f"{where}.object_key": ["1–200"]})
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _invalid({f"{where}.version": ["≥ 1"]})
    try:
        prepared = HANDLERS[flow].prepare(link, item.get("payload"))
    except PayloadError as exc:
        raise _invalid({f"{where}.payload.{field}": reasons for field, reasons in exc.errors.items()}) from None
    return Incoming(message_id, flow, key, version, item.get("payload"), prepared)


def batch_receive(*, link: Link, delivery_id: str, messages: list[Incoming]) -> list[dict[str, str]]:
    """R9.3: apply the batch in one transaction; each message's result (applied, conflict, superseded,
    duplicate). A delivery id seen meanwhile (a concurrent replay) refuses it whole. Set-wise: the inbox, the
    versions and the received records are read and written a few statements per batch, not per message."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SeenDelivery.objects.create(delivery_id=delivery_id, link=link)
        except IntegrityError:
            raise _replayed(signing.Signed(link.key_id, "", delivery_id, "")) from None
        statuses = _Batch(link, messages).apply()
        Link.objects.filter(pk=link.pk).update(last_received_at=timezone.now())
        results = [
            {"message_id": str(m.message_id), "status": status} for m, status in zip(messages, statuses, strict=True)
        ]
        _record(link, delivery_id, results)
    return results


class _Batch:
    """One batch's messages against the inbox (once per message id) and the versions (never backwards)."""

    def __init__(self, link: Link, messages: list[Incoming]) -> None:
        self.link, self.messages = link, messages
        ids = [m.message_id for m in messages]
        self.seen = set(InboxMessage.objects.filter(link=link, message_id__in=ids).values_list("message_id", flat=True))
        keys = {m.object_key for m in messages}
        self.versions = {
            v.object_key: v
            for v in ObjectVersion.objects.select_for_update().filter(link=link, outgoing=False, object_key__in=keys)
        }
        self.changed: dict[str, ObjectVersion] = {}
        self.rows: list[InboxMessage] = []  # written together at the end (summaries, superseded)
        self.records: dict[str, tuple[InboxMessage, Any]] = {}

    def apply(self) -> list[str]:
        statuses = [self._one(incoming) for incoming in self.messages]
        InboxMessage.objects.bulk_create(self.rows)
        records_apply(self.link, list(self.records.values()))
        new = [v for v in self.changed.values() if v.pk is None]
        ObjectVersion.objects.bulk_create(new)
        ObjectVersion.objects.bulk_update([v for v in self.changed.values() if v not in new], ["version"])
        return statuses

    def _one(self, incoming: Incoming) -> str:
        if incoming.message_id in self.seen:
            return "duplicate"
        self.seen.add(incoming.message_id)
        row = InboxMessage(
            link=self.link,
            message_id=incoming.message_id,
            flow=incoming.flow,
            object_key=incoming.object_key,
            version=incoming.version,
            payload=incoming.payload,
            state=InState.APPLIED,
        )
        current = self.versions.get(incoming.object_key)
        if current is not None and incoming.version <= current.version:
            row.state = InState.SUPERSEDED
            self.rows.append(row)
            return str(InState.SUPERSEDED)
        version = current or ObjectVersion(link=self.link, outgoing=False, object_key=incoming.object_key)
        version.version = incoming.version
        self.versions[incoming.object_key] = self.changed[incoming.object_key] = version
        handler = HANDLERS[incoming.flow]
        if handler.apply is apply_record:
            self.rows.append(row)
            self.records[incoming.object_key] = (row, incoming.prepared)
            return str(InState.APPLIED)
        row.save()
        state = handler.apply(self.link, row, incoming.prepared)
        if state != InState.APPLIED:
            InboxMessage.objects.filter(pk=row.pk).update(state=state)
        return str(state)


def _record(link: Link, delivery_id: str, results: list[dict[str, str]]) -> None:
    audit_record_bulk(
        actor=system_account(),
        action="federation_message.receive",
        object_type="federation.inboxmessage",
        rows=[(r["message_id"], r["status"]) for r in results],
        changes={"link": link.code, "delivery_id": delivery_id, "messages": len(results)},
    )


def deliveries_forget(*, now: dt.datetime | None = None) -> int:
    """Forget delivery ids older than twice the allowed skew (such a request is refused as stale anyway)."""
    limit = (now or timezone.now()) - dt.timedelta(seconds=2 * SKEW_SECONDS)
    deleted, _detail = SeenDelivery.objects.filter(seen_at__lt=limit).delete()
    return deleted
