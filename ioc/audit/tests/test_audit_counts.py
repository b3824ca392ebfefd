"""R7.3, R8.1: `audit_counts`, the audit trail's counts per area over local days (the reports' accounts section
reads them), for the audit's readers only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.accounts.choices import Role
from ioc.audit.models import AuditEntry
from ioc.audit.selectors import audit_counts, audit_entry_list
from ioc.audit.services import audit_record
from ioc.audit.tests.support import clear_trail, make_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def entry_at(action: str, at: dt.datetime) -> None:
    created = audit_record(actor=None, action=action, object_type="tests.thing", object_id="1")
    AuditEntry.objects.filter(pk=created.pk).update(created_at=at)


class AuditCountsTest(TestCase):
    def setUp(self) -> None:
        clear_trail()
        self.operator = make_user("van.hanh", Role.IOC_OPERATOR)
        # Local days 1–31 July 2025: the first and last instants count, the instants just outside do not.
        entry_at("report.generate", dt.datetime(2025, 7, 1, 0, 0, tzinfo=VN))
        entry_at("report.issue", dt.datetime(2025, 7, 15, 12, 0, tzinfo=VN))
        entry_at("account.lock", dt.datetime(2025, 7, 31, 23, 59, tzinfo=VN))
        entry_at("report.edit", dt.datetime(2025, 6, 30, 23, 59, tzinfo=VN))
        entry_at("account.lock", dt.datetime(2025, 8, 1, 0, 0, tzinfo=VN))

    def test_the_days_entries_counted_per_area(self) -> None:
        counts = audit_counts(user=self.operator, date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 31))
        self.assertEqual(counts.by_area, {"report": 2, "account": 1})
        self.assertEqual(counts.total, 3)

    def test_the_total_equals_the_audit_pages_list_for_the_same_days(self) -> None:
        from ioc.audit.selectors import AuditFilters

        days = AuditFilters(date_from=dt.date(2025, 6, 30), date_to=dt.date(2025, 7, 15))
        listed = audit_entry_list(user=self.operator, filters=days).count()
        counts = audit_counts(user=self.operator, date_from=days.date_from, date_to=days.date_to)  # type: ignore[arg-type]
        self.assertEqual(counts.total, listed)
        self.assertEqual(counts.total, 3)

    def test_a_user_who_may_not_read_the_audit_is_refused(self) -> None:
        officer = make_user("can.bo", Role.AGENCY_OFFICER)
        with self.assertRaises(PermissionDenied):
            audit_counts(user=officer, date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 31))
