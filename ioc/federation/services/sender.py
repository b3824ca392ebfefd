"""The sender (R9.3; DESIGN "Durable work"): due outbox rows are claimed by a conditional UPDATE with a lease,
posted to the other center in signed batches through the outbound client, and settled by the receiver's
acknowledgement. A failure (no answer, a 5xx, a timeout, garbage) is retried with back-off; after the configured
attempts, or when the receiver refuses a message for good (422, 413), the message becomes a dead letter.

Nothing is held in memory across a crash: a sender killed mid-flight leaves rows whose lease expires and which
the next run takes again (at-least-once); the receiver applies each message id once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.common import http
from ioc.federation import signing
from ioc.federation.choices import CLAIMABLE, OutState
from ioc.federation.models import DeadLetter, Link, OutboxMessage
from ioc.federation.services._base import (
    MESSAGES_PATH,
    backoff,
    batch_size,
    lease_seconds,
    max_attempts,
    require_operator,
)
from ioc.federation.services.outbox import wake_sender

logger = logging.getLogger("ioc.federation")
PERMANENT = frozenset({413, 422})


def _claimable(now: dt.datetime) -> Q:
    return Q(state__in=CLAIMABLE, next_attempt_at__lte=now) | Q(state=OutState.SENDING, lease_until__lt=now)


def batch_claim(*, link: Link, limit: int) -> tuple[uuid.UUID, list[OutboxMessage]]:
    """Claim up to `limit` due rows of one link (a solo row alone), oldest first; the token marks this claim."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(_claimable(now), link=link).order_by("id")
    first = due.values("pk", "solo").first()
    if first is None:
        return uuid.uuid4(), []
    ids = [first["pk"]] if first["solo"] else list(due.filter(solo=False).values_list("pk", flat=True)[:limit])
    token = uuid.uuid4()
    OutboxMessage.objects.filter(_claimable(now), pk__in=ids).update(
        state=OutState.SENDING,
        lease_until=now + dt.timedelta(seconds=lease_seconds()),
        lease_token=token,
        attempts=F("attempts") + 1,
    )
    return token, list(OutboxMessage.objects.filter(lease_token=token, state=OutState.SENDING).order_by("id"))


