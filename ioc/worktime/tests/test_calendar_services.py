"""The administrator edits exceptions and working hours through audited services (R3.3, R4.3, R7.3)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from ioc.accounts.models import User
from ioc.accounts.testing import system_actor
from ioc.agencies.models import Agency
from ioc.audit.models import AuditEntry
from ioc.worktime import services
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import AgencyWorkingHours, CalendarException

DOC = "Quyết định 45/QĐ-UBND ngày 02/01/2026"


class CalendarExceptionServiceTest(TestCase):
    admin: User

    @classmethod
    def setUpTestData(cls):
        cls.admin = system_actor()  # a system administrator (R7.1)

    def add(self, **overrides: Any) -> CalendarException:
        values = {
            "actor": self.admin,
            "day": dt.date(2026, 1, 2),
            "kind": ExceptionKind.DAY_OFF,
            "name": "Nghỉ bù Tết Dương lịch",
            "document_ref": DOC,
            **overrides,
        }
        return services.calendar_exception_add(**values)

    def test_it_adds_and_audits_an_exception(self):
        exception = self.add()
        entry = AuditEntry.objects.get(action="calendar_exception.add")
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.object_id, str(exception.pk))
        self.assertEqual(entry.changes["document"], DOC)
        self.assertEqual(entry.changes["date"], "2026-01-02")

    def test_it_removes_and_audits_an_exception(self):
        exception = self.add()
        services.calendar_exception_remove(actor=self.admin, exception=exception)
        self.assertFalse(CalendarException.objects.exists())
        entry = AuditEntry.objects.get(action="calendar_exception.remove")
        self.assertEqual(entry.changes["kind"], ExceptionKind.DAY_OFF)

    def assert_refused(self, field: str, **overrides: Any) -> ValidationError:
        with self.assertRaises(ValidationError) as caught:
            self.add(**overrides)
        self.assertIn(field, caught.exception.message_dict)
        return caught.exception

    def test_it_refuses_bad_input_naming_the_field(self):
        self.assert_refused("document_ref", document_ref="  ")
        self.assert_refused("name", name="")
        self.assert_refused("kind", kind="holiday")
        self.assert_refused("kind", kind=ExceptionKind.WORKING_DAY, day=dt.date(2026, 3, 9))  # a Monday
        self.assert_refused("kind", kind=ExceptionKind.DAY_OFF, day=dt.date(2026, 2, 17))  # Tết
        self.assert_refused("kind", kind=ExceptionKind.DAY_OFF, day=dt.date(2026, 3, 8))  # a Sunday
        self.assertFalse(CalendarException.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action__startswith="calendar_exception").exists())

    def test_it_refuses_a_second_exception_on_the_same_date(self):
        self.add()
        error = self.assert_refused("date", kind=ExceptionKind.DAY_OFF)
        self.assertIn("đã có", " ".join(error.message_dict["date"]))
        self.assertEqual(CalendarException.objects.count(), 1)


class WorkingHoursServiceTest(TestCase):
    admin: User
    agency: Agency

    @classmethod
    def setUpTestData(cls):
        cls.admin = system_actor()  # a system administrator (R7.1)
        cls.agency = Agency.objects.create(code="so-tai-chinh", name="Sở Tài chính")

    def set(self, **overrides: Any) -> AgencyWorkingHours:
        values = {
            "actor": self.admin,
            "agency": self.agency,
            "morning_start": dt.time(7, 30),
            "morning_end": dt.time(11, 30),
            "afternoon_start": dt.time(13, 30),
            "afternoon_end": dt.time(17, 0),
            **overrides,
        }
        return services.agency_working_hours_set(**values)

    def test_it_creates_then_updates_one_row_per_agency(self):
        first = self.set()
        second = self.set(afternoon_end=dt.time(16, 30))
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(AgencyWorkingHours.objects.get().afternoon_end, dt.time(16, 30))
        self.assertEqual(AuditEntry.objects.filter(action="working_hours.set").count(), 2)

    def test_it_keeps_a_single_default_row(self):
        self.set(agency=None)
        self.set(agency=None, morning_start=dt.time(8, 0))
        self.assertEqual(AgencyWorkingHours.objects.filter(agency__isnull=True).count(), 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgencyWorkingHours.objects.create(agency=None)

    def test_it_refuses_periods_out_of_order(self):
        for field, overrides in [
            ("morning_end", {"morning_end": dt.time(7, 0)}),
            ("afternoon_start", {"afternoon_start": dt.time(11, 0)}),
            ("afternoon_end", {"afternoon_end": dt.time(13, 30)}),
        ]:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                self.set(**overrides)
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(AgencyWorkingHours.objects.exists())
