"""R7.1: the working calendar and hours are set by a system administrator or an IOC leader (or the system
account for setup); an officer or an operator is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.worktime import services
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import AgencyWorkingHours, CalendarException

DAY_OFF = {"day": dt.date(2026, 1, 2), "kind": ExceptionKind.DAY_OFF, "name": "Nghỉ bù", "document_ref": "QĐ 45"}
HOURS = {
    "morning_start": dt.time(7, 30),
    "morning_end": dt.time(11, 30),
    "afternoon_start": dt.time(13, 30),
    "afternoon_end": dt.time(17, 0),
}


class WorktimeConfigRightsTest(Personas, TestCase):
    def _state(self) -> tuple[Any, ...]:
        exceptions = list(CalendarException.objects.order_by("pk").values_list("date", "kind"))
        hours = list(AgencyWorkingHours.objects.order_by("pk").values_list("agency_id", "morning_start"))
        return exceptions, hours, AuditEntry.objects.count()

    def _refused(self, call: Callable[..., Any], **kwargs: Any) -> None:
        for person in (self.officer_a, self.operator, self.citizen):
            before = self._state()
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied) as caught:
                call(actor=person, **kwargs)
            self.assertIn("lịch làm việc", str(caught.exception))
            self.assertEqual(self._state(), before)

    def test_calendar_exception_add_refuses_an_officer(self):
        self._refused(services.calendar_exception_add, **DAY_OFF)

    def test_calendar_exception_remove_refuses_an_officer(self):
        exception = services.calendar_exception_add(actor=self.leader, **DAY_OFF)
        self._refused(services.calendar_exception_remove, exception=exception)
        self.assertTrue(CalendarException.objects.filter(pk=exception.pk).exists())

    def test_agency_working_hours_set_refuses_an_officer(self):
        self._refused(services.agency_working_hours_set, agency=self.agency_a, **HOURS)

    def test_a_leader_an_administrator_and_the_system_account_may(self):
        services.calendar_exception_add(actor=self.leader, **DAY_OFF)
        services.agency_working_hours_set(actor=self.admin, agency=self.agency_a, **HOURS)
        services.agency_working_hours_set(actor=self.system_account, agency=None, **HOURS)
        self.assertEqual(AgencyWorkingHours.objects.count(), 2)
