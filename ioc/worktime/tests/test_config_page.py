"""Issue 8: the working-calendar page of the "Quản trị" section, as the administrator and as refused roles."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from ioc.accounts.testing import Personas
from ioc.audit.models import AuditEntry
from ioc.worktime import services
from ioc.worktime.models import AgencyWorkingHours, CalendarException

INDEX = reverse("worktime:index")
ADD = reverse("worktime:exception_add")
HOURS = reverse("worktime:hours_set")
HOURS_REMOVE = reverse("worktime:hours_remove")
DOC = "Quyết định 45/QĐ-UBND ngày 02/12/2025"


def _exception(**overrides):
    fields = {"date": "2026-01-02", "kind": "day_off", "name": "Nghỉ bù Tết Dương lịch", "document_ref": DOC}
    fields.update(overrides)
    return {f"exception-{k}": v for k, v in fields.items()}


def _hours(**overrides):
    fields = {
        "morning_start": "07:00",
        "morning_end": "11:00",
        "afternoon_start": "13:00",
        "afternoon_end": "16:30",
    }
    fields.update(overrides)
    return {f"hours-{k}": v for k, v in fields.items() if v is not None}


class CalendarPageTest(Personas, TestCase):
    def test_the_administrator_adds_and_withdraws_an_exception(self):
        self.sign_in(self.client, self.admin)
        self.assertEqual(self.client.get(INDEX).status_code, 200)
        self.assertRedirects(self.client.post(ADD, _exception()), f"{INDEX}?nam=2026")
        exception = CalendarException.objects.get(date=dt.date(2026, 1, 2))
        self.assertContains(self.client.get(INDEX, {"nam": 2026}), "Nghỉ bù Tết Dương lịch")
        self.assertEqual(AuditEntry.objects.filter(action="calendar_exception.add").get().actor, self.admin)
        self.client.post(reverse("worktime:exception_remove", args=[exception.pk]))
        self.assertFalse(CalendarException.objects.exists())
        self.assertEqual(AuditEntry.objects.filter(action="calendar_exception.remove").get().actor, self.admin)

    def test_bad_exceptions_are_field_errors_and_nothing_is_written(self):
        services.calendar_exception_add(
            actor=self.admin, day=dt.date(2026, 1, 2), kind="day_off", name="Đã có", document_ref=DOC
        )
        self.sign_in(self.client, self.admin)
        before = (CalendarException.objects.count(), AuditEntry.objects.count())
        cases = [
            (_exception(), "date", "đã có ngoại lệ"),
            (_exception(date="2026-01-03", kind="day_off"), "kind", "vốn là ngày nghỉ"),
            (_exception(date="2026-01-05", document_ref=""), "document_ref", ""),
        ]
        for fields, field, reason in cases:
            with self.subTest(field=field):
                response = self.client.post(ADD, fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["exception_form"].errors)
                self.assertContains(response, reason, status_code=400)
        self.assertEqual((CalendarException.objects.count(), AuditEntry.objects.count()), before)

    def test_the_administrator_sets_an_agencys_hours_and_24_7_then_removes_them(self):
        self.sign_in(self.client, self.admin)
        self.assertRedirects(self.client.post(HOURS, _hours(agency=str(self.agency_a.pk))), INDEX)
        row = AgencyWorkingHours.objects.get(agency=self.agency_a)
        self.assertEqual((row.morning_start, row.afternoon_end), (dt.time(7), dt.time(16, 30)))
        self.client.post(HOURS, _hours(agency=str(self.agency_b.pk), around_the_clock="on"))
        page = self.client.get(INDEX).content.decode()
        self.assertIn(self.agency_b.name, page.split('id="around-the-clock"')[1])
        self.assertEqual(AuditEntry.objects.filter(action="working_hours.set", actor=self.admin).count(), 2)
        self.assertRedirects(self.client.post(HOURS_REMOVE, {"agency": self.agency_a.pk}), INDEX)
        self.assertFalse(AgencyWorkingHours.objects.filter(agency=self.agency_a).exists())
        self.assertEqual(AuditEntry.objects.filter(action="working_hours.remove").get().actor, self.admin)

    def test_overlapping_periods_are_field_errors_and_nothing_is_written(self):
        self.sign_in(self.client, self.admin)
        before = AuditEntry.objects.count()
        cases = [
            (_hours(afternoon_start="10:30"), "afternoon_start", "Buổi chiều phải sau buổi sáng"),
            (_hours(morning_end="06:00"), "morning_end", "Giờ kết thúc phải sau giờ bắt đầu"),
            (_hours(agency="999999"), "agency", "Cơ quan không tồn tại"),
        ]
        for fields, field, reason in cases:
            with self.subTest(field=field):
                response = self.client.post(HOURS, fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["hours_form"].errors)
                self.assertContains(response, reason, status_code=400)
        self.assertFalse(AgencyWorkingHours.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_the_leader_and_an_officer_are_refused(self):
        for person in (self.leader, self.officer_a):
            with self.subTest(person=person.username):
                self.sign_in(self.client, person)
                self.assertEqual(self.client.get(INDEX).status_code, 403)
                self.assertEqual(self.client.post(ADD, _exception()).status_code, 403)
                self.assertEqual(self.client.post(HOURS, _hours()).status_code, 403)
        self.assertFalse(CalendarException.objects.exists())
        self.assertFalse(AgencyWorkingHours.objects.exists())


class WorkingHoursRemoveServiceTest(Personas, TestCase):
    def test_it_refuses_a_leader_and_a_missing_row(self):
        services.agency_working_hours_set(
            actor=self.admin,
            agency=None,
            morning_start=dt.time(7),
            morning_end=dt.time(11),
            afternoon_start=dt.time(13),
            afternoon_end=dt.time(17),
        )
        with self.assertRaises(PermissionDenied):
            services.agency_working_hours_remove(actor=self.leader, agency=None)
        self.assertTrue(AgencyWorkingHours.objects.filter(agency=None).exists())
        with self.assertRaisesMessage(Exception, "Cơ quan không có giờ làm việc riêng"):
            services.agency_working_hours_remove(actor=self.admin, agency=self.agency_a)
        services.agency_working_hours_remove(actor=self.admin, agency=None)
        self.assertFalse(AgencyWorkingHours.objects.exists())


class CalendarPageQueriesTest(Personas, TestCase):
    def test_the_page_query_count_does_not_grow_with_rows(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.sign_in(self.client, self.admin)

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(INDEX, {"nam": 2026}).status_code, 200)
            return len(queries)

        count()  # warm the per-process caches
        before = count()
        for day in (2, 5, 6):
            services.calendar_exception_add(
                actor=self.admin, day=dt.date(2026, 1, day), kind="day_off", name="Nghỉ", document_ref=DOC
            )
        for agency in (self.agency_a, self.agency_b):
            services.agency_working_hours_set(
                actor=self.admin,
                agency=agency,
                morning_start=dt.time(7),
                morning_end=dt.time(11),
                afternoon_start=dt.time(13),
                afternoon_end=dt.time(17),
                around_the_clock=True,
            )
        self.assertEqual(count(), before)
