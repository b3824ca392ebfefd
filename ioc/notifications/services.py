"""Writes of notifications (R4.5; DESIGN "Durable work"): enqueue in the caller's transaction, the sender, preferences.

Other apps call `notification_enqueue` inside their own service and `register_template` when ready.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.db.models import F, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.audit.models import AuditEntry
from ioc.audit.services import audit_entries_write, audit_entry_new, audit_record, audit_record_bulk
from ioc.common.bulk import preparers
from ioc.common.prepared import prepared_cursor
from ioc.notifications import transports
from ioc.notifications.choices import (
    BACKOFF_CAP_SECONDS,
    CLAIMABLE,
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    REQUEUEABLE,
    Channel,
    OutboxState,
)
from ioc.notifications.context import NotStorable, encode
from ioc.notifications.models import NotificationPreference, Outbox
from ioc.notifications.registry import NotificationTemplate, register_template, render, template_get

__all__ = [
    "Address",
    "Message",
    "notification_enqueue",
    "notification_enqueue_many",
    "notification_preference_set",
    "outbox_deliver_all_due",
    "outbox_deliver_due",
    "outbox_requeue",
    "register_template",
    "template_get",
]

logger = logging.getLogger("ioc.notifications")
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Address:
    """A recipient that is not an account: an e-mail address, a webhook URL, a phone number."""

    channel: str
    address: str
    language: str = "vi"
    name: str = ""


@dataclass(frozen=True)
class _Plan:
    user: User | None
    channel: str
    address: str
    language: str
    name: str
    due_at: dt.datetime

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else f"addr:{self.address}"


def quiet_until(*, quiet_start: dt.time | None, quiet_end: dt.time | None, now: dt.datetime) -> dt.datetime | None:
    """The end of the quiet period `now` falls in (local time, may wrap midnight), or None."""
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return None
    local = now.astimezone(LOCAL_TZ)
    t, today = local.time(), local.date()
    if quiet_start < quiet_end:
        inside, end_day = quiet_start <= t < quiet_end, today
    else:
        inside = t >= quiet_start or t < quiet_end
        end_day = today if t < quiet_end else today + dt.timedelta(days=1)
    return dt.datetime.combine(end_day, quiet_end, LOCAL_TZ) if inside else None


def _check_address(recipient: Address) -> None:
    if recipient.channel not in Channel.values:
        raise ValueError(f"Unknown notification channel {recipient.channel!r}")
    if not recipient.address.strip():
        raise ValueError("A notification address must not be empty")
    if recipient.channel == Channel.EMAIL:
        validate_email(recipient.address)
    if recipient.channel == Channel.WEBHOOK and not recipient.address.startswith(("https://", "http://")):
        raise ValueError(f"A webhook address must be an http(s) URL, got {recipient.address!r}")


def _user_plans(user: User, pref: NotificationPreference | None, now: dt.datetime, urgent: bool) -> list[_Plan]:
    if not user.is_active or user.is_removed:
        return []
    pref = pref or NotificationPreference(user=user)
    due = None if urgent else quiet_until(quiet_start=pref.quiet_start, quiet_end=pref.quiet_end, now=now)
    name = user.full_name or user.username
    channels = []
    if pref.email_enabled and user.email:
        channels.append((Channel.EMAIL, user.email))
    if pref.sms_enabled and user.phone:
        channels.append((Channel.SMS, user.phone))
    return [_Plan(user, ch, addr, pref.language, name, due or now) for ch, addr in channels]


def _plans(recipients: Iterable[User | Address], now: dt.datetime, urgent: bool) -> list[_Plan]:
    recipients = list(recipients)
    return _plans_with(recipients, _preferences(recipients), now, urgent)


def _preferences(recipients: Iterable[User | Address]) -> dict[int, NotificationPreference]:
    user_ids = {r.pk for r in recipients if isinstance(r, User)}
    return {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=user_ids)} if user_ids else {}


def _plans_with(
    recipients: Iterable[User | Address], prefs: Mapping[int, NotificationPreference], now: dt.datetime, urgent: bool
) -> list[_Plan]:
    plans: list[_Plan] = []
    for recipient in recipients:
        if isinstance(recipient, User):
            plans.extend(_user_plans(recipient, prefs.get(recipient.pk), now, urgent))
        else:
            _check_address(recipient)
            plans.append(_Plan(None, recipient.channel, recipient.address, recipient.language, recipient.name, now))
    return plans


def _create_row(plan: _Plan, fields: dict[str, Any], *, prepared: bool = False) -> Outbox | None:
    """The outbox row, or None when the same message is already there (an earlier or concurrent enqueue with the
    same dedup key, recipient and channel: `outbox_dedup_unique`)."""
    row = Outbox(
        recipient_user=plan.user,
        recipient_address=plan.address,
        recipient_key=plan.key,
        channel=plan.channel,
        language=plan.language,
        due_at=plan.due_at,
        next_attempt_at=plan.due_at,
        **fields,
    )
    return row if _insert_unless_repeated(row, prepared=prepared) else None


@functools.cache
def _insert_statement(alias: str) -> tuple[str, tuple[Field[Any, Any], ...]]:
    """The one-row INSERT … ON CONFLICT DO NOTHING RETURNING id of `alias` and its fields in VALUES order."""
    connection = connections[alias]
    meta = Outbox._meta
    fields = tuple(field for field in meta.concrete_fields if not field.primary_key)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "  # noqa: S608
        f"ON CONFLICT DO NOTHING RETURNING {quote(str(meta.pk.column))}"
    )
    return sql, fields


def _insert_unless_repeated(row: Outbox, *, prepared: bool = False) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id (SQLite ≥ 3.35 and PostgreSQL): a repeat is skipped by the
    database itself, so the caller's transaction needs no savepoint to survive it (two round trips fewer per
    message, on the hot path of every citizen report). Only a unique conflict is skipped; any other error raises."""
    alias = router.db_for_write(Outbox) or "default"
    connection = connections[alias]
    sql, fields = _insert_statement(alias)
    values = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    with prepared_cursor(alias) if prepared else connection.cursor() as cursor:
        cursor.execute(sql, values)
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding, row._state.db = False, alias
    return True


