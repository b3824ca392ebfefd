"""R5.6 (issue 21 "Speed"): the daily cells of events per agency and rule equal a plain count of the events, through
every way events are written (a batch, a repeated batch, the demo's history) and purged; the explorer's "by agency
and rule over 30 days" reads them, scoped by agency."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import skipUnless

from django.db import connection, transaction
from django.db.models import Count
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from ioc.accounts.testing import Personas, personas_create
from ioc.common.periods import LOCAL_TZ
from ioc.cybersecurity import selectors, services
from ioc.cybersecurity.models import EventDay, SecurityEvent
from ioc.cybersecurity.parsers import Draft
from ioc.cybersecurity.rollup import local_day


class RollupTest(Personas, TestCase):
    def draft(self, at, rule="syslog:sshd", agency=None, host="web01", message="Failed password"):
        return Draft(at, "syslog", "192.0.2.10", host, rule, 3, message, agency)

    def cells(self):
        return {(c.day, c.agency_key, c.rule): c.count for c in EventDay.objects.all()}

    def counted(self):
        rows = SecurityEvent.objects.values_list("occurred_at", "agency_id", "rule")
        expected: dict = {}
        for at, agency, rule in rows:
            key = (local_day(at), agency or 0, rule)
            expected[key] = expected.get(key, 0) + 1
        return expected

    def test_cells_equal_a_plain_count_across_batches_repeats_history_and_purge(self):
        now = timezone.now()
        late_evening = dt.datetime.combine(timezone.localdate(), dt.time(23, 30), tzinfo=LOCAL_TZ) - dt.timedelta(
            days=1
        )
        drafts = [self.draft(now, agency=self.agency_a.pk, message=f"m{n}") for n in range(5)] + [
            self.draft(late_evening, rule="wazuh:5710", message="x"),  # 16:30 UTC: the local day counts
            self.draft(now - dt.timedelta(days=40), agency=self.agency_b.pk, message="old"),
        ]
        self.assertEqual(services.events_store(actor=self.admin, drafts=drafts), 7)
        self.assertEqual(services.events_store(actor=self.admin, drafts=drafts[:3]), 0)  # repeats: not counted
        past = [
            SecurityEvent(occurred_at=now - dt.timedelta(days=3), format="syslog", source="s", host="h", rule="r",
                          severity=2, agency_id=self.agency_b.pk, message=str(n), digest=f"hist-{n}")
            for n in (1, 2, 2)  # a digest twice in one batch
        ]  # fmt: skip
        services.history_events_bulk(actor=self.admin, events=past)
        services.history_events_bulk(actor=self.admin, events=past[:1])  # again: stored already
        self.assertEqual(self.cells(), self.counted())
        self.assertEqual(self.cells()[(local_day(late_evening), 0, "wazuh:5710")], 1)
        with override_settings(CYBER_EVENT_RETENTION_DAYS=30):
            services.events_purge(actor=self.admin)
        self.assertEqual(self.cells(), self.counted())

    def test_the_counts_read_the_cells_within_thirty_days_scoped_by_agency(self):
        now = timezone.now()
        drafts = [self.draft(now, agency=self.agency_a.pk, message=f"a{n}") for n in range(3)]
        drafts += [self.draft(now, rule="eve:2010935", agency=self.agency_b.pk, message="b")]
        drafts += [self.draft(now - dt.timedelta(days=31), agency=self.agency_a.pk, message="old")]
        services.events_store(actor=self.admin, drafts=drafts)
        with self.assertNumQueries(4):  # the roles, the scope (read fresh outside a request), the cells, the names
            rows = selectors.event_counts(user=self.operator)
        self.assertEqual(
            rows,
            [
                {"agency__name": self.agency_a.name, "rule": "syslog:sshd", "n": 3},
                {"agency__name": self.agency_b.name, "rule": "eve:2010935", "n": 1},
            ],
        )
        plain = (
            SecurityEvent.objects.filter(
                occurred_at__gte=now - dt.timedelta(days=29, hours=now.astimezone(LOCAL_TZ).hour + 1)
            )
            .values("agency__name", "rule")
            .annotate(n=Count("id"))
        )
        self.assertEqual(sorted(r["n"] for r in plain), [1, 3])
        own = selectors.event_counts(user=self.officer_b)
        self.assertEqual([(r["agency__name"], r["n"]) for r in own], [(self.agency_b.name, 1)])


@skipUnless(connection.vendor == "postgresql", "SQLite lets one writer in at a time (BEGIN IMMEDIATE): no race")
class ConcurrentBatchesTest(TransactionTestCase):
    """Issue 21: two identical batches committed at once (two listeners, an API retry) count in the cells once."""

    def test_two_identical_batches_at_once_add_to_the_cells_once(self):
        people = personas_create()
        now = timezone.now()
        drafts = [
            Draft(now, "syslog", "192.0.2.10", "web01", "syslog:sshd", 3, f"m{n}", people.agency_a.pk)
            for n in range(50)
        ]
        first_wrote, stored = threading.Event(), {}

        def first() -> None:
            try:
                with transaction.atomic():
                    stored["first"] = services.events_store(actor=people.admin, drafts=drafts)
                    first_wrote.set()
                    # hold the rows uncommitted until the second writer waits on them (its own connection)
                    deadline = time.monotonic() + 20
                    while time.monotonic() < deadline:
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                            if cursor.fetchone()[0]:
                                break
                        time.sleep(0.05)
            finally:
                first_wrote.set()
                connection.close()

        def second() -> None:
            try:
                first_wrote.wait(20)
                stored["second"] = services.events_store(actor=people.admin, drafts=drafts)
            finally:
                connection.close()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual((stored.get("first"), stored.get("second")), (50, 0))
        self.assertEqual(SecurityEvent.objects.count(), 50)
        self.assertEqual(list(EventDay.objects.values_list("count", flat=True)), [50])
