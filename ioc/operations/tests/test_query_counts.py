"""R10.2–R10.4: the list pages' query counts are locked — they do not grow with the rows shown (staff, sheets,
roster shifts with their people, assets, changes)."""

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.operations import services
from ioc.operations.models import AllowanceLine, AllowanceSheet, Roster, RosterShift
from ioc.operations.testing import allowance_rules_make, staff_make

PAGES = ("/van-hanh/nhan-su/", "/van-hanh/phu-cap/", "/van-hanh/tai-san/", "/van-hanh/thay-doi/", "/van-hanh/")


class QueryCountTest(Personas, TestCase):
    roster: Roster

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        allowance_rules_make(actor=cls.system_account, leader=cls.leader)
        cls.roster = services.roster_create(actor=cls.leader, agency=cls.agency_a, month=dt.date(2026, 2, 1))

    def grow(self, n: int) -> None:
        for i in range(n):
            agency = (self.agency_a, self.agency_b)[i % 2]
            person = staff_make(leader=self.leader, agency=agency, name=f"Người {i}", start=dt.date(2025, 1, 1))
            shift = RosterShift.objects.filter(roster=self.roster).order_by("starts_at")[i]
            services.roster_duty_add(actor=self.leader, shift=shift, staff=person)
            services.asset_create(actor=self.operator, kind="server", name=f"Máy {i}", owner_agency=agency)
            start = timezone.now() + dt.timedelta(days=1 + i)
            services.change_request(
                actor=self.operator,
                title=f"Thay đổi {i}",
                reason="Vá",
                systems="Máy chủ",
                window_start=start,
                window_end=start + dt.timedelta(hours=1),
                rollback_plan="Khôi phục",
                requester="Nhà cung cấp",
            )
        services.allowance_sheets_prepare_month(actor=self.leader, month=dt.date(2025, 7, 1))

    def counts(self) -> dict[str, int]:
        found = {}
        for url in (*PAGES, f"/van-hanh/lich-truc/{self.roster.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200, url)
            found[url] = len(ctx.captured_queries)
        return found

    def test_the_counts_do_not_grow_with_the_rows(self):
        self.sign_in(self.client, self.leader)
        self.grow(2)
        small = self.counts()
        self.grow(4)
        self.assertEqual(self.counts(), small)


class SheetQueryCountTest(Personas, TestCase):
    """Issue 24 "Speed": a month's sheets take a fixed number of queries whatever the staff and agencies; a rerun
    recomputes the drafts in place, also fixed. (The bench's 60 agencies take two more: SQLite's bound-variable
    limit splits the sheets' and the audit entries' multi-row INSERTs into batches.)"""

    FIRST, RERUN = 11, 13

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        allowance_rules_make(actor=cls.system_account, leader=cls.leader)

    def prepare(self) -> tuple[int, int]:
        counts = []
        for _run in range(2):
            with CaptureQueriesContext(connection) as ctx:
                services.allowance_sheets_prepare_month(actor=self.leader, month=dt.date(2025, 7, 1))
            counts.append(len(ctx.captured_queries))
        return counts[0], counts[1]

    def test_the_counts_are_fixed(self):
        staff_make(leader=self.leader, agency=self.agency_a, name="Người 1", start=dt.date(2025, 1, 1))
        self.assertEqual(self.prepare(), (self.FIRST, self.RERUN))
        AllowanceSheet.objects.all().delete()
        for i in range(6):
            agency = (self.agency_a, self.agency_b)[i % 2]
            staff_make(leader=self.leader, agency=agency, name=f"Người {i + 2}", start=dt.date(2025, 7, 10))
        self.assertEqual(self.prepare(), (self.FIRST, self.RERUN))
        self.assertEqual(AllowanceLine.objects.count(), 7)