def batch_body(rows: Sequence[OutboxMessage]) -> bytes:
    messages = [
        {
            "message_id": str(row.message_id),
            "flow": row.flow,
            "object_key": row.object_key,
            "version": row.version,
            "payload": row.payload,
        }
        for row in rows
    ]
    return json.dumps({"messages": messages}, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Outcome:
    acked: dict[str, str]  # message id → the receiver's result
    error: str = ""
    permanent: bool = False


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


Transport = Callable[[str, dict[str, str], bytes], Answer]


def http_transport(url: str, headers: dict[str, str], body: bytes) -> Answer:
    """The outbound client (DESIGN "Outbound HTTP"): the address guard applies; a loopback or private parent must
    be allow-listed (OUTBOUND_ALLOWED_CIDRS)."""
    response = http.post(url, headers=headers, body=body, max_bytes=1024 * 1024)
    return Answer(response.status, response.body)


def post_batch(link: Link, rows: Sequence[OutboxMessage], delivery_id: str, transport: Transport) -> Outcome:
    """One signed POST; the acknowledged message ids, or why not."""
    body = batch_body(rows)
    secret = signing.unseal(link.secret_sealed)
    if not secret or not link.base_url:
        return Outcome({}, "Liên kết chưa có khóa hoặc địa chỉ / The link has no key or address")
    headers = signing.signed_headers(
        key_id=link.key_id, secret=secret, method="POST", path=MESSAGES_PATH, body=body, delivery_id=delivery_id
    )
    try:
        answer = transport(link.base_url + MESSAGES_PATH, headers, body)
    except http.OutboundError as exc:
        return Outcome({}, f"{type(exc).__name__}: {exc}")
    text = answer.body.decode("utf-8", errors="replace")
    if not 200 <= answer.status < 300:
        return Outcome({}, f"HTTP {answer.status}: {text[:500]}", answer.status in PERMANENT)
    return Outcome(*_acks(answer.body, rows))


def _acks(body: bytes, rows: Sequence[OutboxMessage]) -> tuple[dict[str, str], str]:
    try:
        results = json.loads(body)["results"]
        acked = {str(item["message_id"]): str(item["status"]) for item in results}
    except (ValueError, KeyError, TypeError) as exc:
        shown = body[:200].decode("utf-8", errors="replace")
        return {}, f"Trả lời không đọc được / Garbage answer: {type(exc).__name__}: {shown}"
    missing = [str(row.message_id) for row in rows if str(row.message_id) not in acked]
    return acked, (f"Thiếu xác nhận / Not acknowledged: {len(missing)}" if missing else "")


def deliver_batch(*, link: Link, transport: Transport | None = None) -> int:
    """Claim, post and settle one batch of a link; the number of rows claimed."""
    token, rows = batch_claim(link=link, limit=batch_size())
    if not rows:
        return 0
    delivery_id = str(uuid.uuid4())
    OutboxMessage.objects.filter(lease_token=token).update(last_delivery_id=delivery_id)
    outcome = post_batch(link, rows, delivery_id, transport or http_transport)
    settle(link=link, rows=rows, token=token, outcome=outcome)
    return len(rows)


@transaction.atomic
def settle(*, link: Link, rows: Sequence[OutboxMessage], token: uuid.UUID, outcome: Outcome) -> None:
    """Record the outcome of one batch on the rows this claim still holds (a lost lease settles nothing);
    set-wise: one UPDATE per receiver result, per attempt count."""
    now = timezone.now()
    mine = OutboxMessage.objects.filter(lease_token=token, state=OutState.SENDING)
    by_status: dict[str, list[int]] = {}
    failed: dict[int, list[int]] = {}
    for row in rows:
        status = outcome.acked.get(str(row.message_id))
        if status is not None:
            by_status.setdefault(status, []).append(row.pk)
        elif outcome.permanent and len(rows) > 1:  # send each alone: only the refused one becomes a dead letter
            mine.filter(pk=row.pk).update(state=OutState.PENDING, solo=True, lease_until=None, next_attempt_at=now)
        elif outcome.permanent or row.attempts >= max_attempts():
            _dead(mine.filter(pk=row.pk), row, outcome.error or "?")
        else:
            failed.setdefault(row.attempts, []).append(row.pk)
    for status, ids in by_status.items():
        mine.filter(pk__in=ids).update(
            state=OutState.DELIVERED, delivered_at=now, lease_until=None, result=status, last_error=""
        )
    for attempts, ids in failed.items():
        mine.filter(pk__in=ids).update(
            state=OutState.FAILED,
            next_attempt_at=now + backoff(attempts),
            lease_until=None,
            last_error=outcome.error[:2000],
        )
    _link_status(link, now, outcome)


def _dead(mine: Any, row: OutboxMessage, error: str) -> None:
    if mine.update(state=OutState.DEAD, lease_until=None, last_error=error[:2000]):
        DeadLetter.objects.create(message=row, reason=error[:2000])
        audit_record(
            actor=system_account(),
            action="federation_message.dead",
            obj=row,
            changes={"attempts": row.attempts, "error": error[:500], "message_id": str(row.message_id)},
        )


def _link_status(link: Link, now: dt.datetime, outcome: Outcome) -> None:
    if outcome.acked:
        Link.objects.filter(pk=link.pk).update(last_success_at=now, last_error=outcome.error[:2000])
    elif outcome.error:
        Link.objects.filter(pk=link.pk).update(last_error=outcome.error[:2000])


def deliver_due(*, max_batches: int = 1000, transport: Transport | None = None) -> int:
    """R9.3: drain every active link's due rows (and rows whose lease expired: the sweeper); rows claimed."""
    total = 0
    for link in Link.objects.filter(is_active=True).exclude(key_id=""):
        for _batch in range(max_batches):
            claimed = deliver_batch(link=link, transport=transport)
            total += claimed
            if claimed == 0:
                break
    return total


@transaction.atomic
def dead_letter_replay(*, actor: Any, dead_letter: DeadLetter) -> DeadLetter:
    """R9.3: an operator sends a dead letter again (attempts start over)."""
    require_operator(actor)
    fresh = DeadLetter.objects.select_for_update().select_related("message").get(pk=dead_letter.pk)
    if fresh.replayed_at is not None or fresh.message.state != OutState.DEAD:
        raise ValidationError({"dead_letter": [_("Thư này đã được gửi lại / This message was already replayed")]})
    now = timezone.now()
    OutboxMessage.objects.filter(pk=fresh.message_id, state=OutState.DEAD).update(
        state=OutState.PENDING, attempts=0, next_attempt_at=now, lease_until=None, solo=True
    )
    fresh.replayed_at, fresh.replayed_by = now, actor
    fresh.save(update_fields=["replayed_at", "replayed_by"])
    audit_record(actor=actor, action="federation_message.replay", obj=fresh.message, changes={"dead_letter": fresh.pk})
    transaction.on_commit(wake_sender)
    return fresh
