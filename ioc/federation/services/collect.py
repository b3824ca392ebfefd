"""Collectors (R9.1): what this center sends over each link, written to the outbox.

Each collector reads the current figures (yesterday's and today's daily summaries, recent escalated incidents,
indicator values changed lately) and hands them to `messages_enqueue`, which writes a new version only for an
object whose content changed: running a collector twice, or after a crash, sends nothing twice and loses
nothing (the outbox rows and the versions commit together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ioc.federation import selectors
from ioc.federation.choices import SENT_BY_ROLE, Flow, LinkRole
from ioc.federation.models import Link, OutboxMessage
from ioc.federation.services.flows import NATIONAL_FORMAT
from ioc.federation.services.outbox import messages_enqueue

Items = list[tuple[str, dict[str, Any]]]
LOOKBACK = dt.timedelta(days=14)


def _days(now: dt.datetime) -> list[dt.date]:
    today = now.astimezone(selectors.LOCAL_TZ).date()
    return [today - dt.timedelta(days=1), today]


def collect_citizen_reports(link: Link, now: dt.datetime) -> Items:
    return [(f"citizen_reports.daily:{d}", selectors.citizen_reports_daily(day=d)) for d in _days(now)]


def collect_incidents_daily(link: Link, now: dt.datetime) -> Items:
    return [(f"incidents.daily:{d}", selectors.incidents_daily(day=d)) for d in _days(now)]


def collect_incidents_escalated(link: Link, now: dt.datetime) -> Items:
    return [(f"incident:{i['reference']}", i) for i in selectors.incidents_escalated(since=now - LOOKBACK)]


def collect_values(link: Link, now: dt.datetime) -> Items:
    values = selectors.indicator_values(codes=list(link.indicator_codes), since=now - LOOKBACK)
    return [(f"value:{v['indicator']}:{v['unit']}:{v['period']}", v) for v in values]


def collect_national(link: Link, now: dt.datetime) -> Items:
    """R9.2: one message per agreed indicator and period, in the documented format (docs/federation.md)."""
    items: Items = []
    for code, period in selectors.indicator_periods(codes=list(link.indicator_codes), since=now - LOOKBACK):
        payload = {
            "format": NATIONAL_FORMAT,
            "indicator": code,
            "period": period,
            "values": selectors.indicator_period_values(code=code, period=period),
        }
        items.append((f"national:{code}:{period}", payload))
    return items


COLLECTORS: dict[str, Callable[[Link, dt.datetime], Items]] = {
    Flow.CITIZEN_REPORTS_DAILY: collect_citizen_reports,
    Flow.INCIDENTS_DAILY: collect_incidents_daily,
    Flow.INCIDENT_ESCALATED: collect_incidents_escalated,
    Flow.INDICATOR_VALUE: collect_values,
    Flow.NATIONAL_EXPORT: collect_national,
}


def link_collect(*, link: Link, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """R9.1, R9.3: the link's agreed flows into its outbox, in one transaction."""
    now = now or timezone.now()
    written: list[OutboxMessage] = []
    with transaction.atomic():
        sent = SENT_BY_ROLE.get(LinkRole(link.role), frozenset())
        for flow in link.flows:
            collector = COLLECTORS.get(flow) if flow in sent else None
            if collector is not None:
                written += messages_enqueue(link=link, flow=flow, items=collector(link, now))
    return written


def collect_all(*, now: dt.datetime | None = None) -> int:
    """Every active link with keys; the number of messages written."""
    links = Link.objects.filter(is_active=True).exclude(key_id="")
    return sum(len(link_collect(link=link, now=now)) for link in links)
