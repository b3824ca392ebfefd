"""The public page in SQL (public_rows, docs/decisions/0001) returns what the ORM returns for the same reports."""

import datetime as dt

from django.db.models import F, OuterRef, Subquery
from django.test import TestCase
from django.utils import timezone

from ioc.citizen_reports import selectors, services
from ioc.citizen_reports.choices import CLOSED_STATUSES, HIDDEN_STATUSES, OPEN_STATUSES
from ioc.citizen_reports.models import Report, ReportEvent, ReportPhoto
from ioc.citizen_reports.public_rows import ROW_KEYS
from ioc.citizen_reports.tests.test_core_support import CoreMixin


def orm_rows(ids: list[int]) -> list[dict[str, object]]:
    last_public = ReportEvent.objects.filter(report_id=OuterRef("pk"), is_public=True).order_by("-at").values("at")
    rows = (
        Report.objects.exclude(status__in=HIDDEN_STATUSES)
        .filter(pk__in=ids)
        .order_by("-received_at", "-pk")
        .values(*ROW_KEYS[:-2], updated_at=Subquery(last_public[:1]), original=F("duplicate_of__tracking_code"))
    )
    return list(rows)


class PublicRowsTest(CoreMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.received = cls._receive(cls.road)
        cls.rejected = cls._receive(cls.road)
        services.report_reject(report=cls.rejected, actor=cls.operator, reason="Ngoài phạm vi, gọi 0912345678")
        cls.original = cls._receive(cls.road)
        cls.duplicate = cls._receive(cls.road)
        services.report_mark_duplicate(report=cls.duplicate, original=cls.original, actor=cls.operator)
        cls.spam = cls._receive(cls.road)
        services.report_mark_spam(report=cls.spam, actor=cls.operator, reason="quảng cáo")
        cls.address_only = cls._receive(cls.road, lat=None, lon=None, address="Chợ cũ, thôn Đông")
        cls.all = [cls.received, cls.rejected, cls.original, cls.duplicate, cls.spam, cls.address_only]
        for age, report in enumerate(cls.all):  # distinct times, newest first = list order
            Report.objects.filter(pk=report.pk).update(received_at=timezone.now() - dt.timedelta(hours=age + 1))

    @classmethod
    def _receive(cls, category, **overrides):
        return CoreMixin.receive(cls, category=category, **overrides).report  # type: ignore[arg-type]

    def test_rows_match_the_orm_field_for_field(self):
        ids = [report.pk for report in self.all]
        rows = selectors.public_report_rows(ids=ids)
        self.assertEqual(rows, orm_rows(ids))
        self.assertNotIn(self.spam.pk, [row["pk"] for row in rows])
        duplicate = next(row for row in rows if row["pk"] == self.duplicate.pk)
        self.assertEqual(duplicate["original"], self.original.tracking_code)
        self.assertTrue(all(row["received_at"].tzinfo is not None for row in rows))

    def test_rows_by_tracking_code_with_offset_and_limit(self):
        codes = [report.tracking_code.lower() for report in self.all]  # codes are normalised
        rows = selectors.public_report_rows(tracking_codes=codes, offset=1, limit=2)
        self.assertEqual([row["pk"] for row in rows], [self.rejected.pk, self.original.pk])
        self.assertEqual(selectors.public_report_rows(), [])

    def test_page_ids_follow_the_filters_newest_first(self):
        everything = selectors.public_report_page_ids(limit=10)
        self.assertEqual(everything, [r.pk for r in self.all if r.status not in HIDDEN_STATUSES])
        closed = selectors.public_report_page_ids(statuses=CLOSED_STATUSES, limit=10)
        self.assertEqual(closed, [self.rejected.pk, self.duplicate.pk])
        opened = selectors.public_report_page_ids(statuses=OPEN_STATUSES, offset=1, limit=1)
        self.assertEqual(opened, [self.original.pk])
        received = dict(Report.objects.values_list("pk", "received_at"))
        window = selectors.public_report_page_ids(
            start=received[self.duplicate.pk], end=received[self.rejected.pk], limit=10
        )
        self.assertEqual(window, [self.rejected.pk, self.original.pk, self.duplicate.pk])  # both ends inclusive
        self.assertEqual(selectors.public_report_page_ids(category_codes=["core-sensitive"], limit=10), [])
        self.assertEqual(len(selectors.public_report_page_ids(category_codes=["core-road"], limit=10)), 5)

    def test_open_pages_merge_one_scan_per_status_in_the_orms_order(self):
        verified = self._receive(self.road)
        services.report_verify(report=verified, actor=self.operator)
        forwarded = self._receive(self.road)
        services.report_verify(report=forwarded, actor=self.operator)
        services.report_forward(report=forwarded, actor=self.operator)
        moment = timezone.now() - dt.timedelta(minutes=30)
        Report.objects.filter(pk__in=[verified.pk, forwarded.pk, self.received.pk]).update(received_at=moment)  # tie
        expected = list(
            Report.objects.filter(status__in=OPEN_STATUSES).order_by("-received_at", "-pk").values_list("pk", flat=True)
        )
        self.assertGreaterEqual(len({Report.objects.get(pk=pk).status for pk in expected}), 3)
        for offset in range(len(expected) + 1):
            page = selectors.public_report_page_ids(statuses=OPEN_STATUSES, offset=offset, limit=2)
            self.assertEqual(page, expected[offset : offset + 2], offset)
        windowed = selectors.public_report_page_ids(
            statuses=OPEN_STATUSES, category_codes=["core-road"], start=moment, end=moment, limit=10
        )
        self.assertEqual(windowed, sorted([verified.pk, forwarded.pk, self.received.pk], reverse=True))

    def test_postgresql_prepares_the_page_statements_with_generic_plans(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("prepared statements are PostgreSQL's")
        ids = [report.pk for report in self.all]

        def prepared() -> list[tuple[str, int]]:
            # the page's SELECTs: the connection may also hold the Open311 write's prepared INSERTs, and statements
            # an earlier test on this worker's connection prepared (they live as long as the connection)
            with connection.cursor() as cursor:
                cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
                found = cursor.fetchall()
            return [(sql, n) for sql, n in found if "citizen_reports_report" in sql and sql.lstrip()[:6] == "SELECT"]

        before = {sql for sql, _plans in prepared()}
        with self.settings(IOC_PREPARED_PUBLIC_ROWS=False):
            selectors.public_report_rows(ids=ids)
        self.assertEqual({sql for sql, _plans in prepared()} - before, set())
        for _ in range(2):
            self.assertEqual(selectors.public_report_rows(ids=ids), orm_rows(ids))
        self.assertTrue(any(plans >= 2 for _sql, plans in prepared()), prepared())

    def test_first_public_photos_follow_the_photo_order(self):
        photos = list(ReportPhoto.objects.filter(report=self.received).order_by("pk"))
        self.assertEqual(selectors.public_first_photos(report_ids=[self.received.pk]), {})
        ReportPhoto.objects.filter(pk=photos[0].pk).update(is_public=True)
        self.assertEqual(selectors.public_first_photos(report_ids=[self.received.pk]), {self.received.pk: photos[0].pk})
        self.assertEqual(selectors.public_first_photos(report_ids=[]), {})