def _render_for(template: NotificationTemplate, plan: _Plan, context: Mapping[str, Any]) -> tuple[str, str]:
    return render(template, plan.language, {"recipient_name": plan.name, **context})


def _texts(template: NotificationTemplate, plans: Sequence[_Plan], context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per plan, what the row stores of its text: the JSON context to render at delivery, or — for a context JSON
    cannot keep exactly (a model instance, a UUID …) — the subject and body rendered now."""
    try:
        stored = encode(context)
    except NotStorable:
        return [dict(zip(("subject", "body"), _render_for(template, plan, context), strict=True)) for plan in plans]
    return [{"context": stored} for _plan in plans]


def notification_enqueue(
    *,
    event: str,
    recipients: Iterable[User | Address],
    template: str,
    context: Mapping[str, Any],
    dedup_key: str,
    urgent: bool = False,
    audit_into: list[AuditEntry] | None = None,
    prepared: bool = False,
) -> list[Outbox]:
    """R4.5: write outbox rows in the caller's transaction; wake the sender once it commits.

    A user gets one row per enabled channel (preferences: e-mail on by default, SMS when enabled and a phone is
    known); non-urgent rows inside the user's quiet hours wait until they end. A (dedup_key, recipient, channel)
    already in the outbox is skipped, not an error. Returns the rows written.

    The row keeps the context (JSON, `ioc.notifications.context`) and the sender renders it when it sends (issue
    12 "Speed"); a context JSON cannot keep exactly is rendered here, as before. Checks come before any write;
    the writes join the caller's transaction without a savepoint of
    their own (a failed write fails the caller's transaction, as it should): one round trip less per message.

    The rows' audit entry is written here, unless the caller passes `audit_into`: then it is appended there, for
    the caller to write with its own entries in one statement (`audit_entries_write`) before its transaction
    commits (the Open311 write, issue 16). `prepared`: the row's INSERT is prepared on PostgreSQL
    (`ioc.common.prepared`; a hot path's).
    """
    if not dedup_key:
        raise ValueError("notification_enqueue needs a dedup_key")
    tmpl = template_get(template)
    now = timezone.now()
    plans = _plans(recipients, now, urgent)
    base = {"event": event, "template": template, "dedup_key": dedup_key, "urgent": urgent, "created_at": now}
    # No look-up first: the unique (dedup_key, recipient_key, channel) refuses a repeat, and most messages are new.
    texts = _texts(tmpl, plans, context)
    created: list[Outbox] = []
    with transaction.atomic(savepoint=False):
        for plan, text in zip(plans, texts, strict=True):
            row = _create_row(plan, {**base, "recipient_name": plan.name, **text}, prepared=prepared)
            if row is not None:
                created.append(row)
        if created:
            entry = _enqueue_entry(created, event=event, template=template, dedup_key=dedup_key)
            if audit_into is None:
                audit_entries_write([entry])
            else:
                audit_into.append(entry)
            if any(row.next_attempt_at <= now for row in created):
                transaction.on_commit(_wake_sender)
    return created


@dataclass(frozen=True)
class Message:
    """One message of `notification_enqueue_many`: the arguments of one `notification_enqueue` call."""

    event: str
    recipients: Sequence[User | Address]
    template: str
    context: Mapping[str, Any]
    dedup_key: str
    urgent: bool = False


def notification_enqueue_many(*, messages: Sequence[Message]) -> list[Outbox]:
    """R4.5: `notification_enqueue` for each message, set-wise (a sweep firing hundreds of escalations, issue 12
    "Speed"): the preferences read once, the rows written by multi-row INSERT … ON CONFLICT DO NOTHING, one audit
    entry for all the rows written (`audit_record_bulk`), one wake-up. Same rows, same skipping of repeats, same
    transaction rules as calling `notification_enqueue` in a loop."""
    if any(not message.dedup_key for message in messages):
        raise ValueError("notification_enqueue_many needs a dedup_key for every message")
    now = timezone.now()
    prefs = _preferences([r for message in messages for r in message.recipients])
    pending: list[Outbox] = []
    for message in messages:
        tmpl = template_get(message.template)
        base = {"event": message.event, "template": message.template, "dedup_key": message.dedup_key}
        plans = _plans_with(message.recipients, prefs, now, message.urgent)
        for plan, text in zip(plans, _texts(tmpl, plans, message.context), strict=True):
            fields = {**base, "urgent": message.urgent, "created_at": now, "recipient_name": plan.name, **text}
            pending.append(_outbox_row(plan, fields))
    with transaction.atomic(savepoint=False):
        _insert_many_unless_repeated(pending)
        created = [row for row in pending if row.pk is not None]
        _record_enqueue_many(created)
        if any(row.next_attempt_at <= now for row in created):
            transaction.on_commit(_wake_sender)
    return created


_RECIPIENT = Outbox._meta.get_field("recipient_user")


def _outbox_row(plan: _Plan, fields: dict[str, Any]) -> Outbox:
    """The row, its recipient set by id and cached (the related descriptor's checks cost more than the rest)."""
    row = Outbox(
        recipient_user_id=plan.user.pk if plan.user is not None else None,
        recipient_address=plan.address,
        recipient_key=plan.key,
        channel=plan.channel,
        language=plan.language,
        due_at=plan.due_at,
        next_attempt_at=plan.due_at,
        **fields,
    )
    _RECIPIENT.set_cached_value(row, plan.user)
    return row


def _insert_many_unless_repeated(rows: Sequence[Outbox]) -> None:
    """Multi-row `_insert_unless_repeated`: the rows the database took get their pk; repeats keep None."""
    if not rows:
        return
    alias = router.db_for_write(Outbox) or "default"
    connection = connections[alias]
    meta = Outbox._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = ", ".join(quote(name) for name in ("id", "dedup_key", "recipient_key", "channel"))
    per_statement = max(1, min(500, (connection.features.max_query_params or 999) // len(fields)))
    by_key: dict[tuple[str, str, str], Outbox] = {}
    for row in rows:  # the first of two equal rows is the one the database takes
        by_key.setdefault((row.dedup_key, row.recipient_key, row.channel), row)
    prepare = preparers(fields, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = [p(row) for row in chunk for p in prepare]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608
                f"ON CONFLICT DO NOTHING RETURNING {returning}"
            )
            cursor.execute(sql, values)
            for pk, dedup_key, recipient_key, channel in cursor.fetchall():
                row = by_key[(dedup_key, recipient_key, channel)]
                row.pk = pk
                row._state.adding, row._state.db = False, alias


def _record_enqueue_many(rows: Sequence[Outbox]) -> None:
    """R7.3: the batch's rows in one entry (`audit_record_bulk`: row count and digest of (id, dedup key, recipient,
    channel) per row), as the system account, which writes the outbox."""
    if not rows:
        return
    audit_record_bulk(
        actor=system_account(),
        action="notification.enqueue",
        object_type="notifications.outbox",
        rows=[(row.pk, row.dedup_key, row.recipient_key, row.channel) for row in rows],
        changes={
            "events": sorted({row.event for row in rows}),
            "templates": sorted({row.template for row in rows}),
            "messages": len({row.dedup_key for row in rows}),
            "ids": [row.pk for row in rows],
        },
    )


def _enqueue_entry(rows: list[Outbox], *, event: str, template: str, dedup_key: str) -> AuditEntry:
    """R7.3: the outbox is the system's: its rows are recorded as written by the system account."""
    return audit_entry_new(
        actor=system_account(),
        action="notification.enqueue",
        object_type="notifications.outbox",
        object_id=str(rows[0].pk),
        object_repr=event,
        row_count=len(rows),
        changes={"event": event, "template": template, "dedup_key": dedup_key, "ids": [r.pk for r in rows]},
    )


# Set while a wake-up is queued and has not started (the task clears it first): rows committed meanwhile leave with
# it, so a burst of messages queues one task, not one each (each costs a durable write in Huey's storage).
WAKE_PENDING_KEY = "notifications:wake-pending"
WAKE_PENDING_SECONDS = 30  # a lost wake-up (the consumer was down) stops holding new ones back after this


def _wake_sender() -> None:
    from ioc.notifications.tasks import wake_sender  # tasks import this module

    try:
        # A read first: under a burst the flag is usually set, and `add` would open a write on the cache.
        if cache.get(WAKE_PENDING_KEY) is None and cache.add(WAKE_PENDING_KEY, 1, timeout=WAKE_PENDING_SECONDS):
            wake_sender()
    except Exception:  # the periodic sender picks the rows up anyway
        logger.exception("could not wake the notification sender")


def wake_pending_clear() -> None:
    """Called first by the wake-up task: rows committed from now on need a wake-up of their own."""
    cache.delete(WAKE_PENDING_KEY)


# --- The sender -------------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … failed attempt, capped at 6 hours."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


def _claimable(now: dt.datetime) -> Q:
    return Q(state__in=CLAIMABLE, next_attempt_at__lte=now) | Q(state=OutboxState.SENDING, lease_until__lt=now)


def outbox_due_ids(*, now: dt.datetime, limit: int) -> list[int]:
    """Candidate rows, urgent first; a candidate is only taken if its claim succeeds."""
    qs = Outbox.objects.filter(_claimable(now)).order_by("-urgent", "next_attempt_at", "id")
    return list(qs.values_list("pk", flat=True)[:limit])


def outbox_claim(*, pk: int) -> dt.datetime | None:
    """Claim one row by a conditional UPDATE; returns the lease (the claimer's token) or None if taken."""
    now = timezone.now()
    lease = now + dt.timedelta(seconds=LEASE_SECONDS)
    changed = Outbox.objects.filter(_claimable(now), pk=pk).update(
        state=OutboxState.SENDING, lease_until=lease, attempts=F("attempts") + 1
    )
    return lease if changed == 1 else None


def _text(row: Outbox) -> dict[str, str]:
    """The text the sender rendered, kept on the row for the record (nothing when it could not render)."""
    rendered = row.__dict__.get("_rendered")
    return {} if rendered is None else {"subject": rendered[0], "body": rendered[1]}


@transaction.atomic
def _finish(row: Outbox, lease: dt.datetime, error: str | None) -> None:
    now = timezone.now()
    mine = Outbox.objects.filter(pk=row.pk, state=OutboxState.SENDING, lease_until=lease)
    if error is None:
        mine.update(state=OutboxState.SENT, sent_at=now, lease_until=None, last_error="", **_text(row))
    elif row.attempts >= MAX_ATTEMPTS:
        if mine.update(state=OutboxState.DEAD, lease_until=None, last_error=error[:2000], **_text(row)):
            changes = {"attempts": row.attempts, "error": error[:500], "delivery_id": str(row.delivery_id)}
            audit_record(actor=system_account(), action="notification.dead", obj=row, changes=changes)
    else:
        mine.update(
            state=OutboxState.FAILED,
            next_attempt_at=now + backoff(row.attempts),
            lease_until=None,
            last_error=error[:2000],
        )


@transaction.atomic
def _skip(row: Outbox, lease: dt.datetime, reason: str) -> None:
    """R4.5: a message whose channel is switched off is recorded as not sent, with the reason, and audited; it is
    never marked sent (the console standing in for the channel in the demo does not count as delivery)."""
    mine = Outbox.objects.filter(pk=row.pk, state=OutboxState.SENDING, lease_until=lease)
    if mine.update(state=OutboxState.SKIPPED, lease_until=None, last_error=reason, **_text(row)):
        # Not `obj=row`: the row's text names the recipient's address, which must not enter the append-only trail.
        audit_record(
            actor=system_account(),
            action="notification.skipped",
            object_type=Outbox._meta.label_lower,
            object_id=str(row.pk),
            object_repr=row.event,
            changes={"channel": row.channel, "reason": reason, "delivery_id": str(row.delivery_id)},
        )


def outbox_deliver_one(*, pk: int) -> bool:
    """Claim, render (issue 12: at delivery), deliver and settle one row; False when another sender holds it.
    A template no longer registered fails the attempt like a transport failure (retried, then dead)."""
    lease = outbox_claim(pk=pk)
    if lease is None:
        return False
    row = Outbox.objects.get(pk=pk)
    try:
        row.subject  # noqa: B018 — renders the row's text now (cached on it), before any transport reads it
    except LookupError as exc:
        _finish(row, lease, f"{type(exc).__name__}: {exc}")
        return True
    reason = transports.switched_off(row.channel)
    if reason:
        transports.preview(row, reason)
        _skip(row, lease, reason)
        return True
    try:
        transports.deliver(row)
    except Exception as exc:  # any transport failure becomes a retry, never a crashed sender
        logger.warning("notification %s attempt %s failed: %s", row.delivery_id, row.attempts, exc)
        _finish(row, lease, f"{type(exc).__name__}: {exc}")
    else:
        _finish(row, lease, None)
    return True


def outbox_deliver_due(*, limit: int = 100) -> int:
    """R4.5: deliver up to `limit` due rows (and rows whose lease expired); returns how many it claimed.

    Not one transaction on purpose: each claim commits before its delivery, so two senders never both take a
    row and a crash mid-delivery leaves a lease that expires and is reclaimed (at-least-once delivery).
    """
    due = outbox_due_ids(now=timezone.now(), limit=limit)
    return sum(1 for pk in due if outbox_deliver_one(pk=pk))


def outbox_deliver_all_due(*, batch: int = 100, max_batches: int = 50) -> int:
    """Drain the due rows in batches (the periodic task and the on-commit wake-up)."""
    total = 0
    for _batch in range(max_batches):
        claimed = outbox_deliver_due(limit=batch)
        total += claimed
        if claimed < batch:
            break
    return total


@transaction.atomic
def outbox_requeue(*, actor: User, outbox: Outbox) -> Outbox:
    """R4.5: an administrator sends a failed, dead or not-sent (switched-off channel) row again (attempts start
    over); a channel still switched off records it as not sent again."""
    if outbox.state not in REQUEUEABLE:
        raise ValidationError(
            {"state": [_("Chỉ gửi lại thư lỗi hoặc chưa gửi / Only failed or unsent messages can be resent")]}
        )
    now = timezone.now()
    Outbox.objects.filter(pk=outbox.pk).update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=now, due_at=now, lease_until=None
    )
    audit_record(actor=actor, action="notification.requeue", obj=outbox, changes={"from_state": outbox.state})
    transaction.on_commit(_wake_sender)
    outbox.refresh_from_db()
    return outbox


# --- Preferences ------------------------------------------------------------------------------------------


def _check_preference(language: str, quiet_start: dt.time | None, quiet_end: dt.time | None) -> None:
    errors: dict[str, list[str]] = {}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Ngôn ngữ không hỗ trợ / Unsupported language")]
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        errors[field] = [_("Cần cả giờ bắt đầu và kết thúc / Give both start and end of quiet hours")]
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = [_("Giờ kết thúc phải khác giờ bắt đầu / End must differ from start")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notification_preference_set(
    *,
    actor: User,
    user: User,
    email_enabled: bool = True,
    sms_enabled: bool = False,
    language: str = "vi",
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
) -> NotificationPreference:
    """R4.5: a user's channels, language and quiet hours (local time; may wrap midnight, e.g. 22:00–06:00)."""
    _check_preference(language, quiet_start, quiet_end)
    values = {
        "email_enabled": email_enabled,
        "sms_enabled": sms_enabled,
        "language": language,
        "quiet_start": quiet_start,
        "quiet_end": quiet_end,
        "updated_at": timezone.now(),
    }
    pref, _created = NotificationPreference.objects.update_or_create(user=user, defaults=values)
    changes = {k: (v.isoformat() if isinstance(v, dt.time | dt.datetime) else v) for k, v in values.items()}
    changes.pop("updated_at")
    audit_record(actor=actor, action="notification_preference.set", obj=pref, changes=changes)
    return pref
