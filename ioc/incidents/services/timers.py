"""The time to verify (R4.2, R4.3; DESIGN "Durable work"): each alert waiting in the inbox has a timer row; when
it falls due and the alert is still not verified, a sweeper claims the row under a lease and tells the IOC
leaders once. Safe to run twice and to be killed at any line (an expired lease is taken again)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.common.choices import Severity, is_severe
from ioc.incidents.choices import KINDS, TIMER_LEASE_SECONDS, AlertState, TimerState
from ioc.incidents.models import VerificationTimer
from ioc.incidents.services._base import VERIFY_OVERDUE_TEMPLATE, audit, leadership, local_text
from ioc.notifications.services import notification_enqueue

logger = logging.getLogger("ioc.incidents")


def _due(now: dt.datetime) -> Q:
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return Q(state=TimerState.PENDING, due_at__lte=now) & free


def verification_timer_claim(*, pk: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Claim one due timer by a conditional UPDATE; the lease is the claimer's token (None: someone else's)."""
    now = now or timezone.now()
    lease = now + dt.timedelta(seconds=TIMER_LEASE_SECONDS)
    changed = VerificationTimer.objects.filter(_due(now), pk=pk).update(lease_until=lease)
    return lease if changed == 1 else None


def _tell(timer: VerificationTimer) -> None:
    alert = timer.alert
    recipients = leadership()
    if not recipients:
        return
    kind = KINDS[alert.kind].label if alert.kind in KINDS else alert.kind
    notification_enqueue(
        event="alert.verify_overdue",
        recipients=recipients,
        template=VERIFY_OVERDUE_TEMPLATE,
        context={
            "title": alert.title,
            "kind": str(kind),
            "severity": str(Severity(alert.severity).label),
            "raised_at": local_text(alert.first_seen_at),
            "due_at": local_text(timer.due_at),
        },
        dedup_key=f"alert:{alert.pk}:verify_overdue",
        urgent=is_severe(alert.severity),
    )


@transaction.atomic
def _fire_claimed(pk: int, lease: dt.datetime, now: dt.datetime) -> bool:
    timer = (
        VerificationTimer.objects.select_for_update().select_related("alert").filter(pk=pk, lease_until=lease).first()
    )
    if timer is None:
        return False
    fired = timer.alert.state == AlertState.NEW
    if fired:
        _tell(timer)
        text = _("Quá hạn xác minh (%(due)s) / Not verified in time") % {"due": local_text(timer.due_at)}
        audit(system_account(), "verify_overdue", timer.alert, due_at=timer.due_at.isoformat(), text=text)
    state = TimerState.FIRED if fired else TimerState.DONE
    VerificationTimer.objects.filter(pk=pk, lease_until=lease).update(
        state=state, fired_at=now if fired else None, lease_until=None
    )
    return fired


def verification_escalate_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """R4.2: tell the IOC leaders of alerts not verified in their kind's time; returns how many were told."""
    now = now or timezone.now()
    ids = list(
        VerificationTimer.objects.filter(_due(now)).order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for pk in ids:
        lease = verification_timer_claim(pk=pk, now=now)
        if lease is None:
            continue
        try:
            fired += int(_fire_claimed(pk, lease, now))
        except Exception:  # the lease expires and the next run retries this row
            logger.exception("verification timer %s failed", pk)
    return fired
