"""R1.6: the owner is reminded before a request's due time and chased once it is overdue; each request × kind is
sent once (the outbox refuses a repeated dedup key), so a second or concurrent run sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ioc.sharing import notices
from ioc.sharing.choices import RequestStatus
from ioc.sharing.models import AccessRequest
from ioc.sharing.services._base import owner_people, tell, terms_current

BATCH = 500


def access_request_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Pending requests due within the terms' lead time get a reminder; overdue ones a chase. Selected by state
    and due time (never "since the last run"). Returns the number of messages written."""
    moment = now or timezone.now()
    horizon = moment + dt.timedelta(hours=terms_current().remind_before_hours)
    pending = (
        AccessRequest.objects.filter(status=RequestStatus.PENDING, due_at__lte=horizon)
        .select_related("dataset", "dataset__owner", "agency")
        .order_by("due_at")[:BATCH]
    )
    sent = 0
    for request in pending:
        overdue = request.due_at <= moment
        template = notices.OVERDUE if overdue else notices.REMIND
        with transaction.atomic():
            sent += tell(
                request,
                template=template,
                recipients=owner_people(request),
                dedup=f"{template}:{request.pk}",
            )
    return sent
