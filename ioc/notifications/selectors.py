"""Reads of notifications (R4.5): readiness of the outbox."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.utils import timezone

from ioc.notifications.choices import UNDELIVERED
from ioc.notifications.models import Outbox


def outbox_oldest_undelivered_age() -> dt.timedelta | None:
    """For /readyz: how long the oldest due, undelivered row has waited (None when nothing waits).

    Measured from `due_at`, so messages held back by quiet hours do not count until the quiet hours end.
    """
    now = timezone.now()
    oldest = Outbox.objects.filter(state__in=UNDELIVERED, due_at__lte=now).aggregate(oldest=Min("due_at"))["oldest"]
    return None if oldest is None else max(now - oldest, dt.timedelta())
