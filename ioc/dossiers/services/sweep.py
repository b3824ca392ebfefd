"""The durable sweep (R5.3, DESIGN "Durable work"): a step or a dossier that falls due with no event is caught by
its due time. The Dossier row is the work: `next_check_at <= now`, claimed by a conditional UPDATE with a lease
(`check_lease_until`), re-checked, lease cleared. Safe to run twice and to be killed at any line."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ioc.accounts.models import User
from ioc.dossiers.choices import HOLD_HOURS, OPEN_STATUSES, SWEEP_LEASE_SECONDS, HeldState
from ioc.dossiers.models import Dossier, HeldEvent
from ioc.dossiers.services.locks import dossiers_lock
from ioc.dossiers.services.recheck import dossier_recheck
from ioc.worktime.selectors import WorkCalendar, calendar_for

HELD_REASON = "dossier: Hồ sơ không được tiếp nhận trong thời gian chờ / No receipt within the holding time"


def _claim(now: dt.datetime, limit: int) -> list[int]:
    free = Q(check_lease_until__isnull=True) | Q(check_lease_until__lt=now)
    due = Dossier.objects.filter(free, next_check_at__lte=now, status__in=OPEN_STATUSES)
    ids = list(due.order_by("next_check_at").values_list("pk", flat=True)[:limit])
    lease = now + dt.timedelta(seconds=SWEEP_LEASE_SECONDS)
    claimed = Dossier.objects.filter(free, pk__in=ids).update(check_lease_until=lease)
    if claimed != len(ids):  # another sweeper took some: keep only ours
        return list(Dossier.objects.filter(pk__in=ids, check_lease_until=lease).values_list("pk", flat=True))
    return ids


def dossiers_sweep_due(*, actor: User, now: dt.datetime | None = None, limit: int = 500) -> int:
    """R5.3: re-check every open dossier whose step or limit fell due with no event; the count re-checked."""
    now = now or timezone.now()
    calendars: dict[int, WorkCalendar] = {}
    ids = _claim(now, limit)
    for dossier in Dossier.objects.select_related("agency", "unit", "version").filter(pk__in=ids):
        if dossier.agency_id not in calendars:
            calendars[dossier.agency_id] = calendar_for(agency=dossier.agency)
        calendar = calendars[dossier.agency_id]
        with transaction.atomic():
            dossiers_lock(agency_id=dossier.agency_id, codes=[dossier.code])  # not beside an intake of it
            dossier_recheck(dossier=dossier, calendar=calendar, actor=actor, now=now)
    return len(ids)


def held_events_expire(*, now: dt.datetime | None = None) -> int:
    """R5.3 (issue 23 "Bad input"): events still waiting for their dossier's receipt after HOLD_HOURS are refused."""
    now = now or timezone.now()
    old = HeldEvent.objects.filter(state=HeldState.HELD, held_at__lt=now - dt.timedelta(hours=HOLD_HOURS))
    return old.update(state=HeldState.REFUSED, reason=HELD_REASON)
