"""Erasing reporters' contacts a configurable time after the report closed (R7.5)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record_bulk
from ioc.citizen_reports.choices import CLOSED_STATUSES, ReportStatus
from ioc.citizen_reports.models import ReporterContact

DEFAULT_RETENTION_DAYS = 730  # 24 months
BATCH = 1000
# Closed for good: spam joins the statuses the public sees as closed.
ERASABLE_STATUSES = sorted({*CLOSED_STATUSES, ReportStatus.SPAM})


def retention_days() -> int:
    return int(getattr(settings, "REPORT_CONTACT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


@transaction.atomic
def _erase_batch(ids: list[int], moment: dt.datetime, cutoff: dt.datetime) -> int:
    # Re-check inside the write: a report reopened since the selection keeps its contact.
    rows = ReporterContact.objects.filter(
        pk__in=ids, erased_at__isnull=True, report__status__in=ERASABLE_STATUSES, report__closed_at__lte=cutoff
    )
    kept = list(rows.values_list("pk", "report_id"))
    if not kept:
        return 0
    ReporterContact.objects.filter(pk__in=[pk for pk, _r in kept]).update(
        name_encrypted="", phone_encrypted="", email_encrypted="", phone_index="", email_index="", erased_at=moment
    )
    audit_record_bulk(
        actor=system_account(),
        action="reporter_contact.erase",
        object_type="citizen_reports.reportercontact",
        rows=[{"contact": pk, "report": report_id} for pk, report_id in kept],
        changes={"retention_days": retention_days()},
    )
    return len(kept)


def contact_erase_due(*, now: dt.datetime | None = None) -> int:
    """R7.5: erase the contacts of reports closed more than REPORT_CONTACT_RETENTION_DAYS (default 730) ago.

    Safe to run twice and to be killed anywhere: each batch is one transaction selecting by state and time.
    Returns how many contacts were erased.
    """
    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(days=retention_days())
    due = ReporterContact.objects.filter(
        erased_at__isnull=True, report__status__in=ERASABLE_STATUSES, report__closed_at__lte=cutoff
    ).order_by("pk")
    erased = 0
    while True:
        ids = list(due.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return erased
        done = _erase_batch(ids, moment, cutoff)
        erased += done
        if done == 0:
            return erased
