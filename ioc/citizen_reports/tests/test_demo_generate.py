"""R11, issue 3 item 9: the citizen-report demo — a year of seasonal reports in the profile's communes (older
history in audited bulk batches, the last 14 days through the real services), canary contacts only, idempotent."""

import datetime as dt
import math
import random
from collections import Counter
from types import SimpleNamespace

from django.test import TestCase
from django.utils import timezone

from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.citizen_reports.choices import OPEN_STATUSES, Channel, IntakeStatus, ReportStatus
from ioc.citizen_reports.demo import history as demo
from ioc.citizen_reports.demo.catalogue import TET
from ioc.citizen_reports.models import Category, IntakeItem, Report, ReporterContact, RoutingRule
from ioc.citizen_reports.privacy import decrypt
from ioc.common.testing import DemoLoadTestCase, demo_load
from ioc.geo.models import Territory
from ioc.worktime.selectors import LOCAL_TZ


class DemoGenerateTest(DemoLoadTestCase, TestCase):
    demo_only = ("citizen_reports",)
    demo_module = "ioc.citizen_reports.demo"

    @classmethod
    def setUpTestData(cls):
        cls.until = timezone.now()
        super().setUpTestData()

    def local_month(self, moment):
        return moment.astimezone(LOCAL_TZ).month

    def test_it_sets_up_the_eight_categories_and_routes_to_commune_committees(self):
        self.assertEqual(self.result["categories"], 8)
        self.assertEqual(Category.objects.count(), 8)
        garbage = Category.objects.get(code="rac-thai")
        self.assertEqual(garbage.default_agency.code, "so-nn-mt")
        self.assertEqual(RoutingRule.objects.filter(category=garbage, agency__code__startswith="ubnd-1").count(), 4)
        self.assertTrue(Category.objects.get(code="o-nhiem").requires_leader_approval)

    def test_it_spreads_a_year_of_reports_over_the_communes(self):
        reports = Report.objects.all()
        oldest = reports.order_by("received_at").first().received_at
        self.assertGreater(self.until - oldest, dt.timedelta(days=350))
        communes = set(Territory.objects.get(profile="hung-yen").communes.values_list("pk", flat=True))
        used = set(reports.exclude(unit=None).values_list("unit_id", flat=True))
        self.assertTrue(used <= communes)
        self.assertGreater(len(used), len(communes) * 0.8)
        print(f"\ncitizen_reports demo: {self.result}")

    def test_it_makes_flooding_a_rainy_season_thing(self):
        months = Counter(
            self.local_month(r)
            for r in Report.objects.filter(category__code="ngap-ung").values_list("received_at", flat=True)
        )
        rainy = sum(months[m] for m in (6, 7, 8, 9, 10))
        self.assertGreater(rainy, 3 * (sum(months.values()) - rainy))

    def test_it_brings_more_garbage_around_tet(self):
        # The arrival model at province scale over a fixed year (the loaded data above is a 20-commune sample).
        world = SimpleNamespace(rng=random.Random(1), scale=1.0)
        tet = TET[2025]
        days = Counter(
            (moment.astimezone(LOCAL_TZ).date() - tet).days
            for spec, moment in demo.arrivals(world, dt.date(2024, 12, 1), dt.date(2025, 6, 30))
            if spec.code == "rac-thai"
        )
        around = sum(days[d] for d in range(-10, 8)) / 18
        later = sum(days[d] for d in range(60, 120)) / 60
        self.assertGreater(around, 1.6 * later)

    def test_it_mixes_outcomes_and_channels(self):
        statuses = Counter(Report.objects.values_list("status", flat=True))
        for status in (ReportStatus.PUBLISHED, ReportStatus.REJECTED, ReportStatus.DUPLICATE, ReportStatus.SPAM):
            self.assertGreater(statuses[status], 0, status)
        self.assertGreater(sum(statuses[s] for s in ("received", "verified", "forwarded", "in_progress")), 0)
        published = Report.objects.filter(status=ReportStatus.PUBLISHED)
        self.assertTrue(published.filter(handled_on_time=False).exists())
        self.assertGreater(
            published.filter(handled_on_time=True).count(), published.filter(handled_on_time=False).count()
        )
        self.assertTrue(Report.objects.filter(reopen_count__gt=0).exists())
        self.assertTrue(Report.objects.filter(status=ReportStatus.DUPLICATE, duplicate_of__isnull=False).exists())
        self.assertTrue(published.filter(rating__isnull=False).exists())
        self.assertEqual(set(Report.objects.values_list("channel", flat=True)), set(Channel.values))

    def test_it_uses_canary_contacts_only(self):
        contacts = ReporterContact.objects.all()
        self.assertGreater(contacts.count(), 0)
        for contact in contacts:
            email, phone = decrypt(contact.email_encrypted), decrypt(contact.phone_encrypted)
            self.assertTrue(not email or email.endswith("@canary.invalid"), email)
            self.assertTrue(not phone or phone.startswith("0900000"), phone)

    def test_it_audits_the_history_in_one_entry_per_batch(self):
        batches = AuditEntry.objects.filter(action="report.bulk_load")
        self.assertEqual(batches.count(), math.ceil(self.result["reports_history"] / demo.BATCH))
        self.assertEqual(sum(batches.values_list("row_count", flat=True)), self.result["reports_history"])

    def test_it_drives_the_last_fortnight_through_the_services(self):
        recent = Report.objects.filter(received_at__gte=self.until - dt.timedelta(days=14))
        self.assertEqual(recent.count(), self.result["reports_recent"])
        received = AuditEntry.objects.filter(action="report.receive").count()
        self.assertEqual(received, self.result["reports_recent"])
        self.assertTrue(AuditEntry.objects.filter(action="report.forward").exists())
        self.assertTrue(AuditEntry.objects.filter(action="report.publish").exists())
        self.assertTrue(recent.filter(status__in=OPEN_STATUSES).exists())  # the newest are still being handled
        days = {r.astimezone(LOCAL_TZ).date() for r in recent.values_list("received_at", flat=True)}
        self.assertGreater(len(days), 5)  # retimed over the fortnight, not all at load time
        self.assertTrue(all(r.received_at <= timezone.now() for r in recent))
        self.assertTrue(IntakeItem.objects.filter(status=IntakeStatus.NEW).exists())
        self.assertTrue(IntakeItem.objects.filter(status=IntakeStatus.DISCARDED).exists())

    def test_it_keeps_each_step_after_the_one_before(self):
        for report in Report.objects.exclude(forwarded_at=None).exclude(verified_at=None)[:500]:
            self.assertLessEqual(report.received_at, report.verified_at)
            self.assertLessEqual(report.verified_at, report.forwarded_at)
            if report.published_at:
                self.assertLessEqual(report.resolved_at, report.published_at)
        for assignment in Assignment.objects.all()[:500]:
            self.assertLess(assignment.forwarded_at, assignment.deadline_at)

    def test_a_second_run_changes_nothing(self):
        before = Report.objects.count(), AuditEntry.objects.filter(action="report.bulk_load").count()
        again = demo_load(*self.demo_only, module=self.demo_module)[1]
        self.assertEqual(again.get("already_loaded"), 1)
        self.assertEqual((Report.objects.count(), AuditEntry.objects.filter(action="report.bulk_load").count()), before)
