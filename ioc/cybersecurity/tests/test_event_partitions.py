"""R5.6 (issue 21 "partitioned by time on PostgreSQL"): security events in monthly partitions of `occurred_at`, a
DEFAULT partition for events dated outside them, months created ahead and dropped whole by the nightly purge; the
dedup key `(digest, occurred_at)` holds across partitions. PostgreSQL only (scripts/pg-suite); the dedup and purge
on SQLite are tested in test_events_in.py and test_event_rollup.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.cybersecurity import partitions, services
from ioc.cybersecurity.models import EventDay, SecurityEvent
from ioc.cybersecurity.parsers import Draft

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: runs under scripts/pg-suite"
)


def where(pk: int) -> str:
    """The partition holding an event."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitions.TABLE} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


class PartitionTest(Personas, TestCase):
    def draft(self, at: dt.datetime, message: str = "Failed password") -> Draft:
        return Draft(at, "syslog", "192.0.2.10", "web01", "syslog:sshd", 3, message, self.agency_a.pk)

    def test_the_table_is_partitioned_by_month_from_the_retention_to_months_ahead(self):
        self.assertTrue(partitions.is_partitioned())
        names = partitions.months()
        now = timezone.now()
        self.assertIn(partitions.partition_name(partitions.month_start(now)), names)
        ahead = partitions.month_start(now)
        for _ in range(3):
            ahead = partitions.month_next(ahead)
        self.assertIn(partitions.partition_name(ahead), names)
        self.assertIn(partitions.partition_name(partitions.month_start(now - dt.timedelta(days=180))), names)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
                [partitions.TABLE],
            )
            self.assertEqual(cursor.fetchone()[0], "PRIMARY KEY (id, occurred_at)")

    def test_events_land_in_their_month_or_the_default_and_repeats_are_refused_across_partitions(self):
        now = timezone.now()
        drafts = [self.draft(now), self.draft(dt.datetime(2001, 5, 1, tzinfo=dt.UTC), "from a clock years off")]
        self.assertEqual(services.events_store(actor=self.admin, drafts=drafts), 2)
        self.assertEqual(services.events_store(actor=self.admin, drafts=drafts), 0)
        current, old = SecurityEvent.objects.order_by("-occurred_at")
        self.assertEqual(where(current.pk), partitions.partition_name(partitions.month_start(now)))
        self.assertEqual(where(old.pk), partitions.DEFAULT)
        self.assertEqual(SecurityEvent.objects.count(), 2)

    def test_the_purge_creates_months_ahead_moves_the_default_rows_and_drops_old_months_whole(self):
        now = timezone.now()
        later = now + dt.timedelta(days=400)  # a year on: this month is past the retention, next year's ahead
        future = self.draft(later, "dated next year")  # beyond the months ahead today: the DEFAULT partition
        services.events_store(actor=self.admin, drafts=[self.draft(now), future])
        (ahead,) = SecurityEvent.objects.filter(occurred_at__gt=now + dt.timedelta(days=200))
        self.assertEqual(where(ahead.pk), partitions.DEFAULT)

        self.assertEqual(services.events_purge(actor=self.admin, now=later), 1)

        self.assertEqual(where(ahead.pk), partitions.partition_name(partitions.month_start(later)))
        self.assertNotIn(partitions.partition_name(partitions.month_start(now)), partitions.months())
        self.assertEqual(list(SecurityEvent.objects.values_list("pk", flat=True)), [ahead.pk])
        entry = AuditEntry.objects.filter(action="security_event.purge").latest("pk")
        self.assertIn(partitions.partition_name(partitions.month_start(now)), entry.changes["partitions_dropped"])
        self.assertIn(partitions.partition_name(partitions.month_start(later)), entry.changes["partitions_created"])
        self.assertEqual(entry.row_count, 1)
        self.assertFalse(EventDay.objects.filter(day__lt=(later - dt.timedelta(days=180)).date()).exists())

    def test_a_second_purge_changes_nothing(self):
        services.events_purge(actor=self.admin)
        before = partitions.months()
        self.assertEqual(services.events_purge(actor=self.admin), 0)
        self.assertEqual(partitions.months(), before)
