"""R5.6: security events stored in batches, deduplicated by digest, refused ones counted per reason with a sample,
kept for `CYBER_EVENT_RETENTION_DAYS`; event rules turn them into `cyber.event` alerts (R4.1), keyed by the watched
asset the host belongs to (docs/decisions/0010), resolved once a whole window passes without a match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record, audit_record_bulk
from ioc.cybersecurity import partitions
from ioc.cybersecurity.models import Asset, EventRule, EventRuleState, Rejection, SecurityEvent
from ioc.cybersecurity.parsers import Draft
from ioc.cybersecurity.rollup import cells_add, cells_of, cells_purge, local_day
from ioc.incidents.choices import AlertSource
from ioc.incidents.services import alert_raise, alert_resolve

if TYPE_CHECKING:
    from ioc.accounts.models import User

SOURCE = AlertSource.CYBERSECURITY
SAMPLE_MAX = 500


_COLUMNS = (
    "occurred_at",
    "received_at",
    "format",
    "source",
    "host",
    "rule",
    "severity",
    "agency_id",
    "message",
    "digest",
)
ROWS_PER_STATEMENT = 1000  # 10 parameters a row: under SQLite's 32,766 and PostgreSQL's 65,535


@transaction.atomic
def events_store(*, actor: User, drafts: Sequence[Draft]) -> int:
    """R5.6: write one batch (new digests only) with one audit entry; returns how many were new.

    The dedup is the INSERT's own (`ON CONFLICT (digest, occurred_at) DO NOTHING RETURNING digest`: the digest
    covers the time, and the pair is the unique key the monthly partitions allow), so only the rows this
    statement inserted are counted in the day cells and judged by the rules: two identical batches committed at
    once (two listeners, an API retry) add to an `EventDay` cell once (issue 21, PostgreSQL)."""
    unique = {d.digest: d for d in drafts}
    if not unique:
        return 0
    now = timezone.now()
    inserted = _insert_new(list(unique.values()), now)
    fresh = [d for digest, d in unique.items() if digest in inserted]
    if not fresh:
        return 0
    audit_record_bulk(
        actor=actor,
        action="security_event.ingest",
        object_type="cybersecurity.securityevent",
        rows=[(d.digest,) for d in fresh],
    )
    cells_add(cells_of((d.occurred_at, d.agency_id, d.rule) for d in fresh))
    _rules_apply(fresh, actor, now)
    return len(fresh)


def _insert_new(drafts: Sequence[Draft], now: dt.datetime) -> set[str]:
    """One multi-row INSERT per 1,000 drafts (no ORM compiler: it was two thirds of a batch's CPU); returns the
    digests this statement inserted (a digest already stored, or committed meanwhile by another writer, is not)."""
    table, ops = SecurityEvent._meta.db_table, connection.ops
    received = ops.adapt_datetimefield_value(now)
    columns = ", ".join(_COLUMNS)
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(drafts), ROWS_PER_STATEMENT):
            chunk = drafts[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for d in chunk:
                params += [
                    ops.adapt_datetimefield_value(d.occurred_at),
                    received,
                    d.format,
                    d.source,
                    d.host,
                    d.rule,
                    d.severity,
                    d.agency_id,
                    d.message,
                    d.digest,
                ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))} "  # noqa: S608 - names from _meta
                "ON CONFLICT (digest, occurred_at) DO NOTHING RETURNING digest",
                params,
            )
            inserted.update(digest for (digest,) in cursor.fetchall())
    return inserted


def rejection_count(*, reason: str, channel: str, sample: str, n: int = 1) -> None:
    """R10.1: count refused events per reason and channel (shown on /metrics), keeping the last sample."""
    now = timezone.now()
    with transaction.atomic():
        row, _created = Rejection.objects.get_or_create(reason=reason, channel=channel)
        Rejection.objects.filter(pk=row.pk).update(count=F("count") + n, sample=sample[:SAMPLE_MAX], last_at=now)


def _matches(rule: EventRule, draft: Draft) -> bool:
    return draft.severity >= rule.min_severity and draft.rule.startswith(rule.rule_prefix)


def _rules_apply(drafts: Sequence[Draft], actor: User, now: dt.datetime) -> None:
    assets: dict[str, tuple[str, str]] | None = None
    for rule in EventRule.objects.filter(is_active=True):
        hosts: dict[str, Draft] = {}
        for draft in drafts:
            if _matches(rule, draft):
                hosts[draft.host] = draft
        if hosts and assets is None:
            assets = assets_by_host()
        for host, last in hosts.items():
            _rule_host(rule, host, last, (assets or {}).get(host.lower()), actor, now)


def _hostname(address: str) -> str:
    """An asset's address (a URL, a host name or an IP address) as events name hosts: lower case, no port."""
    netloc = urlsplit(address if "//" in address else f"//{address}").hostname
    return (netloc or "").lower()


def assets_by_host() -> dict[str, tuple[str, str]]:
    """Watched assets by the host name of their address: (code, name). Read once per batch that matched a rule."""
    rows = Asset.objects.filter(is_active=True).order_by("pk").values_list("code", "name", "url")
    found: dict[str, tuple[str, str]] = {}
    for code, name, url in rows:
        found.setdefault(_hostname(url), (code, name))
    found.pop("", None)
    return found


def _rule_host(
    rule: EventRule, host: str, last: Draft, asset: tuple[str, str] | None, actor: User, now: dt.datetime
) -> None:
    since = now - dt.timedelta(minutes=rule.window_minutes)
    count = SecurityEvent.objects.filter(
        host=host, rule__startswith=rule.rule_prefix, severity__gte=rule.min_severity, occurred_at__gte=since
    ).count()
    if count < rule.threshold:
        return
    # R5.6: an event about a watched asset's host is that asset's alert (as the checks' `<asset>:<rule>`); while
    # the state is open it keeps the key it was raised with, so an asset edited meanwhile never leaves an alert
    # that nothing resolves
    dedup_key = f"{asset[0] if asset else host or '-'}:{rule.code}"[:200]
    state = EventRuleState.objects.filter(rule=rule, host=host, is_open=True).exclude(dedup_key="").first()
    if state is not None:
        dedup_key = state.dedup_key
    where = f"{asset[1][:60]} ({host[:60]})" if asset else host[:60]
    EventRuleState.objects.update_or_create(
        rule=rule, host=host, defaults={"last_match_at": now, "is_open": True, "dedup_key": dedup_key}
    )
    alert_raise(
        source=SOURCE,
        dedup_key=dedup_key,
        kind="cyber.event",
        severity=max(last.severity, rule.min_severity),
        title=_("%(rule)s trên %(host)s (%(n)d sự kiện)") % {"rule": rule.name[:120], "host": where, "n": count},
        occurred_at=min(last.occurred_at, now),
        payload={
            "rule": rule.code,
            "host": host,
            "asset": asset[0] if asset else None,
            "count": count,
            "last": last.message[:500],
        },
        actor=actor,
    )


def event_rules_sweep(*, actor: User, now: dt.datetime | None = None) -> int:
    """R4.1: resolve the alerts of rules with no match for a whole window; returns how many were resolved."""
    now = now or timezone.now()
    resolved = 0
    for state in EventRuleState.objects.filter(is_open=True).select_related("rule"):
        if state.last_match_at + dt.timedelta(minutes=state.rule.window_minutes) > now:
            continue
        with transaction.atomic():
            if EventRuleState.objects.filter(pk=state.pk, is_open=True, last_match_at=state.last_match_at).update(
                is_open=False
            ):
                alert_resolve(
                    source=SOURCE,
                    dedup_key=state.dedup_key or f"{state.host or '-'}:{state.rule.code}"[:200],
                    resolved_at=now,
                    actor=actor,
                )
                resolved += 1
    return resolved


@transaction.atomic
def events_purge(*, actor: User, now: dt.datetime | None = None) -> int:
    """R5.6: delete events older than the retention (one audit entry with the count). On PostgreSQL the monthly
    partitions are kept here too (partitions.py): the months ahead created, the months wholly past the cutoff
    dropped, and only the cutoff's own month (and the DEFAULT partition) deleted row by row."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CYBER_EVENT_RETENTION_DAYS)
    changes: dict[str, Any] = {"before": cutoff.isoformat()}
    deleted = 0
    if partitions.is_partitioned():
        with partitions.checks_settled():
            created = partitions.partitions_ensure(now=now)
            dropped, deleted = partitions.partitions_drop_before(cutoff=cutoff)
        changes.update({k: v for k, v in (("partitions_created", created), ("partitions_dropped", dropped)) if v})
    rows, _detail = SecurityEvent.objects.filter(occurred_at__lt=cutoff).delete()
    deleted += rows
    cells_purge(before=local_day(cutoff))  # whole days only: the cutoff's own day keeps its cell
    if deleted or len(changes) > 1:
        audit_record(
            actor=actor,
            action="security_event.purge",
            object_type="cybersecurity.securityevent",
            changes=changes,
            row_count=deleted,
        )
    return deleted
